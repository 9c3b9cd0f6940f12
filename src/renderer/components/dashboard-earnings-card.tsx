import type { TokenAmount } from '../../shared/schemas/earnings';
import { formatMoney } from '../format/money';
import { useEarningsOverview } from '../hooks/use-earnings-overview';
import { hrefFor } from '../router/hash-route';
import { RENTALS_SECTION } from './rentals/rentals-section';

const list = (amounts: readonly Pick<TokenAmount, 'formatted' | 'symbol'>[]) =>
  amounts.map((a) => `${a.formatted} ${a.symbol}`).join(' + ');

/**
 * Today at a glance from the earnings overview: what renters signed for since local midnight (in the
 * owner's zone) and its net after electricity, what awaits payout, live rentals, and a renter who stopped
 * paying.
 */
export function DashboardEarningsCard() {
  const { data: overview, error } = useEarningsOverview();
  const today = overview?.periods.find((p) => p.id === 'today');
  return (
    <section className="card" aria-labelledby="card-earnings" data-testid="dashboard-earnings">
      <h2 id="card-earnings" className="card__title">
        Earnings
      </h2>
      {overview && today ? (
        <>
          {overview.alerts.length > 0 ? (
            <p className="inline-error" role="alert">
              {overview.alerts[0]!.message}
            </p>
          ) : null}
          <dl className="facts">
            <div className="facts__item">
              <dt>Today</dt>
              <dd>
                {today.earned.length > 0 ? list(today.earned.map((e) => e.amount)) : 'Nothing yet'}
                {today.earned.length > 0 ? (
                  <span className="earnings-muted"> (net {formatMoney(today.net, overview.currency)})</span>
                ) : null}
              </dd>
            </div>
            <div className="facts__item">
              <dt>Awaiting payout</dt>
              <dd>{overview.pending.length > 0 ? list(overview.pending) : 'Nothing'}</dd>
            </div>
            <div className="facts__item">
              <dt>Rentals</dt>
              <dd data-testid="dashboard-rentals">
                {overview.rentals.active} active, {overview.rentals.total} in all
              </dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="card__text">{error ? `Couldn’t read the earnings: ${error.message}` : 'Loading…'}</p>
      )}
      <p className="card__text">
        <a href={hrefFor('earnings')}>Earnings in detail</a> ·{' '}
        <a href={hrefFor('jobs', RENTALS_SECTION)}>All rentals</a>
      </p>
    </section>
  );
}
