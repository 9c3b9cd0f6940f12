import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3, ... with no gaps; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * Every schema change, in order. Never edit one that has shipped: add the next. Each runs once, inside
 * its own transaction together with the version bump, so a crash leaves the old schema or the new one.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings and migration log',
    up(db) {
      db.exec(`
        CREATE TABLE migration_log (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value_json TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];
