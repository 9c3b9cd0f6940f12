import type { Settings } from '../../shared/schemas/settings';
import { slotsToWindows } from '../../shared/schedule/windows';
import type { MarketSetup, Tariff } from './market-stream';

/**
 * The owner's real costs, as the admission engine and the price suggestion need them: everything in the
 * offer's payment token (the tariff is in the owner's currency, divided by what one token is worth in it),
 * the windows from the availability schedule (in its time zone, which also times a time-of-use tariff),
 * and the machine as one GPU (the provider runs one rental at a time).
 */

/** Power assumed under load when nothing better is known: neither measured, set, nor the card's rating. */
export const DEFAULT_POWER_W = 250;

/** What counts as "under load" in telemetry, and how many such minutes make a measurement. */
export const LOAD_UTILIZATION_PCT = 80;
export const MIN_LOAD_MINUTES = 5;

/** Every hour of every day: the windows of the idle-only mode, which has no schedule. */
export const ALWAYS = ['mon-sun 00:00-24:00'] as const;

export type PowerSource = 'measured' | 'setting' | 'rated' | 'default';

export interface ResolvedPower {
  watts: number;
  source: PowerSource;
}

/**
 * The GPU's power under load: what the monitor measured under load, else the owner's setting, else the
 * card's rated power (its power limit, as the driver reports it), else DEFAULT_POWER_W.
 */
export function resolvePowerW(input: {
  measuredW: number | null;
  settingW: number | null;
  ratedW: number | null;
}): ResolvedPower {
  const usable = (w: number | null): w is number => w !== null && Number.isFinite(w) && w > 0;
  if (usable(input.measuredW)) return { watts: input.measuredW, source: 'measured' };
  if (usable(input.settingW)) return { watts: input.settingW, source: 'setting' };
  if (usable(input.ratedW)) return { watts: input.ratedW, source: 'rated' };
  return { watts: DEFAULT_POWER_W, source: 'default' };
}

/**
 * Power under load from telemetry points (per-minute or per-hour averages): the median power of the
 * points in which the GPU was at least LOAD_UTILIZATION_PCT busy, or null with fewer than `minPoints`.
 */
export function powerUnderLoad(
  points: readonly { powerW: number | null; utilizationPct: number | null }[],
  minPoints = MIN_LOAD_MINUTES,
): number | null {
  const loaded = points
    .filter((p) => p.utilizationPct !== null && p.utilizationPct >= LOAD_UTILIZATION_PCT)
    .map((p) => p.powerW)
    .filter((w): w is number => w !== null && Number.isFinite(w) && w > 0)
    .sort((a, b) => a - b);
  if (loaded.length < Math.max(1, minPoints)) return null;
  const mid = loaded.length >> 1;
  return loaded.length % 2 === 1 ? loaded[mid]! : (loaded[mid - 1]! + loaded[mid]!) / 2;
}

/** The owner's tariff (currency per kWh) in tokens per kWh. */
export function tariffInTokens(tariff: Tariff, tokenValue: number): Tariff {
  return typeof tariff === 'number' ? tariff / tokenValue : tariff.map((p) => p / tokenValue);
}

/** No electricity price set (0 everywhere): no cost is known. */
export function tariffIsZero(tariff: Tariff): boolean {
  return typeof tariff === 'number' ? tariff === 0 : tariff.every((p) => p === 0);
}

/** The windows in which the GPU may be rented: the schedule's, or every hour in the idle-only mode. */
export function rentalWindows(mode: Settings['availabilityMode'], slots: string): string[] {
  return mode === 'idle' ? [...ALWAYS] : slotsToWindows(slots);
}

/** A decimal price setting ("0.5") as a number of tokens. */
export function priceNumber(text: string): number {
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

export interface OwnerSetupInput {
  settings: Pick<Settings, 'electricityPerKWh' | 'tokenValue' | 'floorPricePerHour' | 'availabilityMode'>;
  schedule: { timezone: string; slots: string };
  /** The GPU rentals run on: its memory and its power under load (resolvePowerW). */
  gpu: { memoryTotalMiB: number; powerW: number };
}

/** The setup the admission engine decides with, in the offer's token. */
export function ownerSetup(input: OwnerSetupInput): MarketSetup {
  const { settings, schedule, gpu } = input;
  return {
    timezone: schedule.timezone,
    windows: rentalWindows(settings.availabilityMode, schedule.slots),
    gpus: [{ memoryTotalMiB: gpu.memoryTotalMiB, powerW: gpu.powerW }],
    electricityPerKWh: tariffInTokens(settings.electricityPerKWh, settings.tokenValue),
    floorPerHour: priceNumber(settings.floorPricePerHour),
  };
}
