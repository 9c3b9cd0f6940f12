import { normalizeBusId } from './tool-values';

export type NvidiaSmiFailureKind =
  'no-driver' | 'no-devices' | 'version-mismatch' | 'permission' | 'gpu-lost' | 'unknown';

export interface NvidiaSmiFailure {
  kind: NvidiaSmiFailureKind;
  /** A plain sentence for the owner: what failed and what to do about it. */
  message: string;
}

function busIdIn(text: string): string | null {
  // "for GPU 0000:0B:00.0" on old drivers, "for GPU0000:07:00.0" on new ones.
  const raw = /for GPU\s*([0-9a-f]+:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])/i.exec(text)?.[1];
  if (!raw) return null;
  try {
    return normalizeBusId(raw);
  } catch {
    return null;
  }
}

function theGpu(busId: string | null): string {
  return busId ? `The GPU at ${busId}` : 'A GPU';
}

// nvidia-smi's documented exit codes, for when it exits without one of the known messages.
const EXIT_CODE_KINDS: Readonly<Record<number, 'permission' | 'no-devices' | 'no-driver' | 'gpu-lost'>> = {
  4: 'permission',
  6: 'no-devices',
  9: 'no-driver',
  12: 'no-driver',
  15: 'gpu-lost',
};

const MESSAGES: Readonly<Record<'no-driver' | 'no-devices' | 'version-mismatch' | 'permission', string>> = {
  'no-driver':
    'The NVIDIA driver is not loaded: nvidia-smi could not talk to it. Reinstall or load the driver, then restart Nocturne.',
  'no-devices':
    'The NVIDIA driver is running but found no GPU. Check that the card is seated and powered (and, on ' +
    'recent cards, that Above 4G decoding and Resizable BAR are on in the BIOS), then restart the computer.',
  'version-mismatch':
    'The NVIDIA driver was updated but the old one is still loaded, so nvidia-smi cannot use it. Restart ' +
    'the computer to finish the driver update.',
  permission:
    'Nocturne is not allowed to read the GPUs: nvidia-smi reported insufficient permissions. Run Nocturne ' +
    'as a user with access to the NVIDIA devices (/dev/nvidia*).',
};

/**
 * Why an nvidia-smi call failed, from what it printed (it writes most errors to stdout, some to stderr)
 * and its exit code. Per-field values such as [Unknown Error] inside CSV are not failures: the parsers
 * read those as null.
 */
export function classifyNvidiaSmiFailure(
  stdout: string,
  stderr: string,
  exitCode: number | null,
): NvidiaSmiFailure {
  const text = `${stdout}\n${stderr}`;

  if (/Driver\/library version mismatch/i.test(text)) {
    const library = /NVML library version:\s*(\S+)/i.exec(text)?.[1];
    return {
      kind: 'version-mismatch',
      message:
        'The NVIDIA driver was updated but the old one is still loaded' +
        (library ? ` (the new library is ${library})` : '') +
        ', so nvidia-smi cannot use it. Restart the computer to finish the driver update.',
    };
  }
  // The apostrophe varies in copies ("couldn't", "couldn‘t").
  if (
    /couldn.?t communicate with the NVIDIA driver/i.test(text) ||
    /NVML Shared Library Not Found/i.test(text)
  ) {
    return { kind: 'no-driver', message: MESSAGES['no-driver'] };
  }
  if (/GPU is lost/i.test(text)) {
    return {
      kind: 'gpu-lost',
      message: `${theGpu(busIdIn(text))} stopped responding and the driver gave it up. Restart the computer to bring it back; if it keeps happening, check the card's power cables and seating.`,
    };
  }
  if (/Unable to (?:determine|detect) the device handle for GPU/i.test(text)) {
    return {
      kind: 'gpu-lost',
      message: `${theGpu(busIdIn(text))} did not answer the driver (it may have fallen off the PCIe bus). Restart the computer; if it keeps happening, check the card's power cables and seating.`,
    };
  }
  if (/Insufficient Permissions|Permission denied/i.test(text)) {
    return { kind: 'permission', message: MESSAGES.permission };
  }
  if (/No devices were found/i.test(text)) {
    return { kind: 'no-devices', message: MESSAGES['no-devices'] };
  }
  // The two below mean the query Nocturne built does not suit this driver, not that the GPU is unwell.
  const field = /["“]([^"”]+)["”]\s+is not a valid field to query/i.exec(text)?.[1];
  if (field) {
    return {
      kind: 'unknown',
      message: `The installed NVIDIA driver does not know the field "${field}" that Nocturne asked for. Update the NVIDIA driver.`,
    };
  }
  const option = /Option\s+(\S+)\s+is not recognized/i.exec(text)?.[1];
  if (option) {
    return {
      kind: 'unknown',
      message: `The installed nvidia-smi does not accept the option "${option}" that Nocturne used. Update the NVIDIA driver.`,
    };
  }

  const byCode = exitCode === null ? undefined : EXIT_CODE_KINDS[exitCode];
  if (byCode === 'gpu-lost') {
    return {
      kind: byCode,
      message:
        "A GPU fell off the PCIe bus. Restart the computer; if it keeps happening, check the card's power cables and seating.",
    };
  }
  if (byCode) return { kind: byCode, message: MESSAGES[byCode] };

  const firstLine = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '');
  return {
    kind: 'unknown',
    message: firstLine
      ? `nvidia-smi failed${exitCode === null ? '' : ` (exit code ${exitCode})`}: ${firstLine}`
      : `nvidia-smi failed${exitCode === null ? '' : ` with exit code ${exitCode}`} and printed nothing.`,
  };
}
