import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THERMAL_LIMITS,
  INITIAL_GUARD_STATE,
  decideThermal,
  describeGuard,
  type GuardAction,
  type GuardState,
} from '../../../src/main/gpu/thermal-policy';
import { createFakeClock } from '../../fakes/fake-clock';

const limits = { ...DEFAULT_THERMAL_LIMITS, temperatureLimitC: 80, resumeMarginC: 5, stopAfterSeconds: 60 };

/** Feeds temperatures one per `stepMs` through the policy, as the GPU monitor would. */
function run(
  temps: (number | null)[],
  opts: { canCap?: boolean; stepMs?: number; powerLimitW?: number | null } = {},
) {
  const clock = createFakeClock();
  let state: GuardState = INITIAL_GUARD_STATE;
  const actions: (GuardAction & { atS: number })[] = [];
  const start = clock.now().getTime();
  for (const t of temps) {
    const decision = decideThermal(
      state,
      { temperatureC: t, powerLimitW: opts.powerLimitW === undefined ? 300 : opts.powerLimitW },
      limits,
      clock.now().getTime(),
      opts.canCap ?? true,
    );
    state = decision.state;
    if (decision.action) actions.push({ ...decision.action, atS: (clock.now().getTime() - start) / 1000 });
    clock.advance(opts.stepMs ?? 10_000);
  }
  return { state, actions };
}

describe('thermal guard policy', () => {
  it('does nothing below the limit', () => {
    expect(run([60, 70, 79]).actions).toEqual([]);
  });

  it('caps power first when the limit is crossed, at 75 % of the card limit', () => {
    const { actions, state } = run([70, 80]);
    expect(actions).toEqual([
      { type: 'cap-power', watts: 225, reason: 'Power capped to 225 W: 80 C, limit 80 C', atS: 10 },
    ]);
    expect(state.phase).toBe('capped');
  });

  it("uses the owner's lower cap when escalating", () => {
    const decision = decideThermal(
      INITIAL_GUARD_STATE,
      { temperatureC: 85, powerLimitW: 300 },
      { ...limits, powerCapW: 180 },
      0,
      true,
    );
    expect(decision.action).toMatchObject({ type: 'cap-power', watts: 180 });
  });

  it('escalates: cap -> pause -> stop after stopAfterSeconds above the limit', () => {
    const { actions, state } = run([81, 82, 83, 83, 83, 83, 83, 83, 83]);
    expect(actions.map((a) => [a.type, a.atS])).toEqual([
      ['cap-power', 0],
      ['pause-job', 10],
      ['stop-job', 60],
    ]);
    expect(actions[1]!.reason).toBe('Paused: 82 C, limit 80 C (still too hot after capping power)');
    expect(state.phase).toBe('stopped');
  });

  it('pauses straight away when power cannot be capped, and says why', () => {
    const { actions } = run([85], { canCap: false });
    expect(actions).toEqual([
      { type: 'pause-job', reason: 'Paused: 85 C, limit 80 C (power cannot be capped on this card)', atS: 0 },
    ]);
    expect(run([85], { powerLimitW: null }).actions[0]!.type).toBe('pause-job');
  });

  it('holds inside the hysteresis band and resumes only at limit - 5 C', () => {
    const { actions } = run([81, 82, 79, 77, 76, 75, 70]);
    expect(actions.map((a) => a.type)).toEqual(['cap-power', 'pause-job', 'resume-job']);
    expect(actions[2]).toMatchObject({ atS: 50, reason: 'Resumed: cooled to 75 C, limit 80 C' });
  });

  it('restores power when a capped card cools without needing a pause', () => {
    const { actions, state } = run([80, 78, 75]);
    expect(actions.map((a) => a.type)).toEqual(['cap-power', 'restore-power']);
    expect(state).toEqual(INITIAL_GUARD_STATE);
  });

  it('a cool spell resets the clock toward stopping', () => {
    // Hot for 40 s, cool, hot again for 40 s: never 60 s in one episode, so never stopped.
    const { actions } = run([81, 81, 81, 81, 81, 70, 81, 81, 81, 81, 81], { canCap: false });
    expect(actions.map((a) => a.type)).toEqual(['pause-job', 'resume-job', 'pause-job']);
  });

  it('recovers from stopped once cool, and ignores unknown temperatures', () => {
    const { actions, state } = run([90, 90, 90, 90, 90, 90, 90, 90, null, 74], { canCap: false });
    expect(actions.map((a) => a.type)).toEqual(['pause-job', 'stop-job', 'resume-job']);
    expect(state.phase).toBe('normal');
  });

  it('does not ask for a cap again once the driver refused one', () => {
    const decision = decideThermal(
      { ...INITIAL_GUARD_STATE, capUnavailable: true },
      { temperatureC: 81, powerLimitW: 300 },
      limits,
      0,
      true,
    );
    expect(decision.action?.type).toBe('pause-job');
  });

  it('describes the state in words', () => {
    expect(describeGuard('paused', 84.4, limits)).toBe('Paused: 84 C, limit 80 C');
    expect(describeGuard('normal', 65, limits)).toBe('OK: 65 C, limit 80 C');
    expect(describeGuard('normal', null, limits)).toBe('Temperature unknown; limit 80 C');
  });
});
