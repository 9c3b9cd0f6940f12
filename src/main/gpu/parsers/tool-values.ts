import { GpuParseError } from './parse-error';

// nvidia-smi writes every non-value in brackets ([N/A], [Not Supported], [Unknown Error],
// [Insufficient Permissions], [Requested functionality has been deprecated], ...). Older drivers and
// rocm-smi write a bare N/A, sometimes with a note after it ("N/A (Secondary die)"); pmon writes "-".
const NOT_REPORTED =
  /^(?:\[.*\]|n\/a\b.*|not supported|unknown error|insufficient permissions|not found|-|)$/i;

/** True when the tool printed a placeholder instead of a value. Such a value is null, never 0. */
export function isNotReported(raw: string | null | undefined): boolean {
  return raw === null || raw === undefined || NOT_REPORTED.test(raw.trim());
}

/** The trimmed text, or null for a placeholder. */
export function reportedText(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || isNotReported(raw)) return null;
  return raw.trim();
}

// A number with an optional unit glued on or after a space: "20 %", "5934 MiB", "176.98 W", "38.0c",
// "42.0°C", "1802Mhz". The unit is not checked against the field: the header already named it.
const MEASURE = /^([-+]?\d+(?:\.\d+)?)\s*(?:[a-z%°/]+)?$/i;

/**
 * A measured value as a number, or null when the tool did not report it. Anything else throws: text in
 * a numeric column means the columns were misread, and a guessed number would be worse than none.
 */
export function parseMeasure(raw: string | null | undefined, field: string): number | null {
  if (raw === null || raw === undefined || isNotReported(raw)) return null;
  const match = MEASURE.exec(raw.trim());
  if (!match?.[1]) throw new GpuParseError(`Expected a number for ${field}, got "${raw.trim()}".`);
  return Number(match[1]);
}

/** Like parseMeasure, for whole numbers such as indexes and PIDs. */
export function parseInteger(raw: string | null | undefined, field: string): number | null {
  const value = parseMeasure(raw, field);
  if (value !== null && !Number.isInteger(value)) {
    throw new GpuParseError(`Expected a whole number for ${field}, got "${String(raw).trim()}".`);
  }
  return value;
}

const MIB = 1024 * 1024;

/** Bytes (rocm-smi reports VRAM in bytes) to whole MiB, the unit nvidia-smi reports. */
export function bytesToMiB(bytes: number | null): number | null {
  return bytes === null ? null : Math.round(bytes / MIB);
}

const BUS_ID = /^(?:([0-9a-f]+):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;

/**
 * PCI address in one spelling for every tool: `0000:09:00.0`. nvidia-smi prints an 8-digit domain
 * (`00000000:09:00.0`), rocm-smi upper case, lspci often no domain at all; matching processes to GPUs
 * and lspci to nvidia-smi needs them equal as strings.
 */
export function normalizeBusId(raw: string | null | undefined): string | null {
  const text = reportedText(raw);
  if (text === null) return null;
  const match = BUS_ID.exec(text);
  if (!match) throw new GpuParseError(`Expected a PCI bus id like 0000:09:00.0, got "${text}".`);
  const [, domain = '0', bus = '', device = '', fn = ''] = match;
  const shortDomain = domain.replace(/^0+/, '').padStart(4, '0');
  return `${shortDomain}:${bus.padStart(2, '0')}:${device.padStart(2, '0')}.${fn}`.toLowerCase();
}

/** nvidia-smi prints "GPU-" with nothing after it on some modded drivers: that is no UUID at all. */
export function normalizeUuid(raw: string | null | undefined): string | null {
  const text = reportedText(raw);
  if (text === null || /^(?:GPU|MIG)-?$/i.test(text)) return null;
  return text;
}
