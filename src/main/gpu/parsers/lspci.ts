import type { GpuVendor } from '../../../shared/schemas/gpu';
import { GpuParseError } from './parse-error';
import { normalizeBusId } from './tool-values';

export interface LspciGpu {
  /** Normalised `0000:01:00.0`; null only for a line quoted without its address. */
  busId: string | null;
  vendor: GpuVendor;
  /**
   * The marketing name from pci.ids where it has one (`GeForce RTX 3090` from `GA102 [GeForce RTX 3090]`),
   * else the device text as printed (`AlderLake-S GT1`, or `Device 2684` when pci.ids is too old to know
   * the card).
   */
  name: string;
  /** The 4-hex-digit PCI device id (`2684`), when lspci printed it (-nn, or an unnamed device). */
  deviceId: string | null;
}

// PCI class 03xx: VGA (0300), 3D (0302) and other display controllers (0380).
const GPU_LINE =
  /^(?:((?:[0-9a-f]{4,8}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\s+)?(?:VGA compatible controller|3D controller|Display controller)(?:\s+\[03[0-9a-f]{2}\])?:\s*(.*)$/i;

const VENDORS: readonly [RegExp, GpuVendor][] = [
  [/^NVIDIA(?: Corporation)?/i, 'nvidia'],
  [/^Advanced Micro Devices,? Inc\.?(?: \[AMD(?:\/ATI)?\])?|^ATI Technologies Inc\.?|^AMD\b/i, 'amd'],
  [/^Intel Corporation|^Intel\b/i, 'intel'],
  [/^Apple Inc\.?/i, 'apple'],
];

const VENDOR_IDS: Readonly<Record<string, GpuVendor>> = {
  '10de': 'nvidia',
  '1002': 'amd',
  '1022': 'amd',
  '8086': 'intel',
  '106b': 'apple',
};

function parseGpuLine(line: string, address: string | undefined, description: string): LspciGpu {
  let rest = description
    .replace(/\s*\(prog-if [^)]*\)\s*$/i, '')
    .replace(/\s*\(rev [0-9a-f]+\)\s*$/i, '')
    .trim();
  const ids = /\s*\[([0-9a-f]{4}):([0-9a-f]{4})\]$/i.exec(rest);
  if (ids) rest = rest.slice(0, ids.index).trim();

  let vendor: GpuVendor = (ids?.[1] && VENDOR_IDS[ids[1].toLowerCase()]) || 'other';
  for (const [pattern, name] of VENDORS) {
    const match = pattern.exec(rest);
    if (match) {
      vendor = name;
      rest = rest.slice(match[0].length).trim();
      break;
    }
  }
  if (rest === '') {
    throw new GpuParseError(`The lspci line names a vendor but no device (cut short?): "${line.trim()}".`);
  }

  const unnamed = /^Device(?:\s+([0-9a-f]{4}))?$/i.exec(rest);
  const deviceId = (ids?.[2] ?? unnamed?.[1] ?? null)?.toLowerCase() ?? null;
  const marketing = /\[([^\]]+)\]$/.exec(rest)?.[1];
  const name = unnamed ? `Device ${deviceId ?? ''}`.trim() : (marketing ?? rest);
  return { busId: address ? normalizeBusId(address) : null, vendor, name, deviceId };
}

/**
 * The display controllers in `lspci` output, with or without -nn ids, a PCI domain, or -k/-v detail
 * lines (indented, skipped). Other devices (the GPU's own audio function, bridges) are skipped. Throws
 * on a GPU line that stops after the vendor name, as a cut paste does.
 */
export function parseLspciGpus(text: string): LspciGpu[] {
  const gpus: LspciGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s/.test(line)) continue;
    const match = GPU_LINE.exec(line.trim());
    if (match) gpus.push(parseGpuLine(line, match[1], match[2] ?? ''));
  }
  return gpus;
}
