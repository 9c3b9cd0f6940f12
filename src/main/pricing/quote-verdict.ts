import { AdmissionEngine, type EngineParams } from './admission-engine';
import type { DemandState } from './demand-model';
import { MarketContext } from './feasibility';
import type { MarketRequest, MarketSetup } from './market-stream';
import { tariffIsZero } from './owner-setup';
import { energyCost } from './tariff';

/**
 * The admission engine's verdict on a quote, pure: whether the offer's price, for the time the quote
 * would allow, is worth taking now, given the owner's floor, electricity (tariff x power, by the hour on
 * the schedule's clock) and what the engine has learnt of demand. Called by decideQuote after the hard
 * checks (network, runtime, GPUs, availability, a running job) have passed.
 *
 * - below the floor: refused;
 * - no electricity price set (0): no cost is known, so it is taken (greedy above the floor);
 * - revenue not above its electricity over those hours: refused;
 * - otherwise the engine judges it against the better-paid work it expects (it acts greedily while its
 *   history is short, and where demand is thin).
 */

export interface QuoteEconomics {
  /** The owner's setup in the offer's token (owner-setup.ts): the machine as one GPU. */
  setup: MarketSetup;
  /** What the engine has learnt (demand-tracker.ts), this request included. */
  demand: DemandState;
  params?: Partial<EngineParams>;
}

export interface QuoteVerdictInput {
  economics: QuoteEconomics;
  /** The offer's price per hour, in whole tokens. */
  pricePerHour: number;
  /** How long the job would hold the GPU: what the quote allows. */
  seconds: number;
  vramMiB: number;
  gpuCount: number;
  nowMs: number;
  /** When availability ends (its next change), or null. */
  windowEndMs: number | null;
}

export type QuoteVerdict =
  | { ok: true; why: 'no-cost-known' | 'accepted'; detail: string }
  | { ok: false; why: 'floor' | 'electricity' | 'held'; detail: string };

export function quoteVerdict(input: QuoteVerdictInput): QuoteVerdict {
  const { economics, pricePerHour, seconds, nowMs } = input;
  const { setup } = economics;
  const hours = seconds / 3600;
  const money = (x: number) => x.toFixed(4);

  if (pricePerHour < setup.floorPerHour)
    return {
      ok: false,
      why: 'floor',
      detail: `the price ${money(pricePerHour)}/h is below the floor ${money(setup.floorPerHour)}/h`,
    };
  if (tariffIsZero(setup.electricityPerKWh))
    return { ok: true, why: 'no-cost-known', detail: 'no electricity price is set' };

  // A job on several GPUs draws several GPUs' power for the one price: weigh it per GPU.
  const perGpuPrice = pricePerHour / Math.max(1, input.gpuCount);
  const gpu = setup.gpus[0]!;
  const energy = energyCost(
    setup.electricityPerKWh,
    setup.timezone,
    gpu.powerW,
    nowMs,
    nowMs + seconds * 1000,
  );
  const revenue = perGpuPrice * hours;
  if (revenue <= energy)
    return {
      ok: false,
      why: 'electricity',
      detail: `earns ${money(revenue)} for ${money(energy)} of electricity over ${hours.toFixed(2)} h`,
    };

  const context = new MarketContext(setup);
  const request: MarketRequest = {
    id: 'quote',
    arrivalMs: nowMs,
    durationSeconds: seconds,
    pricePerHour: perGpuPrice,
    vramMiB: input.vramMiB,
  };
  const assessment = context.assess(request);
  // Availability said yes for these hours; where the calendar disagrees at an edge, trust availability
  // and take what pays for its electricity.
  if (assessment.refusal !== null)
    return { ok: true, why: 'accepted', detail: `earns ${money(revenue - energy)} above its electricity` };
  const engine = new AdmissionEngine(context, economics.params, economics.demand);
  const decision = engine.judge(
    assessment,
    [Number.NEGATIVE_INFINITY],
    input.windowEndMs === null ? undefined : input.windowEndMs,
  );
  const detail = decision.reason.replace(/^(Accepted|Refused): /, '').replace(/\.$/, '');
  return decision.gpu === null ? { ok: false, why: 'held', detail } : { ok: true, why: 'accepted', detail };
}
