import { describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../../src/shared/schemas/gpu';
import { GpuInfoSchema } from '../../../src/shared/schemas/gpu';
import { GpuParseError } from '../../../src/main/gpu/parsers/parse-error';
import { parseNvidiaCsv, parseNvidiaGpus } from '../../../src/main/gpu/parsers/nvidia-csv';
import type { FixtureSample } from '../../fakes/gpu-fixtures';
import { dropElisions, queryFields, readGpuFixture, sampleId, sampleTitle } from '../../fakes/gpu-fixtures';

const samples = readGpuFixture('nvidia-query-gpu.md');

// Samples whose command is not recorded and whose output has no header: the field list comes from the
// sample's heading. A26's source names only the first four columns, so the rest stay unidentified.
const FIELDS_FROM_HEADING: Record<string, string[]> = {
  A21: ['index', 'name', 'uuid', 'driver_version', 'memory.total', 'mig.mode.current'],
  A25: ['name', 'memory.total', 'compute_cap', 'driver_version'],
  A26: [
    'timestamp',
    'index',
    'name',
    'uuid',
    ...Array.from({ length: 23 }, (_, i) => `unidentified.${i + 5}`),
  ],
};

/**
 * Author edits that are not tool output, undone before parsing (each also asserted to make the raw text
 * throw, in the tests below): A2 printed the line as a Python list, A18/A19/A23 elide rows with "...",
 * and A25's setup tool prefixes the nvidia-smi line with a "GPU" label.
 */
function undoAuthorEdits(id: string, run: number, output: string): string {
  if (id === 'A2' && run === 0) return unwrapPythonList(output);
  if (id === 'A25') return output.replace(/^\s*GPU\s+/, '');
  return dropElisions(output);
}

/** `['a, b', '']` (a Python debug print of the split lines) back to the lines it holds. */
function unwrapPythonList(output: string): string {
  return [...output.matchAll(/'([^']*)'/g)].map((match) => match[1] ?? '').join('\n');
}

// GPU rows expected from each run of each sample, in order. A10's first run is the header alone.
const EXPECTED_ROWS: Record<string, number[]> = {
  A1: [1],
  A2: [1, 1, 3, 3, 3],
  A5: [1, 1],
  A6: [1, 1],
  A7: [1],
  A8: [2],
  A9: [13],
  A10: [0, 1],
  A11: [8, 8],
  A12: [8],
  A14: [2],
  A15: [1],
  A16: [1],
  A17: [2],
  A18: [2, 1],
  A19: [2],
  A21: [2],
  A22: [8],
  A23: [1],
  A24: [1],
  A25: [1],
  A26: [1],
  A27: [1],
  A28: [8],
  ...Object.fromEntries(
    ['C1', 'C2', 'C4', 'C5', 'C6', 'C9', 'C10'].flatMap((c) => [
      [`${c}-idle`, [1]],
      [`${c}-load`, [1]],
    ]),
  ),
};

function parseRun(sample: FixtureSample, run: number): GpuInfo[] {
  const id = sampleId(sample.heading);
  const { command, output } = sample.runs[run] ?? { command: null, output: '' };
  const fields = queryFields(command, 'gpu') ?? FIELDS_FROM_HEADING[id];
  return parseNvidiaGpus(undoAuthorEdits(id, run, output), fields);
}

function sample(id: string): FixtureSample {
  const found = samples.find((s) => sampleId(s.heading) === id);
  if (!found) throw new Error(`No sample ${id} in nvidia-query-gpu.md`);
  return found;
}

describe('nvidia-smi --query-gpu fixtures: every sample parses into GpuInfo', () => {
  it('covers every sample in the file', () => {
    expect(samples.map((s) => sampleId(s.heading)).sort()).toEqual(Object.keys(EXPECTED_ROWS).sort());
  });

  it.each(samples.map((s) => [sampleTitle(s), s] as const))('%s', (_title, s) => {
    const expected = EXPECTED_ROWS[sampleId(s.heading)];
    expect(expected, 'sample has no expectation').toBeDefined();
    expect(s.runs.map((_, run) => parseRun(s, run).length)).toEqual(expected);
    for (let run = 0; run < s.runs.length; run++) {
      for (const gpu of parseRun(s, run)) {
        expect(GpuInfoSchema.parse(gpu)).toEqual(gpu);
        expect(gpu.vendor).toBe('nvidia');
      }
    }
  });
});

describe('nvidia-smi --query-gpu fixtures: values', () => {
  it('A1 RTX 2060: header names differ from the query (gpu_name, gpu_bus_id), units are stripped', () => {
    const [gpu] = parseRun(sample('A1'), 0);
    expect(gpu).toEqual({
      id: '0000:09:00.0',
      vendor: 'nvidia',
      name: 'GeForce RTX 2060',
      busId: '0000:09:00.0',
      uuid: null,
      index: null,
      driverVersion: '460.91.03',
      memoryTotalMiB: 5934,
      memoryUsedMiB: 682,
      temperatureC: 36,
      powerDrawW: null,
      powerLimitW: null,
      utilizationPct: 20,
      fanPct: null,
    });
  });

  it('A1 keys rows by canonical (header) field names', () => {
    const s = sample('A1');
    const [row] = parseNvidiaCsv(s.runs[0]?.output ?? '', queryFields(s.command, 'gpu') ?? undefined);
    expect(row?.['name']).toBe('GeForce RTX 2060');
    expect(row?.['pci.bus_id']).toBe('00000000:09:00.0');
    expect(row?.['clocks.current.graphics']).toBe('300 MHz');
  });

  it('A2 RTX 2080 noheader,nounits: bare "N/A" (temperature.memory) is not reported, uuid becomes the id', () => {
    const [gpu] = parseRun(sample('A2'), 1);
    expect(gpu).toMatchObject({
      id: 'GPU-22b2c6ac-2d49-4863-197c-9c469071178a',
      name: 'GeForce RTX 2080',
      driverVersion: '440.64',
      memoryTotalMiB: 7979,
      powerDrawW: 176.98,
      powerLimitW: 200,
      temperatureC: 45,
      utilizationPct: 86,
      fanPct: 100,
    });
    const s = sample('A2');
    const [row] = parseNvidiaCsv(s.runs[1]?.output ?? '', queryFields(s.command, 'gpu') ?? undefined);
    expect(row?.['temperature.memory']).toBeNull();
  });

  it('A2 as a Python list debug print: throws raw, and equals the raw line once unwrapped', () => {
    const s = sample('A2');
    const fields = queryFields(s.command, 'gpu') ?? undefined;
    expect(() => parseNvidiaGpus(s.runs[0]?.output ?? '', fields)).toThrow(GpuParseError);
    expect(parseRun(s, 0)).toEqual(parseRun(s, 1));
  });

  it('A2 3-GPU host: one row per GPU, ids from row position since no index was queried', () => {
    const gpus = parseRun(sample('A2'), 2);
    expect(gpus.map((g) => g.powerDrawW)).toEqual([133.91, 189.84, 104.34]);
    expect(gpus.map((g) => g.id)).toEqual(['nvidia:0', 'nvidia:1', 'nvidia:2']);
    expect(gpus.every((g) => g.index === null && g.powerLimitW === null)).toBe(true);
  });

  it('A5 fan.speed [N/A] and [Not Supported] are null while real zeros stay 0', () => {
    for (const run of [0, 1]) {
      const [gpu] = parseRun(sample('A5'), run);
      expect(gpu).toMatchObject({
        fanPct: null,
        utilizationPct: 0,
        memoryUsedMiB: 0,
        memoryTotalMiB: 2004,
        temperatureC: 44,
      });
    }
  });

  it('A6 laptop [N/A] fan vs GTX 1050 Ti 39 %', () => {
    expect(parseRun(sample('A6'), 0)[0]?.fanPct).toBeNull();
    expect(parseRun(sample('A6'), 1)[0]?.fanPct).toBe(39);
  });

  it('A7 noheader with units: "1 %"', () => {
    expect(parseRun(sample('A7'), 0)[0]?.utilizationPct).toBe(1);
  });

  it('A8 two different cards: the idle GTX 1060 reports 0 %, not null', () => {
    const [big, small] = parseRun(sample('A8'), 0);
    expect(big).toMatchObject({
      name: 'GeForce GTX 1080 Ti',
      memoryTotalMiB: 11175,
      powerDrawW: 106.56,
      fanPct: 29,
    });
    expect(small).toMatchObject({
      name: 'GeForce GTX 1060 6GB',
      utilizationPct: 0,
      memoryUsedMiB: 4,
      powerDrawW: 5.68,
    });
  });

  it('A10 header-only run gives no rows; the noheader row maps power.limit and memory.used', () => {
    expect(parseRun(sample('A10'), 0)).toEqual([]);
    expect(parseRun(sample('A10'), 1)[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA GeForce RTX 3090',
      memoryUsedMiB: 23358,
      powerLimitW: 350,
      utilizationPct: 0,
    });
  });

  it('A11 8x H200-class: eight distinct UUID ids; freed GPUs drop to 0 MiB and 0 %', () => {
    const before = parseRun(sample('A11'), 0);
    const after = parseRun(sample('A11'), 1);
    expect(new Set(before.map((g) => g.id)).size).toBe(8);
    expect(after[2]).toMatchObject({ index: 2, memoryUsedMiB: 0, utilizationPct: 0, memoryTotalMiB: 143771 });
  });

  it('A16 value without its " MiB" unit still parses', () => {
    expect(parseRun(sample('A16'), 0)[0]?.memoryTotalMiB).toBe(16376);
  });

  it('A18/A19/A23 elided with "..." by their authors: the raw text throws instead of inventing rows', () => {
    for (const id of ['A18', 'A19', 'A23']) {
      const s = sample(id);
      expect(() =>
        parseNvidiaGpus(s.runs[0]?.output ?? '', queryFields(s.command, 'gpu') ?? undefined),
      ).toThrow(/cut short/);
    }
  });

  it("A18 second block reuses the first block's query although its header was omitted", () => {
    expect(parseRun(sample('A18'), 1)[0]).toMatchObject({
      name: 'NVIDIA GeForce RTX 4090',
      memoryTotalMiB: 24564,
    });
  });

  it('A21 noheader rows without a command throw until given the field list', () => {
    expect(() => parseNvidiaGpus(sample('A21').runs[0]?.output ?? '')).toThrow(/no header line/);
    expect(parseRun(sample('A21'), 0).map((g) => g.index)).toEqual([4, 5]);
  });

  it('A26 many [N/A] fields: identified columns map, unidentified ones are not guessed', () => {
    expect(parseRun(sample('A26'), 0)[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA GeForce RTX 3080',
      uuid: 'GPU-8fe3a97d-51f6-a669-0d80-b4530b81b816',
      memoryTotalMiB: null,
    });
  });

  it('A27 [Unknown Error] in an unmapped column and a blank line after the header', () => {
    expect(parseRun(sample('A27'), 0)[0]).toMatchObject({ powerDrawW: 228.82, powerLimitW: 210, fanPct: 56 });
  });

  it('C4-load H100 full-width capture: fan [N/A] is null, 212 columns line up', () => {
    expect(parseRun(sample('C4-load'), 0)[0]).toMatchObject({
      name: 'NVIDIA H100 80GB HBM3',
      busId: '0000:00:09.0',
      driverVersion: '590.48.01',
      memoryUsedMiB: 19818,
      powerDrawW: 631.95,
      powerLimitW: 700,
      utilizationPct: 100,
      temperatureC: 59,
      fanPct: null,
    });
  });

  it('C5-load H100 in MIG mode: utilization.gpu is [N/A], so null rather than 0', () => {
    expect(parseRun(sample('C5-load'), 0)[0]).toMatchObject({ utilizationPct: null, memoryUsedMiB: 11125 });
  });

  it('C10-load Windows 610.62: WDDM capture with an empty cell and [Function Not Found]', () => {
    expect(parseRun(sample('C10-load'), 0)[0]).toMatchObject({
      driverVersion: '610.62',
      powerDrawW: 97.99,
      utilizationPct: 7,
      fanPct: 38,
      memoryUsedMiB: 1366,
    });
  });
});
