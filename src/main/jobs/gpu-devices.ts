import { readdirSync } from 'node:fs';

function list(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => pattern.test(n))
      .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
      .map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

/**
 * The device nodes for `count` GPUs: NVIDIA's per-card nodes plus the shared control nodes, else DRM
 * render nodes (AMD, Intel). Only these are bound into a job's sandbox.
 */
export function gpuDeviceNodes(count: number, devDir = '/dev'): string[] {
  if (count <= 0) return [];
  const nvidia = list(devDir, /^nvidia\d+$/).slice(0, count);
  if (nvidia.length > 0) {
    const shared = ['nvidiactl', 'nvidia-uvm', 'nvidia-uvm-tools', 'nvidia-modeset'].map(
      (n) => `${devDir}/${n}`,
    );
    return [...nvidia, ...shared.filter((path) => list(devDir, /^nvidia/).includes(path))];
  }
  const render = list(`${devDir}/dri`, /^renderD\d+$/).slice(0, count);
  // ROCm (AMD compute) also needs the kernel fusion driver's node.
  return render.length > 0 ? [...render, ...list(devDir, /^kfd$/)] : [];
}
