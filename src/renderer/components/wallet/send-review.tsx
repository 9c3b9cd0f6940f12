import { useId } from 'react';
import type { Network } from '../../../shared/schemas/network';
import type { SendEstimate } from '../../../shared/schemas/wallet';

/** What the payment will do and cost, before anything is signed: Confirm or Cancel. */
export function SendReview({
  estimate,
  network,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  estimate: SendEstimate;
  network: Network | undefined;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const headingId = useId();
  const networkName =
    network && network.id === estimate.networkId
      ? `${network.name} (chain ID ${network.chainId})`
      : estimate.networkId;
  return (
    <section className="wallet-review" aria-labelledby={headingId}>
      <h3 id={headingId} className="wallet-form__title">
        Check the payment
      </h3>
      <dl className="wallet-review__facts">
        <div>
          <dt>Amount</dt>
          <dd>
            {estimate.amount} {estimate.symbol}
          </dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>
            <code className="wallet-hex">{estimate.to}</code>
          </dd>
        </div>
        <div>
          <dt>Network</dt>
          <dd>{networkName}</dd>
        </div>
        <div>
          <dt>Gas limit</dt>
          <dd>{estimate.gasLimit}</dd>
        </div>
        <div>
          <dt>Maximum fee</dt>
          <dd>
            {estimate.maxFee} {estimate.nativeSymbol}
          </dd>
        </div>
      </dl>
      <p className="field-hint">
        The fee paid is usually lower. If it would be more than this maximum, Nocturne sends nothing and asks
        again.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="wallet-form__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          aria-busy={busy}
          onClick={onConfirm}
        >
          Confirm
        </button>
        <button type="button" className="button button--quiet" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <p className="form-status" role="status">
          {busy ? 'Sending…' : ''}
        </p>
      </div>
    </section>
  );
}
