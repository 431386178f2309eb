/**
 * A feed of what changed in the simulated workspace, for a live view of it (the sandbox's
 * Slack-like page). Each change names what to read again from WorkspaceState; it carries no
 * content itself, so a listener always renders the current state.
 */
export type SimChange =
  /**
   * A message appeared, changed (edit, replies counted on a thread parent) or went away.
   * `message.deleted` is also what an ephemeral message removed through a response_url
   * (`delete_original`) emits: `ts` is then that ephemeral's `message_ts`.
   */
  | { kind: 'message.posted' | 'message.updated' | 'message.deleted'; channel: string; ts: string }
  /** An ephemeral message for one user appeared, or replaced the one with the same ts. */
  | { kind: 'ephemeral.posted'; channel: string; user: string; ts: string }
  | { kind: 'view.opened' | 'view.updated' | 'view.pushed' | 'view.closed'; viewId: string; user: string }
  | { kind: 'home.published'; user: string }
  | { kind: 'user.changed'; user: string }
  /** A conversation was created (a channel, or a DM on first use), archived, or its members changed. */
  | { kind: 'channel.changed'; channel: string };

export type ChangeListener = (change: SimChange) => void;

export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  /** Calls `listener` after every change, synchronously; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(change: SimChange): void {
    // A listener may unsubscribe while being called; a Set skips what was deleted mid-loop.
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A failing listener (a page that went away) must not fail the Web API call that
        // made the change: Slack's answer to the app does not depend on who is watching.
      }
    }
  }
}
