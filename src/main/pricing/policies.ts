import { admissionEngine } from './admission-engine';
import { MarketContext } from './feasibility';
import { greedyPolicy } from './greedy-policy';
import type { MarketStream } from './market-stream';
import { offlineOptimum, type OptimumResult } from './offline-optimum';
import { replayOnline, summarize, type Assignment, type ReplaySummary } from './replay';

export const POLICY_NAMES = ['engine', 'greedy', 'optimum'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface PolicyRun {
  summary: ReplaySummary;
  assignments: Assignment[];
  /** Only for 'optimum': how it was computed and whether it is proven. */
  optimum?: OptimumResult;
}

/**
 * Replays a stream under a policy: 'engine' and 'greedy' online, one request at a time; 'optimum' with
 * the whole stream known in advance (the yardstick, not a policy anyone could run).
 */
export function runPolicy(
  stream: MarketStream,
  name: PolicyName,
  context = new MarketContext(stream),
): PolicyRun {
  if (name === 'optimum') {
    const optimum = offlineOptimum(stream, context);
    return { summary: summarize(context, optimum.assignments), assignments: optimum.assignments, optimum };
  }
  const assignments = replayOnline(stream, name === 'engine' ? admissionEngine : greedyPolicy, context);
  return { summary: summarize(context, assignments), assignments };
}
