import { useAddressQr } from '../../hooks/use-wallet-qr';

/** The address as a QR code, for paying it from a phone wallet. */
export function AddressQr({ address }: { address: string }) {
  const src = useAddressQr(address);
  return (
    <figure className="wallet-qr">
      {src ? (
        <img className="wallet-qr__image" src={src} width={168} height={168} alt="QR code of your address" />
      ) : (
        <span className="wallet-qr__image wallet-qr__image--empty" aria-hidden="true" />
      )}
      <figcaption className="wallet-qr__caption">Scan to get the address</figcaption>
    </figure>
  );
}
