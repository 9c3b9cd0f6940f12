import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { windowsToSlots } from '../../../src/shared/schedule/windows';
import {
  DEFAULT_POWER_W,
  ownerSetup,
  powerUnderLoad,
  resolvePowerW,
  tariffInTokens,
  tariffIsZero,
} from '../../../src/main/pricing/owner-setup';

describe('the owner’s setup for the admission engine', () => {
  it('power under load: measured, else the setting, else the card’s rating, else 250 W', () => {
    expect(resolvePowerW({ measuredW: 310, settingW: 200, ratedW: 350 })).toEqual({
      watts: 310,
      source: 'measured',
    });
    expect(resolvePowerW({ measuredW: null, settingW: 200, ratedW: 350 })).toEqual({
      watts: 200,
      source: 'setting',
    });
    expect(resolvePowerW({ measuredW: null, settingW: null, ratedW: 350 })).toEqual({
      watts: 350,
      source: 'rated',
    });
    expect(resolvePowerW({ measuredW: null, settingW: null, ratedW: null })).toEqual({
      watts: DEFAULT_POWER_W,
      source: 'default',
    });
    expect(DEFAULT_POWER_W).toBe(250);
  });

  it('measures power as the median of loaded minutes, and only with enough of them', () => {
    const idle = { powerW: 30, utilizationPct: 2 };
    const loaded = (powerW: number) => ({ powerW, utilizationPct: 97 });
    expect(powerUnderLoad([idle, idle, loaded(300), loaded(310), loaded(290), loaded(305)])).toBeNull();
    expect(
      powerUnderLoad([idle, loaded(300), loaded(310), loaded(290), loaded(305), loaded(320), idle]),
    ).toBe(305);
    expect(powerUnderLoad([loaded(280)], 1)).toBe(280);
    expect(powerUnderLoad([{ powerW: null, utilizationPct: 99 }], 1)).toBeNull();
  });

  it('converts the tariff into the payment token with the token’s value', () => {
    // 1 tUSD = 0.8 EUR; electricity at 0.4 EUR is 0.5 tUSD.
    expect(tariffInTokens(0.4, 0.8)).toBeCloseTo(0.5, 12);
    const hourly = tariffInTokens(
      Array.from({ length: 24 }, (_, h) => h / 10),
      2,
    ) as number[];
    expect(hourly[10]).toBeCloseTo(0.5, 12);
    expect(tariffIsZero(0)).toBe(true);
    expect(tariffIsZero(Array(24).fill(0))).toBe(true);
    expect(tariffIsZero([...Array(23).fill(0), 0.1])).toBe(false);
  });

  it('builds the setup from settings, the schedule and the GPU; the idle-only mode rents every hour', () => {
    const schedule = { timezone: 'Europe/Berlin', slots: windowsToSlots(['mon-fri 01:00-08:00']) };
    const settings = {
      ...DEFAULT_SETTINGS,
      electricityPerKWh: 0.3,
      tokenValue: 0.92,
      floorPricePerHour: '0.2',
    };
    const setup = ownerSetup({ settings, schedule, gpu: { memoryTotalMiB: 24_576, powerW: 320 } });
    expect(setup).toEqual({
      timezone: 'Europe/Berlin',
      windows: ['mon-fri 01:00-08:00'],
      gpus: [{ memoryTotalMiB: 24_576, powerW: 320 }],
      electricityPerKWh: 0.3 / 0.92,
      floorPerHour: 0.2,
    });
    const idle = ownerSetup({
      settings: { ...settings, availabilityMode: 'idle' },
      schedule,
      gpu: { memoryTotalMiB: 8192, powerW: 250 },
    });
    expect(idle.windows).toEqual(['mon-sun 00:00-24:00']);
  });

  it('defaults keep today’s behaviour: no electricity price, no floor, a token worth 1', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      electricityPerKWh: 0,
      tokenValue: 1,
      floorPricePerHour: '0',
      gpuPowerW: null,
    });
  });
});
