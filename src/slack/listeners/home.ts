import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.js';
import type { ReviewService } from '../../review/service.js';
import { homeView } from '../blocks/home.js';
import type { Clock } from '../../domain/clock.js';

export function homePublisher(deps: { review: ReviewService; client: WebClient; logger: Logger; now: Clock }) {
  return async (userId: string): Promise<void> => {
    try {
      const [reviews, status] = await Promise.all([
        deps.review.openReviewsFor(userId),
        deps.review.isAdmin(userId) ? deps.review.status() : Promise.resolve(null),
      ]);
      await deps.client.views.publish({
        user_id: userId,
        view: homeView({ reviews, status, now: deps.now() }),
      });
    } catch (err) {
      deps.logger.warn({ err, slackUser: userId }, 'could not publish the App Home');
    }
  };
}

export function registerHome(app: App, publish: (userId: string) => Promise<void>): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab === 'home') await publish(event.user);
  });
}
