import { describe, expect, it } from 'vitest';
import { GpuProcessSchema } from '../../../src/shared/schemas/gpu';
import type { PmonRow } from '../../../src/main/gpu/parsers/nvidia-compute-apps';
import { parseNvidiaComputeApps, parseNvidiaPmon } from '../../../src/main/gpu/parsers/nvidia-compute-apps';
import type { FixtureRun, FixtureSample } from '../../fakes/gpu-fixtures';
import { queryFields, readGpuFixture, sampleId, sampleTitle } from '../../fakes/gpu-fixtures';

const samples = readGpuFixture('nvidia-compute-apps.md');

type Expected = [kind: 'apps' | 'pmon', rows: number];

const capture = (host: string, idleApps: number, idlePmon: number, loadApps: number, loadPmon: number) => ({
  [`${host} — idle — query-compute-apps`]: [['apps', idleApps]] as Expected[],
  [`${host} — idle — pmon`]: [['pmon', idlePmon]] as Expected[],
  [`${host} — load — query-compute-apps`]: [['apps', loadApps]] as Expected[],
  [`${host} — load — pmon`]: [['pmon', loadPmon]] as Expected[],
});

// Rows expected from each run, in order. pmon counts one row per process per sample (-c 5 = 5 samples)
// and none for the all-dash lines of an idle GPU.
const EXPECTED: Record<string, Expected[]> = {
  P1: [
    ['apps', 8],
    ['apps', 4],
    ['pmon', 0],
  ],
  P2: [['apps', 2]],
  P3: [['apps', 3]],
  P4: [['apps', 1]],
  P5: [
    ['apps', 1],
    ['apps', 1],
  ],
  P6: [['apps', 1]],
  P7: [['apps', 0]],
  P8: [['apps', 3]],
  'P9+': [], // a section heading with no output of its own
  ...capture('linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt', 0, 10, 2, 20),
  ...capture('linux-x86_64__nvidia-geforce-rtx-2080-super__610.57.04.txt', 0, 10, 2, 20),
  ...capture('linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt', 1, 25, 3, 35),
  ...capture('linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt', 0, 0, 3, 15),
  ...capture('linux-x86_64__nvidia-h100-mig__590.48.01.txt', 0, 0, 3, 15),
  ...capture('linux-x86_64__nvidia-h200-mig__590.48.01.txt', 0, 0, 3, 15),
  ...capture('linux-x86_64__nvidia-h200__590.48.01.txt', 0, 0, 3, 15),
  ...capture('linux-x86_64__nvidia-l40s__595.80.txt', 0, 0, 2, 10),
  ...capture('windows-x86_64__nvidia-geforce-rtx-2080-super__591.86.txt', 10, 50, 12, 60),
  ...capture('windows-x86_64__nvidia-geforce-rtx-2080-super__610.62.txt', 19, 95, 21, 105),
};

/** pmon when the command says so, or when the output is pmon's `# gpu pid type ...` table (P1). */
function isPmon(run: FixtureRun): boolean {
  return /\bpmon\b/.test(run.command ?? '') || run.output.startsWith('# gpu');
}

function apps(run: FixtureRun | undefined) {
  return parseNvidiaComputeApps(
    run?.output ?? '',
    queryFields(run?.command ?? null, 'compute-apps') ?? undefined,
  );
}

function pmon(run: FixtureRun | undefined): PmonRow[] {
  return parseNvidiaPmon(run?.output ?? '');
}

function sample(id: string): FixtureSample {
  const found = samples.find((s) => sampleId(s.heading) === id);
  if (!found) throw new Error(`No sample ${id} in nvidia-compute-apps.md`);
  return found;
}

describe('nvidia-smi compute-apps / pmon fixtures: every sample parses', () => {
  it('covers every sample in the file', () => {
    expect(samples.map((s) => sampleId(s.heading)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(samples.map((s) => [sampleTitle(s), s] as const))('%s', (_title, s) => {
    const expected = EXPECTED[sampleId(s.heading)];
    expect(expected, 'sample has no expectation').toBeDefined();
    const got = s.runs.map((run): Expected => {
      if (isPmon(run)) {
        const rows = pmon(run);
        for (const row of rows) {
          expect(Number.isInteger(row.gpuIndex) && Number.isInteger(row.pid)).toBe(true);
          expect(row.type).toMatch(/^(?:C|G|C\+G|M|M\+C)$/);
        }
        return ['pmon', rows.length];
      }
      const processes = apps(run);
      for (const process of processes) expect(GpuProcessSchema.parse(process)).toEqual(process);
      return ['apps', processes.length];
    });
    expect(got).toEqual(expected);
  });
});

describe('nvidia-smi compute-apps / pmon fixtures: values', () => {
  it('P1 "[Not Found]" process name is null; the GPU is matched by UUID', () => {
    const processes = apps(sample('P1').runs[0]);
    expect(processes[7]).toEqual({
      pid: 1758887,
      name: null,
      gpuUuid: 'GPU-28780eb0-24d5-1f13-59b8-ae5c23617a72',
      gpuBusId: null,
      usedMemoryMiB: 58060,
    });
    expect(processes[0]?.name).toBe('/usr/local/bin/python3.10');
  });

  it('P2 query name used_memory maps to the used_gpu_memory header', () => {
    expect(apps(sample('P2').runs[0]).map((p) => [p.pid, p.name, p.usedMemoryMiB])).toEqual([
      [3858903, 'VLLM::EngineCore', 6265],
      [3880364, 'VLLM::EngineCore', 5530],
    ]);
  });

  it('P5 header+units and noheader,nounits give the same process', () => {
    const [withHeader] = apps(sample('P5').runs[0]);
    const [noHeader] = apps(sample('P5').runs[1]);
    expect(withHeader).toEqual(noHeader);
    expect(withHeader).toMatchObject({ pid: 1106871, name: '/app/llama-server', usedMemoryMiB: 23342 });
  });

  it('P6 pid redacted as "<pid>" by the author is null, not a crash', () => {
    expect(apps(sample('P6').runs[0])).toEqual([
      { pid: null, name: './build/bin/llama-server', gpuUuid: null, gpuBusId: null, usedMemoryMiB: 6010 },
    ]);
  });

  it('P7 header-only output means no compute process', () => {
    expect(apps(sample('P7').runs[0])).toEqual([]);
  });

  it('P8 query "name" is the process name on a vGPU host', () => {
    expect(apps(sample('P8').runs[0]).map((p) => p.name)).toEqual(['vgpu', 'vgpu', 'vgpu']);
  });

  it('Windows capture: paths with spaces, used memory [N/A] is null, bus id normalised', () => {
    const processes = apps(
      sample('windows-x86_64__nvidia-geforce-rtx-2080-super__591.86.txt — idle — query-compute-apps').runs[0],
    );
    expect(processes[4]).toEqual({
      pid: 20372,
      name: 'C:\\Program Files\\NZXT CAM\\NZXT CAM.exe',
      gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
      gpuBusId: '0000:0c:00.0',
      usedMemoryMiB: null,
    });
  });

  it('pmon on Windows: names with spaces, header repeated mid-output', () => {
    const rows = pmon(
      sample('windows-x86_64__nvidia-geforce-rtx-2080-super__591.86.txt — load — pmon').runs[0],
    );
    expect(rows[1]).toEqual({ gpuIndex: 0, pid: 4680, type: 'C+G', name: 'NVIDIA Share.exe' });
    expect(rows.filter((r) => r.name === 'ffmpeg.exe').map((r) => r.type)).toEqual(Array(10).fill('C'));
  });

  it('pmon on Linux under load: compute and graphics processes', () => {
    const rows = pmon(sample('linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt — load — pmon').runs[0]);
    expect(rows.slice(0, 3)).toEqual([
      { gpuIndex: 0, pid: 11327, type: 'C', name: 'memhog' },
      { gpuIndex: 0, pid: 11328, type: 'C', name: 'memhog' },
      { gpuIndex: 0, pid: 11345, type: 'C', name: 'gpu_burn' },
    ]);
  });

  it('pmon of idle GPUs (all dashes) gives no rows', () => {
    expect(pmon(sample('P1').runs[2])).toEqual([]);
  });
});

describe('parseNvidiaPmon without a header line', () => {
  it('takes the metric columns as the run of numbers and dashes before the name', () => {
    expect(parseNvidiaPmon('    1      4242     C     12      3      -      -    my trainer')).toEqual([
      { gpuIndex: 1, pid: 4242, type: 'C', name: 'my trainer' },
    ]);
  });

  it('throws on a line that is not pmon output', () => {
    expect(() => parseNvidiaPmon('No devices were found')).toThrow(/pmon/);
  });
});
