import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate, type MigrationResult } from './migrate';
import { migrations as allMigrations, type Migration } from './migrations';
import { StoreError } from './store-errors';

export interface OpenedDatabase {
  db: Database;
  migration: MigrationResult;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and migrates it. A file that is not a SQLite
 * database is reported and left untouched, so an owner's data is never overwritten by a fresh one.
 */
export function openDatabase(
  file: string,
  options: { migrations?: readonly Migration[]; now?: () => Date } = {},
): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw new StoreError(`Cannot open the database ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // Reading the header first turns "file is not a database" into an error before we write anything.
    db.pragma('schema_version', { simple: true });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const migration = migrate(db, options.migrations ?? allMigrations, options.now ?? (() => new Date()));
    return { db, migration };
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreError(
        `${file} is not a readable Nocturne database (${(error as Error).message}). It was left as it is; ` +
          'move it aside to start fresh, or restore it from a backup.',
        { cause: error },
      );
    }
    throw new StoreError(`Cannot open the database ${file}: ${(error as Error).message}`, { cause: error });
  }
}
