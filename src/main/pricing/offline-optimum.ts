import type { Assessment, MarketContext } from './feasibility';
import type { MarketStream } from './market-stream';
import type { Assignment } from './replay';

/**
 * The best any policy could have done knowing the whole stream in advance: a set of requests, each on a
 * GPU that is eligible for it, no two overlapping on one GPU, with the most net. Only requests that earn
 * more than their electricity can be in it (a request with net <= 0 never helps).
 *
 * - One GPU: weighted interval scheduling (sort by end, dynamic programming), exact, O(n log n).
 * - Several GPUs that are interchangeable for this stream (every request is eligible on all or none, with
 *   the same net everywhere: the same card, or cards that differ where no request cares): min-cost flow
 *   on the time line (Arkin and Silverberg's k-machine interval scheduling), exact, polynomial.
 * - Different GPUs (memory or power): a dynamic program over the requests in order of arrival whose state
 *   is when each GPU is next free (instants already past count as free; identical cards are sorted so
 *   their order does not count). Exact while the states stay within the budget (STATE_BUDGET); beyond it the worst
 *   states are dropped (the schedule is then feasible but maybe not the best) and `upperBound` comes from
 *   the flow relaxation in which every GPU is as good as the best one for each request.
 */

export interface OptimumResult {
  assignments: Assignment[];
  /** Net of `assignments`. */
  net: number;
  /** True when `net` is proven the most; else the true optimum lies in [net, upperBound]. */
  exact: boolean;
  upperBound: number;
  method: 'interval-scheduling' | 'min-cost-flow' | 'gpu-state-dp' | 'gpu-state-dp-pruned';
}

export const STATE_BUDGET = 50_000;

interface Item {
  a: Assessment;
  /** Net per GPU; -Infinity where it may not run or does not pay. */
  w: number[];
}

export function offlineOptimum(
  stream: MarketStream,
  context: MarketContext,
  stateBudget = STATE_BUDGET,
): OptimumResult {
  const gpuCount = stream.gpus.length;
  const items: Item[] = [];
  for (const request of stream.requests) {
    const a = context.assess(request);
    const w = a.net.map((n, g) => (a.eligible[g] && n > 0 ? n : Number.NEGATIVE_INFINITY));
    if (w.some((x) => x > 0)) items.push({ a, w });
  }
  const interchangeable = items.every((it) => it.w.every((x) => x === it.w[0]));
  if (gpuCount === 1 || interchangeable) {
    const chosen =
      gpuCount === 1
        ? intervalScheduling(items.map((it) => ({ start: it.a.startMs, end: it.a.endMs, w: it.w[0]! })))
        : intervalFlow(
            items.map((it) => ({ start: it.a.startMs, end: it.a.endMs, w: it.w[0]! })),
            gpuCount,
          );
    const assignments = colour(chosen.map((i) => items[i]!));
    const net = total(assignments, items);
    return {
      assignments,
      net,
      exact: true,
      upperBound: net,
      method: gpuCount === 1 ? 'interval-scheduling' : 'min-cost-flow',
    };
  }
  const dp = gpuStateDp(items, stream.gpus, stateBudget);
  const net = dp.reduce((s, x) => s + x.a.net[x.gpu]!, 0);
  const assignments = dp.map((x) => ({ request: x.a.request, gpu: x.gpu }));
  if (!dp.pruned) return { assignments, net, exact: true, upperBound: net, method: 'gpu-state-dp' };
  const relaxed = intervalFlow(
    items.map((it) => ({ start: it.a.startMs, end: it.a.endMs, w: Math.max(...it.w) })),
    gpuCount,
  );
  const upperBound = relaxed.reduce((s, i) => s + Math.max(...items[i]!.w), 0);
  return {
    assignments,
    net,
    exact: false,
    upperBound: Math.max(upperBound, net),
    method: 'gpu-state-dp-pruned',
  };
}

function total(assignments: Assignment[], items: Item[]): number {
  const byRequest = new Map(items.map((it) => [it.a.request, it]));
  return assignments.reduce((s, x) => s + byRequest.get(x.request)!.w[x.gpu]!, 0);
}

/** Puts chosen items (at most k overlapping, all eligible everywhere) on GPUs, first free GPU first. */
function colour(chosen: Item[]): Assignment[] {
  const sorted = [...chosen].sort((x, y) => x.a.startMs - y.a.startMs);
  const free: number[] = [];
  return sorted.map((it) => {
    let gpu = free.findIndex((until) => until <= it.a.startMs);
    if (gpu < 0) gpu = free.push(0) - 1;
    free[gpu] = it.a.endMs;
    return { request: it.a.request, gpu };
  });
}

interface Job {
  start: number;
  end: number;
  w: number;
}

/** Weighted interval scheduling on one machine: indices of a maximum-weight set of disjoint jobs. */
export function intervalScheduling(jobs: readonly Job[]): number[] {
  const order = jobs.map((_, i) => i).sort((x, y) => jobs[x]!.end - jobs[y]!.end);
  const ends = order.map((i) => jobs[i]!.end);
  const best = new Float64Array(order.length + 1); // best[k]: the first k jobs by end
  const take = new Uint8Array(order.length + 1);
  const prev = new Int32Array(order.length + 1);
  for (let k = 1; k <= order.length; k++) {
    const job = jobs[order[k - 1]!]!;
    // p: how many jobs end at or before this one starts.
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ends[mid - 1]! <= job.start) lo = mid;
      else hi = mid - 1;
    }
    const withIt = job.w + best[lo]!;
    if (withIt > best[k - 1]!) {
      best[k] = withIt;
      take[k] = 1;
      prev[k] = lo;
    } else {
      best[k] = best[k - 1]!;
    }
  }
  const chosen: number[] = [];
  for (let k = order.length; k > 0;) {
    if (take[k]) {
      chosen.push(order[k - 1]!);
      k = prev[k]!;
    } else k--;
  }
  return chosen.reverse();
}

/**
 * Maximum-weight set of jobs with at most `k` running at once (k identical machines): a min-cost flow of
 * k units along the time line, where each job is an arc from its start to its end with cost -weight and
 * capacity 1, beside the line's own arcs of capacity k and cost 0. Successive shortest paths; the first
 * potentials come from the acyclic graph in time order, later ones from Dijkstra on reduced costs.
 */
export function intervalFlow(jobs: readonly Job[], k: number): number[] {
  const times = [...new Set(jobs.flatMap((j) => [j.start, j.end]))].sort((a, b) => a - b);
  const n = times.length;
  if (n === 0) return [];
  const at = new Map(times.map((t, i) => [t, i]));
  // Arcs in pairs: 2e forward, 2e + 1 its reverse.
  const to: number[] = [];
  const cap: number[] = [];
  const cost: number[] = [];
  const out: number[][] = Array.from({ length: n }, () => []);
  const arc = (u: number, v: number, c: number, w: number) => {
    out[u]!.push(to.length);
    to.push(v);
    cap.push(c);
    cost.push(w);
    out[v]!.push(to.length);
    to.push(u);
    cap.push(0);
    cost.push(-w);
  };
  for (let i = 0; i + 1 < n; i++) arc(i, i + 1, k, 0);
  const jobArc = jobs.map((j) => {
    const id = to.length;
    arc(at.get(j.start)!, at.get(j.end)!, 1, -j.w);
    return id;
  });
  // Potentials: shortest distances in the acyclic graph (every arc goes forward in time).
  const pi = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  pi[0] = 0;
  for (let u = 0; u < n; u++) {
    if (pi[u] === Number.POSITIVE_INFINITY) continue;
    for (const e of out[u]!)
      if (cap[e]! > 0 && pi[u]! + cost[e]! < pi[to[e]!]!) pi[to[e]!] = pi[u]! + cost[e]!;
  }
  const dist = new Float64Array(n);
  const via = new Int32Array(n);
  for (let unit = 0; unit < k; unit++) {
    dist.fill(Number.POSITIVE_INFINITY);
    via.fill(-1);
    dist[0] = 0;
    const heap = new MinHeap();
    heap.push(0, 0);
    while (heap.size > 0) {
      const [d, u] = heap.pop();
      if (d > dist[u]!) continue;
      for (const e of out[u]!) {
        if (cap[e]! <= 0) continue;
        const v = to[e]!;
        const reduced = Math.max(0, cost[e]! + pi[u]! - pi[v]!);
        if (d + reduced < dist[v]!) {
          dist[v] = d + reduced;
          via[v] = e;
          heap.push(d + reduced, v);
        }
      }
    }
    if (dist[n - 1] === Number.POSITIVE_INFINITY) break;
    for (let v = 0; v < n; v++) if (dist[v]! < Number.POSITIVE_INFINITY) pi[v] = pi[v]! + dist[v]!;
    for (let v = n - 1; v !== 0; v = to[via[v]! ^ 1]!) {
      cap[via[v]!]! -= 1;
      cap[via[v]! ^ 1]! += 1;
    }
  }
  return jobs.map((_, i) => i).filter((i) => cap[jobArc[i]!] === 0);
}

class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, value: number): void {
    const { keys, values } = this;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!;
      values[i] = values[p]!;
      i = p;
    }
    keys[i] = key;
    values[i] = value;
  }
  pop(): [number, number] {
    const { keys, values } = this;
    const top: [number, number] = [keys[0]!, values[0]!];
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    if (keys.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= keys.length) break;
        if (c + 1 < keys.length && keys[c + 1]! < keys[c]!) c++;
        if (keys[c]! >= lastKey) break;
        keys[i] = keys[c]!;
        values[i] = values[c]!;
        i = c;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
    }
    return top;
  }
}

interface DpNode {
  busy: Float64Array;
  value: number;
  parent: DpNode | null;
  item: Item | null;
  gpu: number;
}

/** The exact DP over "when is each GPU next free", for GPUs that differ. */
function gpuStateDp(
  items: Item[],
  gpus: MarketStream['gpus'],
  stateBudget: number,
): Array<{ a: Assessment; gpu: number }> & { pruned: boolean } {
  const k = gpus.length;
  // Identical cards form a group; within a group the busy times are kept sorted.
  const groupOf = gpus.map((g) =>
    gpus.findIndex((h) => h.memoryTotalMiB === g.memoryTotalMiB && h.powerW === g.powerW),
  );
  const canonical = (busy: Float64Array, now: number) => {
    for (let g = 0; g < k; g++) if (busy[g]! <= now) busy[g] = 0;
    // Insertion sort inside each group (k is small).
    for (let g = 1; g < k; g++)
      for (let h = g; h > 0; h--) {
        const p = h - 1;
        if (groupOf[p] !== groupOf[h] || busy[p]! <= busy[h]!) break;
        const t = busy[p]!;
        busy[p] = busy[h]!;
        busy[h] = t;
      }
    return busy.join(',');
  };
  const sorted = [...items].sort((x, y) => x.a.startMs - y.a.startMs);
  let states = new Map<string, DpNode>();
  const root: DpNode = { busy: new Float64Array(k), value: 0, parent: null, item: null, gpu: -1 };
  states.set(root.busy.join(','), root);
  let pruned = false;
  for (const item of sorted) {
    const now = item.a.startMs;
    const next = new Map<string, DpNode>();
    const offer = (node: DpNode) => {
      const key = canonical(node.busy, now);
      const held = next.get(key);
      if (!held || node.value > held.value) next.set(key, node);
    };
    for (const node of states.values()) {
      offer({ ...node, busy: Float64Array.from(node.busy) });
      let tried = -1;
      for (let g = 0; g < k; g++) {
        const w = item.w[g]!;
        if (w === Number.NEGATIVE_INFINITY || node.busy[g]! > now) continue;
        // Among identical free cards, trying one is enough.
        if (tried >= 0 && groupOf[tried] === groupOf[g] && node.busy[tried] === node.busy[g]) continue;
        tried = g;
        const busy = Float64Array.from(node.busy);
        busy[g] = item.a.endMs;
        offer({ busy, value: node.value + w, parent: node, item, gpu: g });
      }
    }
    if (next.size > stateBudget) {
      pruned = true;
      const kept = [...next.entries()].sort((x, y) => y[1].value - x[1].value).slice(0, stateBudget);
      states = new Map(kept);
    } else states = next;
  }
  let best = root;
  for (const node of states.values()) if (node.value > best.value) best = node;
  const chosen: Array<{ a: Assessment; gpu: number }> = [];
  for (let n: DpNode | null = best; n && n.item; n = n.parent) chosen.push({ a: n.item.a, gpu: n.gpu });
  // The canonical sorting may have swapped identical cards' busy times; redo the GPU numbers so that no
  // card runs two overlapping requests (identical cards are interchangeable).
  chosen.reverse();
  const busyUntil = gpus.map(() => Number.NEGATIVE_INFINITY);
  for (const c of chosen) {
    if (busyUntil[c.gpu]! > c.a.startMs) {
      const swap = gpus.findIndex((_, g) => groupOf[g] === groupOf[c.gpu] && busyUntil[g]! <= c.a.startMs);
      c.gpu = swap;
    }
    busyUntil[c.gpu] = c.a.endMs;
  }
  return Object.assign(chosen, { pruned });
}
