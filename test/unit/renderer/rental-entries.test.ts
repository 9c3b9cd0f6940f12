import { describe, expect, it } from 'vitest';
import type { RentalView } from '../../../src/shared/schemas/earnings';
import { sampleRentalView } from '../../fakes/rental-view';
import {
  elapsedSeconds,
  entriesOf,
  groupRentals,
  isLive,
  withRental,
  type RentalEntry,
} from '../../../src/renderer/hooks/rental-entries';
import {
  formatAmount,
  formatSeconds,
  rentalStatusText,
  shortAddress,
} from '../../../src/renderer/format/rental-format';

function rental(key: string, patch: Partial<RentalView> = {}): RentalView {
  return sampleRentalView({ key, escrowJobId: `0x${key.padStart(64, '0')}`, ...patch });
}

const entry = (view: RentalView, syncedAt = 0): RentalEntry => ({ rental: view, syncedAt });
const keys = (entries: readonly RentalEntry[]) => entries.map((e) => e.rental.key);

describe('rental entries', () => {
  it('replaces a changed rental where it was, by key, and puts a new one on top', () => {
    const list = entriesOf([rental('a'), rental('b'), rental('c')], 100);
    const changed = withRental(
      list,
      entry(rental('b', { status: 'paused', reason: 'vouchers fell behind' }), 200),
    );
    expect(keys(changed)).toEqual(['a', 'b', 'c']);
    expect(changed[1]).toEqual({ rental: expect.objectContaining({ status: 'paused' }), syncedAt: 200 });
    expect(list[1]!.rental.status).toBe('running'); // the old list is left as it was

    expect(keys(withRental(changed, entry(rental('d'))))).toEqual(['d', 'a', 'b', 'c']);
  });

  it('lists live rentals (opened, running, paused) first, then past ones, each newest first', () => {
    const at = (minute: number) => `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const { live, past } = groupRentals(
      entriesOf(
        [
          rental('settled-newest', { status: 'settled', createdAt: at(50) }),
          rental('running-old', { status: 'running', createdAt: at(10) }),
          rental('failed', { status: 'failed', createdAt: at(5) }),
          rental('opened', { status: 'opened', createdAt: at(40) }),
          rental('paused', { status: 'paused', createdAt: at(20) }),
          rental('ended', { status: 'ended', createdAt: at(30) }),
          rental('refunded', { status: 'refunded', createdAt: at(30) }),
        ],
        0,
      ),
    );
    expect(keys(live)).toEqual(['opened', 'paused', 'running-old']);
    // Same createdAt: the key breaks the tie, so the order never flickers between renders.
    expect(keys(past)).toEqual(['settled-newest', 'refunded', 'ended', 'failed']);
    expect(['opened', 'running', 'paused'].every((s) => isLive(s as RentalView['status']))).toBe(true);
    expect(['ended', 'settled', 'refunded', 'failed'].some((s) => isLive(s as RentalView['status']))).toBe(
      false,
    );
  });

  it('ticks elapsed time on from the last sync while running, and holds it otherwise', () => {
    const running = entry(rental('a', { status: 'running', secondsRun: 100 }), 10_000);
    expect(elapsedSeconds(running, 10_000)).toBe(100);
    expect(elapsedSeconds(running, 10_999)).toBe(100);
    expect(elapsedSeconds(running, 13_500)).toBe(103);
    // This clock a little behind the moment the view arrived: never counts backwards.
    expect(elapsedSeconds(running, 9_000)).toBe(100);

    const paused = entry(rental('a', { status: 'paused', secondsRun: 100 }), 10_000);
    expect(elapsedSeconds(paused, 60_000)).toBe(100);
    // A change pushed later re-syncs: main's count, ticking from when it arrived.
    const resynced = withRental(
      [running],
      entry(rental('a', { status: 'running', secondsRun: 102 }), 12_000),
    );
    expect(elapsedSeconds(resynced[0]!, 13_500)).toBe(103);
  });
});

describe('rental formatting', () => {
  it('shortens addresses, keeps short text, and names amounts with their symbol', () => {
    expect(shortAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe('0x7099…79C8');
    expect(shortAddress('0x1234')).toBe('0x1234');
    expect(formatAmount({ formatted: '1.25', symbol: 'tUSD' })).toBe('1.25 tUSD');
  });

  it('says elapsed time in units and the status with its reason', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(2500)).toBe('41 min 40 s');
    expect(formatSeconds(7200)).toBe('2 h 0 min 0 s');
    expect(rentalStatusText({ status: 'running', reason: null })).toBe('Running');
    expect(rentalStatusText({ status: 'paused', reason: 'The owner needs the GPU.' })).toBe(
      'Paused: The owner needs the GPU.',
    );
    expect(rentalStatusText({ status: 'settled', reason: '  ' })).toBe('Settled');
  });
});
