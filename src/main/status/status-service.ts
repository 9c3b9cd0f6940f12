import type { AppStatus, RunMode } from '../../shared/schemas/app-status';
import type { Clock } from '../core/clock';

export interface StatusState {
  paused: boolean;
  pausedAt: Date | null;
}

/** The status sentence is a pure function of state, so tray, Dashboard and CLI always agree. */
export function statusSentence(state: StatusState): string {
  if (state.paused) return 'Paused by you. Nothing is rented out until you resume.';
  return 'Running. Renting starts once your GPUs, schedule and wallet are set up.';
}

export function createStatusService(deps: {
  clock: Clock;
  mode: RunMode;
  version: string;
  dataDir: string;
  schemaVersion: number;
  onChange: (status: AppStatus) => void;
}) {
  const startedAt = deps.clock.now();
  let state: StatusState = { paused: false, pausedAt: null };

  const snapshot = (): AppStatus => ({
    version: deps.version,
    mode: deps.mode,
    state: state.paused ? 'paused' : 'active',
    sentence: statusSentence(state),
    startedAt: startedAt.toISOString(),
    pausedAt: state.pausedAt?.toISOString() ?? null,
    dataDir: deps.dataDir,
    schemaVersion: deps.schemaVersion,
  });

  const set = (next: StatusState): AppStatus => {
    const changed = next.paused !== state.paused;
    state = next;
    const status = snapshot();
    if (changed) deps.onChange(status);
    return status;
  };

  return {
    get: snapshot,
    pause: () => (state.paused ? snapshot() : set({ paused: true, pausedAt: deps.clock.now() })),
    resume: () => set({ paused: false, pausedAt: null }),
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
