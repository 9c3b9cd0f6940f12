import type { AvailabilityView, PauseFor, ScheduleView } from '../../shared/schemas/availability';
import { presetSlots } from '../../shared/schedule/windows';
import { slotsToWindows } from '../../shared/schedule/windows';
import { isKnownTimeZone } from '../../shared/schedule/time-zones';
import type { Settings } from '../../shared/schemas/settings';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { AvailabilityRepository } from './availability-repository';
import {
  NO_SIGNALS,
  decideAvailability,
  type AvailabilityDecision,
  type AvailabilitySignals,
  type Schedule,
} from './decide-availability';
import { wallParts, wallToInstant } from './zoned-time';

/** The machine's own zone, for a first schedule; UTC where the runtime cannot say. */
export function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isKnownTimeZone(zone) ? zone : 'UTC';
}

/** Until tomorrow = until the next midnight on the owner's clock. */
export function nextLocalMidnight(zone: string, now: number): number {
  const p = wallParts(zone, now);
  return wallToInstant(zone, Date.UTC(p.year, p.month - 1, p.day + 1));
}

/**
 * Holds the current signals, decides on every change (not on a timer), and wakes itself at the next
 * change the decision foresees. The decision itself is the pure `decideAvailability`.
 */
export function createAvailabilityService(deps: {
  repository: AvailabilityRepository;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  onChange: (view: AvailabilityView, decision: AvailabilityDecision) => void;
  defaultTimeZone?: string;
}) {
  let signals: AvailabilitySignals = { ...NO_SIGNALS };
  let last: AvailabilityView | null = null;
  let wakeTimer: NodeJS.Timeout | undefined;
  let safetyTimer: NodeJS.Timeout | undefined;

  const schedule = (): Schedule =>
    deps.repository.schedule() ?? {
      timezone: deps.defaultTimeZone ?? systemTimeZone(),
      slots: presetSlots('overnight'),
    };

  const pause = () => {
    const stored = deps.repository.pause();
    const now = deps.clock.now().getTime();
    if (stored && stored.until !== null && stored.until <= now) {
      deps.repository.savePause(null); // a timed pause that ran out is over, also across restarts
      return null;
    }
    return stored;
  };

  const compute = (): { view: AvailabilityView; decision: AvailabilityDecision } => {
    const now = deps.clock.now().getTime();
    const settings = deps.settings();
    const stored = pause();
    const decision = decideAvailability(
      { ...signals, manualPause: stored ? { until: stored.until } : null },
      schedule(),
      { mode: settings.availabilityMode, idleMinutes: settings.idleMinutes },
      now,
    );
    const view: AvailabilityView = {
      available: decision.available,
      reasons: decision.reasons,
      nextChange: decision.nextChange === null ? null : new Date(decision.nextChange).toISOString(),
      sentence: decision.sentence,
      mode: settings.availabilityMode,
      idleMinutes: settings.idleMinutes,
      pause: stored ? { until: stored.until === null ? null : new Date(stored.until).toISOString() } : null,
    };
    return { view, decision };
  };

  const reevaluate = (): AvailabilityView => {
    const { view, decision } = compute();
    clearTimeout(wakeTimer);
    if (decision.nextChange !== null) {
      // setTimeout holds at most ~24.8 days; the safety tick covers anything further.
      const delay = Math.min(decision.nextChange - deps.clock.now().getTime() + 50, 2 ** 31 - 1);
      wakeTimer = setTimeout(reevaluate, Math.max(0, delay));
      wakeTimer.unref();
    }
    if (!last || JSON.stringify(last) !== JSON.stringify(view)) {
      last = view;
      deps.onChange(view, decision);
    }
    return view;
  };

  return {
    start() {
      reevaluate();
      // The clock can jump (sleep, manual change) without any signal: look again every minute.
      safetyTimer = setInterval(reevaluate, 60_000);
      safetyTimer.unref();
    },
    stop() {
      clearTimeout(wakeTimer);
      clearInterval(safetyTimer);
    },
    view: (): AvailabilityView => last ?? reevaluate(),
    reevaluate,
    /** Any signal source reports here; only what it knows changes. */
    updateSignals(patch: Partial<AvailabilitySignals>): AvailabilityView {
      signals = { ...signals, ...patch };
      return reevaluate();
    },
    signals: () => signals,
    schedule(): ScheduleView {
      const s = schedule();
      return { timezone: s.timezone, slots: s.slots, windows: slotsToWindows(s.slots) };
    },
    setSchedule(next: Schedule): ScheduleView {
      deps.repository.saveSchedule(next, deps.clock.now());
      deps.logger.info(`Schedule set: ${next.timezone}, ${slotsToWindows(next.slots).join('; ') || 'never'}`);
      reevaluate();
      return this.schedule();
    },
    pause(duration: PauseFor): AvailabilityView {
      const now = deps.clock.now().getTime();
      const until =
        duration === 'hour'
          ? now + 3_600_000
          : duration === 'tomorrow'
            ? nextLocalMidnight(schedule().timezone, now)
            : null;
      deps.repository.savePause({ since: now, until });
      return reevaluate();
    },
    resume(): AvailabilityView {
      deps.repository.savePause(null);
      return reevaluate();
    },
    pausedSince: (): number | null => pause()?.since ?? null,
  };
}

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;
