import { bestFitGpu, feasibleGpus, type MarketContext } from './feasibility';
import type { OnlinePolicy } from './replay';

/**
 * The baseline: take every request some free GPU can run that earns more than its electricity, on the
 * best-fitting such GPU.
 */
export function greedyPolicy(context: MarketContext): OnlinePolicy {
  return {
    decide(a, busyUntil) {
      const paying = feasibleGpus(a, busyUntil).filter((g) => a.net[g]! > 0);
      return bestFitGpu(a, paying, context.setup.gpus);
    },
  };
}
