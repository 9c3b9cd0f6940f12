import { useId } from 'react';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { AddressQr } from './address-qr';
import { CopyButton } from './copy-button';
import { WalletLockControl } from './wallet-lock-control';

/** The wallet's address (checksummed), Copy, its QR code, and whether the wallet is locked. */
export function AddressCard({
  status,
  address,
  onStatus,
}: {
  status: WalletStatus;
  address: string;
  onStatus: (status: WalletStatus) => void;
}) {
  const headingId = useId();
  return (
    <section className="panel wallet-address" aria-labelledby={headingId}>
      <div className="wallet-address__main">
        <h2 id={headingId} className="panel__title">
          Your address
        </h2>
        <p className="panel__text">
          {status.kind === 'privateKey' ? 'Imported from a private key. ' : ''}Payments to this address, on
          the network you choose, reach this wallet.
        </p>
        <p className="wallet-address__row">
          <code className="wallet-address__value" data-testid="wallet-address">
            {address}
          </code>
          <CopyButton text={address} label="Copy" />
        </p>
        <WalletLockControl status={status} onStatus={onStatus} />
      </div>
      <AddressQr address={address} />
    </section>
  );
}
