import type { GpuInfo } from '../../../shared/schemas/gpu';
import { buildGpuInfo } from './build-gpu-info';
import { GpuParseError } from './parse-error';
import { parseToolJson } from './rocm-smi-json';
import { bytesToMiB, normalizeBusId, parseInteger, parseMeasure, reportedText } from './tool-values';

type Node = Record<string, unknown>;

function child(node: unknown, key: string): unknown {
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Node)[key] : undefined;
}

// amd-smi writes a measurement as {"value": 42, "unit": "%"}, as a bare number, as "N/A", or (text
// output) as "42 %". Returns the number and its unit.
function reading(node: unknown, label: string): { value: number | null; unit: string } {
  if (typeof node === 'number') return { value: node, unit: '' };
  if (typeof node === 'string') {
    return { value: parseMeasure(node, label), unit: /[a-z]+$/i.exec(node.trim())?.[0] ?? '' };
  }
  const value = child(node, 'value');
  if (value === undefined) return { value: null, unit: '' };
  const unit = child(node, 'unit');
  return { value: reading(value, label).value, unit: typeof unit === 'string' ? unit : '' };
}

const MEMORY_UNIT_MIB: Readonly<Record<string, number>> = {
  b: 1 / 1024 / 1024,
  kb: 1 / 1024,
  mb: 1,
  gb: 1024,
};

// amd-smi's "MB" is 2^20 bytes (it reports 16368 MB on a 16 GiB card), so it is taken as MiB.
function memoryMiB(node: unknown, label: string): number | null {
  const { value, unit } = reading(node, label);
  if (value === null) return null;
  const scale = MEMORY_UNIT_MIB[unit.toLowerCase() || 'mb'];
  if (scale === undefined) throw new GpuParseError(`Unknown memory unit "${unit}" for ${label}.`);
  return unit.toLowerCase() === 'b' ? bytesToMiB(value) : Math.round(value * scale);
}

function firstReading(label: string, ...nodes: unknown[]): number | null {
  for (const node of nodes) {
    const { value } = reading(node, label);
    if (value !== null) return value;
  }
  return null;
}

function text(node: unknown): string | null {
  return typeof node === 'string' || typeof node === 'number' ? reportedText(String(node)) : null;
}

/** One GPU object of `amd-smi metric` (JSON, or the text report read into the same shape). */
export function amdSmiEntryToGpuInfo(entry: unknown, position: number): GpuInfo {
  const usage = child(entry, 'usage');
  const power = child(entry, 'power');
  const temperature = child(entry, 'temperature');
  const memory = child(entry, 'mem_usage');
  const index = child(entry, 'gpu');
  return buildGpuInfo(
    'amd',
    {
      name: text(child(child(entry, 'asic'), 'market_name')),
      busId: normalizeBusId(text(child(entry, 'bdf'))),
      uuid: text(child(entry, 'uuid')),
      index: typeof index === 'number' ? index : parseInteger(text(index), 'gpu'),
      driverVersion: text(child(child(entry, 'driver'), 'version')),
      memoryTotalMiB: memoryMiB(child(memory, 'total_vram'), 'total_vram'),
      memoryUsedMiB: memoryMiB(child(memory, 'used_vram'), 'used_vram'),
      // Edge first, as for rocm-smi; MI300-class parts report "edge": "N/A" and only a hotspot.
      temperatureC: firstReading('temperature', child(temperature, 'edge'), child(temperature, 'hotspot')),
      powerDrawW: firstReading(
        'socket_power',
        child(power, 'socket_power'),
        child(power, 'average_socket_power'),
      ),
      powerLimitW: firstReading('power_limit', child(power, 'power_limit')),
      utilizationPct: firstReading('gfx_activity', child(usage, 'gfx_activity')),
      fanPct: firstReading('fan usage', child(child(entry, 'fan'), 'usage')),
    },
    position,
  );
}

/** `amd-smi metric --json`: a bare array on older releases, `{"gpu_data": [...]}` on ROCm 7. */
export function parseAmdSmiJson(input: string): GpuInfo[] {
  const doc = parseToolJson(input, 'amd-smi');
  const list = Array.isArray(doc) ? doc : child(doc, 'gpu_data');
  if (!Array.isArray(list)) throw new GpuParseError('amd-smi JSON has no list of GPUs.');
  return list.map((entry, i) => amdSmiEntryToGpuInfo(entry, i));
}

/**
 * `amd-smi metric` without --json: `GPU: n` blocks of indented `KEY: value` lines, read into the JSON
 * shape (keys lower-cased) and mapped the same way. Lists may wrap over several lines. A line that is
 * not `KEY: value` means the output was cut, so it throws rather than guess.
 */
export function parseAmdSmiText(input: string): GpuInfo[] {
  const gpus: Node[] = [];
  let stack: { indent: number; node: Node }[] = [];
  let openList: { node: Node; key: string } | null = null;
  for (const raw of input.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    if (openList !== null) {
      openList.node[openList.key] = `${String(openList.node[openList.key])} ${raw.trim()}`;
      if (raw.includes(']')) openList = null;
      continue;
    }
    const match = /^(\s*)([A-Za-z0-9_ ]+):\s*(.*)$/.exec(raw);
    if (!match || match[1] === undefined || match[2] === undefined) {
      throw new GpuParseError(`Not an amd-smi "KEY: value" line (cut short?): "${raw.trim()}".`);
    }
    const indent = match[1].length;
    const key = match[2].trim().toLowerCase();
    const value = match[3] ?? '';
    if (indent === 0 && key === 'gpu') {
      const gpu: Node = { gpu: Number(value) };
      gpus.push(gpu);
      stack = [{ indent: 0, node: gpu }];
      continue;
    }
    while (stack.length > 1 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const parent = stack.at(-1)?.node;
    if (!parent) throw new GpuParseError(`amd-smi output does not start with "GPU: n": "${raw.trim()}".`);
    if (value === '') {
      const section: Node = {};
      parent[key] = section;
      stack.push({ indent, node: section });
    } else {
      parent[key] = value;
      if (value.startsWith('[') && !value.includes(']')) openList = { node: parent, key };
    }
  }
  if (openList !== null) throw new GpuParseError('amd-smi output ends inside a list (cut short?).');
  return gpus.map((gpu, i) => amdSmiEntryToGpuInfo(gpu, i));
}
