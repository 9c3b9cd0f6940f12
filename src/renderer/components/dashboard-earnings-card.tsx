import { useEffect, useState } from 'react';
import { api } from '../api';
import type { EarningsSummary, TokenAmount } from '../../shared/schemas/earnings';
import { toError } from '../hooks/use-api-data';

const REFRESH_MS = 30_000;

function localMidnight(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

const list = (amounts: TokenAmount[]) => amounts.map((a) => `${a.formatted} ${a.symbol}`).join(' + ');

/** Today's earnings from the ledger: what renters signed for since local midnight, and what awaits payout. */
export function DashboardEarningsCard() {
  const [summary, setSummary] = useState<EarningsSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.earningsSummary({ since: localMidnight() }).then(
        (next) => {
          if (live) {
            setSummary(next);
            setError(null);
          }
        },
        (e: unknown) => live && setError(toError(e).message),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const stop = api.onJobChanged(() => void load());
    return () => {
      live = false;
      clearInterval(timer);
      stop();
    };
  }, []);

  return (
    <section className="card" aria-labelledby="card-earnings" data-testid="dashboard-earnings">
      <h2 id="card-earnings" className="card__title">
        Earnings
      </h2>
      {summary ? (
        <dl className="facts">
          <div className="facts__item">
            <dt>Today</dt>
            <dd>{summary.earned.length > 0 ? list(summary.earned) : 'Nothing yet'}</dd>
          </div>
          <div className="facts__item">
            <dt>Awaiting payout</dt>
            <dd>{summary.pending.length > 0 ? list(summary.pending) : 'Nothing'}</dd>
          </div>
          <div className="facts__item">
            <dt>Rentals</dt>
            <dd>
              {summary.rentals.active} running, {summary.rentals.total} in all
            </dd>
          </div>
        </dl>
      ) : (
        <p className="card__text">{error ? `Couldn’t read the earnings: ${error}` : 'Loading…'}</p>
      )}
    </section>
  );
}
