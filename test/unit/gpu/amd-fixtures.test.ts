import { describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../../src/shared/schemas/gpu';
import { GpuInfoSchema } from '../../../src/shared/schemas/gpu';
import type { RocmSmiFailureKind } from '../../../src/main/gpu/parsers/amd';
import {
  classifyRocmSmiFailure,
  parseAmdSmiJson,
  parseAmdSmiText,
  parseRocmSmiJson,
  parseRocmSmiLog,
  parseRocmSmiTable,
} from '../../../src/main/gpu/parsers/amd';
import { GpuParseError } from '../../../src/main/gpu/parsers/parse-error';
import type { FixtureSample } from '../../fakes/gpu-fixtures';
import { readGpuFixture, sampleId, sampleTitle } from '../../fakes/gpu-fixtures';

const samples = readGpuFixture('amd.md');

const PARSERS = {
  'rocm-smi --json': parseRocmSmiJson,
  'amd-smi --json': parseAmdSmiJson,
  'rocm-smi table': parseRocmSmiTable,
  'rocm-smi GPU[n] lines': parseRocmSmiLog,
  'amd-smi text': parseAmdSmiText,
} as const;

type Expected =
  | { parser: keyof typeof PARSERS; gpus: number }
  | { parser: keyof typeof PARSERS; throws: RegExp; why: string }
  | { failure: RocmSmiFailureKind };

// Which reader each output block goes to, and what it yields. The samples that throw were cut by their
// authors (the notes beside them say "truncated in source excerpt" or show "..."): a reader that
// accepted them would have to invent the missing part.
const EXPECTED: Record<string, Expected[]> = {
  F1: [{ parser: 'rocm-smi --json', throws: /cut short/, why: 'JSON cut off mid-key' }],
  F2: [
    { parser: 'rocm-smi --json', gpus: 2 },
    { parser: 'rocm-smi --json', gpus: 2 },
  ],
  F3: [{ parser: 'rocm-smi --json', gpus: 1 }],
  F4: [
    { parser: 'rocm-smi --json', gpus: 1 },
    { parser: 'rocm-smi --json', gpus: 1 },
    { parser: 'amd-smi --json', gpus: 1 },
  ],
  F5: [
    {
      parser: 'rocm-smi --json',
      throws: /no JSON/,
      why: 'excerpt starts mid-object and elides keys with "..."',
    },
  ],
  F6: [{ parser: 'amd-smi --json', throws: /cut short/, why: 'JSON elided with "..." after jpeg_activity' }],
  F7: [{ parser: 'amd-smi text', throws: /cut short/, why: 'text stops mid-word ("DEEP")' }],
  F8: [
    { parser: 'amd-smi --json', throws: /cannot be read/, why: 'a Python debugger repr, elided with "..."' },
  ],
  F9: [
    { parser: 'rocm-smi table', gpus: 1 },
    { parser: 'rocm-smi table', gpus: 1 },
  ],
  F10: [
    { parser: 'rocm-smi table', throws: /10 cells for 12 columns/, why: 'row cut before VRAM% and GPU%' },
    { parser: 'rocm-smi GPU[n] lines', gpus: 3 },
  ],
  F11: [{ parser: 'rocm-smi GPU[n] lines', gpus: 2 }, { failure: 'unsupported' }],
  F12: [{ parser: 'rocm-smi GPU[n] lines', gpus: 1 }],
};

function sample(id: string): FixtureSample {
  const found = samples.find((s) => sampleId(s.heading) === id);
  if (!found) throw new Error(`No sample ${id} in amd.md`);
  return found;
}

function parse(id: string, run: number): GpuInfo[] {
  const expected = EXPECTED[id]?.[run];
  if (!expected || !('parser' in expected)) throw new Error(`${id} run ${run} is not GPU output`);
  return PARSERS[expected.parser](sample(id).outputs[run] ?? '');
}

describe('AMD fixtures: every sample parses or is refused', () => {
  it('covers every sample in the file', () => {
    expect(samples.map((s) => sampleId(s.heading)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(samples.map((s) => [sampleTitle(s), s] as const))('%s', (_title, s) => {
    const expected = EXPECTED[sampleId(s.heading)] ?? [];
    expect(s.outputs).toHaveLength(expected.length);
    s.outputs.forEach((output, run) => {
      const want = expected[run];
      if (!want) throw new Error('missing expectation');
      if ('failure' in want) {
        expect(classifyRocmSmiFailure(output, '', 0).kind).toBe(want.failure);
      } else if ('throws' in want) {
        expect(() => PARSERS[want.parser](output), want.why).toThrow(GpuParseError);
        expect(() => PARSERS[want.parser](output), want.why).toThrow(want.throws);
      } else {
        const gpus = PARSERS[want.parser](output);
        expect(gpus).toHaveLength(want.gpus);
        for (const gpu of gpus) {
          expect(GpuInfoSchema.parse(gpu)).toEqual(gpu);
          expect(gpu.vendor).toBe('amd');
        }
      }
    });
  });
});

describe('AMD fixtures: values', () => {
  it('F1 cut short: the complete part, once closed, reads as the Radeon 780M iGPU', () => {
    const lines = (sample('F1').outputs[0] ?? '').split('\n');
    const complete = lines.slice(0, -1).join('\n').replace(/,\s*$/, '');
    const [gpu] = parseRocmSmiJson(`${complete}\n}}`);
    expect(gpu).toMatchObject({
      name: 'Phoenix3',
      busId: '0000:c4:00.0',
      id: '0000:c4:00.0', // "Unique ID": "N/A" is no id
      uuid: null,
      temperatureC: 31,
      powerDrawW: 7.222,
      utilizationPct: 19,
      index: 0,
    });
  });

  it('F2 stock output has only memory-use percentages: two GPUs, nothing invented', () => {
    const gpus = parse('F2', 0);
    expect(gpus.map((g) => [g.id, g.memoryTotalMiB, g.utilizationPct])).toEqual([
      ['amd:0', null, null],
      ['amd:1', null, null],
    ]);
  });

  it('F2 2x RX 6800 (patched rocm-smi): VRAM bytes become MiB', () => {
    const gpus = parse('F2', 1);
    expect(gpus.map((g) => [g.index, g.memoryTotalMiB, g.memoryUsedMiB])).toEqual([
      [0, 16368, 17],
      [1, 16368, 17],
    ]);
  });

  it('F3 2019 rocm-smi with lower-case "(c)": edge temperature, fan %, average power', () => {
    expect(parse('F3', 0)[0]).toMatchObject({ temperatureC: 77, fanPct: 45, powerDrawW: 222 });
  });

  it('F4 MI300X has no edge sensor: junction temperature; 192 GiB VRAM in MiB; 0 % stays 0', () => {
    expect(parse('F4', 0)[0]).toMatchObject({
      temperatureC: 45,
      powerDrawW: 159,
      powerLimitW: 750,
      utilizationPct: 0,
      memoryTotalMiB: 196288,
      memoryUsedMiB: 286,
    });
  });

  it('F4 RX 9060 XT: edge temperature preferred over junction', () => {
    expect(parse('F4', 1)[0]).toMatchObject({
      temperatureC: 39,
      powerDrawW: 17,
      utilizationPct: 100,
      memoryTotalMiB: 16304,
    });
  });

  it('F4 amd-smi gpu_data wrapper: "edge": "N/A" falls back to hotspot', () => {
    expect(parse('F4', 2)[0]).toMatchObject({
      index: 0,
      temperatureC: 45,
      powerDrawW: 158,
      utilizationPct: 0,
    });
  });

  it('F4 amd-smi JSON given to the rocm-smi reader is refused, not read as "no GPUs"', () => {
    expect(() => parseRocmSmiJson(sample('F4').outputs[2] ?? '')).toThrow(/no cardN/);
  });

  it('F7 cut short: without the cut line the text report reads like the JSON one', () => {
    const complete = (sample('F7').outputs[0] ?? '').split('\n').slice(0, -1).join('\n');
    expect(parseAmdSmiText(complete)).toEqual([
      expect.objectContaining({ index: 0, utilizationPct: 0, powerDrawW: 20, temperatureC: null }),
    ]);
  });

  it('F9 old table: units glued to numbers, VRAM% N/A is not a VRAM size', () => {
    expect(parse('F9', 0)[0]).toMatchObject({
      index: 0,
      temperatureC: 38,
      powerDrawW: 155,
      powerLimitW: 250,
      fanPct: 21.96,
      utilizationPct: 100,
    });
    expect(parse('F9', 1)[0]).toMatchObject({
      index: 1,
      temperatureC: 25,
      utilizationPct: 0,
      memoryUsedMiB: null,
    });
  });

  it('F10 "N/A (Secondary die)" is not reported; the other dies report watts', () => {
    expect(parse('F10', 1).map((g) => g.powerDrawW)).toEqual([null, 4, 3]);
  });

  it('F11 names what rocm-smi could not read, for which GPUs', () => {
    const failure = classifyRocmSmiFailure(sample('F11').outputs[1] ?? '', '', 0);
    expect(failure.message).toMatch(/GPU memory use, PowerPlay table and voltage curve of GPU 0 and GPU 1/);
  });

  it('F12 GPU metrics block: edge temperature, socket power, gfx activity', () => {
    expect(parse('F12', 0)[0]).toMatchObject({
      temperatureC: 41,
      powerDrawW: 20,
      utilizationPct: 3,
      fanPct: null,
    });
  });
});

// Shaped like `rocm-smi --showproductname --showbus --showdriverversion ... --json` on ROCm 6, using
// key names seen in F1/F5; no recorded sample has the "system" object or "Unique ID" set.
describe('parseRocmSmiJson with the keys Nocturne asks for', () => {
  it('reads name, bus, unique id and the system driver version', () => {
    const json = JSON.stringify({
      card0: {
        'Card Series': 'AMD Radeon RX 7900 XTX',
        'PCI Bus': '0000:03:00.0',
        'Unique ID': '0x8fa4c7e2d3b1a0f9',
        'Temperature (Sensor edge) (C)': '35.0',
        'Average Graphics Package Power (W)': '28.0',
        'Max Graphics Package Power (W)': '327.0',
        'GPU use (%)': '0',
        'Fan speed (%)': '20',
        'VRAM Total Memory (B)': '25753026560',
        'VRAM Total Used Memory (B)': '1048576',
      },
      system: { 'Driver version': '6.8.5' },
    });
    expect(parseRocmSmiJson(`WARNING: a notice printed before the JSON\n${json}`)).toEqual([
      {
        id: '0x8fa4c7e2d3b1a0f9',
        vendor: 'amd',
        name: 'AMD Radeon RX 7900 XTX',
        busId: '0000:03:00.0',
        uuid: '0x8fa4c7e2d3b1a0f9',
        index: 0,
        driverVersion: '6.8.5',
        memoryTotalMiB: 24560,
        memoryUsedMiB: 1,
        temperatureC: 35,
        powerDrawW: 28,
        powerLimitW: 327,
        utilizationPct: 0,
        fanPct: 20,
      },
    ]);
  });

  it('returns [] for a machine without cards', () => {
    expect(parseRocmSmiJson('{}')).toEqual([]);
  });
});

// F10's header with a whole row and the name line ROCm 6 prints under it (the recorded row was cut).
describe('parseRocmSmiTable, ROCm 6 Concise Info with its name line', () => {
  it('reads the row and takes the card name from the line below', () => {
    const f10 = (sample('F10').outputs[0] ?? '').split('\n');
    const table = [
      ...f10.slice(0, 5),
      '0       [0x471e : 0xc8]       42.0°C  6.0W   N/A, N/A        0Mhz    96Mhz   0%      auto  303.0W  3%     7%',
      '        Radeon RX 7900 XTX',
      '================================================================================================================',
    ].join('\n');
    expect(parseRocmSmiTable(table)).toEqual([
      expect.objectContaining({
        name: 'Radeon RX 7900 XTX',
        index: 0,
        temperatureC: 42,
        powerDrawW: 6,
        powerLimitW: 303,
        fanPct: 0,
        utilizationPct: 7,
      }),
    ]);
  });
});

describe('classifyRocmSmiFailure', () => {
  it('tells a missing driver from an unknown failure', () => {
    expect(
      classifyRocmSmiFailure('', 'ERROR:root:Driver not initialized (amdgpu not found in modules)', 1).kind,
    ).toBe('no-driver');
    expect(classifyRocmSmiFailure('', '', 2).message).toBe(
      'rocm-smi failed with exit code 2 and printed nothing.',
    );
  });
});
