import type { Database } from 'better-sqlite3';
import { SLOTS_PER_WEEK } from '../../shared/schedule/week-slots';
import type { Schedule } from './decide-availability';

export interface StoredPause {
  since: number;
  until: number | null;
}

/** The schedule and the manual pause, one row each, behind named statements. */
export function createAvailabilityRepository(db: Database) {
  const statements = {
    getSchedule: db.prepare<[], { timezone: string; slots: string }>(
      'SELECT timezone, slots FROM schedule WHERE id = 1',
    ),
    putSchedule: db.prepare<[string, string, string]>(
      `INSERT INTO schedule (id, timezone, slots, updated_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET timezone = excluded.timezone, slots = excluded.slots, updated_at = excluded.updated_at`,
    ),
    getPause: db.prepare<[], { since: string; until: string | null }>(
      'SELECT since, until FROM manual_pause WHERE id = 1',
    ),
    putPause: db.prepare<[string, string | null]>(
      `INSERT INTO manual_pause (id, since, until) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET since = excluded.since, until = excluded.until`,
    ),
    clearPause: db.prepare('DELETE FROM manual_pause WHERE id = 1'),
  };
  return {
    schedule(): Schedule | null {
      const row = statements.getSchedule.get();
      return row && row.slots.length === SLOTS_PER_WEEK ? row : null;
    },
    saveSchedule(schedule: Schedule, at: Date): void {
      statements.putSchedule.run(schedule.timezone, schedule.slots, at.toISOString());
    },
    pause(): StoredPause | null {
      const row = statements.getPause.get();
      return row
        ? { since: Date.parse(row.since), until: row.until === null ? null : Date.parse(row.until) }
        : null;
    },
    savePause(pause: StoredPause | null): void {
      if (!pause) statements.clearPause.run();
      else
        statements.putPause.run(
          new Date(pause.since).toISOString(),
          pause.until === null ? null : new Date(pause.until).toISOString(),
        );
    },
  };
}

export type AvailabilityRepository = ReturnType<typeof createAvailabilityRepository>;
