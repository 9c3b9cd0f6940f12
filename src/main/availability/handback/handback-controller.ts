import type { JobControl } from './job-control';

export interface HandbackController {
  /**
   * Applies an availability decision to the jobs. A change to false freezes at once, before anything is
   * awaited; a change to true thaws once any freeze under way has settled. Repeating the current value
   * does nothing. The promise settles when this call's work is done (callers need not wait for it).
   */
  apply(available: boolean, reason?: string): Promise<void>;
  /** The last value applied; null before the first. */
  state(): boolean | null;
}

/**
 * Turns availability into freeze/thaw. The order is safe both ways: a thaw waits for a freeze still in
 * flight and is skipped if the owner needs the GPU again by then; a freeze never waits, and if a thaw
 * was in flight, the freeze is sent again after it so the thaw cannot undo it.
 */
export function createHandbackController(deps: {
  jobs: JobControl;
  onError: (message: string, error: unknown) => void;
}): HandbackController {
  let desired: boolean | null = null;
  let freezing: Promise<void> = Promise.resolve();
  /** A thaw under way; resolves to whether thawAll was actually called. */
  let thawing: Promise<boolean> | null = null;

  const guard = (what: string, work: () => Promise<void>): Promise<void> => {
    let started: Promise<void>;
    try {
      started = work();
    } catch (error) {
      started = Promise.reject(error);
    }
    return started.catch((error: unknown) => deps.onError(`Could not ${what} the rental jobs`, error));
  };

  return {
    apply(available, reason = available ? 'available' : 'not available') {
      if (available === desired) return Promise.resolve();
      desired = available;
      if (!available) {
        const frozen = guard('freeze', () => deps.jobs.freezeAll(reason));
        freezing = frozen;
        const racing = thawing;
        if (!racing) return frozen;
        // A thaw sent before this freeze may land after it: freeze again once it has.
        return Promise.all([
          frozen,
          racing.then((ran) =>
            ran && desired === false ? guard('freeze', () => deps.jobs.freezeAll(reason)) : undefined,
          ),
        ]).then(() => undefined);
      }
      const thawed = freezing.then(async () => {
        if (desired !== true) return false; // the owner needs the GPU again: the thaw is stale
        await guard('thaw', () => deps.jobs.thawAll());
        return true;
      });
      thawing = thawed;
      void thawed.then(() => {
        if (thawing === thawed) thawing = null;
      });
      return thawed.then(() => undefined);
    },
    state: () => desired,
  };
}
