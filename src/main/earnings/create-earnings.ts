import type { Database } from 'better-sqlite3';
import type { Provider } from 'ethers';
import type { Network } from '../../shared/schemas/network';
import type { Settings } from '../../shared/schemas/settings';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { HistoryPoint } from '../gpu/telemetry-store';
import type { ResolvedPower } from '../pricing/owner-setup';
import { VOUCHER_DEFAULTS } from '../provider/voucher-policy';
import { createEarningsRepository } from './earnings-repository';
import { createEarningsService } from './earnings-service';
import { createFiatRates } from './fiat-rates';
import type { LedgerRepository, Rental } from './ledger-repository';
import { readPriceFeed } from './price-feed';
import { createRentalMoney } from './rental-money';
import type { StateChange } from './running-intervals';

export interface EarningsDeps {
  db: Database;
  ledger: LedgerRepository;
  jobEvents(jobId: string): StateChange[];
  power(): { gpuId: string | null; assumed: ResolvedPower };
  readings(gpuId: string, fromMs: number, toMs: number): readonly Pick<HistoryPoint, 'powerW'>[];
  settings(): Settings;
  zone(): string;
  networks(): readonly Network[];
  /** A read-only provider for a network (its price feed). */
  rpc(network: Network): Promise<Provider>;
  clock: Clock;
  logger: Logger;
  onBooked(rental: Rental): void;
}

/** The earnings domain's parts, wired: the ledger's sums, rates, each rental's money, the overview. */
export function createEarnings(deps: EarningsDeps) {
  const repository = createEarningsRepository(deps.db);
  const rates = createFiatRates({
    settings: deps.settings,
    readFeed: async (network, address) => readPriceFeed(await deps.rpc(network), address),
    clock: deps.clock,
    logger: deps.logger,
  });
  const money = createRentalMoney({
    ledger: deps.ledger,
    repository,
    jobEvents: deps.jobEvents,
    power: deps.power,
    readings: deps.readings,
    settings: deps.settings,
    zone: deps.zone,
    networks: deps.networks,
    rates,
    clock: deps.clock,
    logger: deps.logger,
    onBooked: deps.onBooked,
  });
  const service = createEarningsService({
    ledger: deps.ledger,
    repository,
    money,
    rates,
    settings: deps.settings,
    zone: deps.zone,
    networks: deps.networks,
    stopAfterSeconds: VOUCHER_DEFAULTS.stopAfterSeconds,
    clock: deps.clock,
  });
  return { ...service, money, rates, repository };
}

export type Earnings = ReturnType<typeof createEarnings>;
