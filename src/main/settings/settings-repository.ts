import type { Database } from 'better-sqlite3';

export interface StoredSetting {
  key: string;
  value: unknown;
}

/** The settings table behind named statements; values are JSON so each key keeps its type. */
export function createSettingsRepository(db: Database) {
  const statements = {
    all: db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings'),
    upsert: db.prepare<[string, string, string]>(
      `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    ),
  };

  return {
    /** Rows whose JSON cannot be read are skipped (and reported), so one bad row cannot lock the owner out. */
    readAll(onUnreadable: (key: string) => void = () => {}): StoredSetting[] {
      const rows: StoredSetting[] = [];
      for (const row of statements.all.all()) {
        try {
          rows.push({ key: row.key, value: JSON.parse(row.value_json) });
        } catch {
          onUnreadable(row.key);
        }
      }
      return rows;
    },
    writeMany: db.transaction((entries: [string, unknown][], at: Date) => {
      for (const [key, value] of entries) statements.upsert.run(key, JSON.stringify(value), at.toISOString());
    }),
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
