import type { z } from 'zod';
import {
  contract,
  isChannel,
  type Channel,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/contract';
import { fieldPath, type ApiErrorBody, type Envelope } from '../../shared/envelope';
import type { Logger } from './logger';

export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

/** A refusal the owner can act on (wrong password, bad address...). Its message is shown as is. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function describeIssues(channel: string, issues: readonly z.core.$ZodIssue[]): ApiErrorBody {
  const list = issues.flatMap((issue) =>
    // Name each unknown key as the field at fault, so a typo in a key points at that key.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldPath([...issue.path, key]), message: 'is not a known field' }))
      : [{ field: fieldPath(issue.path) || '(request)', message: issue.message }],
  );
  const first = list[0] ?? { field: '(request)', message: 'is invalid' };
  return {
    code: 'invalid_request',
    message: `Invalid request to ${channel}: ${list.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    field: first.field,
    issues: list,
  };
}

export interface Router {
  call(channel: string, payload: unknown): Promise<Envelope<unknown>>;
}

/**
 * The one door into the core. Every transport (IPC, HTTP, CLI) passes untrusted input here; nothing
 * reaches a handler unvalidated, and no exception escapes as anything but an error envelope.
 */
export function createRouter(handlers: Handlers, logger: Logger): Router {
  return {
    async call(channel, payload) {
      if (typeof channel !== 'string' || !isChannel(channel)) {
        return {
          ok: false,
          error: { code: 'unknown_channel', message: `Unknown API entry "${String(channel)}".` },
        };
      }
      const parsed = contract[channel].request.safeParse(payload ?? {});
      if (!parsed.success) return { ok: false, error: describeIssues(channel, parsed.error.issues) };

      let result: unknown;
      try {
        const handler = handlers[channel] as (request: unknown) => unknown;
        result = await handler(parsed.data);
      } catch (error) {
        if (error instanceof UserFacingError) {
          return {
            ok: false,
            error: { code: 'failed', message: error.message, ...(error.field ? { field: error.field } : {}) },
          };
        }
        logger.error(`Handler for ${channel} failed`, error);
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `Nocturne could not complete ${channel}; the log has details.`,
          },
        };
      }

      // A response that breaks the contract is our bug; the UI must never get a shape it did not expect.
      const checked = contract[channel].response.safeParse(result);
      if (!checked.success) {
        logger.error(`Handler for ${channel} returned a response that breaks the contract`, checked.error);
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `Nocturne could not complete ${channel}; the log has details.`,
          },
        };
      }
      return { ok: true, data: checked.data };
    },
  };
}
