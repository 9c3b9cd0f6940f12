import type { RentalView } from '../../shared/schemas/earnings';
import type { GuardActionEvent } from '../../shared/schemas/gpu';
import type { NotificationKind } from '../../shared/schemas/settings';
import { shortAddress } from '../../shared/short-address';

/** One notification: its kind (each may be turned off), and what it says. */
export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
}

/** What the notifier remembers of a rental, to tell a change from a repeat. */
export interface RentalMark {
  status: RentalView['status'];
  stalled: boolean;
}

const amount = (a: { formatted: string; symbol: string }) => `${a.formatted} ${a.symbol}`;

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The notices a rental's change calls for, pure: its job started, ended (or failed), its money was paid out,
 * or its renter stopped paying. A rental seen for the first time in a later state (after a restart) is
 * remembered without a notice, so nothing is announced twice.
 */
export function rentalNotices(
  before: RentalMark | undefined,
  after: RentalView,
  firstSight: boolean,
): Notice[] {
  const renter = shortAddress(after.renter);
  const notices: Notice[] = [];
  if (!before && firstSight && after.status !== 'opened' && after.status !== 'running') return notices;
  const was = before?.status;
  if (after.status === 'running' && (was === undefined || was === 'opened'))
    notices.push({
      kind: 'jobStarted',
      title: 'A renter’s job started',
      body: `${renter} rents your GPU at ${amount(after.pricePerHour)} an hour.`,
    });
  if (
    (after.status === 'ended' || after.status === 'failed') &&
    (was === 'running' || was === 'paused' || was === 'opened')
  )
    notices.push({
      kind: 'jobFinished',
      title: after.status === 'failed' ? 'A renter’s job ended early' : 'A renter’s job finished',
      body:
        `It ran ${duration(after.secondsRun)} and earned ${amount(after.earned)}` +
        (after.status === 'failed' && after.reason ? `. ${after.reason}` : '.'),
    });
  if (after.status === 'settled' && was !== 'settled' && was !== undefined)
    notices.push({
      kind: 'paymentSettled',
      title: 'Payment received',
      body: `${amount(after.redeemed)} from ${renter} is in your wallet.`,
    });
  if (after.stalledSince !== null && before !== undefined && !before.stalled)
    notices.push({
      kind: 'vouchersStalled',
      title: 'A renter stopped paying',
      body: `${renter}’s job is paused and stops in 2 minutes unless they pay. What they signed is yours.`,
    });
  return notices;
}

export const markOf = (rental: RentalView): RentalMark => ({
  status: rental.status,
  stalled: rental.stalledSince !== null,
});

/** The thermal guard paused or stopped a renter's job. */
export function guardNotice(event: GuardActionEvent, gpuName: string): Notice | null {
  if (event.action !== 'pause-job' && event.action !== 'stop-job') return null;
  const temperature = event.temperatureC === null ? '' : ` at ${Math.round(event.temperatureC)} °C`;
  return {
    kind: 'heatPause',
    title: event.action === 'pause-job' ? 'Paused for heat' : 'Stopped for heat',
    body: `${gpuName} is too hot${temperature}: ${event.reason}`,
  };
}

export function updateNotice(version: string): Notice {
  return {
    kind: 'updateReady',
    title: 'An update is ready',
    body: `Nocturne ${version} is downloaded. Restart from the tray menu to use it.`,
  };
}
