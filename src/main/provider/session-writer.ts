import type { Stream } from '@libp2p/interface';
import { closeStream, writeMessage } from '../p2p/framing';
import type { ProviderMessage } from '../p2p/job-messages';
import { clip, messageOf } from './error-text';

/** The codes of the provider's `error` message. */
export type SessionErrorCode = Extract<ProviderMessage, { type: 'error' }>['code'];

export interface SessionWriter {
  /** Queues messages (made when their turn comes); resolves once they are written or given up. */
  enqueue(make: () => ProviderMessage | ProviderMessage[] | null): Promise<void>;
  sendError(code: SessionErrorCode, reason: string): Promise<void>;
  /** Closes the stream once everything queued so far is written. */
  closeAfterWrites(): Promise<void>;
  /** A write failed: nothing more is written. */
  failed(): boolean;
}

/**
 * The provider's writes on a session's stream, one message at a time so that back-pressure holds. Each
 * message is made only when its turn comes, so a status or a coalesced log says the latest. The first
 * write that fails (or takes longer than `writeTimeoutMs`) ends the writing; `onFailed` hears why.
 */
export function createSessionWriter(
  stream: Stream,
  writeTimeoutMs: number,
  onFailed: (detail: string) => void,
): SessionWriter {
  let writes: Promise<void> = Promise.resolve();
  let failed = false;
  const enqueue: SessionWriter['enqueue'] = (make) => {
    writes = writes
      .then(async () => {
        if (failed || stream.writeStatus !== 'writable') return;
        const made = make();
        if (made === null) return;
        for (const message of Array.isArray(made) ? made : [made])
          await writeMessage(stream, message, { signal: AbortSignal.timeout(writeTimeoutMs) });
      })
      .catch((error: unknown) => {
        failed = true;
        onFailed(`a write failed: ${messageOf(error)}`);
      });
    return writes;
  };
  return {
    enqueue,
    sendError: (code, reason) => enqueue(() => ({ v: 1, type: 'error', code, reason: clip(reason) })),
    async closeAfterWrites() {
      await writes;
      await closeStream(stream, writeTimeoutMs);
    },
    failed: () => failed,
  };
}
