import type { EarningsDay } from '../../../shared/schemas/earnings';
import { formatDay, formatMoney } from '../../format/money';
import { BAR_PLOT_HEIGHT, BAR_PLOT_WIDTH, dayBars } from './bar-geometry';

/**
 * The last 30 days as bar pairs: what renters paid each day against what the electricity for it cost,
 * both in the owner's currency. The plot is one image with a spoken summary; the day-by-day figures are
 * a table under it, for keyboards and screen readers.
 */
export function EarningsChart({ days, currency }: { days: readonly EarningsDay[]; currency: string }) {
  const { max, bars } = dayBars(days);
  const money = (v: number) => formatMoney(v, currency);
  const earned = days.reduce((s, d) => s + d.earned, 0);
  const cost = days.reduce((s, d) => s + d.energyCost, 0);
  const best = days.reduce<EarningsDay | null>((b, d) => (d.earned > (b?.earned ?? 0) ? d : b), null);
  const summary =
    earned === 0 && cost === 0
      ? 'Nothing earned in the last 30 days yet.'
      : `Earned ${money(earned)} against ${money(cost)} of electricity in the last 30 days` +
        (best ? `; best day ${formatDay(best.date)} with ${money(best.earned)}.` : '.');
  const first = days[0];
  const middle = days[Math.floor(days.length / 2)];
  return (
    <figure className="earnings-chart" data-testid="earnings-chart">
      <figcaption className="earnings-chart__head">
        <span className="earnings-chart__title">Earnings against electricity, last 30 days</span>
        <span className="earnings-chart__legend" aria-hidden="true">
          <span className="earnings-chart__swatch earnings-chart__swatch--earned" /> Earned
          <span className="earnings-chart__swatch earnings-chart__swatch--cost" /> Electricity
        </span>
      </figcaption>
      <div className="line-chart__frame earnings-chart__frame">
        <div className="line-chart__y-axis" aria-hidden="true">
          <span className="line-chart__tick line-chart__tick--top">{money(max)}</span>
          <span className="line-chart__tick line-chart__tick--middle">{money(max / 2)}</span>
          <span className="line-chart__tick line-chart__tick--bottom">{money(0)}</span>
        </div>
        <svg
          className="earnings-chart__plot"
          viewBox={`0 0 ${BAR_PLOT_WIDTH} ${BAR_PLOT_HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={summary}
        >
          <line
            className="earnings-chart__grid"
            x1="0"
            x2={BAR_PLOT_WIDTH}
            y1={BAR_PLOT_HEIGHT / 2}
            y2={BAR_PLOT_HEIGHT / 2}
          />
          {bars.map((bar, i) => {
            const day = days[i]!;
            return (
              <g
                key={bar.date}
                data-testid="earnings-day"
                data-date={bar.date}
                data-earned={day.earned}
                data-cost={day.energyCost}
              >
                <title>{`${formatDay(bar.date)}: earned ${money(day.earned)}, electricity ${money(day.energyCost)}`}</title>
                <rect
                  className="earnings-chart__bar earnings-chart__bar--earned"
                  x={bar.x}
                  y={bar.earned.y}
                  width={bar.width}
                  height={bar.earned.height}
                />
                <rect
                  className="earnings-chart__bar earnings-chart__bar--cost"
                  x={bar.x + bar.width}
                  y={bar.cost.y}
                  width={bar.width}
                  height={bar.cost.height}
                />
              </g>
            );
          })}
        </svg>
        <div className="line-chart__x-axis" aria-hidden="true">
          <span>{first ? formatDay(first.date) : ''}</span>
          <span>{middle ? formatDay(middle.date) : ''}</span>
          <span>Today</span>
        </div>
      </div>
      <p className="earnings-chart__summary">{summary}</p>
      <details className="earnings-chart__table">
        <summary>The figures, day by day</summary>
        <table className="wallet-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Earned</th>
              <th scope="col">Electricity</th>
              <th scope="col">Net</th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((d) => (
              <tr key={d.date}>
                <th scope="row">{formatDay(d.date)}</th>
                <td className="wallet-table__number">{money(d.earned)}</td>
                <td className="wallet-table__number">{money(d.energyCost)}</td>
                <td className="wallet-table__number">{money(d.earned - d.energyCost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
