import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, earningsCsv, safeText } from '../../../src/main/earnings/earnings-csv';
import type { RentalView } from '../../../src/shared/schemas/earnings';
import { sampleRentalView, tusdAmount as amount } from '../../fakes/rental-view';

/** A settled rental with its booked money: the export's typical row. */
function rental(patch: Partial<RentalView> = {}): RentalView {
  return sampleRentalView({
    status: 'settled',
    localJobId: 'job-1',
    deposit: amount('10'),
    earned: amount('1.5'),
    redeemed: amount('1.5'),
    secondsRun: 3000,
    createdAt: '2026-12-05T22:00:00.000Z',
    startedAt: '2026-12-05T22:10:00.000Z',
    endedAt: '2026-12-05T23:00:00.000Z',
    payment: 'settled',
    settleTx: `0x${'12'.repeat(32)}`,
    txUrl: `https://explorer.example/tx/0x${'12'.repeat(32)}`,
    money: {
      booked: true,
      currency: 'EUR',
      fiatRate: 0.92,
      rateSource: 'owner',
      powerW: 320,
      powerSource: 'measured',
      energyKWh: 0.266667,
      energyCost: 0.08,
      gross: 1.38,
      net: 1.3,
    },
    ...patch,
  });
}

/** A small RFC 4180 reader, to check the export parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the earnings CSV export', () => {
  it('writes a header and one row per rental with the rate used, in the owner’s zone, CRLF-ended', () => {
    const csv = earningsCsv([rental()], 'Europe/Berlin');
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, row] = parseCsv(csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    const cells = Object.fromEntries(header!.map((name, i) => [name, row![i]]));
    expect(cells).toMatchObject({
      rental_id: '0xab',
      network: 'Local devnet',
      chain_id: '31337',
      status: 'settled',
      payment: 'settled',
      started: '2026-12-05T23:10:00+01:00',
      ended: '2026-12-06T00:00:00+01:00',
      run_seconds: '3000',
      token: 'tUSD',
      gross_tokens: '1.5',
      currency: 'EUR',
      rate: '0.92000000',
      rate_source: 'owner',
      gross: '1.380000',
      energy_kwh: '0.266667',
      power_source: 'measured',
      electricity_cost: '0.080000',
      net: '1.300000',
      settlement_tx: `0x${'12'.repeat(32)}`,
      settlement_link: `https://explorer.example/tx/0x${'12'.repeat(32)}`,
    });
  });

  it('quotes commas, quotes and line breaks, and keeps a negative net a number', () => {
    const csv = earningsCsv(
      [rental({ networkName: 'My "home", chain\nB', money: { ...rental().money, net: -0.25 } })],
      'UTC',
    );
    const [header, row] = parseCsv(csv);
    expect(row![header!.indexOf('network')]).toBe('My "home", chain\nB');
    expect(row![header!.indexOf('net')]).toBe('-0.250000');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    const csv = earningsCsv([rental({ networkName: '=HYPERLINK("http://evil","x")' })], 'UTC');
    const [header, row] = parseCsv(csv);
    expect(row![header!.indexOf('network')]).toBe(`'=HYPERLINK("http://evil","x")`);
    for (const lead of ['=', '+', '-', '@']) expect(safeText(`${lead}1`)).toBe(`'${lead}1`);
    expect(safeText('Sepolia')).toBe('Sepolia');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('leaves times empty for a rental that never started, and is a header alone without rentals', () => {
    const [, row] = parseCsv(earningsCsv([rental({ startedAt: null, settleTx: null, txUrl: null })], 'UTC'));
    expect(row![CSV_COLUMNS.indexOf('started')]).toBe('');
    expect(row![CSV_COLUMNS.indexOf('settlement_tx')]).toBe('');
    expect(earningsCsv([], 'UTC')).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
