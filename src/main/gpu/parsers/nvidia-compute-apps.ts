import type { GpuProcess } from '../../../shared/schemas/gpu';
import type { CsvDialect, NvidiaCsvRow } from './nvidia-csv-table';
import { parseCsvTable } from './nvidia-csv-table';
import { GpuParseError } from './parse-error';
import { normalizeBusId, normalizeUuid, parseInteger, parseMeasure, reportedText } from './tool-values';

/** The fields Nocturne asks for with --query-compute-apps. */
export const NVIDIA_COMPUTE_APPS_FIELDS = [
  'gpu_uuid',
  'gpu_bus_id',
  'pid',
  'process_name',
  'used_gpu_memory',
] as const;

/** `--query-compute-apps=gpu_uuid,...` for the given fields (Nocturne's own list by default). */
export function nvidiaQueryComputeAppsArg(fields: readonly string[] = NVIDIA_COMPUTE_APPS_FIELDS): string {
  return `--query-compute-apps=${fields.join(',')}`;
}

// The compute-apps header prints `process_name` for the query `name` and `used_gpu_memory` for
// `used_memory`; the gpu_* names are printed as asked.
const APPS_DIALECT: CsvDialect = {
  aliases: { name: 'process_name', used_memory: 'used_gpu_memory' },
  joinColumn: 'process_name',
  what: 'nvidia-smi --query-compute-apps',
};

// Authors redact values as `<pid>` when they paste output; nvidia-smi itself never prints angle brackets.
function unredacted(value: string | null | undefined): string | null {
  return value && /^<[^>]*>$/.test(value) ? null : (value ?? null);
}

function rowToProcess(row: NvidiaCsvRow): GpuProcess {
  return {
    pid: parseInteger(unredacted(row['pid']), 'pid'),
    name: reportedText(unredacted(row['process_name'])),
    gpuUuid: normalizeUuid(row['gpu_uuid']),
    gpuBusId: normalizeBusId(row['gpu_bus_id']),
    usedMemoryMiB: parseMeasure(row['used_gpu_memory'], 'used_gpu_memory'),
  };
}

/**
 * `nvidia-smi --query-compute-apps=... --format=csv[,noheader][,nounits]`. A header with no rows means
 * no compute process is running: that is [], not an error. `fields` is required for noheader output.
 */
export function parseNvidiaComputeApps(text: string, fields?: readonly string[]): GpuProcess[] {
  return parseCsvTable(text, fields, APPS_DIALECT).map(rowToProcess);
}

/** One process line of `nvidia-smi pmon`. */
export interface PmonRow {
  gpuIndex: number;
  pid: number;
  /** C (compute), G (graphics), C+G, or M/M+C on MIG. */
  type: string;
  /** nvidia-smi cuts the command name to 16 characters here, so it may not match process_name. */
  name: string | null;
}

/**
 * `nvidia-smi pmon` (any -c count). Skips the `#` header lines, which Windows drivers repeat mid-output,
 * and the all-dash rows pmon prints for a GPU with no process. The metric columns between `type` and
 * the command vary by driver (sm mem enc dec, then jpg ofa on newer ones), so their count is read from
 * the header; the command name is last and may contain spaces ("NVIDIA Share.exe").
 */
export function parseNvidiaPmon(text: string): PmonRow[] {
  const rows: PmonRow[] = [];
  let metricColumns: number | null = null;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const names = trimmed.slice(1).trim().split(/\s+/);
      // "# gpu pid type <metrics...> command"; the "# Idx # C/G % ..." units line is skipped.
      if (names[0] === 'gpu') metricColumns = names.length - 4;
      continue;
    }
    const metrics =
      metricColumns === null ? String.raw`(?:\s+(?:\d+|-))*` : String.raw`(?:\s+\S+){${metricColumns}}`;
    const match = new RegExp(String.raw`^(\d+)\s+(\d+|-)\s+(\S+)${metrics}(?:\s+(.*))?$`).exec(trimmed);
    const [, gpu, pid, type, name] = match ?? [];
    if (!match || gpu === undefined || pid === undefined || type === undefined) {
      throw new GpuParseError(`Not an nvidia-smi pmon line: "${trimmed}".`);
    }
    if (pid === '-') continue;
    rows.push({ gpuIndex: Number(gpu), pid: Number(pid), type, name: reportedText(name) });
  }
  return rows;
}
