import { z } from 'zod';
import { fieldPath } from '../../shared/envelope';
import { isKnownTimeZone } from '../../shared/schedule/time-zones';
import { EMPTY_WEEK } from '../../shared/schedule/week-slots';
import { addWindow, WindowSyntaxError } from '../../shared/schedule/windows';

/**
 * A recorded market: the owner's setup (time zone, windows, GPUs, tariff, floor) and the requests that
 * arrived, as `nocturne market replay` reads it. All money is in one unit (the tariff's and the prices').
 */

/** Electricity: one price per kWh, or 24 prices by local hour (index 0 is 00:00-01:00 on the owner's clock). */
export type Tariff = number | readonly number[];

export interface MarketGpu {
  memoryTotalMiB: number;
  /** Power drawn under load, watts. */
  powerW: number;
}

/** What the owner has set: everything a decision may know besides the requests themselves. */
export interface MarketSetup {
  timezone: string;
  /** Schedule syntax: "mon-fri 01:00-08:00". */
  windows: readonly string[];
  gpus: readonly MarketGpu[];
  electricityPerKWh: Tariff;
  floorPerHour: number;
}

export interface MarketRequest {
  id: string;
  arrivalMs: number;
  durationSeconds: number;
  pricePerHour: number;
  vramMiB: number;
}

export interface MarketStream extends MarketSetup {
  /** In order of arrival (the file's order among equal arrivals). */
  requests: readonly MarketRequest[];
}

/** The longest request a stream may hold; windows are searched this far ahead of an arrival. */
export const MAX_DURATION_SECONDS = 30 * 86_400;

export interface StreamIssue {
  /** Dotted path of the field at fault (`requests.3.arrival`), or '' for the stream as a whole. */
  field: string;
  message: string;
}

/** A stream that cannot be replayed; the message names every field at fault. */
export class MarketStreamError extends Error {
  constructor(readonly issues: readonly StreamIssue[]) {
    super(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
    this.name = 'MarketStreamError';
  }
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/** Milliseconds since the epoch of an ISO-8601 date and time with an offset, or NaN. */
export function parseIsoInstant(text: string): number {
  const m = ISO_INSTANT.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((v) => Number(v ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth) return Number.NaN;
  if (hour! > 23 || minute! > 59 || second! > 59 || offH! > 23 || offM! > 59) return Number.NaN;
  return Date.parse(text);
}

/** The message for a value of the wrong type, or 'is required' when it is missing. */
const typeError = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;
const number = (rule: string) => z.number({ error: typeError(`must be a number ${rule}`) });
const money = number('(0 or more)').min(0, 'must be 0 or more');
const DATE_MESSAGE = 'must be an ISO-8601 date and time with an offset, e.g. 2025-03-01T01:00:00Z';

const windowText = z
  .string({ error: typeError('must be a window such as "mon-fri 01:00-08:00"') })
  .superRefine((w, ctx) => {
    try {
      addWindow(EMPTY_WEEK, w);
    } catch (error) {
      if (!(error instanceof WindowSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

const requestSchema = z.strictObject({
  id: z
    .string({ error: typeError('must be a string') })
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters'),
  arrival: z
    .string({ error: typeError(DATE_MESSAGE) })
    .refine((t) => !Number.isNaN(parseIsoInstant(t)), DATE_MESSAGE)
    .transform(parseIsoInstant),
  durationSeconds: number('of seconds (more than 0)')
    .positive('must be more than 0')
    .max(MAX_DURATION_SECONDS, `must be at most ${MAX_DURATION_SECONDS} (30 days)`),
  pricePerHour: money,
  vramMiB: number('of MiB (0 or more)').min(0, 'must be 0 or more'),
});

const streamSchema = z.strictObject({
  timezone: z
    .string({ error: typeError('must be an IANA time zone such as Europe/Berlin') })
    .refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  windows: z.array(windowText, {
    error: typeError('must be a list of windows such as ["mon-fri 01:00-08:00"]'),
  }),
  gpus: z
    .array(
      z.strictObject({
        memoryTotalMiB: number('of MiB (more than 0)').positive('must be more than 0'),
        powerW: number('of watts (0 or more)').min(0, 'must be 0 or more'),
      }),
      { error: typeError('must be a list of GPUs: [{ "memoryTotalMiB": n, "powerW": n }]') },
    )
    .min(1, 'must list at least one GPU')
    .max(64, 'must list at most 64 GPUs'),
  electricityPerKWh: z.union([money, z.array(money).length(24, 'must hold 24 prices, one per local hour')], {
    error: typeError('must be a price per kWh, or a list of 24 prices (one per local hour)'),
  }),
  floorPerHour: money,
  requests: z
    .array(requestSchema, { error: typeError('must be a list of requests') })
    .superRefine((requests, ctx) => {
      const seen = new Map<string, number>();
      requests.forEach((r, i) => {
        const first = seen.get(r.id);
        if (first !== undefined)
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `repeats the id of requests.${first}` });
        else seen.set(r.id, i);
      });
    }),
});

/** Validates a parsed JSON value as a stream; throws MarketStreamError naming each field at fault. */
export function parseMarketStream(value: unknown): MarketStream {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MarketStreamError([{ field: '', message: 'a stream must be a JSON object' }]);
  const parsed = streamSchema.safeParse(value);
  if (!parsed.success) throw new MarketStreamError(parsed.error.issues.flatMap((i) => describeIssue(i, [])));
  const { requests, ...setup } = parsed.data;
  const ordered = requests
    .map(({ arrival, ...r }, index) => ({ request: { ...r, arrivalMs: arrival }, index }))
    .sort((a, b) => a.request.arrivalMs - b.request.arrivalMs || a.index - b.index)
    .map((r) => r.request);
  return { ...setup, requests: ordered };
}

function describeIssue(issue: z.core.$ZodIssue, base: readonly PropertyKey[]): StreamIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ field: fieldPath([...path, key]), message: 'is not a known field' }));
  if (issue.code === 'invalid_union') {
    // The branch of the input's own type (a list, or a number) says what is wrong inside it.
    const inside = issue.errors.filter(
      (errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0),
    );
    if (inside.length === 1) return inside[0]!.flatMap((e) => describeIssue(e, path));
  }
  return [{ field: fieldPath(path), message: issue.message }];
}
