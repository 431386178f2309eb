/** Raised where the Slack client itself would stop the user (nothing is sent to the app). */
export class SlackClientRefusal extends Error {
  readonly fields: Record<string, string>;

  constructor(message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'SlackClientRefusal';
    this.fields = fields;
  }
}
