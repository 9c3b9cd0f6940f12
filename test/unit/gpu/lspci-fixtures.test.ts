import { describe, expect, it } from 'vitest';
import { GpuVendorSchema } from '../../../src/shared/schemas/gpu';
import { parseLspciGpus } from '../../../src/main/gpu/parsers/lspci';
import { GpuParseError } from '../../../src/main/gpu/parsers/parse-error';
import type { FixtureSample } from '../../fakes/gpu-fixtures';
import { readGpuFixture, sampleTitle } from '../../fakes/gpu-fixtures';

const samples = readGpuFixture('lspci.md');

// GPUs expected per sample, keyed by the start of the heading (lspci samples are not numbered).
// 'notes' = a sample with no lspci output of its own; 'throws' = the author's excerpt was cut.
const EXPECTED: [headingStart: string, gpus: number | 'notes' | 'throws'][] = [
  ['NVIDIA L40S (2 cards)', 2],
  ['NVIDIA L40S on AWS', 1],
  ['GeForce RTX 3090 x2', 2],
  ['GeForce RTX 4090 (Gigabyte)', 1],
  ['GeForce RTX 3080 Ti (+ Intel iGPU)', 2],
  ['GeForce MX250 laptop', 2],
  ['GeForce GT 750M laptop', 1],
  ['Tesla V100 (unnamed device id 1db6', 'throws'],
  ['Tesla PG500-216', 1],
  ['lspci-derived names via akash', 'notes'],
];

function expectedFor(s: FixtureSample) {
  const matches = EXPECTED.filter(([start]) => s.heading.startsWith(start));
  const [match, ...more] = matches;
  if (!match || more.length > 0) throw new Error(`Not exactly one expectation for "${s.heading}"`);
  return match[1];
}

function gpusOf(headingStart: string) {
  const found = samples.find((s) => s.heading.startsWith(headingStart));
  if (!found) throw new Error(`No sample "${headingStart}" in lspci.md`);
  return parseLspciGpus(found.outputs.join('\n'));
}

describe('lspci fixtures: every sample parses', () => {
  it('covers every sample in the file', () => {
    expect(samples).toHaveLength(EXPECTED.length);
    for (const s of samples) expectedFor(s);
  });

  it.each(samples.map((s) => [sampleTitle(s), s] as const))('%s', (_title, s) => {
    const expected = expectedFor(s);
    if (expected === 'notes') {
      // A bullet list of pci.ids names taken from another tool's JSON: there is no lspci output to parse.
      expect(s.outputs).toEqual([]);
      return;
    }
    expect(s.outputs).toHaveLength(1);
    if (expected === 'throws') {
      expect(() => parseLspciGpus(s.outputs[0] ?? '')).toThrow(GpuParseError);
      return;
    }
    const gpus = parseLspciGpus(s.outputs[0] ?? '');
    expect(gpus).toHaveLength(expected);
    for (const gpu of gpus) {
      expect(GpuVendorSchema.parse(gpu.vendor)).toBe(gpu.vendor);
      expect(gpu.busId === null || /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/.test(gpu.busId)).toBe(true);
      expect(gpu.name).not.toBe('');
      expect(gpu.deviceId === null || /^[0-9a-f]{4}$/.test(gpu.deviceId)).toBe(true);
    }
  });
});

describe('lspci fixtures: values', () => {
  it('-nn: marketing name from pci.ids, device id from [10de:26b9]', () => {
    expect(gpusOf('NVIDIA L40S (2 cards)')).toEqual([
      { busId: '0000:01:00.0', vendor: 'nvidia', name: 'L40S', deviceId: '26b9' },
      { busId: '0000:91:00.0', vendor: 'nvidia', name: 'L40S', deviceId: '26b9' },
    ]);
  });

  it('-nn with pci.ids too old to know the card', () => {
    expect(gpusOf('NVIDIA L40S on AWS')).toEqual([
      { busId: '0000:30:00.0', vendor: 'nvidia', name: 'Device 26b9', deviceId: '26b9' },
    ]);
  });

  it("-nnk: driver lines and the GPU's own audio function are skipped", () => {
    expect(gpusOf('GeForce RTX 3090 x2').map((g) => [g.busId, g.name, g.deviceId])).toEqual([
      ['0000:05:00.0', 'GeForce RTX 3090', '2204'],
      ['0000:0a:00.0', 'GeForce RTX 3090', '2204'],
    ]);
  });

  it('unnamed "Device 2684" (an RTX 4090 on old pci.ids) is kept as printed, -vvvv suffix dropped', () => {
    expect(gpusOf('GeForce RTX 4090 (Gigabyte)')).toEqual([
      { busId: '0000:01:00.0', vendor: 'nvidia', name: 'Device 2684', deviceId: '2684' },
    ]);
  });

  it('Intel iGPU beside the NVIDIA card, as a Display controller and as VGA', () => {
    expect(gpusOf('GeForce RTX 3080 Ti (+ Intel iGPU)').map((g) => [g.vendor, g.name])).toEqual([
      ['intel', 'AlderLake-S GT1'],
      ['nvidia', 'GeForce RTX 3080 Ti'],
    ]);
    expect(gpusOf('GeForce MX250 laptop').map((g) => [g.vendor, g.name])).toEqual([
      ['intel', 'Iris Plus Graphics G7'],
      ['nvidia', 'GeForce MX250'],
    ]);
  });

  it('cut V100 excerpt: the whole lines read, the line that stops at "NVIDIA" throws', () => {
    const found = samples.find((s) => s.heading.startsWith('Tesla V100'));
    const lines = (found?.outputs[0] ?? '').split('\n');
    expect(() => parseLspciGpus(lines.join('\n'))).toThrow(/cut short/);
    expect(parseLspciGpus(lines.slice(0, -1).join('\n'))).toEqual([
      { busId: '0000:5a:00.0', vendor: 'nvidia', name: 'Device 1db6', deviceId: '1db6' },
      { busId: '0000:5e:00.0', vendor: 'nvidia', name: 'Device 1db6', deviceId: '1db6' },
    ]);
  });

  it('a line quoted without its bus address', () => {
    expect(gpusOf('Tesla PG500-216')).toEqual([
      { busId: null, vendor: 'nvidia', name: 'Tesla PG500-216', deviceId: '1df0' },
    ]);
  });

  // Not in the recorded samples: an AMD card, whose vendor name itself holds brackets and a comma.
  it('AMD vendor string with [AMD/ATI]', () => {
    expect(
      parseLspciGpus(
        '03:00.0 VGA compatible controller [0300]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 21 [Radeon RX 6800/6800 XT / 6900 XT] [1002:73bf] (rev c1)',
      ),
    ).toEqual([
      { busId: '0000:03:00.0', vendor: 'amd', name: 'Radeon RX 6800/6800 XT / 6900 XT', deviceId: '73bf' },
    ]);
  });
});
