import type { Provider } from 'ethers';
import type { GpuView } from '../../shared/schemas/gpu';
import type { PriceSuggestionView } from '../../shared/schemas/market';
import type { Network } from '../../shared/schemas/network';
import type { Settings } from '../../shared/schemas/settings';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { UserFacingError } from '../core/router';
import type { TelemetryStore } from '../gpu/telemetry-store';
import type { Connection } from '../networks/network-service';
import { readMarketPrices, RECENT_BLOCKS } from './market-prices';
import type { MarketSetup } from './market-stream';
import {
  ownerSetup,
  powerUnderLoad,
  priceNumber,
  rentalWindows,
  resolvePowerW,
  tariffInTokens,
  type ResolvedPower,
} from './owner-setup';
import { rentalHoursOf, suggestPrice, type MarketData } from './suggest-price';
import { windowsToSlots } from '../../shared/schedule/windows';
import { rentalGpu } from '../../shared/rental-gpu';

/**
 * The live side of pricing, in the provider process: the owner's setup for the quote path (settings,
 * the schedule, the GPU rentals run on and its power under load), and the price suggestion with the
 * market read from the selected network. The decisions themselves are pure (quote-verdict.ts,
 * suggest-price.ts); this gathers their inputs.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Power under load is read from telemetry at most this often per GPU. */
const POWER_CACHE_MS = 5 * MINUTE;

export interface PricingServiceDeps {
  settings: () => Settings;
  schedule: () => { timezone: string; slots: string };
  /** The GPUs' latest views without waiting (the quote path). */
  gpus: () => readonly GpuView[];
  /** The GPUs, asking the tools when nothing was sampled yet (the suggestion, also from the CLI). */
  listGpus: () => Promise<readonly GpuView[]>;
  telemetry: Pick<TelemetryStore, 'history'>;
  networks: { selected(): Network; connect(id?: string): Promise<Connection> };
  rpc: (connection: Connection) => Provider;
  /** The wallet's address (the owner's own offer and jobs are left out of the market), or null. */
  ownAddress: () => string | null;
  clock: Clock;
  logger: Logger;
}

/** The latest benchmark worth trusting: validated, and not a software adapter's figure. */
export function trustedGflops(view: GpuView | null): number | null {
  const result = view?.benchmark?.result;
  return result && result.validation.passed && !result.adapter.isFallbackAdapter
    ? result.matmul.gflops
    : null;
}

export function createPricingService(deps: PricingServiceDeps) {
  const measured = new Map<string, { at: number; watts: number | null }>();

  /** What the monitor measured under load: loaded minutes of the last day, else loaded hours of 30 days. */
  function measuredPowerW(gpuId: string): number | null {
    const now = deps.clock.now().getTime();
    const hit = measured.get(gpuId);
    if (hit && now - hit.at < POWER_CACHE_MS) return hit.watts;
    let watts: number | null = null;
    try {
      const minutes = deps.telemetry.history(gpuId, now - DAY, now, now).points;
      watts = powerUnderLoad(minutes);
      if (watts === null) {
        const hours = deps.telemetry.history(gpuId, now - 30 * DAY, now, now).points;
        watts = powerUnderLoad(hours, 1);
      }
    } catch (error) {
      deps.logger.warn(`Could not read the power history of ${gpuId}: ${(error as Error).message}`);
    }
    measured.set(gpuId, { at: now, watts });
    return watts;
  }

  function powerOf(view: GpuView): ResolvedPower {
    return resolvePowerW({
      measuredW: measuredPowerW(view.info.id),
      settingW: deps.settings().gpuPowerW,
      ratedW: view.info.powerLimitW,
    });
  }

  return {
    powerOf,

    /** The owner's setup for a quote, in the offer's token; null without a GPU whose memory is known. */
    quoteSetup(): MarketSetup | null {
      const gpu = rentalGpu(deps.gpus());
      const memory = gpu?.info.memoryTotalMiB ?? null;
      if (!gpu || memory === null || memory <= 0) return null;
      return ownerSetup({
        settings: deps.settings(),
        schedule: deps.schedule(),
        gpu: { memoryTotalMiB: memory, powerW: powerOf(gpu).watts },
      });
    },

    /** A price for the offer from the benchmark, the market on the selected network and the owner's costs. */
    async suggest(): Promise<PriceSuggestionView> {
      const settings = deps.settings();
      const network = deps.networks.selected();
      const token = network.token;
      if (!token)
        throw new UserFacingError(
          `${network.name} has no payment token: there is no price to suggest in it.`,
        );
      const views = await deps.listGpus();
      const gpu = rentalGpu(views);
      const power = gpu
        ? powerOf(gpu)
        : resolvePowerW({ measuredW: null, settingW: settings.gpuPowerW, ratedW: null });
      const schedule = deps.schedule();
      const slots = windowsToSlots(rentalWindows(settings.availabilityMode, schedule.slots));
      const market = await readMarket(network, token).catch((error: unknown) => {
        const e = error as { shortMessage?: string; message?: string };
        const why = (e.shortMessage ?? e.message ?? String(error)).replace(/[.\s]+$/, '');
        deps.logger.warn(`Price suggestion: could not read the market on ${network.name}: ${why}`);
        return { unavailable: `${why}.` };
      });
      const suggestion = suggestPrice({
        symbol: token.symbol,
        decimals: token.decimals,
        currentPrice: priceNumber(settings.offerPricePerHour),
        gflops: trustedGflops(gpu),
        market,
        tariff: tariffInTokens(settings.electricityPerKWh, settings.tokenValue),
        power,
        rentalHours: rentalHoursOf(slots),
        floorPerHour: priceNumber(settings.floorPricePerHour),
      });
      return {
        price: suggestion.price,
        units: suggestion.units.toString(),
        symbol: suggestion.symbol,
        network: network.name,
        basis: suggestion.basis,
        reasons: suggestion.reasons,
      };
    },
  };

  async function readMarket(
    network: Network,
    token: NonNullable<Network['token']>,
  ): Promise<MarketData | { unavailable: string }> {
    const registry = network.contracts.ProviderRegistry;
    if (!registry) return { unavailable: `${network.name} has no ProviderRegistry contract.` };
    const connection = await deps.networks.connect(network.id);
    return readMarketPrices({
      provider: deps.rpc(connection),
      network: network.name,
      registry,
      escrow: network.contracts.JobEscrow ?? null,
      token: token.address,
      decimals: token.decimals,
      own: deps.ownAddress(),
      blocks: RECENT_BLOCKS,
    });
  }
}

export type PricingService = ReturnType<typeof createPricingService>;
