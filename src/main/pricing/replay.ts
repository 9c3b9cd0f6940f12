import { feasibleGpus, MarketContext, type Assessment } from './feasibility';
import type { MarketRequest, MarketStream } from './market-stream';

/**
 * An online policy: it sees each request once, at its arrival, with the GPUs' state at that moment, and
 * answers for good (a GPU index to run it on, or null to refuse). It may remember what it has seen; it is
 * never shown a later request before deciding on an earlier one.
 */
export interface OnlinePolicy {
  decide(assessment: Assessment, busyUntil: readonly number[]): number | null;
}

export interface Assignment {
  request: MarketRequest;
  gpu: number;
}

/** What `nocturne market replay --json` prints. Money rounded to 6 decimals. */
export interface ReplaySummary {
  accepted: string[];
  revenue: number;
  energyCost: number;
  net: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6 + 0; // + 0: no -0

/** Sums what a set of assignments earns (in arrival order of the requests). */
export function summarize(context: MarketContext, assignments: readonly Assignment[]): ReplaySummary {
  let revenue = 0;
  let energyCost = 0;
  const sorted = [...assignments].sort((a, b) => a.request.arrivalMs - b.request.arrivalMs);
  for (const { request, gpu } of sorted) {
    const a = context.assess(request);
    revenue += a.revenue;
    energyCost += a.energy[gpu]!;
  }
  return {
    accepted: sorted.map((s) => s.request.id),
    revenue: round6(revenue),
    energyCost: round6(energyCost),
    net: round6(revenue - energyCost),
  };
}

/**
 * Runs a policy over the stream's requests in order of arrival, each assessed and shown only at its
 * arrival. An answer that is not a free, eligible GPU is a bug in the policy and throws.
 */
export function replayOnline(
  stream: MarketStream,
  makePolicy: (context: MarketContext) => OnlinePolicy,
  context: MarketContext = new MarketContext(stream),
): Assignment[] {
  const policy = makePolicy(context);
  const busyUntil = stream.gpus.map(() => Number.NEGATIVE_INFINITY);
  const assignments: Assignment[] = [];
  for (const request of stream.requests) {
    const a = context.assess(request);
    const gpu = policy.decide(a, busyUntil);
    if (gpu === null) continue;
    if (!feasibleGpus(a, busyUntil).includes(gpu))
      throw new Error(`The policy put request ${request.id} on GPU ${gpu}, which cannot take it.`);
    busyUntil[gpu] = a.endMs;
    assignments.push({ request, gpu });
  }
  return assignments;
}
