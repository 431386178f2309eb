/**
 * `seat_usage_daily.actions`: the countable things a member did that day, summed from
 * the analytics metrics tree — messages, sessions, actions, turns, searches, commits,
 * pull requests, jobs and delegations, in every product. Distinct-object counts
 * (artifacts, files, projects), lines of code, tool suggestions and subsets of
 * messages (thinking, with connectors or skills) are left out, so nothing counts twice. Any positive number means the seat was used.
 */
const COUNTED: ReadonlySet<string> = new Set([
  'message_count',
  'distinct_session_count',
  'action_count',
  'dispatch_turn_count',
  'commit_count',
  'pull_request_count',
  'remote_compute_job_count',
  'delegation_count',
  'web_search_count',
]);

export function seatActions(metrics: unknown): number {
  let total = 0;
  const walk = (node: unknown, key: string) => {
    if (typeof node === 'number') {
      if (Number.isFinite(node) && node > 0 && COUNTED.has(key)) total += node;
      return;
    }
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, k);
    }
  };
  walk(metrics, '');
  return Math.round(total);
}

/** True when any metric in the tree is a positive number: the day is worth a row. */
export function anyActivity(metrics: unknown): boolean {
  if (typeof metrics === 'number') return metrics > 0;
  if (metrics && typeof metrics === 'object')
    return Object.values(metrics as Record<string, unknown>).some(anyActivity);
  return false;
}
