import { useId } from 'react';
import type { Network } from '../../../shared/schemas/network';
import type { WalletStatus, WalletTransaction } from '../../../shared/schemas/wallet';
import { SendForm } from './send-form';
import { UnlockForm } from './unlock-form';

/** Sending needs the keys: while the wallet is locked, the card says so and offers the password. */
export function SendCard({
  status,
  network,
  transactions,
  onStatus,
  onSent,
}: {
  status: WalletStatus;
  network: Network | undefined;
  transactions: readonly WalletTransaction[] | undefined;
  onStatus: (status: WalletStatus) => void;
  onSent: (tx: WalletTransaction) => void;
}) {
  const headingId = useId();
  return (
    <section className="panel wallet-send" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Send
      </h2>
      {status.locked ? (
        <>
          <p className="wallet-send__locked">
            Your wallet is locked. Unlock it with your password to send a payment.
          </p>
          <UnlockForm status={status} onUnlocked={onStatus} />
        </>
      ) : (
        <SendForm network={network} transactions={transactions} onSent={onSent} />
      )}
    </section>
  );
}
