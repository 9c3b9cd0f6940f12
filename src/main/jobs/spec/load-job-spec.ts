import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { fieldPath } from '../../../shared/envelope';
import { JobSpecSchema, type JobSpec } from '../../../shared/schemas/job';

/** Job spec files are a few kilobytes; anything this big is not one. */
const MAX_SPEC_BYTES = 1024 * 1024;

export interface JobSpecIssue {
  /** Dotted path of the field at fault (`resources.memoryMiB`), or '' for the spec as a whole. */
  field: string;
  message: string;
}

/**
 * A job spec that cannot be used. The message names the source and the field:
 * `job.json: resources.memoryMiB: must be at least 16`.
 */
export class JobSpecError extends Error {
  /** The file (or, for specs from the network, whatever names where it came from). */
  readonly source: string | undefined;
  /** Every problem found; empty when the file could not be read or parsed at all. */
  readonly issues: readonly JobSpecIssue[];

  constructor(
    message: string,
    details: { source?: string; issues?: readonly JobSpecIssue[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'JobSpecError';
    this.source = details.source;
    this.issues = details.issues ?? [];
  }

  /** The first field at fault, if any. */
  get field(): string | undefined {
    return this.issues[0]?.field || undefined;
  }
}

/**
 * Reads and validates a job spec file. `dir` is the folder that holds it (absolute): a `bundle.path`
 * is relative to it.
 */
export async function loadJobSpec(file: string): Promise<{ spec: JobSpec; dir: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new JobSpecError(`${file}: ${unreadable(error)}`, { source: file, cause: error });
  }
  if (bytes.length > MAX_SPEC_BYTES) {
    throw new JobSpecError(`${file}: is larger than 1 MiB, which no job spec is`, { source: file });
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JobSpecError(`${file}: ${describeJsonError(text, error)}`, { source: file, cause: error });
  }
  return { spec: parseJobSpec(value, file), dir: dirname(resolve(file)) };
}

/** Validates a job spec that is already parsed JSON (from a file or the network); `source` names it in errors. */
export function parseJobSpec(value: unknown, source: string): JobSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new JobSpecError(`${source}: must be a JSON object (a job spec), not ${got}`, {
      source,
      issues: [{ field: '', message: `must be a JSON object, not ${got}` }],
    });
  }
  const parsed = JobSpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.flatMap((issue) => describeIssue(issue, []));
  const text = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
  throw new JobSpecError(`${source}: ${text}`, { source, issues, cause: parsed.error });
}

function describeIssue(issue: z.core.$ZodIssue, base: readonly PropertyKey[]): JobSpecIssue[] {
  const path = [...base, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      // Name each unknown key as the field at fault, so a typo points at the typo.
      return issue.keys.map((key) => ({ field: fieldPath([...path, key]), message: 'is not a known field' }));
    case 'invalid_union': {
      // Report the form that came closest; when two come equally close, say what each needs.
      const branches = issue.errors.map((errors) => errors.flatMap((e) => describeIssue(e, path)));
      const fewest = Math.min(...branches.map((b) => b.length));
      const closest = branches.filter((b) => b.length === fewest);
      if (closest.length === 1 || fewest === 0) return closest[0] ?? [];
      const here = fieldPath(path);
      const relative = (field: string) =>
        here && field.startsWith(`${here}.`) ? field.slice(here.length + 1) : field;
      const seen = new Set<string>();
      const alternatives = closest
        .map((b) =>
          b.map((i) => (i.field === here ? i.message : `${relative(i.field)}: ${i.message}`)).join(', '),
        )
        .filter((a) => !seen.has(a) && seen.add(a));
      return [{ field: fieldPath(path), message: alternatives.join(', or ') }];
    }
    default:
      return [{ field: fieldPath(path), message: plainMessage(issue.message) }];
  }
}

/** zod's default type messages in the words the rest of the spec's messages use. */
function plainMessage(message: string): string {
  if (/received undefined$/.test(message)) return 'is required';
  const type = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (type) return `must be ${article(type[1] ?? '')}, not ${article(type[2] ?? '')}`;
  return message;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function unreadable(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EISDIR':
      return 'is a folder, not a job spec file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** "is not valid JSON (line 3, column 6): Expected ':' after property name", with the place where V8 gives one. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let position: number | null = null;
  let reason = message;

  const at = /^(.*?) in JSON at position (\d+)/s.exec(message);
  const token = /^(Unexpected token .*?), (\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (at) {
    reason = at[1] ?? message;
    position = Number(at[2]);
  } else if (/^Unexpected end of JSON input/.test(message)) {
    reason = 'it ends too soon';
    position = text.length;
  } else if (token) {
    reason = token[1] ?? message;
    // V8 quotes the source around the error: 10 characters before it, unless it is near the start.
    const context = token[3] ?? '';
    const start = context ? text.indexOf(context) : -1;
    const char = /^Unexpected token '(.)'/su.exec(reason)?.[1];
    if (start >= 0) position = token[2] ? start + 10 : start + Math.max(0, char ? context.indexOf(char) : 0);
  }
  if (position === null) return `is not valid JSON: ${reason}`;
  if (position >= text.trimEnd().length) reason = 'it ends too soon';
  const before = text.slice(0, position).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `is not valid JSON (line ${line}, column ${column}): ${reason}`;
}
