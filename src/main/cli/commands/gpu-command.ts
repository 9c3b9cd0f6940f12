import si from 'systeminformation';
import type { GpuInfo } from '../../../shared/schemas/gpu';
import { detectProbes } from '../../gpu/probes/detect-probes';
import type { GpuProbe } from '../../gpu/probes/gpu-probe';
import { createProcessRunner } from '../../os/process-runner';
import { printData, UsageError, type CliIo } from '../cli-io';
import { gpuBenchCommand } from './gpu-bench-command';

export const gpuHelp = `nocturne gpu list [--json]
nocturne gpu watch [--json] [--interval SECONDS]
nocturne gpu bench [--json] [--data-dir DIR]

list   every GPU with its live readings (null where the tool does not report a value)
watch  live readings until Ctrl+C (default every 2 s), from one long-lived nvidia-smi where present
bench  FP32 matmul GFLOP/s and memory GB/s in WebGPU (headless Chromium), checked against the CPU

JSON fields: id, vendor (nvidia|amd|intel|apple|other), name, busId, uuid, index, driverVersion,
memoryTotalMiB, memoryUsedMiB, temperatureC, powerDrawW, powerLimitW, utilizationPct, fanPct.`;

const show = (v: number | null, unit: string) => (v === null ? '—' : `${Math.round(v * 10) / 10}${unit}`);

export function describeGpu(g: GpuInfo): string {
  return [
    `${g.index ?? '-'}  ${g.name}  (${g.vendor}${g.busId ? `, ${g.busId}` : ''}${g.driverVersion ? `, driver ${g.driverVersion}` : ''})`,
    `   ${show(g.temperatureC, ' C')}  ${show(g.powerDrawW, ' W')} of ${show(g.powerLimitW, ' W')}  ` +
      `util ${show(g.utilizationPct, ' %')}  fan ${show(g.fanPct, ' %')}  ` +
      `memory ${show(g.memoryUsedMiB, '')} / ${show(g.memoryTotalMiB, ' MiB')}`,
  ].join('\n');
}

/** Lists from every probe; a broken tool is reported, and exits 1 only when nothing could be read. */
async function listAll(probes: GpuProbe[], io: CliIo): Promise<{ gpus: GpuInfo[]; failed: boolean }> {
  const gpus: GpuInfo[] = [];
  let failed = false;
  for (const probe of probes) {
    try {
      gpus.push(...(await probe.list()));
    } catch (error) {
      failed = true;
      io.err(`nocturne: ${probe.name}: ${(error as Error).message}\n`);
    }
  }
  return { gpus, failed: failed && gpus.length === 0 };
}

export async function gpuCommand(
  positionals: string[],
  values: { json?: boolean; interval?: string; 'data-dir'?: string },
  io: CliIo,
  probes: GpuProbe[] = detectProbes(createProcessRunner(io.env), () => si.graphics()),
): Promise<number> {
  const [verb = 'list', ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`gpu ${verb} takes no arguments, got "${rest.join(' ')}".`);
  const json = values.json === true;

  if (verb === 'list') {
    const { gpus, failed } = await listAll(probes, io);
    printData(io, json, gpus, () => (gpus.length === 0 ? 'No GPU found.' : gpus.map(describeGpu).join('\n')));
    return failed ? 1 : 0;
  }

  if (verb === 'watch') {
    const seconds = values.interval === undefined ? 2 : Number(values.interval);
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) {
      throw new UsageError(
        `--interval must be a number of seconds from 0.1 to 3600, not "${values.interval}".`,
      );
    }
    const watches = probes.map((probe) =>
      probe.watch(
        seconds * 1000,
        (gpus) => {
          const at = new Date().toISOString();
          io.out(json ? `${JSON.stringify({ at, gpus })}\n` : `${at}\n${gpus.map(describeGpu).join('\n')}\n`);
        },
        (message) => io.err(`nocturne: ${probe.name}: ${message}\n`),
      ),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    for (const w of watches) w.stop();
    return 0;
  }

  if (verb === 'bench') return gpuBenchCommand(values, io);

  throw new UsageError(`Unknown gpu command "${verb}". Use list, watch or bench.`);
}
