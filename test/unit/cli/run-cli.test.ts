import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

describe('nocturne CLI', () => {
  it('prints help and the version', async () => {
    expect((await cli([])).out).toContain('Usage: nocturne <command>');
    expect((await cli(['help', 'serve'])).out).toContain('nocturne serve [--port N]');
    expect((await cli(['--version'])).out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a pointer to help on a wrong call', async () => {
    for (const args of [
      ['frobnicate'],
      ['serve', '--nope'],
      ['serve', '--port', 'abc'],
      ['settings', 'set', 'deviceName'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toContain('nocturne help');
    }
  });

  it('changes a setting through the contract and prints it as JSON', async () => {
    const dataDir = join(tempDir(), 'data');
    expect((await cli(['settings', 'set', 'deviceName', 'Basement rig', '--data-dir', dataDir])).code).toBe(
      0,
    );
    const shown = await cli(['settings', 'get', '--json'], { NOCTURNE_HOME: dataDir });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ deviceName: 'Basement rig', closeToTray: true });
  });

  it('refuses a bad value naming the field, exits 1, and keeps the stored value', async () => {
    const dataDir = join(tempDir(), 'data');
    await cli(['settings', 'set', 'temperatureUnit', 'fahrenheit', '--data-dir', dataDir]);
    const bad = await cli(['settings', 'set', 'temperatureUnit', 'kelvin', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/temperatureUnit:/);
    const typo = await cli(['settings', 'set', 'devceName', 'x', '--data-dir', dataDir]);
    expect(typo.err).toMatch(/devceName: is not a known field/);
    const shown = await cli(['settings', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(shown.out).temperatureUnit).toBe('fahrenheit');
  });
});
