import type { RentalMoney } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { Settings } from '../../shared/schemas/settings';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { HistoryPoint } from '../gpu/telemetry-store';
import type { ResolvedPower } from '../pricing/owner-setup';
import { averagePower, energyOf, type Energy, type PoweredInterval } from './energy-booking';
import type { EarningsRepository } from './earnings-repository';
import type { FiatRate } from './fiat-rate';
import type { FiatRates } from './fiat-rates';
import type { LedgerRepository, Rental, RentalBook, RentalKey } from './ledger-repository';
import { isLive } from './payment-state';
import { rentalKeyString } from './rental-view';
import { runningIntervals, type StateChange } from './running-intervals';
import { tokenAmount } from './token-amount';

/**
 * A rental's money in the owner's currency. While it lives, an estimate: its running time so far at the
 * assumed power and today's tariff and rate. Once it ended, booked for good (booking waits a little, so
 * the GPU monitor's last batch of readings is stored): each running span at the GPU's measured average
 * power (the assumed one where nothing was measured), priced by the tariff of the hours it ran, and the
 * token at that day's rate.
 */

/** How long after a rental ends it is booked: the telemetry recorder writes its batches every 5 s. */
export const BOOK_DELAY_MS = 10_000;

export interface RentalMoneyDeps {
  ledger: Pick<LedgerRepository, 'get'>;
  repository: Pick<EarningsRepository, 'book' | 'unbooked'>;
  /** The job's state changes (job_events), oldest first. */
  jobEvents(jobId: string): StateChange[];
  /** The GPU rentals run on (null without one) and the power to assume where none was measured. */
  power(): { gpuId: string | null; assumed: ResolvedPower };
  /** Telemetry readings of a GPU over a span. */
  readings(gpuId: string, fromMs: number, toMs: number): readonly Pick<HistoryPoint, 'powerW'>[];
  settings(): Pick<Settings, 'electricityPerKWh'>;
  zone(): string;
  networks(): readonly Network[];
  rates: Pick<FiatRates, 'rate' | 'fresh'>;
  clock: Clock;
  logger: Logger;
  /** A rental was booked (its row changed). */
  onBooked?(rental: Rental): void;
  bookDelayMs?: number;
}

export function createRentalMoney(deps: RentalMoneyDeps) {
  const now = () => deps.clock.now().getTime();
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const booking = new Set<string>();
  let stopped = false;

  const networkOf = (rental: Rental) => deps.networks().find((n) => n.id === rental.networkId);
  const intervalsOf = (rental: Rental, endMs: number) =>
    rental.localJobId ? runningIntervals(deps.jobEvents(rental.localJobId), endMs) : [];

  function money(
    rental: Rental,
    energy: Energy,
    power: number,
    powerSource: ResolvedPower['source'],
    rate: FiatRate,
    booked: boolean,
  ): RentalMoney {
    const decimals = tokenAmount(0n, rental.token, [networkOf(rental)]).decimals;
    const gross = (Number(rental.signed) / 10 ** decimals) * rate.rate;
    return {
      booked,
      currency: rate.currency,
      fiatRate: rate.rate,
      rateSource: rate.source,
      powerW: power,
      powerSource,
      energyKWh: energy.kwh,
      energyCost: energy.cost,
      gross,
      net: gross - energy.cost,
    };
  }

  /** The live estimate: running time so far at the assumed power (no telemetry read on this hot path). */
  function estimate(rental: Rental): { money: RentalMoney; energy: Energy } {
    const { assumed } = deps.power();
    const end = rental.endedAt ?? now();
    const intervals = intervalsOf(rental, end).map((i) => ({ ...i, watts: assumed.watts }));
    const energy = energyOf(intervals, deps.settings().electricityPerKWh, deps.zone());
    const rate = deps.rates.rate(networkOf(rental));
    return { money: money(rental, energy, assumed.watts, assumed.source, rate, false), energy };
  }

  function bookedMoney(rental: Rental, book: RentalBook): RentalMoney {
    const rate: FiatRate = {
      rate: book.fiatRate,
      currency: book.currency,
      source: book.rateSource,
      note: '',
    };
    const energy: Energy = {
      quarters: [],
      kwh: book.energyKWh,
      cost: book.energyCost,
      averageW: book.powerW,
    };
    return money(rental, energy, book.powerW, book.powerSource, rate, true);
  }

  async function book(key: RentalKey): Promise<void> {
    const id = rentalKeyString(key);
    if (booking.has(id) || stopped) return;
    booking.add(id);
    try {
      const rental = deps.ledger.get(key);
      if (!rental || rental.book || isLive(rental.status)) return;
      const rate = await deps.rates.fresh(networkOf(rental));
      const { gpuId, assumed } = deps.power();
      let measured = 0;
      const intervals: PoweredInterval[] = intervalsOf(rental, rental.endedAt ?? now()).map((i) => {
        const watts = gpuId === null ? null : averagePower(deps.readings(gpuId, i.fromMs, i.toMs));
        if (watts !== null) measured++;
        return { ...i, watts: watts ?? assumed.watts };
      });
      const energy = energyOf(intervals, deps.settings().electricityPerKWh, deps.zone());
      const allMeasured = intervals.length > 0 && measured === intervals.length;
      const booked = deps.repository.book(
        key,
        {
          bookedAt: now(),
          powerW: energy.averageW,
          powerSource: allMeasured ? 'measured' : assumed.source,
          energyKWh: energy.kwh,
          energyCost: energy.cost,
          currency: rate.currency,
          fiatRate: rate.rate,
          rateSource: rate.source,
        },
        energy.quarters,
      );
      const after = booked ? deps.ledger.get(key) : null;
      if (after) deps.onBooked?.(after);
    } catch (error) {
      if (!stopped)
        deps.logger.warn(
          `Could not book the energy of rental ${key.escrowJobId}: ${(error as Error).message}`,
        );
    } finally {
      booking.delete(id);
    }
  }

  return {
    /** The money of a rental: its book, or the estimate while it lives (or until it is booked). */
    of(rental: Rental): RentalMoney {
      return rental.book ? bookedMoney(rental, rental.book) : estimate(rental).money;
    },
    /** A live rental's electricity so far, per quarter-hour (the overview adds it to the booked). */
    liveEnergy: (rental: Rental) => estimate(rental).energy,

    /** Books a rental that ended, after the delay; a live or booked one is left alone. */
    changed(rental: Rental): void {
      if (rental.book || isLive(rental.status) || stopped) return;
      const id = rentalKeyString(rental);
      if (pending.has(id)) return;
      const timer = setTimeout(() => {
        pending.delete(id);
        void book(rental);
      }, deps.bookDelayMs ?? BOOK_DELAY_MS);
      timer.unref?.();
      pending.set(id, timer);
    },

    /** Books, now, every rental that ended unbooked (at a start: the last process stopped first). */
    async bookEnded(): Promise<void> {
      for (const key of deps.repository.unbooked()) await book(key);
    },

    stop(): void {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}

export type RentalMoneyService = ReturnType<typeof createRentalMoney>;
