import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unwrap } from '../../../shared/envelope';
import type { EarningsExport, EarningsOverview, EarningsPeriod } from '../../../shared/schemas/earnings';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { printData, UsageError, type CliIo } from '../cli-io';
import { devnetPortFromEnv } from './serve-command';

export const earningsHelp = `nocturne earnings [export] [options]

  earnings                     today, the last 7 and 30 days and all time: what renters signed for (per
                               network and token), its worth in your currency, the electricity and the
                               net; what awaits payout; renters who stopped paying
  earnings export [--from DATE] [--to DATE] [--out FILE]
                               every rental that ended from DATE to DATE (YYYY-MM-DD in your schedule's
                               time zone, both included; either may be left out) as CSV for taxes, with
                               the exchange rate used; to FILE (never overwritten) or standard output
  --data-dir DIR  data directory   --json  print data as JSON`;

type Values = { json?: boolean; 'data-dir'?: string; from?: string; to?: string; out?: string };

const PERIOD_NAMES: Record<EarningsPeriod['id'], string> = {
  today: 'Today',
  week: 'Last 7 days',
  month: 'Last 30 days',
  all: 'All time',
};

const money = (value: number, currency: string) =>
  `${value.toFixed(Math.abs(value) < 0.01 && value !== 0 ? 4 : 2)} ${currency}`;

function overviewText(o: EarningsOverview): string {
  const lines: string[] = [];
  for (const alert of o.alerts) lines.push(`! ${alert.message}`);
  if (o.alerts.length > 0) lines.push('');
  for (const p of o.periods) {
    const tokens = p.earned.map((e) => `${e.amount.formatted} ${e.amount.symbol} on ${e.networkName}`);
    lines.push(
      `${PERIOD_NAMES[p.id]}: ${tokens.length > 0 ? tokens.join(', ') : 'nothing'}; worth ${money(p.gross, o.currency)}, ` +
        `electricity ${money(p.energyCost, o.currency)} (${p.energyKWh.toFixed(3)} kWh), net ${money(p.net, o.currency)}`,
    );
  }
  lines.push(
    `Awaiting payout: ${o.pending.length > 0 ? o.pending.map((p) => `${p.formatted} ${p.symbol}`).join(' + ') : 'nothing'}`,
    `Rentals: ${o.rentals.active} active, ${o.rentals.total} in all`,
  );
  for (const r of o.rates)
    lines.push(`1 ${r.symbol} on ${r.networkName} = ${r.rate} ${r.currency} (${r.note})`);
  lines.push(`Days are days in ${o.timezone}.`);
  for (const note of o.notes) lines.push(note);
  return lines.join('\n');
}

export async function earningsCommand(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const [verb, ...rest] = positionals;
  if (verb !== undefined && verb !== 'export')
    throw new UsageError(`Use nocturne earnings, or nocturne earnings export (not "${verb}").`);
  if (rest.length > 0)
    throw new UsageError(`earnings ${verb ?? ''} takes no arguments, got "${rest.join(' ')}".`);
  if (verb !== 'export' && (values.from || values.to || values.out))
    throw new UsageError('--from, --to and --out go with nocturne earnings export.');
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  // Reads only: it works beside a running app (SQLite's WAL lets it read while the app writes).
  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  try {
    if (verb === undefined) {
      const overview = unwrap(await core.router.call('earnings:overview', {})) as EarningsOverview;
      printData(io, values.json === true, overview, () => overviewText(overview));
      return 0;
    }
    const range = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) };
    const result = unwrap(await core.router.call('earnings:exportCsv', range)) as EarningsExport;
    if (!values.out) {
      io.out(result.csv);
      return 0;
    }
    const file = resolve(values.out);
    try {
      writeFileSync(file, result.csv, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        io.err(`nocturne: ${file} exists already; choose another name (it was not changed).\n`);
        return 1;
      }
      throw error;
    }
    io.err(`Saved ${result.rows} rental${result.rows === 1 ? '' : 's'} to ${file}.\n`);
    return 0;
  } finally {
    await core.shutdown();
  }
}
