import type { MarketRequest, MarketSetup } from './market-stream';
import { kilowattCost } from './tariff';
import { WindowCalendar } from './window-calendar';

/**
 * What a request is worth on each GPU, and where it may run. A request occupies one GPU from its arrival
 * for its duration; it may run on a GPU when it lies entirely inside one window, fits the GPU's memory,
 * pays at least the floor, and the GPU is free (no accepted request still running at its arrival).
 */

const HOUR = 3_600_000;

export interface Assessment {
  request: MarketRequest;
  startMs: number;
  endMs: number;
  /** pricePerHour x hours. */
  revenue: number;
  /** Electricity on each GPU over the run, by the tariff's local hours. */
  energy: readonly number[];
  /** revenue - energy, on each GPU. */
  net: readonly number[];
  /** Why it can run nowhere, whichever GPU is free: null when some GPU could take it. */
  refusal: string | null;
  /** Per GPU: inside a window, fits its memory, at or above the floor (free or not). */
  eligible: readonly boolean[];
}

/** The setup made ready for decisions: the calendar of windows and the per-request arithmetic. */
export class MarketContext {
  readonly calendar: WindowCalendar;
  /** A request's assessment depends on it and the setup only, so it is worked out once. */
  private readonly assessed = new WeakMap<MarketRequest, Assessment>();

  constructor(readonly setup: MarketSetup) {
    this.calendar = new WindowCalendar(setup.timezone, setup.windows);
  }

  get gpuCount(): number {
    return this.setup.gpus.length;
  }

  /** One kilowatt over [fromMs, toMs) at the owner's tariff. */
  kilowattCost(fromMs: number, toMs: number): number {
    return kilowattCost(this.setup.electricityPerKWh, this.setup.timezone, fromMs, toMs);
  }

  assess(request: MarketRequest): Assessment {
    let a = this.assessed.get(request);
    if (!a) {
      a = this.work(request);
      this.assessed.set(request, a);
    }
    return a;
  }

  private work(request: MarketRequest): Assessment {
    const { gpus, floorPerHour } = this.setup;
    const startMs = request.arrivalMs;
    const endMs = startMs + request.durationSeconds * 1000;
    const revenue = (request.pricePerHour * (endMs - startMs)) / HOUR;
    const perKw = this.kilowattCost(startMs, endMs);
    const energy = gpus.map((g) => (g.powerW / 1000) * perKw);
    const net = energy.map((e) => revenue - e);
    const inWindow = this.calendar.fits(startMs, endMs);
    const aboveFloor = request.pricePerHour >= floorPerHour;
    const eligible = gpus.map((g) => inWindow && aboveFloor && request.vramMiB <= g.memoryTotalMiB);
    let refusal: string | null = null;
    if (!inWindow) refusal = 'it does not fit inside a window';
    else if (!aboveFloor) refusal = 'its price is below the floor';
    else if (!eligible.some(Boolean)) refusal = 'no GPU has the memory it needs';
    return { request, startMs, endMs, revenue, energy, net, refusal, eligible };
  }
}

/** The GPUs that could take the request now: eligible and free at its arrival. */
export function feasibleGpus(a: Assessment, busyUntil: readonly number[]): number[] {
  const out: number[] = [];
  for (let g = 0; g < a.eligible.length; g++) if (a.eligible[g] && busyUntil[g]! <= a.startMs) out.push(g);
  return out;
}

/**
 * Among GPUs that could take a request, the one a policy should use: the smallest memory that fits
 * (bigger cards stay free for bigger work), then the most net (the least power), then the first.
 */
export function bestFitGpu(
  a: Assessment,
  candidates: readonly number[],
  gpus: MarketSetup['gpus'],
): number | null {
  let best: number | null = null;
  for (const g of candidates) {
    if (best === null) {
      best = g;
      continue;
    }
    const dm = gpus[g]!.memoryTotalMiB - gpus[best]!.memoryTotalMiB;
    if (dm < 0 || (dm === 0 && a.net[g]! > a.net[best]!)) best = g;
  }
  return best;
}
