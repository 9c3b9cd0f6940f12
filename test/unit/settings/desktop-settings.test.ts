// The settings issue 9 and 10 added: the owner's currency, the first-run setup, the wallet kept unlocked
// while renting, the notification switches and the update feed; refused with messages naming the field.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { createRouter } from '../../../src/main/core/router';
import { settingsHandlers } from '../../../src/main/settings/settings-handlers';
import { createSettingsRepository } from '../../../src/main/settings/settings-repository';
import { createSettingsService } from '../../../src/main/settings/settings-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { sameValue, changedFields } from '../../../src/renderer/format/settings-patch';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

function open(file = join(tempDir(), 'db.sqlite')) {
  const { db } = openDatabase(file);
  const service = createSettingsService({
    repository: createSettingsRepository(db),
    clock: createFakeClock(),
    logger: createMemoryLogger(),
    onChange: () => {},
  });
  const router = createRouter(settingsHandlers(service) as never, createMemoryLogger());
  return { db, service, router, file };
}

describe('desktop settings', () => {
  it('default to a first run: setup to do, every notification on, no update feed, USD', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      setupDone: false,
      keepWalletUnlockedOnline: true,
      currency: 'USD',
      updateFeedUrl: null,
    });
    expect(Object.values(DEFAULT_SETTINGS.notifications).every(Boolean)).toBe(true);
  });

  it('store them across a restart, the currency upper-cased', async () => {
    const { db, router, file } = open();
    const saved = await router.call('settings:update', {
      currency: ' eur ',
      setupDone: true,
      updateFeedUrl: 'https://updates.example.org/nocturne/',
      notifications: { ...DEFAULT_SETTINGS.notifications, jobStarted: false },
    });
    expect(saved).toMatchObject({ ok: true, data: { currency: 'EUR', setupDone: true } });
    db.close();
    const again = open(file);
    expect(again.service.get()).toMatchObject({
      currency: 'EUR',
      setupDone: true,
      updateFeedUrl: 'https://updates.example.org/nocturne/',
      notifications: { jobStarted: false, jobFinished: true },
    });
    again.db.close();
  });

  it('refuse a feed that is not https, a bad currency and an incomplete set of switches', async () => {
    const { db, router, service } = open();
    const refused = async (patch: Record<string, unknown>) => {
      const result = await router.call('settings:update', patch);
      expect(result.ok).toBe(false);
      return result.ok ? null : result.error;
    };
    expect(await refused({ updateFeedUrl: 'http://updates.example.org/' })).toMatchObject({
      field: 'updateFeedUrl',
      message: expect.stringContaining('must be an https:// address'),
    });
    expect(await refused({ updateFeedUrl: 'https://' })).toMatchObject({ field: 'updateFeedUrl' });
    expect(await refused({ currency: 'EURO' })).toMatchObject({
      field: 'currency',
      message: expect.stringContaining('three-letter currency code'),
    });
    expect(await refused({ notifications: { jobStarted: false } })).toMatchObject({
      field: expect.stringMatching(/^notifications/),
    });
    expect(service.get()).toMatchObject({ updateFeedUrl: null, currency: 'USD' });
    db.close();
  });

  it('compare lists and records by content in the form', () => {
    expect(sameValue({ a: true }, { a: true })).toBe(true);
    expect(sameValue([1, 2], [1, 2])).toBe(true);
    expect(sameValue({ a: true }, { a: false })).toBe(false);
    const saved = DEFAULT_SETTINGS;
    expect(changedFields(saved, { notifications: { ...saved.notifications } })).toEqual({});
    expect(changedFields(saved, { notifications: { ...saved.notifications, heatPause: false } })).toEqual({
      notifications: { ...saved.notifications, heatPause: false },
    });
  });
});
