import type { RentalView } from '../../../shared/schemas/earnings';
import type { ApiData } from '../../hooks/use-api-data';
import type { RentalEntry } from '../../hooks/rental-entries';
import { formatSeconds, shortAddress } from '../../format/rental-format';
import { formatKWh, formatMoney } from '../../format/money';
import { formatOwnerTime } from '../../format/owner-time';
import { paymentWords } from '../../format/payment-words';
import { RentalStatusBadge } from '../rentals/rental-status-badge';

const powerWords: Record<RentalView['money']['powerSource'], string> = {
  measured: 'measured',
  setting: 'your setting',
  rated: 'the card’s rating',
  default: 'assumed 250 W',
};

/** Per job: how long it ran, what it earned, what its electricity cost, the net, and where the money is. */
export function EarningsJobsTable({ source, zone }: { source: ApiData<RentalEntry[]>; zone: string }) {
  if (source.data === undefined)
    return source.error ? (
      <p className="inline-error" role="alert">
        Couldn’t load the rentals: {source.error.message}
      </p>
    ) : (
      <p className="card__text" role="status">
        Loading…
      </p>
    );
  if (source.data.length === 0)
    return (
      <p className="card__text">
        No rentals yet. Jobs appear here with their money once a renter rents this GPU.
      </p>
    );
  return (
    <div className="wallet-table-scroll">
      <table className="wallet-table earnings-jobs" aria-labelledby="earnings-jobs-title">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Ran</th>
            <th scope="col">Renter</th>
            <th scope="col">Earned</th>
            <th scope="col">Electricity</th>
            <th scope="col">Net</th>
            <th scope="col">Status</th>
            <th scope="col">Payment</th>
            <th scope="col">Transaction</th>
          </tr>
        </thead>
        <tbody>
          {source.data.map(({ rental: r }) => (
            <tr key={r.key} data-testid="earnings-job" data-key={r.key} data-payment={r.payment}>
              <td>{formatOwnerTime(r.startedAt ?? r.createdAt, zone, 'when')}</td>
              <td className="wallet-table__number">{formatSeconds(r.secondsRun)}</td>
              <td>
                <code className="wallet-hex" title={r.renter}>
                  {shortAddress(r.renter)}
                </code>
              </td>
              <td className="wallet-table__number">
                {r.earned.formatted} {r.earned.symbol}
                <span className="wallet-table__note">{formatMoney(r.money.gross, r.money.currency)}</span>
              </td>
              <td className="wallet-table__number">
                {formatMoney(r.money.energyCost, r.money.currency)}
                <span className="wallet-table__note">
                  {formatKWh(r.money.energyKWh)}, {Math.round(r.money.powerW)} W{' '}
                  {powerWords[r.money.powerSource]}
                  {r.money.booked ? '' : ', so far'}
                </span>
              </td>
              <td
                className={
                  r.money.net < 0 ? 'wallet-table__number earnings-net--loss' : 'wallet-table__number'
                }
              >
                {formatMoney(r.money.net, r.money.currency)}
              </td>
              <td>
                <RentalStatusBadge status={r.status} />
              </td>
              <td>
                {paymentWords(r.payment)}
                {r.stalledSince ? (
                  <span className="wallet-table__note earnings-stalled">
                    Renter stopped paying at {formatOwnerTime(r.stalledSince, zone, 'time')}
                  </span>
                ) : null}
              </td>
              <td>
                {r.settleTx ? (
                  r.txUrl ? (
                    <a href={r.txUrl} target="_blank" rel="noreferrer noopener" title={r.settleTx}>
                      {shortAddress(r.settleTx)}
                    </a>
                  ) : (
                    <code className="wallet-hex" title={r.settleTx} data-testid="earnings-tx">
                      {shortAddress(r.settleTx)}
                    </code>
                  )
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
