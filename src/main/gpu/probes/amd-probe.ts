import type { ProcessRunner } from '../../os/process-runner';
import { classifyRocmSmiFailure, parseAmdSmiJson, parseRocmSmiJson } from '../parsers/amd';
import { GpuProbeError, pollingWatch, type GpuProbe } from './gpu-probe';

const ROCM_ARGS = [
  '--showid',
  '--showproductname',
  '--showbus',
  '--showdriverversion',
  '--showtemp',
  '--showpower',
  '--showmaxpower',
  '--showuse',
  '--showmeminfo',
  'vram',
  '--showfan',
  '--showuniqueid',
  '--json',
];

/** AMD through rocm-smi, or amd-smi (its successor) where only that is installed. Polled: neither streams. */
export function createAmdProbe(runner: ProcessRunner, tool: 'rocm-smi' | 'amd-smi'): GpuProbe {
  const list = async () => {
    const args = tool === 'rocm-smi' ? ROCM_ARGS : ['metric', '--json'];
    const result = await runner.run(tool, args);
    if (result.exitCode !== 0) {
      throw new GpuProbeError(
        tool === 'rocm-smi'
          ? classifyRocmSmiFailure(result.stdout, result.stderr, result.exitCode).message
          : `amd-smi failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n')[0] ?? ''}`,
      );
    }
    try {
      return tool === 'rocm-smi' ? parseRocmSmiJson(result.stdout) : parseAmdSmiJson(result.stdout);
    } catch (error) {
      throw new GpuProbeError(`${tool} printed output Nocturne cannot read: ${(error as Error).message}`);
    }
  };
  return {
    name: tool,
    list,
    // Neither tool reports other processes per GPU in a form we rely on yet.
    processes: async () => [],
    watch: (intervalMs, onSample, onError) => pollingWatch(list, intervalMs, onSample, onError),
    setPowerLimit: async () => ({ ok: false, reason: 'Nocturne cannot cap the power of AMD cards yet.' }),
  };
}
