import type { EarningsExport, EarningsOverview, RentalView, StallAlert } from '../../shared/schemas/earnings';
import type { Network } from '../../shared/schemas/network';
import type { Settings } from '../../shared/schemas/settings';
import type { Clock } from '../core/clock';
import { UserFacingError } from '../core/router';
import { tariffIsZero } from '../pricing/owner-setup';
import { earningsCsv } from './earnings-csv';
import { earningsOverview, CHART_DAYS, type LiveEnergy } from './earnings-overview';
import type { EarningsRepository } from './earnings-repository';
import type { FiatRates } from './fiat-rates';
import type { LedgerRepository, Rental } from './ledger-repository';
import { isDate, lastDays, localDate, localDay, zonedIso } from './local-days';
import { quarterOf } from './quarters';
import type { RentalMoneyService } from './rental-money';
import { rentalKeyString, rentalView } from './rental-view';
import { shortAddress } from '../../shared/short-address';

/** The tax export's limit: a wider range is refused with the reason (ask for a year at a time). */
export const EXPORT_MAX_ROWS = 100_000;

export interface EarningsServiceDeps {
  ledger: Pick<LedgerRepository, 'list' | 'withStatus' | 'endedBetween'>;
  repository: Pick<EarningsRepository, 'earnedSince' | 'energySince' | 'totals'>;
  money: Pick<RentalMoneyService, 'of' | 'liveEnergy'>;
  rates: Pick<FiatRates, 'views'>;
  settings(): Pick<Settings, 'currency' | 'tokenValue' | 'electricityPerKWh'>;
  zone(): string;
  networks(): readonly Network[];
  /** How long a job stays paused for want of vouchers before it is stopped. */
  stopAfterSeconds: number;
  clock: Clock;
}

/** The Earnings page, the Dashboard's card and the CSV export, over the ledger. */
export function createEarningsService(deps: EarningsServiceDeps) {
  const view = (rental: Rental): RentalView => rentalView(rental, deps.networks(), deps.money.of(rental));

  function stallAlert(rental: Rental, zone: string): StallAlert | null {
    if (rental.stalledAt === null) return null;
    const v = view(rental);
    const at = (ms: number) => zonedIso(zone, ms).slice(11, 16);
    return {
      key: v.key,
      renter: rental.renter,
      networkName: v.networkName,
      since: new Date(rental.stalledAt).toISOString(),
      message:
        `Renter ${shortAddress(rental.renter)} stopped paying at ${at(rental.stalledAt)}: the job is paused, ` +
        `and stops at ${at(rental.stalledAt + deps.stopAfterSeconds * 1000)} unless a voucher comes. ` +
        `What they signed before (${v.earned.formatted} ${v.earned.symbol}) is yours either way.`,
    };
  }

  return {
    view,

    async overview(): Promise<EarningsOverview> {
      const now = deps.clock.now().getTime();
      const zone = deps.zone();
      const settings = deps.settings();
      const networks = deps.networks();
      const fromQuarter = quarterOf(lastDays(zone, now, CHART_DAYS)[0]!.fromMs);
      const live = deps.ledger.withStatus('opened', 'running', 'paused');
      const liveEnergy: LiveEnergy[] = live.map((r) => ({
        key: rentalKeyString(r),
        quarters: deps.money.liveEnergy(r).quarters,
      }));
      return earningsOverview({
        nowMs: now,
        zone,
        currency: settings.currency,
        networks,
        earned: deps.repository.earnedSince(fromQuarter),
        energy: deps.repository.energySince(fromQuarter),
        totals: deps.repository.totals(),
        live: liveEnergy,
        rates: await deps.rates.views(networks),
        ownerRate: settings.tokenValue,
        alerts: live.flatMap((r) => stallAlert(r, zone) ?? []),
        noTariff: tariffIsZero(settings.electricityPerKWh),
      });
    },

    /** Rentals that ended from local date `from` to `to` (both included), as CSV. */
    exportCsv(range: { from?: string; to?: string }): EarningsExport {
      const zone = deps.zone();
      const now = deps.clock.now().getTime();
      for (const field of ['from', 'to'] as const) {
        const value = range[field];
        if (value !== undefined && !isDate(value))
          throw new UserFacingError(`"${value}" is not a date that exists.`, field);
      }
      if (range.from && range.to && range.from > range.to)
        throw new UserFacingError(`The range ends (${range.to}) before it starts (${range.from}).`, 'to');
      const fromMs = range.from ? localDay(zone, range.from).fromMs : 0;
      const toMs = range.to ? localDay(zone, range.to).toMs : Number.MAX_SAFE_INTEGER;
      const rentals = deps.ledger.endedBetween(fromMs, toMs);
      if (rentals.length > EXPORT_MAX_ROWS)
        throw new UserFacingError(
          `${rentals.length} rentals ended in that range; export at most ${EXPORT_MAX_ROWS} at a time (a year, say).`,
          'from',
        );
      const name = `${range.from ?? 'start'}-to-${range.to ?? localDate(zone, now)}`;
      return {
        filename: `nocturne-earnings-${name}.csv`,
        csv: earningsCsv(rentals.map(view), zone),
        rows: rentals.length,
      };
    },
  };
}

export type EarningsService = ReturnType<typeof createEarningsService>;
