import { DataView } from '../components/data-view';
import { EarningsChart } from '../components/earnings/earnings-chart';
import { EarningsJobsTable } from '../components/earnings/earnings-jobs-table';
import { ExportCsv } from '../components/earnings/export-csv';
import { PeriodCards } from '../components/earnings/period-cards';
import { StallAlerts } from '../components/earnings/stall-alerts';
import { PageHeader } from '../components/page-header';
import { formatMoney } from '../format/money';
import { useEarningsOverview } from '../hooks/use-earnings-overview';
import { useRentals } from '../hooks/use-rentals';
import { hrefFor } from '../router/hash-route';

export function EarningsPage() {
  const overview = useEarningsOverview();
  const rentals = useRentals();
  return (
    <>
      <PageHeader title="Earnings">
        What renters paid, what the electricity cost, and what is left, in your currency.
      </PageHeader>
      <DataView source={overview} what="your earnings">
        {(o) => (
          <>
            <StallAlerts alerts={o.alerts} />
            <PeriodCards periods={o.periods} currency={o.currency} />
            <section className="panel earnings-chart-panel" aria-label="Daily earnings">
              <EarningsChart days={o.days} currency={o.currency} />
            </section>
            <section className="panel earnings-basis" aria-labelledby="earnings-basis-title">
              <h2 id="earnings-basis-title" className="panel__title">
                How this is counted
              </h2>
              <ul className="earnings-basis__list">
                {o.rates.map((r) => (
                  <li key={`${r.networkId}:${r.token}`} data-testid="earnings-rate">
                    1 {r.symbol} on {r.networkName} = {formatMoney(r.rate, r.currency)}: {r.note}.
                  </li>
                ))}
                <li>
                  Days are days in {o.timezone}, the time zone of your{' '}
                  <a href={hrefFor('schedule')}>schedule</a>. A finished job keeps the rate and electricity
                  price of the day it ended; a running one is estimated at today’s.
                </li>
                {o.pending.length > 0 ? (
                  <li>
                    Awaiting payout from the escrow:{' '}
                    {o.pending.map((p) => `${p.formatted} ${p.symbol}`).join(' + ')}.
                  </li>
                ) : null}
                {o.notes.map((note) => (
                  <li key={note} className="earnings-note">
                    {note}
                  </li>
                ))}
              </ul>
              <p className="card__text">
                Change your currency, rate and electricity price in <a href={hrefFor('settings')}>Settings</a>
                .
              </p>
            </section>
            <section className="panel earnings-jobs-panel" aria-labelledby="earnings-jobs-title">
              <div className="earnings-jobs-panel__head">
                <h2 id="earnings-jobs-title" className="panel__title">
                  Jobs
                </h2>
                <ExportCsv />
              </div>
              <EarningsJobsTable source={rentals} zone={o.timezone} />
            </section>
          </>
        )}
      </DataView>
    </>
  );
}
