import type { GpuInfo } from '../../../shared/schemas/gpu';
import type { ProcessRunner } from '../../os/process-runner';
import { parseNvidiaComputeApps } from '../parsers/nvidia-compute-apps';
import {
  NVIDIA_QUERY_FIELDS,
  nvidiaRowToGpuInfo,
  parseNvidiaCsv,
  parseNvidiaStreamLine,
} from '../parsers/nvidia-csv';
import { classifyNvidiaSmiFailure } from '../parsers/nvidia-errors';
import { GpuProbeError, type GpuProbe, type TelemetryWatch } from './gpu-probe';
import { superviseStream } from './supervised-stream';

const COMPUTE_APP_FIELDS = ['pid', 'process_name', 'gpu_uuid', 'gpu_bus_id', 'used_memory'];
const QUERY = `--query-gpu=${NVIDIA_QUERY_FIELDS.join(',')}`;
const FORMAT = '--format=csv,noheader,nounits';

/**
 * NVIDIA through nvidia-smi. Steady-state telemetry comes from ONE long-lived `nvidia-smi -lms` process
 * (a spawn per sample costs 10-600 ms and shows up as stutter in games).
 */
export function createNvidiaProbe(runner: ProcessRunner, command = 'nvidia-smi'): GpuProbe {
  const failure = (stdout: string, stderr: string, exitCode: number | null) =>
    new GpuProbeError(classifyNvidiaSmiFailure(stdout, stderr, exitCode).message);

  return {
    name: 'nvidia-smi',

    async list() {
      const result = await runner.run(command, [QUERY, FORMAT]);
      if (result.failure === 'timeout')
        throw new GpuProbeError('nvidia-smi did not answer within 15 s; the driver may be hung.');
      if (result.exitCode !== 0) throw failure(result.stdout, result.stderr, result.exitCode);
      return parseNvidiaCsv(result.stdout, [...NVIDIA_QUERY_FIELDS]).map(nvidiaRowToGpuInfo);
    },

    async processes() {
      const result = await runner.run(command, [
        `--query-compute-apps=${COMPUTE_APP_FIELDS.join(',')}`,
        FORMAT,
      ]);
      if (result.exitCode !== 0) throw failure(result.stdout, result.stderr, result.exitCode);
      return parseNvidiaComputeApps(result.stdout, COMPUTE_APP_FIELDS);
    },

    watch(intervalMs, onSample, onError): TelemetryWatch {
      // Each tick prints one line per GPU, in index order: a batch ends when the index wraps around.
      let batch: GpuInfo[] = [];
      let lastIndex = -1;
      let flushTimer: NodeJS.Timeout | undefined;
      let unreadable = '';
      const flush = () => {
        clearTimeout(flushTimer);
        if (batch.length > 0) onSample(batch);
        batch = [];
        lastIndex = -1;
      };
      const supervisor = superviseStream({
        start: () =>
          runner.stream(command, [QUERY, FORMAT, `-lms`, String(Math.max(100, Math.round(intervalMs)))]),
        onLine: (line) => {
          let row;
          try {
            row = parseNvidiaStreamLine(line, [...NVIDIA_QUERY_FIELDS]);
          } catch {
            // nvidia-smi prints its failures on stdout; keep them to explain the exit that follows.
            unreadable = `${unreadable}${line}\n`.slice(-4096);
            return;
          }
          if (!row) return;
          const gpu = nvidiaRowToGpuInfo(row);
          const index = gpu.index ?? lastIndex + 1;
          if (index <= lastIndex) flush();
          batch.push(gpu);
          lastIndex = index;
          clearTimeout(flushTimer);
          // The last GPU of a tick has no successor line to close the batch; a short quiet gap does.
          flushTimer = setTimeout(flush, Math.min(200, intervalMs / 2));
        },
        onCrash: (code, stderr) => {
          flush();
          onError(classifyNvidiaSmiFailure(unreadable, stderr, code).message);
          unreadable = '';
        },
      });
      return {
        stop() {
          clearTimeout(flushTimer);
          supervisor.stop();
        },
      };
    },

    async setPowerLimit(gpu, watts) {
      if (gpu.index === null) return { ok: false, reason: 'This GPU has no nvidia-smi index.' };
      const result = await runner.run(command, ['-i', String(gpu.index), '-pl', String(Math.round(watts))]);
      if (result.exitCode === 0) return { ok: true };
      const text = `${result.stdout}\n${result.stderr}`;
      if (/insufficient permissions|root/i.test(text)) {
        return {
          ok: false,
          reason: 'Capping power needs administrator rights (nvidia-smi -pl), which Nocturne does not have.',
        };
      }
      if (/not supported/i.test(text))
        return { ok: false, reason: 'This card or driver does not allow changing its power limit.' };
      return {
        ok: false,
        reason: `nvidia-smi refused the power limit: ${text.trim().split('\n')[0] ?? 'no message'}`,
      };
    },
  };
}
