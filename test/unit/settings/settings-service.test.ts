import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/shared/schemas/settings';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { createSettingsRepository } from '../../../src/main/settings/settings-repository';
import { createSettingsService } from '../../../src/main/settings/settings-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

function open(file: string) {
  const { db } = openDatabase(file);
  const changes: Settings[] = [];
  const logger = createMemoryLogger();
  const service = createSettingsService({
    repository: createSettingsRepository(db),
    clock: createFakeClock(),
    logger,
    onChange: (s) => changes.push(s),
  });
  return { db, service, changes, logger };
}

describe('settings service', () => {
  it('starts from the defaults', () => {
    const { db, service } = open(join(tempDir(), 'db.sqlite'));
    expect(service.get()).toEqual(DEFAULT_SETTINGS);
    db.close();
  });

  it('persists an update across a restart and announces it once', () => {
    const file = join(tempDir(), 'db.sqlite');
    const first = open(file);
    first.service.update({ deviceName: 'Attic 4090', temperatureUnit: 'fahrenheit' });
    expect(first.changes).toHaveLength(1);
    first.service.update({ deviceName: 'Attic 4090' });
    expect(first.changes).toHaveLength(1); // unchanged values are not news
    first.db.close();

    const second = open(file);
    expect(second.service.get()).toEqual({
      ...DEFAULT_SETTINGS,
      deviceName: 'Attic 4090',
      temperatureUnit: 'fahrenheit',
    });
    second.db.close();
  });

  it('falls back to the default for a stored value that no longer validates, keeping the others', () => {
    const file = join(tempDir(), 'db.sqlite');
    const first = open(file);
    first.service.update({ deviceName: 'Kept' });
    first.db
      .prepare(
        "INSERT INTO settings (key, value_json, updated_at) VALUES ('temperatureUnit', '\"kelvin\"', 'x')",
      )
      .run();
    first.db
      .prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('closeToTray', '{oops', 'x')")
      .run();
    first.db.close();

    const second = open(file);
    expect(second.service.get().deviceName).toBe('Kept');
    expect(second.service.get().temperatureUnit).toBe('celsius');
    expect(second.service.get().closeToTray).toBe(true);
    expect(second.logger.lines.map((l) => l.message).join('\n')).toMatch(
      /temperatureUnit.*invalid[\s\S]*closeToTray.*unreadable|closeToTray.*unreadable[\s\S]*temperatureUnit.*invalid/,
    );
    second.db.close();
  });
});
