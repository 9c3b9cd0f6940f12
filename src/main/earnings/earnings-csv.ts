import type { RentalView } from '../../shared/schemas/earnings';
import { zonedIso } from './local-days';

/**
 * The tax export: one row per rental, with the amount signed in tokens, the exchange rate used (booked
 * when the rental ended, and where it came from), the money in the owner's currency, the electricity and
 * the net, and the transaction that paid it out. RFC 4180 CSV: comma-separated, CRLF, fields quoted when
 * they hold a comma, a quote or a line break.
 */

export const CSV_COLUMNS = [
  'rental_id',
  'network',
  'chain_id',
  'renter',
  'status',
  'payment',
  'started',
  'ended',
  'run_seconds',
  'token',
  'token_address',
  'gross_tokens',
  'currency',
  'rate',
  'rate_source',
  'gross',
  'energy_kwh',
  'power_w',
  'power_source',
  'electricity_cost',
  'net',
  'settlement_tx',
  'settlement_link',
] as const;

/**
 * A text cell a spreadsheet would read as a formula ("=HYPERLINK(...)" in a network's name, say) is
 * prefixed with an apostrophe, so it is shown as text and never run.
 */
export function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '');

/** The rows for `rentals`, times in the owner's zone. */
export function earningsCsv(rentals: readonly RentalView[], zone: string): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rentals) {
    const chainId = r.key.split(':')[0] ?? '';
    const m = r.money;
    const cells: string[] = [
      r.escrowJobId,
      safeText(r.networkName),
      chainId,
      r.renter,
      r.status,
      r.payment,
      r.startedAt ? zonedIso(zone, Date.parse(r.startedAt)) : '',
      r.endedAt ? zonedIso(zone, Date.parse(r.endedAt)) : '',
      String(r.secondsRun),
      safeText(r.earned.symbol),
      r.earned.token,
      r.earned.formatted,
      m.currency,
      fixed(m.fiatRate, 8),
      m.rateSource,
      fixed(m.gross, 6),
      fixed(m.energyKWh, 6),
      fixed(m.powerW, 1),
      m.powerSource,
      fixed(m.energyCost, 6),
      fixed(m.net, 6),
      r.settleTx ?? '',
      r.txUrl ?? '',
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
