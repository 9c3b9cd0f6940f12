import type { EarningsPeriod, PeriodId } from '../../../shared/schemas/earnings';
import { formatKWh, formatMoney } from '../../format/money';

const titles: Record<PeriodId, string> = {
  today: 'Today',
  week: 'Last 7 days',
  month: 'Last 30 days',
  all: 'All time',
};

/** One card a period: the tokens renters signed for (per network), and gross, electricity and net in money. */
export function PeriodCards({ periods, currency }: { periods: readonly EarningsPeriod[]; currency: string }) {
  const money = (v: number) => formatMoney(v, currency);
  return (
    <div className="card-grid earnings-periods">
      {periods.map((p) => (
        <section
          key={p.id}
          className="card"
          aria-labelledby={`earnings-${p.id}`}
          data-testid={`earnings-period-${p.id}`}
        >
          <h2 id={`earnings-${p.id}`} className="card__title">
            {titles[p.id]}
          </h2>
          <p className={p.net < 0 ? 'earnings-net earnings-net--loss' : 'earnings-net'}>
            <span className="visually-hidden">Net </span>
            {money(p.net)}
          </p>
          <dl className="facts">
            <div className="facts__item">
              <dt>Signed by renters</dt>
              <dd>
                {p.earned.length === 0 ? (
                  'Nothing yet'
                ) : (
                  <ul className="earnings-tokens">
                    {p.earned.map((e) => (
                      <li key={`${e.networkId}:${e.amount.token}`}>
                        {e.amount.formatted} {e.amount.symbol}{' '}
                        <span className="earnings-tokens__network">on {e.networkName}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
            <div className="facts__item">
              <dt>Worth</dt>
              <dd>{money(p.gross)}</dd>
            </div>
            <div className="facts__item">
              <dt>Electricity</dt>
              <dd>
                {money(p.energyCost)} <span className="earnings-muted">({formatKWh(p.energyKWh)})</span>
              </dd>
            </div>
          </dl>
        </section>
      ))}
    </div>
  );
}
