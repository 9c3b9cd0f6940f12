import { useState } from 'react';
import { api } from '../../api';
import type { Network } from '../../../shared/schemas/network';
import type { Asset, SendEstimate, SendRequest, WalletTransaction } from '../../../shared/schemas/wallet';
import { describeWalletError, useWalletForm } from '../../hooks/use-wallet-form';
import { SendResult } from './send-result';
import { SendReview } from './send-review';
import { WalletField } from './wallet-field';
import { WalletFormFooter } from './wallet-form-footer';

const LABELS = { asset: 'The asset', to: 'The recipient', amount: 'The amount' };

type Stage =
  | { kind: 'edit' }
  | { kind: 'review'; request: SendRequest; estimate: SendEstimate; error: string | null; sending: boolean }
  | { kind: 'sent'; hash: string };

function assetLabel(asset: Asset, network: Network | undefined): string {
  if (asset === 'token') return network?.token ? `${network.token.symbol} (payment token)` : 'Payment token';
  return network ? `${network.nativeSymbol} (network coin)` : 'Network coin';
}

/**
 * A payment in two steps: Review asks main to check it and price its gas (nothing is signed), then the
 * confirmation panel shows what it will do and cost, and Confirm sends it with that maximum fee.
 */
export function SendForm({
  network,
  transactions,
  onSent,
}: {
  network: Network | undefined;
  transactions: readonly WalletTransaction[] | undefined;
  onSent: (tx: WalletTransaction) => void;
}) {
  const form = useWalletForm(LABELS);
  const [stage, setStage] = useState<Stage>({ kind: 'edit' });
  const [chosenAsset, setAsset] = useState<Asset>('token');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');

  const hasToken = network ? network.token !== null : true;
  const asset: Asset = hasToken ? chosenAsset : 'native';
  const assets: Asset[] = hasToken ? ['token', 'native'] : ['native'];

  const review = form.submit(async () => {
    const request: SendRequest = {
      ...(network ? { networkId: network.id } : {}),
      asset,
      to: to.trim(),
      amount: amount.trim(),
    };
    const estimate = await api.walletEstimateSend(request);
    setStage({ kind: 'review', request, estimate, error: null, sending: false });
  });

  const confirm = async () => {
    if (stage.kind !== 'review' || stage.sending) return;
    const { request, estimate } = stage;
    setStage({ ...stage, sending: true, error: null });
    try {
      const tx = await api.walletSend({ ...request, maxFee: estimate.maxFee });
      onSent(tx);
      setStage({ kind: 'sent', hash: tx.hash });
      setTo('');
      setAmount('');
    } catch (error) {
      const described = describeWalletError(error, LABELS);
      if (Object.keys(described.fields).length > 0) {
        // The recipient or the amount no longer passes (the balance changed): back to the form.
        setStage({ kind: 'edit' });
        form.fail(error);
      } else {
        setStage({ ...stage, sending: false, error: described.message });
      }
    }
  };

  if (stage.kind === 'sent') {
    const tx = transactions?.find((t) => t.hash === stage.hash);
    return tx ? (
      <SendResult tx={tx} onAnother={() => setStage({ kind: 'edit' })} />
    ) : (
      <div className="wallet-sent" role="status">
        <p>Sent. The transaction list below follows it.</p>
        <button type="button" className="button" onClick={() => setStage({ kind: 'edit' })}>
          Send another payment
        </button>
      </div>
    );
  }

  if (stage.kind === 'review') {
    return (
      <SendReview
        estimate={stage.estimate}
        network={network}
        busy={stage.sending}
        error={stage.error}
        onConfirm={() => void confirm()}
        onCancel={() => setStage({ kind: 'edit' })}
      />
    );
  }

  return (
    <form className="wallet-form wallet-send__form" aria-label="Send a payment" noValidate onSubmit={review}>
      <WalletField form={form} field="asset" label="Asset">
        <select
          {...form.control('asset')}
          value={asset}
          onChange={(e) => {
            setAsset(e.target.value as Asset);
            form.clearErrors();
          }}
        >
          {assets.map((a) => (
            <option key={a} value={a}>
              {assetLabel(a, network)}
            </option>
          ))}
        </select>
      </WalletField>
      <WalletField
        form={form}
        field="to"
        label="Recipient"
        hint="The address to pay: 0x followed by 40 hex digits."
      >
        <input
          {...form.control('to', { hint: true })}
          type="text"
          className="wallet-hex"
          autoComplete="off"
          spellCheck={false}
          placeholder="0x…"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
      </WalletField>
      <WalletField
        form={form}
        field="amount"
        label="Amount"
        hint={`In ${asset === 'token' ? (network?.token?.symbol ?? 'tokens') : (network?.nativeSymbol ?? 'the network coin')}, such as 12.5.`}
      >
        <input
          {...form.control('amount', { hint: true })}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
      </WalletField>
      <WalletFormFooter form={form} submitLabel="Review" busyText="Checking the payment…" />
    </form>
  );
}
