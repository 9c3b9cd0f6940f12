import type { GpuInfo } from '../../../shared/schemas/gpu';
import { buildGpuInfo, unreportedFields } from './build-gpu-info';
import { GpuParseError } from './parse-error';
import { rocmFieldsToGpuInfo } from './rocm-smi-fields';
import { parseInteger, parseMeasure, reportedText } from './tool-values';

/**
 * The `GPU[n]\t\t: key: value` lines of rocm-smi's text reports (`-a`, `--showmetrics`, `--showpower`
 * ...). Banner and ERROR lines are skipped; a GPU appears once for all its lines.
 */
export function parseRocmSmiLog(text: string): GpuInfo[] {
  const cards = new Map<number, Record<string, string>>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^GPU\[(\d+)\]\s*:\s*([^:]+?):\s*(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    const index = Number(match[1]);
    const fields = cards.get(index) ?? {};
    fields[match[2]] = match[3] ?? '';
    cards.set(index, fields);
  }
  if (cards.size === 0 && text.trim() !== '') {
    throw new GpuParseError('No "GPU[n] : key: value" line in the rocm-smi output.');
  }
  return [...cards.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, fields]) => rocmFieldsToGpuInfo(fields, index, null));
}

const SEPARATOR = /^=+/;

/**
 * rocm-smi's default table, old (`GPU Temp AvgPwr ... GPU%`) and ROCm 6 "Concise Info"
 * (`Device [Model : Revision] Temp Power ...`, with the card name on a second, indented line). Cells are
 * split on runs of two or more spaces, since some cells hold single spaces ("N/A, N/A",
 * "[0x471e : 0xc8]"). A row with fewer cells than the header is refused: a cut or misaligned row would
 * put values under the wrong column.
 */
export function parseRocmSmiTable(text: string): GpuInfo[] {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((line) => /^(?:GPU|Device)\s{2,}/.test(line) && /\bTemp\b/.test(line));
  if (headerAt < 0) throw new GpuParseError('No rocm-smi table header (GPU/Device ... Temp ...) found.');
  const columns = (lines[headerAt] ?? '')
    .trim()
    .split(/\s{2,}/)
    .map((name) => name.toLowerCase());
  const column = (...names: string[]) => columns.findIndex((name) => names.includes(name));
  const at = {
    index: column('gpu', 'device'),
    temp: column('temp'),
    power: column('avgpwr', 'power'),
    cap: column('pwrcap'),
    fan: column('fan'),
    use: column('gpu%'),
  };

  const rows: { gpu: GpuInfo; name: string | null }[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (/End of ROCm SMI Log/i.test(line)) break;
    if (line.trim() === '' || SEPARATOR.test(line.trim())) continue;
    const last = rows.at(-1);
    if (/^\d/.test(line)) {
      const cells = line.trim().split(/\s{2,}/);
      if (cells.length !== columns.length) {
        throw new GpuParseError(
          `A rocm-smi table row has ${cells.length} cells for ${columns.length} columns` +
            `${cells.length < columns.length ? ' (cut short?)' : ''}: "${line.trim()}".`,
        );
      }
      const cell = (i: number) => (i < 0 ? null : (cells[i] ?? null));
      const fields = {
        ...unreportedFields(),
        index: parseInteger(cell(at.index), 'GPU'),
        temperatureC: parseMeasure(cell(at.temp), 'Temp'),
        powerDrawW: parseMeasure(cell(at.power), 'Power'),
        powerLimitW: parseMeasure(cell(at.cap), 'PwrCap'),
        fanPct: parseMeasure(cell(at.fan), 'Fan'),
        utilizationPct: parseMeasure(cell(at.use), 'GPU%'),
      };
      rows.push({ gpu: buildGpuInfo('amd', fields, rows.length), name: null });
    } else if (/^\s/.test(line) && last && last.name === null) {
      // ROCm 6 prints the first 20 characters of the card name under each row.
      last.name = reportedText(line.trim().split(/\s{2,}/)[0]);
    } else if (!(/^\s/.test(line) && !last)) {
      // (An indented line before any row is the second header line: "Name (20 chars)  (Edge) ...".)
      throw new GpuParseError(`Unexpected line in the rocm-smi table: "${line.trim()}".`);
    }
  }
  return rows.map(({ gpu, name }) => (name ? { ...gpu, name } : gpu));
}
