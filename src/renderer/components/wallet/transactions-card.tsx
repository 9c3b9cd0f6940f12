import { useId } from 'react';
import type { Network } from '../../../shared/schemas/network';
import type { WalletTransactions } from '../../hooks/use-wallet-transactions';
import { shortHex, TransactionHash } from './transaction-hash';
import { TxStatusBadge } from './tx-status-badge';
import { formatOwnerTime } from '../../format/owner-time';
import { useOwnerZone } from '../../hooks/use-owner-zone';

/** The wallet's payments on the selected network, newest first, kept live as their status changes. */
export function TransactionsCard({
  source,
  network,
}: {
  source: WalletTransactions;
  network: Network | undefined;
}) {
  const zone = useOwnerZone();
  const headingId = useId();
  const { transactions } = source;
  return (
    <section className="panel wallet-transactions" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel__title">
        Transactions
      </h2>
      {transactions === undefined ? (
        source.error ? (
          <p className="inline-error" role="alert">
            Couldn’t load the transactions: {source.error.message}{' '}
            <button type="button" className="button button--small" onClick={source.reload}>
              Retry
            </button>
          </p>
        ) : (
          <p className="loading" role="status">
            Loading…
          </p>
        )
      ) : transactions.length === 0 ? (
        <p className="panel__text">No payments from this wallet on this network yet.</p>
      ) : (
        <div className="wallet-table-scroll">
          <table className="wallet-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">To</th>
                <th scope="col">When</th>
                <th scope="col">Fee</th>
                <th scope="col">Transaction</th>
              </tr>
            </thead>
            <tbody>
              {transactions.map((tx) => (
                <tr key={tx.hash} data-status={tx.status}>
                  <td>
                    <TxStatusBadge status={tx.status} />
                    {tx.error ? <span className="wallet-table__note">{tx.error}</span> : null}
                    {tx.replacedBy ? (
                      <span className="wallet-table__note" title={tx.replacedBy}>
                        by {shortHex(tx.replacedBy)}
                      </span>
                    ) : null}
                  </td>
                  <td className="wallet-table__number">
                    {tx.amount} {tx.symbol}
                  </td>
                  <td>
                    <code className="wallet-hex" title={tx.to}>
                      {shortHex(tx.to)}
                    </code>
                  </td>
                  <td>
                    <time dateTime={new Date(tx.createdAt).toISOString()}>
                      {formatOwnerTime(tx.createdAt, zone, 'when')}
                    </time>
                  </td>
                  <td className="wallet-table__number">
                    {tx.fee !== null ? `${tx.fee} ${network?.nativeSymbol ?? ''}`.trim() : '—'}
                  </td>
                  <td>
                    <TransactionHash tx={tx} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
