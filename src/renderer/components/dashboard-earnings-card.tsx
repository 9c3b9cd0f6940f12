import { useEffect, useState } from 'react';
import { api } from '../api';
import type { EarningsSummary, TokenAmount } from '../../shared/schemas/earnings';
import { toError } from '../hooks/use-api-data';
import { hrefFor } from '../router/hash-route';
import { RENTALS_SECTION } from './rentals/rentals-section';

const REFRESH_MS = 30_000;
/** A busy rental changes every few seconds (each voucher); the card re-reads at most this often. */
const CHANGE_DELAY_MS = 1_000;

function localMidnight(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

const list = (amounts: TokenAmount[]) => amounts.map((a) => `${a.formatted} ${a.symbol}`).join(' + ');

/**
 * Today's earnings from the ledger (`earnings:summary`): what renters signed for since local midnight,
 * what awaits payout, and how many rentals are live. Re-read every 30 s and soon after a rental or job
 * changes.
 */
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
    let soon: ReturnType<typeof setTimeout> | null = null;
    const loadSoon = () => {
      soon ??= setTimeout(() => {
        soon = null;
        void load();
      }, CHANGE_DELAY_MS);
    };
    const stopJobs = api.onJobChanged(loadSoon);
    const stopRentals = api.onMarketRentalChanged(loadSoon);
    return () => {
      live = false;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      stopJobs();
      stopRentals();
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
            <dd data-testid="dashboard-rentals">
              {summary.rentals.active} active, {summary.rentals.total} in all
            </dd>
          </div>
        </dl>
      ) : (
        <p className="card__text">{error ? `Couldn’t read the earnings: ${error}` : 'Loading…'}</p>
      )}
      <p className="card__text">
        <a href={hrefFor('jobs', RENTALS_SECTION)}>See all rentals</a>
      </p>
    </section>
  );
}
