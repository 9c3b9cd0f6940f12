import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

async function cli(args: string[], dataDir: string) {
  let out = '';
  let err = '';
  const code = await runCli([...args, '--data-dir', dataDir], {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: {},
  });
  return { code, out, err };
}

describe('nocturne schedule and availability', () => {
  it('sets windows in a zone and shows them back', async () => {
    const dir = join(tempDir(), 'data');
    const set = await cli(
      [
        'schedule',
        'set',
        '--tz',
        'Europe/Berlin',
        '--window',
        'mon-fri 01:00-08:00',
        '--window',
        'sat,sun 00:00-10:00',
      ],
      dir,
    );
    expect(set.code, set.err).toBe(0);
    const shown = JSON.parse((await cli(['schedule', 'show', '--json'], dir)).out);
    expect(shown).toMatchObject({
      timezone: 'Europe/Berlin',
      windows: ['mon-fri 01:00-08:00', 'sat,sun 00:00-10:00'],
    });
  });

  it.each([
    [['--window', 'mon 25:00-26:00'], '25:00'],
    [['--window', 'funday 01:00-02:00'], 'funday'],
    [['--tz', 'Mars/Olympus_Mons', '--window', 'mon 01:00-02:00'], 'Mars/Olympus_Mons'],
    [['--preset', 'sometimes'], 'sometimes'],
  ])('refuses %j naming the bad part, and keeps the stored schedule', async (args, bad) => {
    const dir = join(tempDir(), 'data');
    await cli(['schedule', 'set', '--tz', 'America/New_York', '--preset', 'workdays'], dir);
    const refused = await cli(['schedule', 'set', ...args], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(bad);
    const shown = JSON.parse((await cli(['schedule', 'show', '--json'], dir)).out);
    expect(shown).toMatchObject({ timezone: 'America/New_York', windows: ['mon-fri 09:00-17:00'] });
  });

  it.each([
    // [zone, window, instant, available, nextChange]
    ['Europe/Berlin', 'mon-sun 01:00-08:00', '2026-03-29T03:30:00+02:00', true, '2026-03-29T06:00:00.000Z'],
    ['Europe/Berlin', 'sun 00:00-02:30', '2026-10-25T02:15:00+01:00', false, '2026-10-31T23:00:00.000Z'],
    ['America/New_York', 'sun 01:00-04:00', '2026-03-08T01:30:00-05:00', true, '2026-03-08T08:00:00.000Z'],
    ['America/New_York', 'sun 00:30-01:30', '2026-11-01T01:15:00-05:00', false, '2026-11-08T05:30:00.000Z'],
    ['Australia/Sydney', 'sun 01:00-04:00', '2026-04-05T02:30:00+10:00', true, '2026-04-04T18:00:00.000Z'],
    ['Australia/Sydney', 'sun 01:00-04:00', '2026-10-04T03:30:00+11:00', true, '2026-10-03T17:00:00.000Z'],
  ])(
    'availability --at across DST in %s (%s at %s)',
    async (zone, window, instant, available, nextChange) => {
      const dir = join(tempDir(), 'data');
      await cli(['schedule', 'set', '--tz', zone, '--window', window], dir);
      const result = await cli(['availability', '--at', instant, '--json'], dir);
      expect(result.code, result.err).toBe(0);
      expect(JSON.parse(result.out)).toMatchObject({ available, nextChange });
    },
  );

  it('availability now includes the manual pause; a bad --at is refused', async () => {
    const dir = join(tempDir(), 'data');
    await cli(['schedule', 'set', '--preset', 'always'], dir);
    expect(JSON.parse((await cli(['availability', '--json'], dir)).out)).toMatchObject({
      available: true,
      reasons: ['Inside your schedule'],
    });
    expect((await cli(['availability', '--at', 'tomorrow'], dir)).code).toBe(2);
  });
});
