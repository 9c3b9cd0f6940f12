export type RocmSmiFailureKind = 'no-driver' | 'no-devices' | 'permission' | 'unsupported' | 'unknown';

export interface RocmSmiFailure {
  kind: RocmSmiFailureKind;
  /** A plain sentence for the owner: what failed and what to do about it. */
  message: string;
}

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * Why a rocm-smi call failed or came back partial. rocm-smi prints `ERROR: GPU[n] : Unable to get X`
 * for each reading the driver does not expose on that card and still exits 0 for the rest, so those are
 * reported as 'unsupported': the other readings stay usable.
 */
export function classifyRocmSmiFailure(
  stdout: string,
  stderr: string,
  exitCode: number | null,
): RocmSmiFailure {
  const text = `${stdout}\n${stderr}`;
  if (/amdgpu not found|Driver not initialized|Unable to find amdgpu/i.test(text)) {
    return {
      kind: 'no-driver',
      message:
        'The AMD GPU driver (amdgpu) is not loaded, so rocm-smi cannot see any GPU. Install or load amdgpu, then restart Nocturne.',
    };
  }
  if (/No AMD GPUs/i.test(text)) {
    return {
      kind: 'no-devices',
      message:
        'rocm-smi found no AMD GPU. Check that the card is seated and powered and that amdgpu supports it, then restart the computer.',
    };
  }
  if (/Permission denied|insufficient permission/i.test(text)) {
    return {
      kind: 'permission',
      message:
        'Nocturne is not allowed to read the AMD GPUs. Add the user running Nocturne to the "render" and "video" groups, then log in again.',
    };
  }
  const missing = new Set<string>();
  const gpus = new Set<string>();
  for (const match of text.matchAll(
    /(?:ERROR:\s*)?GPU\[(\d+)\]\s*:\s*Unable to (?:get|display|read) ([^.\n]+?)\.?\s*$/gim,
  )) {
    if (match[1] !== undefined) gpus.add(`GPU ${match[1]}`);
    if (match[2] !== undefined) missing.add(match[2].trim());
  }
  if (missing.size > 0) {
    return {
      kind: 'unsupported',
      message: `rocm-smi could not read the ${listOf([...missing])} of ${listOf([...gpus])}: the driver does not expose them for this card. Nocturne shows them as unknown; a newer ROCm release may add them.`,
    };
  }
  const firstLine = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !/^=+/.test(line));
  return {
    kind: 'unknown',
    message: firstLine
      ? `rocm-smi failed${exitCode === null ? '' : ` (exit code ${exitCode})`}: ${firstLine}`
      : `rocm-smi failed${exitCode === null ? '' : ` with exit code ${exitCode}`} and printed nothing.`,
  };
}
