import type { AppStatus, RunMode } from '../../shared/schemas/app-status';
import type { AvailabilityView, PauseFor } from '../../shared/schemas/availability';
import type { Clock } from '../core/clock';

/** The part of availability the status needs: its view, and the owner's pause. */
export interface StatusAvailability {
  view(): AvailabilityView;
  pause(duration: PauseFor): unknown;
  resume(): unknown;
  pausedSince(): number | null;
}

/**
 * The app's status as the tray, the Dashboard and the CLI show it. Its sentence is availability's, so
 * all three always say the same thing.
 */
export function createStatusService(deps: {
  clock: Clock;
  mode: RunMode;
  version: string;
  dataDir: string;
  schemaVersion: number;
  availability: StatusAvailability;
}) {
  const startedAt = deps.clock.now();

  const snapshot = (): AppStatus => {
    const view = deps.availability.view();
    const since = deps.availability.pausedSince();
    return {
      version: deps.version,
      mode: deps.mode,
      state: view.pause ? 'paused' : 'active',
      sentence: view.sentence,
      available: view.available,
      startedAt: startedAt.toISOString(),
      pausedAt: view.pause && since !== null ? new Date(since).toISOString() : null,
      pausedUntil: view.pause?.until ?? null,
      dataDir: deps.dataDir,
      schemaVersion: deps.schemaVersion,
    };
  };

  return {
    get: snapshot,
    pause(duration: PauseFor = 'indefinitely'): AppStatus {
      deps.availability.pause(duration);
      return snapshot();
    },
    resume(): AppStatus {
      deps.availability.resume();
      return snapshot();
    },
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
