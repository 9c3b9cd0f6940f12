import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { JobTerms } from '../market/job-terms';
import { clip } from './error-text';
import type { JobSessionTimings, SessionRunner } from './job-session-types';
import { createVoucherWatchdog } from './voucher-watchdog';

/** What the renter is told of a pause that is not for want of vouchers: the owner's reasons stay private. */
export const OWNER_PAUSE_REASON = 'The provider needs the machine for now; paused time is not billed.';

export interface PaymentWatch {
  /** Takes the watchdog's verdict now (after each stored voucher, so a paused job resumes at once). */
  check(): void;
  dispose(): void;
  /** Why the job is paused, as the renter may know it. */
  pauseReason(): string;
}

/**
 * The voucher watchdog, started on one running job: it pauses, resumes and stops the job in the runner as
 * the renter's vouchers fall behind and catch up. Only its own pauses are explained to the renter.
 */
export function watchPayments(deps: {
  clock: Clock;
  logger: Logger;
  runner: Pick<SessionRunner, 'pause' | 'resume' | 'cancel'>;
  jobId: string;
  terms: JobTerms;
  signed(): bigint;
  billedMs(): number;
  timings: Pick<JobSessionTimings, 'pauseAfterSeconds' | 'stopAfterSeconds' | 'watchdogTickMs'>;
  /** The renter's vouchers fell behind (the job is being paused for it; epoch ms), or caught up (null). */
  onStall?(stalledAt: number | null): void;
}): PaymentWatch {
  const { runner, jobId, timings } = deps;
  let paymentPause: string | null = null;
  const watchdog = createVoucherWatchdog({
    clock: deps.clock,
    logger: deps.logger,
    terms: deps.terms,
    signed: deps.signed,
    billedSeconds: () => deps.billedMs() / 1000,
    onPause: async (reason) => {
      paymentPause = reason;
      deps.onStall?.(deps.clock.now().getTime());
      await runner.pause(jobId, reason, 'payment').frozen;
    },
    onResume: async () => {
      deps.onStall?.(null);
      await runner.resume(jobId, 'payment');
    },
    onStop: (reason) => {
      runner.cancel(jobId, reason);
    },
    pauseAfterSeconds: timings.pauseAfterSeconds,
    stopAfterSeconds: timings.stopAfterSeconds,
    tickMs: timings.watchdogTickMs,
  });
  watchdog.start();
  return {
    check: () => void watchdog.check(),
    dispose: () => watchdog.dispose(),
    pauseReason: () =>
      watchdog.phase() === 'paused' && paymentPause !== null ? clip(paymentPause) : OWNER_PAUSE_REASON,
  };
}
