/**
 * The value of a free GPU: V(x), the net a GPU that is free at now + x can expect to earn from the
 * requests still to come until the end of the window (or the horizon), when it takes each one that is
 * worth more than staying free for what follows. Computed backwards on a grid of steps: at each step a
 * request arrives with the probability the arrival rate gives, drawn from the sample of past work, and is
 * taken when its net plus V at its end beats V at the next step. V(0) - V(d) is then what running a
 * request of duration d now costs in work the GPU could otherwise have done: its opportunity cost.
 */

const HOUR = 3_600_000;

export interface FutureValueInput {
  nowMs: number;
  /** Requests must end by then (the end of the window they start in). */
  windowEndMs: number;
  /** No value is counted past this instant (at most windowEndMs). */
  horizonEndMs: number;
  stepMs: number;
  /** Expected relevant arrivals per hour reaching this GPU at an instant. */
  rateAt(instantMs: number): number;
  /** Electricity per kWh at an instant. */
  pricePerKWhAt(instantMs: number): number;
  powerKW: number;
  /** The work this GPU could hold, as seen so far. */
  durationsMs: Float64Array;
  pricesPerHour: Float64Array;
}

export interface FutureValue {
  /** V at now + offsetMs. */
  at(offsetMs: number): number;
}

export function futureValue(input: FutureValueInput): FutureValue {
  const { nowMs, windowEndMs, horizonEndMs, stepMs, powerKW, durationsMs, pricesPerHour } = input;
  const n = Math.max(0, Math.ceil((horizonEndMs - nowMs) / stepMs));
  const roomSteps = (windowEndMs - nowMs) / stepMs;
  const count = durationsMs.length;
  const value = new Float64Array(n + 1);
  if (n === 0 || count === 0) return { at: () => 0 };

  // Cumulative electricity of one kilowatt at the grid points, far enough for the longest request.
  let longest = 0;
  for (let k = 0; k < count; k++) longest = Math.max(longest, durationsMs[k]! / stepMs);
  const reach = Math.min(Math.ceil(roomSteps), n + Math.ceil(longest)) + 1;
  const kw = new Float64Array(reach + 1);
  for (let i = 0; i < reach; i++)
    kw[i + 1] = kw[i]! + (input.pricePerKWhAt(nowMs + i * stepMs) * stepMs) / HOUR;
  const kwAt = (x: number) => {
    const i = Math.min(Math.floor(x), reach - 1);
    return kw[i]! + (kw[i + 1]! - kw[i]!) * (x - i);
  };
  const valueAt = (x: number) => {
    if (x >= n) return 0;
    const i = Math.floor(x);
    return value[i]! + (value[i + 1]! - value[i]!) * (x - i);
  };

  const steps = new Float64Array(count);
  const revenue = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    steps[k] = durationsMs[k]! / stepMs;
    revenue[k] = (pricesPerHour[k]! * durationsMs[k]!) / HOUR;
  }
  const stepHours = stepMs / HOUR;
  for (let i = n - 1; i >= 0; i--) {
    const stay = value[i + 1]!;
    const p = 1 - Math.exp(-input.rateAt(nowMs + i * stepMs) * stepHours);
    let sum = 0;
    const kwHere = kw[i]!;
    for (let k = 0; k < count; k++) {
      const end = i + steps[k]!;
      if (end > roomSteps) {
        sum += stay;
        continue;
      }
      const take = revenue[k]! - powerKW * (kwAt(end) - kwHere) + valueAt(end);
      sum += take > stay ? take : stay;
    }
    value[i] = (1 - p) * stay + (p * sum) / count;
  }
  return { at: (offsetMs) => valueAt(offsetMs / stepMs) };
}
