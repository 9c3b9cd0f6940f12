import type { GpuInfo } from '../../../shared/schemas/gpu';
import { GpuParseError } from './parse-error';
import { rocmFieldsToGpuInfo } from './rocm-smi-fields';

/**
 * Parses JSON a tool printed, skipping lines before it: rocm-smi and amd-smi print warnings (low-power
 * state, deprecation notices) ahead of the document on stdout.
 */
export function parseToolJson(text: string, tool: string): unknown {
  const start = text.search(/^\s*[{[]/m);
  if (start < 0) throw new GpuParseError(`${tool} printed no JSON.`);
  try {
    return JSON.parse(text.slice(start)) as unknown;
  } catch (error) {
    throw new GpuParseError(
      `${tool} printed JSON that cannot be read (cut short?): ${(error as Error).message}`,
    );
  }
}

function asStrings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, field] of Object.entries(value)) {
      if (typeof field === 'string' || typeof field === 'number') out[key] = String(field);
    }
  }
  return out;
}

/**
 * `rocm-smi --json` (any --show* flags): one `cardN` object per GPU. The `system` object holds what is
 * not per card; its driver version applies to every card.
 */
export function parseRocmSmiJson(text: string): GpuInfo[] {
  const doc = parseToolJson(text, 'rocm-smi');
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new GpuParseError('rocm-smi JSON is not an object of cards.');
  }
  const entries = Object.entries(doc as Record<string, unknown>);
  const system = asStrings(entries.find(([key]) => key.toLowerCase() === 'system')?.[1]);
  const driverVersion =
    Object.entries(system).find(([key]) => key.toLowerCase() === 'driver version')?.[1] ?? null;
  const cards = entries.flatMap(([key, value]) => {
    const card = /^card(\d+)$/i.exec(key)?.[1];
    return card === undefined ? [] : [{ index: Number(card), fields: asStrings(value) }];
  });
  // Keys but no cardN at all is another tool's JSON (amd-smi's "gpu_data"), not a machine without GPUs.
  if (cards.length === 0 && entries.some(([key]) => key.toLowerCase() !== 'system')) {
    throw new GpuParseError(
      `rocm-smi JSON has no cardN entries (keys: ${entries.map(([key]) => key).join(', ')}).`,
    );
  }
  return cards
    .sort((a, b) => a.index - b.index)
    .map(({ index, fields }) => rocmFieldsToGpuInfo(fields, index, driverVersion));
}
