/**
 * The thermal guard's decision, as a pure function of (state, sample, limits, now). Escalation when a
 * card runs at or above its limit: cap its power (where the driver lets us) -> pause the job -> stop the
 * job after `stopAfterSeconds` above the limit. Recovery needs `resumeMarginC` below the limit, so a card
 * hovering at the limit does not flap between paused and running.
 */
export interface ThermalLimits {
  temperatureLimitC: number;
  resumeMarginC: number;
  stopAfterSeconds: number;
  /** The owner's own cap while renting, or null for the card's default. */
  powerCapW: number | null;
}

export const DEFAULT_THERMAL_LIMITS: ThermalLimits = {
  temperatureLimitC: 80,
  resumeMarginC: 5,
  stopAfterSeconds: 300,
  powerCapW: null,
};

export type GuardPhase = 'normal' | 'capped' | 'paused' | 'stopped';

export interface GuardState {
  phase: GuardPhase;
  /** When the card first reached the limit in this episode (ms), null when it is cool. */
  overSinceMs: number | null;
  /** Set once the driver refused a power cap, so we do not ask again every sample. */
  capUnavailable: boolean;
}

export const INITIAL_GUARD_STATE: GuardState = { phase: 'normal', overSinceMs: null, capUnavailable: false };

export interface ThermalSample {
  temperatureC: number | null;
  powerLimitW: number | null;
}

export type GuardActionType = 'cap-power' | 'pause-job' | 'stop-job' | 'resume-job' | 'restore-power';

export interface GuardAction {
  type: GuardActionType;
  /** Target watts for cap-power. */
  watts?: number;
  reason: string;
}

export interface GuardDecision {
  state: GuardState;
  action: GuardAction | null;
}

/** Escalation caps the card at this share of its current limit, or the owner's cap if that is lower. */
const CAP_SHARE = 0.75;

function capTarget(sample: ThermalSample, limits: ThermalLimits): number | null {
  if (sample.powerLimitW === null) return limits.powerCapW;
  const share = Math.round(sample.powerLimitW * CAP_SHARE);
  return limits.powerCapW === null ? share : Math.min(share, limits.powerCapW);
}

export function decideThermal(
  state: GuardState,
  sample: ThermalSample,
  limits: ThermalLimits,
  nowMs: number,
  canCapPower: boolean,
): GuardDecision {
  const t = sample.temperatureC;
  // Unknown temperature: no evidence either way, so hold the current state.
  if (t === null) return { state, action: null };
  const limit = limits.temperatureLimitC;
  const reading = `${Math.round(t)} C, limit ${limit} C`;

  if (t >= limit) {
    const overSinceMs = state.overSinceMs ?? nowMs;
    const overSeconds = (nowMs - overSinceMs) / 1000;
    if (state.phase === 'stopped') return { state: { ...state, overSinceMs }, action: null };
    if (state.phase === 'paused') {
      if (overSeconds >= limits.stopAfterSeconds) {
        return {
          state: { ...state, phase: 'stopped', overSinceMs },
          action: { type: 'stop-job', reason: `Stopped: ${reading} for ${Math.round(overSeconds)} s` },
        };
      }
      return { state: { ...state, overSinceMs }, action: null };
    }
    const target = capTarget(sample, limits);
    if (state.phase === 'normal' && canCapPower && !state.capUnavailable && target !== null) {
      return {
        state: { ...state, phase: 'capped', overSinceMs },
        action: { type: 'cap-power', watts: target, reason: `Power capped to ${target} W: ${reading}` },
      };
    }
    // Capped and still hot, or capping is not possible here: pause the work.
    const why =
      state.phase === 'capped' ? 'still too hot after capping power' : 'power cannot be capped on this card';
    return {
      state: { ...state, phase: 'paused', overSinceMs },
      action: { type: 'pause-job', reason: `Paused: ${reading} (${why})` },
    };
  }

  const cooled = t <= limit - limits.resumeMarginC;
  if (!cooled) return { state, action: null }; // between resume point and limit: hold (hysteresis)
  switch (state.phase) {
    case 'normal':
      return state.overSinceMs === null
        ? { state, action: null }
        : { state: { ...state, overSinceMs: null }, action: null };
    case 'capped':
      return {
        state: { ...state, phase: 'normal', overSinceMs: null },
        action: { type: 'restore-power', reason: `Power restored: cooled to ${reading}` },
      };
    case 'paused':
    case 'stopped':
      return {
        state: { ...state, phase: 'normal', overSinceMs: null },
        action: { type: 'resume-job', reason: `Resumed: cooled to ${reading}` },
      };
  }
}

/** The guard's state in words for the GPUs page and the tray, e.g. "Paused: 84 C, limit 80 C". */
export function describeGuard(phase: GuardPhase, temperatureC: number | null, limits: ThermalLimits): string {
  const reading =
    temperatureC === null
      ? `limit ${limits.temperatureLimitC} C`
      : `${Math.round(temperatureC)} C, limit ${limits.temperatureLimitC} C`;
  switch (phase) {
    case 'normal':
      return temperatureC === null
        ? `Temperature unknown; limit ${limits.temperatureLimitC} C`
        : `OK: ${reading}`;
    case 'capped':
      return `Power capped: ${reading}`;
    case 'paused':
      return `Paused: ${reading}`;
    case 'stopped':
      return `Stopped: ${reading}`;
  }
}
