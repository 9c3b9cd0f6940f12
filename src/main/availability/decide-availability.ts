import { horizonEnd, scheduleIntervals, type Interval } from './schedule-intervals';
import { wallParts } from './zoned-time';

export type AvailabilityMode = 'schedule' | 'schedule-and-idle' | 'idle';

export interface AvailabilitySignals {
  /** Seconds since the owner last touched keyboard or mouse; null where no source exists (headless). */
  userIdleSeconds: number | null;
  screenLocked: boolean | null;
  onBattery: boolean | null;
  /** Running games and GPU-heavy apps (Blender, Resolve, OBS), by the name the owner knows them. */
  games: string[];
  /** Other programs using a GPU (not our jobs). */
  otherGpuPrograms: string[];
  /** GPUs the thermal guard holds paused or stopped, in words. */
  thermalHolds: string[];
  /** The owner's manual pause; `until` null means until they resume. */
  manualPause: { until: number | null } | null;
}

export const NO_SIGNALS: AvailabilitySignals = {
  userIdleSeconds: null,
  screenLocked: null,
  onBattery: null,
  games: [],
  otherGpuPrograms: [],
  thermalHolds: [],
  manualPause: null,
};

export interface AvailabilityPolicy {
  mode: AvailabilityMode;
  idleMinutes: number;
}

export interface Schedule {
  timezone: string;
  slots: string;
}

export interface AvailabilityDecision {
  available: boolean;
  reasons: string[];
  /** When the answer flips if nothing but time changes; null when it never does within a week. */
  nextChange: number | null;
  /** One sentence for the tray, the Dashboard and the Schedule page's banner. */
  sentence: string;
}

function formatWhen(zone: string, at: number, now: number): string {
  const a = wallParts(zone, at);
  const n = wallParts(zone, now);
  const time = `${String(a.hour).padStart(2, '0')}:${String(a.minute).padStart(2, '0')}`;
  if (a.year === n.year && a.month === n.month && a.day === n.day) return time;
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(new Date(at));
  return `${weekday} ${time}`;
}

const list = (names: string[]) =>
  names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;

interface Judgement {
  available: boolean;
  blockers: string[];
  positives: string[];
}

/** Whether the machine is for rent at `now`, given constant signals: the core of the decision. */
function judge(
  signals: AvailabilitySignals,
  schedule: Schedule,
  intervals: Interval[],
  policy: AvailabilityPolicy,
  now: number,
): Judgement {
  const blockers: string[] = [];
  const positives: string[] = [];
  const pause = signals.manualPause;
  if (pause && (pause.until === null || pause.until > now)) {
    blockers.push(
      pause.until === null
        ? 'Paused by you'
        : `Paused by you until ${formatWhen(schedule.timezone, pause.until, now)}`,
    );
  }
  if (signals.thermalHolds.length > 0) blockers.push(`Too hot: ${signals.thermalHolds.join('; ')}`);
  if (signals.onBattery === true) blockers.push('Running on battery');
  if (signals.games.length > 0) blockers.push(`A game or GPU app is running: ${list(signals.games)}`);
  if (signals.otherGpuPrograms.length > 0)
    blockers.push(`Another program is using the GPU: ${list(signals.otherGpuPrograms)}`);

  if (policy.mode !== 'idle') {
    const inside = intervals.find((i) => i.start <= now && now < i.end);
    if (inside) positives.push('Inside your schedule');
    else blockers.push('Outside your schedule');
  }
  if (policy.mode !== 'schedule') {
    const needed = policy.idleMinutes * 60;
    const idle = signals.screenLocked === true ? Number.POSITIVE_INFINITY : signals.userIdleSeconds;
    if (idle === null) blockers.push('Nocturne cannot tell here whether you are using the computer');
    else if (idle < needed)
      blockers.push(`You are using the computer (needs ${policy.idleMinutes} min idle)`);
    else positives.push(signals.screenLocked ? 'Screen locked' : `Idle for ${Math.floor(idle / 60)} min`);
  }
  return { available: blockers.length === 0, blockers, positives };
}

/** Signals as they will be after `dt` ms if nothing happens: idle time grows, a timed pause runs out. */
function advance(signals: AvailabilitySignals, dtMs: number, at: number): AvailabilitySignals {
  return {
    ...signals,
    userIdleSeconds: signals.userIdleSeconds === null ? null : signals.userIdleSeconds + dtMs / 1000,
    manualPause:
      signals.manualPause && signals.manualPause.until !== null && signals.manualPause.until <= at
        ? null
        : signals.manualPause,
  };
}

/**
 * The availability decision: a pure function of (signals, schedule, policy, now). Re-run whenever any input
 * changes; nothing here remembers the past, so a machine that wakes inside a window is available at once.
 */
export function decideAvailability(
  signals: AvailabilitySignals,
  schedule: Schedule,
  policy: AvailabilityPolicy,
  now: number,
): AvailabilityDecision {
  const intervals = scheduleIntervals(schedule.timezone, schedule.slots, now);
  const current = judge(signals, schedule, intervals, policy, now);

  // Every moment the answer could flip with time alone, tried in order.
  const candidates = new Set<number>();
  for (const i of intervals) {
    if (i.start > now) candidates.add(i.start);
    if (i.end > now) candidates.add(i.end);
  }
  if (signals.manualPause?.until && signals.manualPause.until > now)
    candidates.add(signals.manualPause.until);
  if (signals.userIdleSeconds !== null && policy.mode !== 'schedule') {
    const remaining = policy.idleMinutes * 60 - signals.userIdleSeconds;
    if (remaining > 0) candidates.add(now + Math.ceil(remaining) * 1000);
  }
  const horizon = horizonEnd(schedule.timezone, now);
  let nextChange: number | null = null;
  for (const at of [...candidates].sort((a, b) => a - b)) {
    if (at >= horizon) break;
    if (
      judge(advance(signals, at - now, at), schedule, intervals, policy, at).available !== current.available
    ) {
      nextChange = at;
      break;
    }
  }

  const zone = schedule.timezone;
  const reasons = current.available ? current.positives : current.blockers;
  let sentence: string;
  if (current.available) {
    sentence =
      nextChange === null ? 'For rent now.' : `For rent now, until ${formatWhen(zone, nextChange, now)}.`;
  } else {
    const why = current.blockers[0]!;
    const first = why.charAt(0).toLowerCase() + why.slice(1);
    sentence =
      nextChange === null
        ? `Not for rent: ${first}.`
        : `Not for rent: ${first}. For rent from ${formatWhen(zone, nextChange, now)}.`;
  }
  return { available: current.available, reasons, nextChange, sentence };
}
