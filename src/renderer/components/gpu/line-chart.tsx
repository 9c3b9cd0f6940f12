import { PLOT_HEIGHT, PLOT_WIDTH, linePath, scaleY, type Domain } from './chart-geometry';

export interface ChartSeries {
  label: string;
  /** Picks the stroke colour in styles.css: `line-chart__line--<tone>`. */
  tone: 'temperature' | 'peak' | 'power' | 'utilization';
  values: readonly (number | null)[];
}

export interface ChartThreshold {
  value: number;
  /** Shown in the legend next to a dashed swatch: "Limit 80 °C". */
  label: string;
}

export interface LineChartProps {
  title: string;
  /** What a screen reader hears for the whole plot: "Temperature over the last hour: 29–64 C". */
  ariaLabel: string;
  /** "Min 29 °C · Max 64 °C · Latest 60 °C", or a sentence saying there is nothing to show. */
  summary: string;
  times: readonly number[];
  startMs: number;
  endMs: number;
  maxGapMs: number;
  domain: Domain;
  /** Top, middle and bottom of the value axis, already formatted with the unit. */
  formatTick: (value: number) => string;
  /** Left, middle and right of the time axis: "60 min ago", "30 min ago", "now". */
  timeTicks: readonly [string, string, string];
  series: readonly ChartSeries[];
  threshold?: ChartThreshold;
}

/**
 * One small line chart in plain SVG. The plot is a single role="img" with a summary for screen
 * readers; the axis labels only place the line, so they are hidden from them, while the legend (which
 * names the limit) stays readable.
 */
export function LineChart(props: LineChartProps) {
  const { domain, startMs, endMs } = props;
  const mid = (domain.min + domain.max) / 2;
  const thresholdY = props.threshold ? scaleY(props.threshold.value, domain) : null;
  return (
    <figure className="line-chart">
      <figcaption className="line-chart__head">
        <span className="line-chart__title">{props.title}</span>
        <span className="line-chart__summary">{props.summary}</span>
      </figcaption>
      <div className="line-chart__frame">
        <div className="line-chart__y-axis" aria-hidden="true">
          <span className="line-chart__tick line-chart__tick--top">{props.formatTick(domain.max)}</span>
          <span className="line-chart__tick line-chart__tick--middle">{props.formatTick(mid)}</span>
          <span className="line-chart__tick line-chart__tick--bottom">{props.formatTick(domain.min)}</span>
        </div>
        <svg
          className="line-chart__plot"
          viewBox={`0 0 ${PLOT_WIDTH} ${PLOT_HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={props.ariaLabel}
          focusable="false"
        >
          <line className="line-chart__grid" x1="0" x2={PLOT_WIDTH} y1="0" y2="0" />
          <line
            className="line-chart__grid"
            x1="0"
            x2={PLOT_WIDTH}
            y1={PLOT_HEIGHT / 2}
            y2={PLOT_HEIGHT / 2}
          />
          <line className="line-chart__grid" x1="0" x2={PLOT_WIDTH} y1={PLOT_HEIGHT} y2={PLOT_HEIGHT} />
          {thresholdY === null ? null : (
            <line className="line-chart__threshold" x1="0" x2={PLOT_WIDTH} y1={thresholdY} y2={thresholdY} />
          )}
          {props.series.map((s) => (
            <path
              key={s.label}
              className={`line-chart__line line-chart__line--${s.tone}`}
              d={linePath(props.times, s.values, startMs, endMs, domain, props.maxGapMs)}
            />
          ))}
        </svg>
        <div className="line-chart__x-axis" aria-hidden="true">
          {props.timeTicks.map((tick) => (
            <span key={tick}>{tick}</span>
          ))}
        </div>
      </div>
      {props.series.length > 1 || props.threshold ? <Legend {...props} /> : null}
    </figure>
  );
}

function Legend({ series, threshold }: Pick<LineChartProps, 'series' | 'threshold'>) {
  return (
    <ul className="line-chart__legend" aria-label="Legend">
      {series.map((s) => (
        <li key={s.label}>
          <Swatch className={`line-chart__line line-chart__line--${s.tone}`} />
          {s.label}
        </li>
      ))}
      {threshold ? (
        <li>
          <Swatch className="line-chart__threshold" />
          {threshold.label}
        </li>
      ) : null}
    </ul>
  );
}

function Swatch({ className }: { className: string }) {
  return (
    <svg
      className="line-chart__swatch"
      viewBox="0 0 18 8"
      width="18"
      height="8"
      aria-hidden="true"
      focusable="false"
    >
      <line className={className} x1="1" x2="17" y1="4" y2="4" />
    </svg>
  );
}
