import type { WalletTransaction } from '../../../shared/schemas/wallet';

/** 0x1234…abcd: enough to tell transactions apart; the whole hash is in the title and the link. */
export function shortHex(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex;
}

/**
 * The transaction's hash, shortened, linked to the network's explorer when it has one. The app opens
 * only http(s) links, in the owner's browser.
 */
export function TransactionHash({ tx }: { tx: Pick<WalletTransaction, 'hash' | 'explorerUrl'> }) {
  const url = tx.explorerUrl && /^https?:\/\//i.test(tx.explorerUrl) ? tx.explorerUrl : null;
  const text = <code className="wallet-hex">{shortHex(tx.hash)}</code>;
  return url ? (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      title={tx.hash}
      aria-label={`Transaction ${tx.hash} in the explorer`}
    >
      {text}
    </a>
  ) : (
    <span title={tx.hash}>{text}</span>
  );
}
