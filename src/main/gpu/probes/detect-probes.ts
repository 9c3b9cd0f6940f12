import type { ProcessRunner } from '../../os/process-runner';
import { createAmdProbe } from './amd-probe';
import type { GpuProbe } from './gpu-probe';
import { createNvidiaProbe } from './nvidia-probe';
import { createSystemInformationProbe, type SiController } from './systeminformation-probe';

/**
 * Picks the probes for this machine by which vendor tools are on PATH: nvidia-smi for NVIDIA,
 * rocm-smi (else amd-smi) for AMD, and systeminformation only when neither vendor tool exists.
 */
export function detectProbes(
  runner: ProcessRunner,
  graphics: () => Promise<{ controllers: SiController[] }>,
): GpuProbe[] {
  const probes: GpuProbe[] = [];
  if (runner.which('nvidia-smi')) probes.push(createNvidiaProbe(runner));
  if (runner.which('rocm-smi')) probes.push(createAmdProbe(runner, 'rocm-smi'));
  else if (runner.which('amd-smi')) probes.push(createAmdProbe(runner, 'amd-smi'));
  if (probes.length === 0) probes.push(createSystemInformationProbe(graphics));
  return probes;
}
