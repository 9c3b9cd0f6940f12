import type { JobStatus } from '../../shared/schemas/job';

export type JobEvent =
  | { type: 'prepare' }
  | { type: 'start' }
  | { type: 'pause'; reason: string }
  | { type: 'resume' }
  | { type: 'exit'; succeeded: boolean; reason: string }
  | { type: 'cancel'; reason: string }
  | { type: 'fail'; reason: string }
  | { type: 'lose'; reason: string };

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled', 'lost']);

const ALLOWED: Record<JobStatus, Partial<Record<JobEvent['type'], true>>> = {
  queued: { prepare: true, cancel: true, fail: true, lose: true },
  preparing: { start: true, fail: true, cancel: true, lose: true },
  running: { pause: true, exit: true, cancel: true, fail: true, lose: true },
  paused: { resume: true, exit: true, cancel: true, fail: true, lose: true },
  succeeded: {},
  failed: {},
  cancelled: {},
  lost: {},
};

export interface JobTransition {
  status: JobStatus;
  reason: string | null;
}

/**
 * The job state machine as a pure function: the next status for an event, or null when the event makes
 * no sense in this state (a late exit after a cancel, a resume of a finished job): callers ignore it.
 */
export function nextJobState(status: JobStatus, event: JobEvent): JobTransition | null {
  if (!ALLOWED[status][event.type]) return null;
  switch (event.type) {
    case 'prepare':
      return { status: 'preparing', reason: null };
    case 'start':
      return { status: 'running', reason: null };
    case 'pause':
      return { status: 'paused', reason: event.reason };
    case 'resume':
      return { status: 'running', reason: null };
    case 'exit':
      return { status: event.succeeded ? 'succeeded' : 'failed', reason: event.reason };
    case 'cancel':
      return { status: 'cancelled', reason: event.reason };
    case 'fail':
      return { status: 'failed', reason: event.reason };
    case 'lose':
      return { status: 'lost', reason: event.reason };
  }
}
