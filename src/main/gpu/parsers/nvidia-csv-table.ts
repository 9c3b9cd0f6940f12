import { GpuParseError } from './parse-error';
import { reportedText } from './tool-values';

/** One CSV row keyed by canonical field name; null where the tool printed a placeholder or nothing. */
export type NvidiaCsvRow = Record<string, string | null>;

export interface CsvDialect {
  /** Query names that nvidia-smi prints under another header name (query `gpu_name`, header `name`). */
  aliases: Readonly<Record<string, string>>;
  /** The one free-text column that may itself contain commas; extra cells are joined back into it. */
  joinColumn: string;
  /** What the table is, for error messages. */
  what: string;
}

/** Header cell or query field to its canonical name: units dropped (`memory.total [MiB]`), aliases applied. */
export function canonicalField(name: string, dialect: CsvDialect): string {
  const bare = name.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
  return dialect.aliases[bare] ?? bare;
}

const HEADER_CELL = /^[a-z][\w.]*(?:\s*\[[^\]]+\])?$/i;

function splitCells(line: string): string[] {
  return line.split(',');
}

function isHeaderFor(cells: string[], columns: readonly string[], dialect: CsvDialect): boolean {
  return (
    cells.length === columns.length && cells.every((cell, i) => canonicalField(cell, dialect) === columns[i])
  );
}

/**
 * One data line as a row. Splits on commas rather than ", " because nvidia-smi output gets reflowed by
 * whoever copies it, and joins surplus cells back into the free-text column: a GPU or process name is the
 * only value that can hold a comma, and every other column is a number, id or keyword.
 */
export function parseCsvLine(line: string, columns: readonly string[], dialect: CsvDialect): NvidiaCsvRow {
  let cells = splitCells(line);
  if (cells.length > columns.length) {
    const join = columns.indexOf(dialect.joinColumn);
    if (join < 0) {
      throw new GpuParseError(
        `A ${dialect.what} row has ${cells.length} values but ${columns.length} fields were queried: "${line}".`,
      );
    }
    const extra = cells.length - columns.length;
    cells = [
      ...cells.slice(0, join),
      cells.slice(join, join + extra + 1).join(','),
      ...cells.slice(join + extra + 1),
    ];
  }
  if (cells.length < columns.length) {
    throw new GpuParseError(
      `A ${dialect.what} row has ${cells.length} values but ${columns.length} fields were queried ` +
        `(cut short?): "${line}".`,
    );
  }
  const row: NvidiaCsvRow = {};
  columns.forEach((column, i) => {
    row[column] = reportedText(cells[i]);
  });
  return row;
}

/**
 * A whole `--format=csv[,noheader][,nounits]` output. With `fields`, a first line that repeats them as a
 * header is skipped, so one call reads both forms; without `fields` the first line must be the header.
 * Blank lines are skipped: Windows consoles and pasted output insert them between header and rows.
 */
export function parseCsvTable(
  text: string,
  fields: readonly string[] | undefined,
  dialect: CsvDialect,
): NvidiaCsvRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  let columns = fields?.map((field) => canonicalField(field, dialect));
  if (!columns) {
    const header = lines.shift();
    if (header === undefined) return [];
    const cells = splitCells(header).map((cell) => cell.trim());
    if (!cells.every((cell) => HEADER_CELL.test(cell))) {
      throw new GpuParseError(
        `The ${dialect.what} output has no header line, so its columns are unknown: pass the queried fields ` +
          `(noheader format). First line: "${header}".`,
      );
    }
    columns = cells.map((cell) => canonicalField(cell, dialect));
  }
  const known = columns;
  return lines
    .filter((line, i) => !(i === 0 && isHeaderFor(splitCells(line), known, dialect)))
    .map((line) => parseCsvLine(line, known, dialect));
}

/** For `-l`/`-lms` streaming: null for blank lines and the header that some modes repeat. */
export function parseCsvStreamLine(
  line: string,
  fields: readonly string[],
  dialect: CsvDialect,
): NvidiaCsvRow | null {
  if (line.trim() === '') return null;
  const columns = fields.map((field) => canonicalField(field, dialect));
  if (isHeaderFor(splitCells(line), columns, dialect)) return null;
  return parseCsvLine(line, columns, dialect);
}
