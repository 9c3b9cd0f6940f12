/**
 * When a job was running, from its state history (job_events): each 'running' opens an interval that the
 * next other state (paused, or an end) closes. Renters pay for exactly these spans (paused time is not
 * billed), and the GPU drew power for the renter during them.
 */
export interface StateChange {
  /** ISO 8601 (as job_events stores it) or epoch ms. */
  at: string | number;
  status: string;
}

export interface Interval {
  fromMs: number;
  toMs: number;
}

const msOf = (at: string | number) => (typeof at === 'number' ? at : Date.parse(at));

/** Running spans in order; one still running at the last change ends at `nowMs`. */
export function runningIntervals(changes: readonly StateChange[], nowMs: number): Interval[] {
  const intervals: Interval[] = [];
  let from: number | null = null;
  for (const change of changes) {
    const at = msOf(change.at);
    if (!Number.isFinite(at)) continue;
    if (change.status === 'running') {
      from ??= at;
    } else if (from !== null) {
      if (at > from) intervals.push({ fromMs: from, toMs: at });
      from = null;
    }
  }
  if (from !== null && nowMs > from) intervals.push({ fromMs: from, toMs: nowMs });
  return intervals;
}

export const totalMs = (intervals: readonly Interval[]) =>
  intervals.reduce((sum, i) => sum + (i.toMs - i.fromMs), 0);
