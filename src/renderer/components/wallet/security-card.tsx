import { useId } from 'react';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { hrefFor } from '../../router/hash-route';
import { ChangePasswordForm } from './change-password-form';
import { ExportSecret } from './export-secret';

/** Password, backup and auto-lock. */
export function SecurityCard({
  status,
  onStatus,
}: {
  status: WalletStatus;
  onStatus: (status: WalletStatus) => void;
}) {
  const headingId = useId();
  const minutes = status.autoLockMinutes;
  return (
    <section className="panel wallet-security" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Security
      </h2>
      <p className="panel__text">
        {minutes > 0
          ? `The wallet locks itself after ${minutes} minute${minutes === 1 ? '' : 's'} without use.`
          : 'The wallet does not lock itself.'}{' '}
        {status.autoLockPaused
          ? 'While renting is on it stays unlocked, so it can sign quotes and collect what renters pay.'
          : null}{' '}
        You can change this in <a href={hrefFor('settings')}>Settings</a>.
      </p>
      <div className="wallet-security__grid">
        <ExportSecret kind={status.kind} />
        <ChangePasswordForm onChanged={onStatus} />
      </div>
    </section>
  );
}
