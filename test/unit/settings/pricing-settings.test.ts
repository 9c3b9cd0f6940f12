// The pricing settings (issue 9): electricity tariff (flat or by the hour), the token's value, the floor,
// and the GPU's power under load; refused with messages naming the field, stored like the others.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { createRouter } from '../../../src/main/core/router';
import { settingsHandlers } from '../../../src/main/settings/settings-handlers';
import { createSettingsRepository } from '../../../src/main/settings/settings-repository';
import { createSettingsService } from '../../../src/main/settings/settings-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

function open(file: string) {
  const { db } = openDatabase(file);
  const service = createSettingsService({
    repository: createSettingsRepository(db),
    clock: createFakeClock(),
    logger: createMemoryLogger(),
    onChange: () => {},
  });
  const router = createRouter(settingsHandlers(service) as never, createMemoryLogger());
  return { db, service, router };
}

describe('pricing settings', () => {
  it('default to no cost known: electricity 0, a token worth 1, no floor, the card’s rated power', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      electricityPerKWh: 0,
      tokenValue: 1,
      floorPricePerHour: '0',
      gpuPowerW: null,
    });
  });

  it('store a time-of-use tariff, the token’s value, a floor and a power across a restart', async () => {
    const file = join(tempDir(), 'db.sqlite');
    const first = open(file);
    const hourly = Array.from({ length: 24 }, (_, h) => (h < 7 ? 0.12 : 0.31));
    const result = await first.router.call('settings:update', {
      electricityPerKWh: hourly,
      tokenValue: 0.92,
      floorPricePerHour: '0.25',
      gpuPowerW: 320,
    });
    expect(result.ok).toBe(true);
    first.db.close();
    const second = open(file);
    expect(second.service.get()).toMatchObject({
      electricityPerKWh: hourly,
      tokenValue: 0.92,
      floorPricePerHour: '0.25',
      gpuPowerW: 320,
    });
    expect(
      (await second.router.call('settings:update', { gpuPowerW: null, electricityPerKWh: 0.3 })).ok,
    ).toBe(true);
    expect(second.service.get()).toMatchObject({ gpuPowerW: null, electricityPerKWh: 0.3 });
    second.db.close();
  });

  it.each([
    [{ electricityPerKWh: -0.1 }, 'electricityPerKWh', 'must be 0 or more'],
    [
      { electricityPerKWh: 'cheap' },
      'electricityPerKWh',
      'must be a price per kWh (0 or more), or a list of 24',
    ],
    [{ electricityPerKWh: [0.1, 0.2] }, 'electricityPerKWh', 'must hold 24 prices, one per hour of the day'],
    [{ electricityPerKWh: [...Array(23).fill(0.1), -1] }, 'electricityPerKWh.23', 'must be 0 or more'],
    [{ tokenValue: 0 }, 'tokenValue', 'must be more than 0'],
    [{ floorPricePerHour: 'free' }, 'floorPricePerHour', 'must be a price such as 0.2'],
    [{ gpuPowerW: 0 }, 'gpuPowerW', 'must be at least 1 W'],
    [{ gpuPowerW: 2500 }, 'gpuPowerW', 'must be at most 2000 W'],
  ])('refuses %j, naming %s', async (patch, field, message) => {
    const { db, router, service } = open(join(tempDir(), 'db.sqlite'));
    const result = await router.call('settings:update', patch);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', field } });
    if (!result.ok) expect(result.error.message).toContain(`${field}: ${message}`);
    expect(service.get()).toEqual(DEFAULT_SETTINGS);
    db.close();
  });
});
