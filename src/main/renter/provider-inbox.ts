import type { Stream } from '@libp2p/interface';
import { ProtocolError, readMessage, resetStream } from '../p2p/framing';
import { ProviderMessageSchema, type ProviderMessage } from '../p2p/job-messages';

/** Long enough never to fire first: silence is the session's own watchdog's business (it counts uploads). */
const READ_TIMEOUT_MS = 2_147_483_647;

type Inbound = { message: ProviderMessage } | { error: unknown };

export interface ProviderInbox {
  /** The next message; throws the session's failure, or what `readFailure` makes of a failed read. */
  next(): Promise<ProviderMessage>;
  /** The same, but the provider closing its side cleanly gives null. */
  next(endOk: true): Promise<ProviderMessage | null>;
  /** Something came that has not been taken yet. */
  pending(): boolean;
  /** Wakes a waiting next() (the session failed). */
  wake(): void;
  /** After the session: gives the provider a second to close its side, then resets the stream. */
  drain(): Promise<void>;
}

/**
 * One reader for the whole stream, filling the inbox in the background from the start. The session sees
 * the provider's messages (an error above all) even while it is busy uploading, and never has two reads
 * on the stream at once.
 */
export function openProviderInbox(
  stream: Stream,
  hooks: {
    onMessage(): void;
    failure(): Error | null;
    readFailure(error: unknown): Error;
  },
): ProviderInbox {
  const inbox: Inbound[] = [];
  let waiter: (() => void) | null = null;
  const wake = () => {
    const resume = waiter;
    waiter = null;
    resume?.();
  };
  let pumpDone = false;
  const pump = (async () => {
    for (;;) {
      try {
        const message = await readMessage(stream, ProviderMessageSchema, { timeoutMs: READ_TIMEOUT_MS });
        hooks.onMessage();
        inbox.push({ message });
        wake();
      } catch (error) {
        inbox.push({ error });
        wake();
        pumpDone = true;
        return;
      }
    }
  })();

  async function next(): Promise<ProviderMessage>;
  async function next(endOk: true): Promise<ProviderMessage | null>;
  async function next(endOk = false): Promise<ProviderMessage | null> {
    for (;;) {
      const failure = hooks.failure();
      if (failure) throw failure;
      const item = inbox.shift();
      if (item) {
        if ('message' in item) return item.message;
        if (endOk && item.error instanceof ProtocolError && item.error.code === 'closed') return null;
        throw hooks.readFailure(item.error);
      }
      await new Promise<void>((resolve) => (waiter = resolve));
    }
  }

  return {
    next,
    pending: () => inbox.length > 0,
    wake,
    async drain() {
      if (!pumpDone) {
        const closed = await Promise.race([
          pump.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 1_000).unref()),
        ]);
        if (!closed) resetStream(stream, new Error('session over'));
      }
      await pump;
    },
  };
}
