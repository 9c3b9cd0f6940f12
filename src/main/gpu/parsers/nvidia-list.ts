import { GpuParseError } from './parse-error';
import { normalizeUuid } from './tool-values';

export interface NvidiaMigDevice {
  index: number;
  /** The MIG profile, e.g. `1g.10gb` or `1c.3g.71gb`. */
  name: string;
  uuid: string | null;
}

export interface NvidiaListedGpu {
  index: number;
  name: string;
  /** null where the driver printed an empty `GPU-` (seen on modded Windows drivers). */
  uuid: string | null;
  mig: NvidiaMigDevice[];
}

// Matched as tokens anywhere in the text, not per line: pasted output is sometimes joined onto one line,
// and a copy can lose the closing ")". UUIDs of old MIG drivers look like MIG-GPU-<uuid>/1/0.
const TOKEN =
  /GPU\s+(\d+):\s+(.+?)\s+\(UUID:\s*([\w/-]*)\)?|MIG\s+(\S+)\s+Device\s+(\d+):\s+\(UUID:\s*([\w/-]*)\)?/g;

/** `nvidia-smi -L`: one entry per GPU, with its MIG devices. Throws if the text lists no GPU at all. */
export function parseNvidiaList(text: string): NvidiaListedGpu[] {
  const gpus: NvidiaListedGpu[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [, gpuIndex, gpuName, gpuUuid, migName, migIndex, migUuid] = match;
    if (gpuIndex !== undefined && gpuName !== undefined) {
      gpus.push({ index: Number(gpuIndex), name: gpuName, uuid: normalizeUuid(gpuUuid), mig: [] });
    } else if (migName !== undefined && migIndex !== undefined) {
      const owner = gpus.at(-1);
      if (!owner) throw new GpuParseError(`nvidia-smi -L listed a MIG device before any GPU: "${match[0]}".`);
      owner.mig.push({ index: Number(migIndex), name: migName, uuid: normalizeUuid(migUuid) });
    }
  }
  if (gpus.length === 0 && text.trim() !== '') {
    throw new GpuParseError(
      `Not nvidia-smi -L output (no "GPU n: name (UUID: ...)" line): "${text.trim()}".`,
    );
  }
  return gpus;
}
