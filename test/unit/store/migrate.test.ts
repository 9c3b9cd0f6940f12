import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { migrations, type Migration } from '../../../src/main/store/migrations';
import { openDatabase } from '../../../src/main/store/open-database';
import { NewerSchemaError, StoreError } from '../../../src/main/store/store-errors';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const extra: Migration = {
  version: migrations.length + 1,
  name: 'test: notes table',
  up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT'),
};

function tables(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('openDatabase and migrations', () => {
  it('creates a fresh database at the newest schema, in WAL mode, with every step logged', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    const { db, migration } = openDatabase(file);
    expect(migration).toEqual({ from: 0, to: migrations.length, applied: migrations.map((m) => m.version) });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const logged = db
      .prepare<[], { version: number }>('SELECT version FROM migration_log ORDER BY version')
      .all();
    expect(logged.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    db.close();
    expect(tables(file)).toContain('settings');
  });

  it('applies each migration once: reopening applies nothing', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    openDatabase(file).db.close();
    const again = openDatabase(file);
    expect(again.migration.applied).toEqual([]);
    again.db.close();
  });

  it('upgrades an older database in order and keeps its data', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    const old = openDatabase(file);
    old.db
      .prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('deviceName', '\"rig\"', 'x')")
      .run();
    old.db.close();

    const upgraded = openDatabase(file, { migrations: [...migrations, extra] });
    expect(upgraded.migration).toEqual({
      from: migrations.length,
      to: extra.version,
      applied: [extra.version],
    });
    expect(
      upgraded.db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get('deviceName'),
    ).toBe('"rig"');
    upgraded.db.prepare("INSERT INTO notes (text) VALUES ('kept')").run();
    upgraded.db.close();
    expect(tables(file)).toContain('notes');
  });

  it('refuses a database written by a newer version, says so, and changes nothing', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    openDatabase(file, { migrations: [...migrations, extra] }).db.close();
    const before = readFileSync(file);

    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NewerSchemaError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `newer version of Nocturne \\(schema ${extra.version}; this version knows up to ${migrations.length}\\)`,
      ),
    );
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls a failing migration back whole and reports which one failed', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    openDatabase(file).db.close();
    const broken: Migration = {
      version: migrations.length + 1,
      name: 'test: half done',
      up: (db) => {
        db.exec('CREATE TABLE half (id INTEGER)');
        db.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openDatabase(file, { migrations: [...migrations, broken] })).toThrow(
      `schema ${broken.version} (test: half done) failed; it was left at schema ${migrations.length}`,
    );
    expect(tables(file)).not.toContain('half');
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('reports a file that is not a database and leaves its bytes alone', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    const garbage = Buffer.from('this is my tax return, not a database '.repeat(200));
    writeFileSync(file, garbage);
    expect(() => openDatabase(file)).toThrow(StoreError);
    expect(() => openDatabase(file)).toThrow(/is not a readable Nocturne database/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('skips a step another process applied after the version was read, as when two commands start at once', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    openDatabase(file, { migrations: [...migrations, extra] }).db.close();
    const late = new BetterSqlite3(file);
    // The version as this process read it before the other one upgraded: one step behind.
    let stale = true;
    const view = new Proxy(late, {
      get(target, key) {
        if (key === 'pragma')
          return (source: string, options?: { simple?: boolean }) => {
            if (source === 'user_version' && stale) {
              stale = false;
              return migrations.length;
            }
            return target.pragma(source, options);
          };
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    expect(migrate(view, [...migrations, extra], () => new Date()).applied).toEqual([]);
    expect(
      late.prepare('SELECT count(*) AS n FROM migration_log WHERE version = ?').get(extra.version),
    ).toEqual({ n: 1 });
    late.close();
  });

  it('rejects a migration list with a gap, which would skip a schema step', () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    const gap = [...migrations, { ...extra, version: extra.version + 1 }];
    expect(() => openDatabase(file, { migrations: gap })).toThrow(/out of order/);
  });
});
