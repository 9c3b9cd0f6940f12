import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations';
import { NewerSchemaError, StoreError } from './store-errors';

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration list is out of order at index ${i} (version ${m.version})`);
  });
}

/** Brings the database to the newest schema this build knows, or refuses one written by a newer build. */
export function migrate(db: Database, list: readonly Migration[], now: () => Date): MigrationResult {
  assertOrdered(list);
  const known = list.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > known) throw new NewerSchemaError(db.name, from, known);

  const applied: number[] = [];
  for (const migration of list.slice(from)) {
    const run = db.transaction((): boolean => {
      // Another process may have applied it since `from` was read (two commands opening a new data
      // directory at once); under the IMMEDIATE lock this read is current, so it is never applied twice.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return false;
      migration.up(db);
      db.prepare('INSERT INTO migration_log (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        now().toISOString(),
      );
      // user_version lives in the database header and is rolled back with the transaction.
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    let ran: boolean;
    try {
      ran = run.immediate();
    } catch (error) {
      throw new StoreError(
        `Upgrading ${db.name} to schema ${migration.version} (${migration.name}) failed; it was left at schema ` +
          `${migration.version - 1}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (ran) applied.push(migration.version);
  }
  return { from, to: known, applied };
}
