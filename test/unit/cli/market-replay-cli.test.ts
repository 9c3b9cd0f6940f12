import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: {} });
  return { code, out, err };
}

/** One GPU for rent 01:00-08:00 UTC; a long cheap job, then two short well-paid ones it would block. */
const stream = {
  timezone: 'UTC',
  windows: ['mon-sun 01:00-08:00'],
  gpus: [{ memoryTotalMiB: 24_576, powerW: 500 }],
  electricityPerKWh: 0.2,
  floorPerHour: 0.1,
  requests: [
    {
      id: 'long',
      arrival: '2025-06-02T01:00:00Z',
      durationSeconds: 6 * 3600,
      pricePerHour: 0.5,
      vramMiB: 8192,
    },
    {
      id: 'short-1',
      arrival: '2025-06-02T02:00:00Z',
      durationSeconds: 2 * 3600,
      pricePerHour: 2,
      vramMiB: 8192,
    },
    {
      id: 'short-2',
      arrival: '2025-06-02T04:00:00+00:00',
      durationSeconds: 3 * 3600,
      pricePerHour: 1.5,
      vramMiB: 8192,
    },
    {
      id: 'too-big',
      arrival: '2025-06-02T04:30:00Z',
      durationSeconds: 600,
      pricePerHour: 9,
      vramMiB: 40_000,
    },
  ],
};

function writeStream(value: unknown): string {
  const file = join(tempDir(), 'stream.json');
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('nocturne market replay', () => {
  it('prints accepted ids, revenue, energy cost and net as JSON, for each policy', async () => {
    const file = writeStream(stream);
    const greedy = await cli(['market', 'replay', file, '--policy', 'greedy', '--json']);
    expect(greedy.code).toBe(0);
    const parsed = JSON.parse(greedy.out);
    expect(Object.keys(parsed)).toEqual(['accepted', 'revenue', 'energyCost', 'net']);
    // long: 6 h x 0.5 = 3 revenue, 6 h x 0.5 kW x 0.2 = 0.6 energy.
    expect(parsed).toEqual({ accepted: ['long'], revenue: 3, energyCost: 0.6, net: 2.4 });

    const optimum = JSON.parse((await cli(['market', 'replay', file, '--policy', 'optimum', '--json'])).out);
    // short-1 (4 - 0.2) + short-2 (4.5 - 0.3) = 8
    expect(optimum).toEqual({ accepted: ['short-1', 'short-2'], revenue: 8.5, energyCost: 0.5, net: 8 });

    // The engine, with no history yet, acts as greedy does.
    const engine = await cli(['market', 'replay', file, '--json']);
    expect(JSON.parse(engine.out)).toEqual(parsed);
  });

  it('prints a readable summary without --json', async () => {
    const result = await cli(['market', 'replay', writeStream(stream), '--policy', 'optimum']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('optimum over 4 requests, 1 GPU, UTC:');
    expect(result.out).toMatch(/accepted\s+2: short-1, short-2/);
    expect(result.out).toMatch(/net\s+8\.00/);
  });

  it('exits 2 on a malformed stream, naming the bad field', async () => {
    const bad = structuredClone(stream);
    bad.requests[1]!.arrival = 'tuesday';
    const result = await cli(['market', 'replay', writeStream(bad)]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/stream\.json: requests\.1\.arrival: must be an ISO-8601 date/);
    expect(result.out).toBe('');

    const notJson = await cli(['market', 'replay', writeStream('{"timezone": ')]);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(/is not valid JSON/);
    const missing = await cli(['market', 'replay', join(tempDir(), 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.json: does not exist/);
  });

  it('exits 2 on a wrong call, and lists replay in the help', async () => {
    expect((await cli(['market', 'replay'])).code).toBe(2);
    const policy = await cli(['market', 'replay', writeStream(stream), '--policy', 'best']);
    expect(policy.code).toBe(2);
    expect(policy.err).toMatch(/--policy must be one of engine, greedy, optimum/);
    expect((await cli(['help', 'market'])).out).toContain(
      'replay STREAM.json [--policy engine|greedy|optimum]',
    );
  });
});
