/**
 * What every API call returns across a process boundary. Errors travel as data because thrown
 * errors lose their fields when Electron or JSON serialises them.
 */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };

export type ApiErrorCode = 'invalid_request' | 'unknown_channel' | 'failed' | 'internal' | 'unauthorized';

export interface ApiErrorBody {
  code: ApiErrorCode;
  /** A sentence for the owner, naming the bad field when there is one. */
  message: string;
  /** Dotted path of the first bad field, e.g. `deviceName`. */
  field?: string;
  issues?: { field: string; message: string }[];
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly issues: { field: string; message: string }[];

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.field = body.field;
    this.issues = body.issues ?? [];
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.data;
  throw new ApiError(envelope.error);
}

/** Joins a validation issue path as the owner would name the field: `windows.2.start`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}
