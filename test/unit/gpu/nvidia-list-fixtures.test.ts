import { describe, expect, it } from 'vitest';
import { parseNvidiaList } from '../../../src/main/gpu/parsers/nvidia-list';
import { GpuParseError } from '../../../src/main/gpu/parsers/parse-error';
import type { FixtureSample } from '../../fakes/gpu-fixtures';
import { readGpuFixture, sampleId, sampleTitle } from '../../fakes/gpu-fixtures';

const samples = readGpuFixture('nvidia-L.md');

// [GPUs, MIG devices in total] per sample; every sample has one output block.
const EXPECTED: Record<string, [gpus: number, mig: number]> = {
  L1: [4, 4],
  L2: [2, 0],
  L3: [4, 0],
  L4: [4, 0],
  L5: [2, 0],
  L6: [1, 0],
  L7: [5, 0],
  L8: [5, 0],
  L9: [8, 56],
  'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt': [1, 0],
  'linux-x86_64__nvidia-geforce-rtx-2080-super__610.57.04.txt': [1, 0],
  'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt': [1, 0],
  'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt': [1, 0],
  'linux-x86_64__nvidia-h100-mig__590.48.01.txt': [1, 4],
  'linux-x86_64__nvidia-h200-mig__590.48.01.txt': [1, 5],
  'linux-x86_64__nvidia-h200__590.48.01.txt': [1, 0],
  'linux-x86_64__nvidia-l40s__595.80.txt': [1, 0],
  'windows-x86_64__nvidia-geforce-rtx-2080-super__591.86.txt': [1, 0],
  'windows-x86_64__nvidia-geforce-rtx-2080-super__610.62.txt': [1, 0],
};

function list(id: string) {
  const found: FixtureSample | undefined = samples.find((s) => sampleId(s.heading) === id);
  if (!found) throw new Error(`No sample ${id} in nvidia-L.md`);
  return parseNvidiaList(found.outputs.join('\n'));
}

describe('nvidia-smi -L fixtures: every sample parses', () => {
  it('covers every sample in the file', () => {
    expect(samples.map((s) => sampleId(s.heading)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(samples.map((s) => [sampleTitle(s), s] as const))('%s', (_title, s) => {
    expect(s.outputs).toHaveLength(1);
    const gpus = parseNvidiaList(s.outputs[0] ?? '');
    const got = [gpus.length, gpus.reduce((n, gpu) => n + gpu.mig.length, 0)];
    expect(got).toEqual(EXPECTED[sampleId(s.heading)]);
    for (const gpu of gpus) {
      expect(gpu.name).toMatch(/^\S.*\S$/);
      expect(gpu.uuid === null || /^GPU-[0-9a-f-]+$/i.test(gpu.uuid)).toBe(true);
      for (const mig of gpu.mig) expect(mig.uuid).toMatch(/^MIG-/);
    }
  });
});

describe('nvidia-smi -L fixtures: values', () => {
  it('L1 MIG devices belong to GPU 0 only', () => {
    const gpus = list('L1');
    expect(gpus[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA A100-SXM4-80GB',
      uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298',
    });
    expect(gpus[0]?.mig[3]).toEqual({
      index: 3,
      name: '1g.20gb',
      uuid: 'MIG-930574a9-d43a-5d2b-95da-3e68384c8d6b',
    });
    expect(gpus.slice(1).every((gpu) => gpu.mig.length === 0)).toBe(true);
  });

  it('L4 pasted on one line still yields four GPUs with their own UUIDs', () => {
    expect(list('L4').map((gpu) => [gpu.index, gpu.name, gpu.uuid])).toEqual([
      [0, 'NVIDIA GeForce RTX 2080 Ti', 'GPU-67a571b1-79ee-1016-8ea3-c1fff3f1c1d2'],
      [1, 'NVIDIA GeForce RTX 2080 Ti', 'GPU-3e34e62f-d88e-f448-415e-be2cbf2c6178'],
      [2, 'NVIDIA GeForce RTX 2080 Ti', 'GPU-2d540dd6-583b-cf11-80dd-cc28edc1dd62'],
      [3, 'NVIDIA GeForce RTX 2080 Ti', 'GPU-80be5c9a-eb7d-2388-ad7c-7d3ee8f87235'],
    ]);
  });

  it('L6 missing ")" as pasted: the UUID is still read whole', () => {
    expect(list('L6')).toEqual([
      { index: 0, name: 'GeForce GTX 1660 Ti', uuid: 'GPU-e18afb8d-1627-f8ff-2ba3-c05c5a8e9e67', mig: [] },
    ]);
  });

  it('L7 empty "GPU-" UUIDs are null; the hand-edited one is kept as printed', () => {
    expect(list('L7').map((gpu) => gpu.uuid)).toEqual([
      null,
      null,
      'GPU-123123-1234-1234-1234-123123123',
      null,
      null,
    ]);
  });

  it("L8 keeps the tool's indexes (3-7), not positions", () => {
    expect(list('L8').map((gpu) => gpu.index)).toEqual([3, 4, 5, 6, 7]);
  });

  it('H200 MIG capture: compute-instance profiles like 1c.3g.71gb', () => {
    const [gpu] = list('linux-x86_64__nvidia-h200-mig__590.48.01.txt');
    expect(gpu?.mig.map((mig) => mig.name)).toEqual([
      '1c.3g.71gb',
      '2c.3g.71gb',
      '2g.35gb',
      '1g.18gb',
      '1g.18gb',
    ]);
  });

  it('throws on text that is not -L output, and returns [] for nothing', () => {
    expect(() => parseNvidiaList('No devices were found')).toThrow(GpuParseError);
    expect(parseNvidiaList('')).toEqual([]);
  });
});
