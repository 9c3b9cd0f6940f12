import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stream } from '@libp2p/interface';
import { ProtocolError, readMessage } from '../p2p/framing';
import { RenterMessageSchema, type Hello, type RenterMessage } from '../p2p/job-messages';
import { messageOf } from './error-text';

export type BundleOutcome =
  /** Every byte the hello announced, with the spec's sha256. */
  | { kind: 'whole' }
  /** The rental cannot start: `reason` for the ledger, and `error` to send the renter, when it is there. */
  | { kind: 'failed'; reason: string; error?: { code: 'protocol' | 'bad-bundle'; text: string } }
  /** The renter sent `cancel`. */
  | { kind: 'cancelled'; reason: string };

/**
 * Reads the renter's chunks up to `bundle-end` into `path`, checking them against what the hello
 * announced. Vouchers may come in between (the renter pays from the acceptance on) and go to `onVoucher`.
 */
export async function receiveBundle(
  stream: Stream,
  hello: Hello,
  path: string,
  options: {
    readIdleMs: number;
    onVoucher(message: Extract<RenterMessage, { type: 'voucher' }>): void;
    /** A stop asked for before the start (it explains a read cut short), or null. */
    stopRequest(): string | null;
    /** The renter disconnected (or went silent) while sending. */
    onGone(detail: string): void;
  },
): Promise<BundleOutcome> {
  let file: FileHandle | null = await open(path, 'w', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for (;;) {
      let message: RenterMessage;
      try {
        message = await readMessage(stream, RenterMessageSchema, { timeoutMs: options.readIdleMs });
      } catch (error) {
        const stopRequest = options.stopRequest();
        if (stopRequest !== null) return { kind: 'failed', reason: stopRequest };
        if (error instanceof ProtocolError && error.streamOpen)
          return {
            kind: 'failed',
            reason: 'The renter broke the protocol',
            error: { code: 'protocol', text: `The message broke the protocol: ${error.message}` },
          };
        options.onGone(messageOf(error));
        return { kind: 'failed', reason: 'The renter disconnected' };
      }
      switch (message.type) {
        case 'chunk': {
          const data = Buffer.from(message.data, 'base64');
          if (bytes + data.byteLength > hello.bundleBytes)
            return {
              kind: 'failed',
              reason: 'The bundle is larger than announced',
              error: {
                code: 'bad-bundle',
                text: `The bundle is larger than the ${hello.bundleBytes} bytes the hello announced.`,
              },
            };
          bytes += data.byteLength;
          hash.update(data);
          await file.write(data);
          break;
        }
        case 'bundle-end': {
          await file.close();
          file = null;
          const sha256 = hash.digest('hex');
          if (bytes !== hello.bundleBytes)
            return {
              kind: 'failed',
              reason: 'The bundle is shorter than announced',
              error: {
                code: 'bad-bundle',
                text: `The bundle has ${bytes} bytes; the hello announced ${hello.bundleBytes}.`,
              },
            };
          if (sha256 !== hello.spec.bundle.sha256)
            return {
              kind: 'failed',
              reason: 'The bundle does not match its sha256',
              error: {
                code: 'bad-bundle',
                text: `The bundle's sha256 is ${sha256}; the spec names ${hello.spec.bundle.sha256}.`,
              },
            };
          return { kind: 'whole' };
        }
        case 'voucher':
          options.onVoucher(message);
          break;
        case 'ping':
          break;
        case 'cancel':
          return { kind: 'cancelled', reason: message.reason };
      }
    }
  } finally {
    await file?.close().catch(() => undefined);
  }
}
