// npm run bench:market: how much the admission engine earns against greedy and against the offline
// optimum, on generated two-week streams (bench/market-streams.ts: quiet and busy nights, bursts of
// high-price work, mixed VRAM needs, a time-of-use tariff). Seeds 1 to BENCH_SEEDS (default 6) of each
// kind; the engine's parameters were tuned on other seeds (bench/market-tune.ts). Prints net per policy
// and the ratios per kind and overall, and checks the targets: engine >= 1.2 x greedy on average,
// never more than 5 % below greedy on a stream, >= 0.75 x the optimum on average.
import { cpus } from 'node:os';
import { MarketContext } from '../src/main/pricing/feasibility';
import { runPolicy } from '../src/main/pricing/policies';
import { generateStream, STREAM_KINDS } from './market-streams';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 6);

interface Row {
  kind: string;
  seed: number;
  requests: number;
  greedy: number;
  engine: number;
  optimum: number;
  exact: boolean;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : a >= b ? 1 : 0);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const timing = { greedy: 0, engine: 0, optimum: 0 };

const rows: Row[] = [];
const started = performance.now();
for (const kind of STREAM_KINDS)
  for (let seed = 1; seed <= SEEDS; seed++) {
    const stream = generateStream(kind, seed);
    const context = new MarketContext(stream);
    const run = (name: 'greedy' | 'engine' | 'optimum') => {
      const t0 = performance.now();
      const result = runPolicy(stream, name, context);
      timing[name] += performance.now() - t0;
      return result;
    };
    const greedy = run('greedy').summary.net;
    const optimum = run('optimum');
    const engine = run('engine').summary.net;
    rows.push({
      kind,
      seed,
      requests: stream.requests.length,
      greedy,
      engine,
      optimum: optimum.optimum!.upperBound,
      exact: optimum.optimum!.exact,
    });
  }
const seconds = (performance.now() - started) / 1000;

const pad = (s: string, n: number) => s.padStart(n);
const header = `${'kind'.padEnd(12)} ${pad('streams', 7)} ${pad('requests', 8)} ${pad('greedy', 8)} ${pad('engine', 8)} ${pad('optimum', 8)}  ${pad('eng/greedy', 10)} ${pad('(min)', 6)}  ${pad('eng/opt', 7)}  ${pad('greedy/opt', 10)}`;
const line = (label: string, rs: Row[]) => {
  const eg = rs.map((r) => ratio(r.engine, r.greedy));
  return [
    label.padEnd(12),
    pad(String(rs.length), 7),
    pad(String(Math.round(mean(rs.map((r) => r.requests)))), 8),
    pad(mean(rs.map((r) => r.greedy)).toFixed(2), 8),
    pad(mean(rs.map((r) => r.engine)).toFixed(2), 8),
    pad(mean(rs.map((r) => r.optimum)).toFixed(2), 8),
    ' ' + pad(mean(eg).toFixed(3), 10),
    pad(Math.min(...eg).toFixed(3), 6),
    ' ' + pad(mean(rs.map((r) => ratio(r.engine, r.optimum))).toFixed(3), 7),
    ' ' + pad(mean(rs.map((r) => ratio(r.greedy, r.optimum))).toFixed(3), 10),
  ].join(' ');
};

console.log(
  `bench:market: ${rows.length} streams (${SEEDS} seeds x ${STREAM_KINDS.length} kinds, 14 days each); ` +
    `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`,
);
console.log('net = revenue - electricity, mean per stream; ratios are means of per-stream ratios\n');
console.log(header);
for (const kind of STREAM_KINDS)
  console.log(
    line(
      kind,
      rows.filter((r) => r.kind === kind),
    ),
  );
console.log(line('all', rows));

const eg = rows.map((r) => ratio(r.engine, r.greedy));
const eo = rows.map((r) => ratio(r.engine, r.optimum));
const inexact = rows.filter((r) => !r.exact).length;
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log('');
console.log(`engine >= 1.2 x greedy on average:        ${mean(eg).toFixed(3)}  ${mark(mean(eg) >= 1.2)}`);
console.log(
  `engine never > 5 % below greedy:          worst ${Math.min(...eg).toFixed(3)}  ${mark(Math.min(...eg) >= 0.95)}`,
);
console.log(`engine >= 0.75 x optimum on average:      ${mean(eo).toFixed(3)}  ${mark(mean(eo) >= 0.75)}`);
console.log(
  inexact === 0
    ? 'optimum: exact on every stream'
    : `optimum: an upper bound on ${inexact} stream(s) (the exact search was cut), so engine/opt is understated there`,
);
console.log(
  `time: ${seconds.toFixed(1)} s in all (greedy ${(timing.greedy / 1000).toFixed(1)} s, engine ${(timing.engine / 1000).toFixed(1)} s, optimum ${(timing.optimum / 1000).toFixed(1)} s)`,
);
