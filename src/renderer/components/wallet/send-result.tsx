import type { WalletTransaction } from '../../../shared/schemas/wallet';
import { TransactionHash } from './transaction-hash';
import { TxStatusBadge } from './tx-status-badge';

/** The payment just sent; the transaction list below follows it to confirmed (or failed). */
export function SendResult({ tx, onAnother }: { tx: WalletTransaction; onAnother: () => void }) {
  return (
    <div className="wallet-sent" role="status">
      <p className="wallet-sent__line">
        <TxStatusBadge status={tx.status} /> Sent {tx.amount} {tx.symbol} to{' '}
        <code className="wallet-hex">{tx.to}</code>.
      </p>
      <p className="field-hint">
        Transaction <TransactionHash tx={tx} />. It is pending until a block includes it; the list below shows
        when it is confirmed.
      </p>
      <div className="wallet-form__actions">
        <button type="button" className="button" onClick={onAnother}>
          Send another payment
        </button>
      </div>
    </div>
  );
}
