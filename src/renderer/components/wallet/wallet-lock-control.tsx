import { api } from '../../api';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { useBusyAction } from '../../hooks/use-busy-action';

function autoLockText(minutes: number, paused: boolean): string {
  if (paused) return 'It stays unlocked while renting is on, so it can sign quotes and collect payments.';
  if (minutes <= 0) return 'It stays unlocked until you lock it or Nocturne stops.';
  return `It locks by itself after ${minutes} minute${minutes === 1 ? '' : 's'} without use.`;
}

/** Locked or unlocked, in words, with Lock; unlocking is in the Send card, the one thing that needs it. */
export function WalletLockControl({
  status,
  onStatus,
}: {
  status: WalletStatus;
  onStatus: (status: WalletStatus) => void;
}) {
  const { busy, error, run } = useBusyAction();
  const lock = () => run(async () => onStatus(await api.walletLock()));

  return (
    <div className="wallet-lock">
      <span
        className={status.locked ? 'badge badge--wallet-locked' : 'badge badge--wallet-unlocked'}
        data-testid="wallet-lock-state"
      >
        {status.locked ? 'Locked' : 'Unlocked'}
      </span>
      <p className="wallet-lock__text">
        {status.locked
          ? 'Balances still show; unlock with your password to send.'
          : `You can send payments. ${autoLockText(status.autoLockMinutes, status.autoLockPaused)}`}
      </p>
      {status.locked ? null : (
        <button type="button" className="button button--small" disabled={busy} onClick={() => void lock()}>
          Lock
        </button>
      )}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
