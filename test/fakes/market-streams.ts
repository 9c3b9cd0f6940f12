import type { MarketGpu, MarketRequest, MarketStream, Tariff } from '../../src/main/pricing/market-stream';

/** Monday 2025-06-02 00:00 UTC: hours in the small streams count from here. */
export const MONDAY = Date.UTC(2025, 5, 2);
const HOUR = 3_600_000;

export interface SmallRequest {
  id?: string;
  /** Hours after MONDAY. */
  at: number;
  hours: number;
  price: number;
  vram?: number;
}

/** A stream for tests: UTC, always for rent, free electricity and no floor unless told otherwise. */
export function smallStream(
  requests: readonly SmallRequest[],
  setup: {
    timezone?: string;
    windows?: readonly string[];
    gpus?: readonly MarketGpu[];
    electricityPerKWh?: Tariff;
    floorPerHour?: number;
  } = {},
): MarketStream {
  const list: MarketRequest[] = requests.map((r, i) => ({
    id: r.id ?? `r${i}`,
    arrivalMs: MONDAY + Math.round(r.at * HOUR),
    durationSeconds: Math.round(r.hours * 3600),
    pricePerHour: r.price,
    vramMiB: r.vram ?? 1024,
  }));
  return {
    timezone: setup.timezone ?? 'UTC',
    windows: setup.windows ?? ['mon-sun 00:00-24:00'],
    gpus: setup.gpus ?? [{ memoryTotalMiB: 24_576, powerW: 0 }],
    electricityPerKWh: setup.electricityPerKWh ?? 0,
    floorPerHour: setup.floorPerHour ?? 0,
    requests: [...list].sort((a, b) => a.arrivalMs - b.arrivalMs),
  };
}
