import { READ_IDLE_MS, RENTER_HEARTBEAT_MS } from '../p2p/job-messages';
import type { JobSessionTimings } from './job-client-types';

/** The session's timings with the protocol's defaults filled in. */
export function resolveTimings(timings: Partial<JobSessionTimings> = {}): Required<JobSessionTimings> {
  const heartbeatMs = timings.heartbeatMs ?? RENTER_HEARTBEAT_MS;
  const idleMs = timings.idleMs ?? READ_IDLE_MS;
  return {
    heartbeatMs,
    idleMs,
    tickMs: timings.tickMs ?? Math.max(10, Math.min(1000, Math.min(heartbeatMs, idleMs) / 5)),
  };
}

export interface SilenceWatch {
  /** The provider said something, or took upload bytes: it is alive. */
  heard(): void;
  /** Something went out: no ping is due for a while. */
  sent(): void;
  stop(): void;
}

/**
 * Both ends of the session's silence, on real time (not the billing clock, which tests may speed up): a
 * provider that says nothing for `idleMs` is treated as gone (`onSilent`), and the renter pings after
 * `heartbeatMs` without sending anything, so the provider does not take it for gone either. Checked every
 * `tickMs` while `watching()`; pings only once `mayPing()` (the bundle is sent).
 */
export function watchSilence(
  timings: Required<JobSessionTimings>,
  hooks: { watching(): boolean; mayPing(): boolean; onSilent(): void; ping(): void },
): SilenceWatch {
  const now = () => performance.now();
  let lastHeard = now();
  let lastSent = now();
  const timer = setInterval(() => {
    if (!hooks.watching()) return;
    const t = now();
    if (t - lastHeard > timings.idleMs) {
      hooks.onSilent();
      return;
    }
    if (hooks.mayPing() && t - lastSent >= timings.heartbeatMs) hooks.ping();
  }, timings.tickMs);
  return {
    heard: () => void (lastHeard = now()),
    sent: () => void (lastSent = now()),
    stop: () => clearInterval(timer),
  };
}
