import type { GpuInfo } from '../../../shared/schemas/gpu';
import { buildGpuInfo } from './build-gpu-info';
import type { CsvDialect, NvidiaCsvRow } from './nvidia-csv-table';
import { canonicalField, parseCsvStreamLine, parseCsvTable } from './nvidia-csv-table';
import { normalizeBusId, normalizeUuid, parseInteger, parseMeasure, reportedText } from './tool-values';

export type { NvidiaCsvRow } from './nvidia-csv-table';

/** The fields Nocturne asks nvidia-smi for: everything GpuInfo holds, in one call. */
export const NVIDIA_QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'driver_version',
  'memory.total',
  'memory.used',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'utilization.gpu',
  'fan.speed',
] as const;

/** Units stripped and no header: the parser then needs only the field list it asked for. */
export const NVIDIA_CSV_FORMAT_ARG = '--format=csv,noheader,nounits';

/** `--query-gpu=index,uuid,...` for the given fields (Nocturne's own list by default). */
export function nvidiaQueryGpuArg(fields: readonly string[] = NVIDIA_QUERY_FIELDS): string {
  return `--query-gpu=${fields.join(',')}`;
}

// nvidia-smi accepts several names for one field but prints only one of them in the header
// (`nvidia-smi --help-query-gpu`). Both sides are mapped here so a query and its header compare equal.
const GPU_FIELD_ALIASES: Readonly<Record<string, string>> = {
  gpu_name: 'name',
  gpu_bus_id: 'pci.bus_id',
  gpu_serial: 'serial',
  gpu_uuid: 'uuid',
  'clocks.gr': 'clocks.current.graphics',
  'clocks.sm': 'clocks.current.sm',
  'clocks.mem': 'clocks.current.memory',
  'clocks.video': 'clocks.current.video',
  'clocks.applications.gr': 'clocks.applications.graphics',
  'clocks.applications.mem': 'clocks.applications.memory',
  'clocks.default_applications.gr': 'clocks.default_applications.graphics',
  'clocks.default_applications.mem': 'clocks.default_applications.memory',
  'clocks.max.gr': 'clocks.max.graphics',
  'clocks.max.mem': 'clocks.max.memory',
  'gpu_operation_mode.current': 'gom.current',
  'gpu_operation_mode.pending': 'gom.pending',
  'inforom.image': 'inforom.img',
  'inforom.power': 'inforom.pwr',
  'clocks_throttle_reasons.supported': 'clocks_event_reasons.supported',
  'clocks_throttle_reasons.active': 'clocks_event_reasons.active',
  'clocks_throttle_reasons.gpu_idle': 'clocks_event_reasons.gpu_idle',
  'clocks_throttle_reasons.applications_clocks_setting': 'clocks_event_reasons.applications_clocks_setting',
  'clocks_throttle_reasons.sw_power_cap': 'clocks_event_reasons.sw_power_cap',
  'clocks_throttle_reasons.hw_slowdown': 'clocks_event_reasons.hw_slowdown',
  'clocks_throttle_reasons.hw_thermal_slowdown': 'clocks_event_reasons.hw_thermal_slowdown',
  'clocks_throttle_reasons.hw_power_brake_slowdown': 'clocks_event_reasons.hw_power_brake_slowdown',
  'clocks_throttle_reasons.sw_thermal_slowdown': 'clocks_event_reasons.sw_thermal_slowdown',
  'clocks_throttle_reasons.sync_boost': 'clocks_event_reasons.sync_boost',
};

const GPU_DIALECT: CsvDialect = {
  aliases: GPU_FIELD_ALIASES,
  joinColumn: 'name',
  what: 'nvidia-smi --query-gpu',
};

/** The canonical (header) name of a --query-gpu field: `gpu_name` -> `name`, `clocks.gr` -> `clocks.current.graphics`. */
export function canonicalNvidiaField(field: string): string {
  return canonicalField(field, GPU_DIALECT);
}

/**
 * `nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits]` as rows keyed by canonical field name.
 * `fields` is required for noheader output; with a header it may be left out.
 */
export function parseNvidiaCsv(text: string, fields?: readonly string[]): NvidiaCsvRow[] {
  return parseCsvTable(text, fields, GPU_DIALECT);
}

/** One line of `-l`/`-lms` streaming output; null for blank lines and repeated header lines. */
export function parseNvidiaStreamLine(line: string, fields: readonly string[]): NvidiaCsvRow | null {
  return parseCsvStreamLine(line, fields, GPU_DIALECT);
}

function firstReported(row: NvidiaCsvRow, fields: string[]): string | null {
  for (const field of fields) {
    const value = row[field];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/**
 * One row as a GpuInfo. Fields the query did not ask for are null like unreported ones. `position` is
 * the row's place in the output, used for the id only when neither uuid, bus id nor index was queried.
 */
export function nvidiaRowToGpuInfo(row: NvidiaCsvRow, position = 0): GpuInfo {
  return buildGpuInfo(
    'nvidia',
    {
      name: reportedText(row['name']),
      busId: normalizeBusId(row['pci.bus_id']),
      uuid: normalizeUuid(row['uuid']),
      index: parseInteger(row['index'], 'index'),
      driverVersion: reportedText(row['driver_version']),
      memoryTotalMiB: parseMeasure(row['memory.total'], 'memory.total'),
      memoryUsedMiB: parseMeasure(row['memory.used'], 'memory.used'),
      temperatureC: parseMeasure(row['temperature.gpu'], 'temperature.gpu'),
      // Newer drivers split power.draw into .instant and .average and may report only one of them.
      powerDrawW: parseMeasure(
        firstReported(row, ['power.draw', 'power.draw.instant', 'power.draw.average']),
        'power.draw',
      ),
      powerLimitW: parseMeasure(firstReported(row, ['power.limit', 'enforced.power.limit']), 'power.limit'),
      utilizationPct: parseMeasure(row['utilization.gpu'], 'utilization.gpu'),
      fanPct: parseMeasure(row['fan.speed'], 'fan.speed'),
    },
    position,
  );
}

/** Shortcut: the whole output straight to GpuInfo[]. */
export function parseNvidiaGpus(text: string, fields?: readonly string[]): GpuInfo[] {
  return parseNvidiaCsv(text, fields).map((row, i) => nvidiaRowToGpuInfo(row, i));
}
