import type { Stream } from '@libp2p/interface';
import type { Logger } from '../core/logger';
import { ProtocolError, readMessage } from '../p2p/framing';
import { RenterMessageSchema, type RenterMessage } from '../p2p/job-messages';

/**
 * After the bundle, the renter may only pay, ping and cancel: reads those until `reading()` turns false or
 * a read fails. A failed read (silence, a reset, a message that broke the protocol) goes to `onReadError`
 * and ends the reading; a handler that throws is logged and the reading goes on, so one bad voucher does
 * not cost the renter the session.
 */
export async function readRenterMessages(
  stream: Stream,
  handlers: {
    readIdleMs: number;
    logger: Logger;
    peer: string;
    reading(): boolean;
    onVoucher(message: Extract<RenterMessage, { type: 'voucher' }>): void;
    onCancel(reason: string): void;
    onReadError(error: unknown): void;
  },
): Promise<void> {
  while (handlers.reading()) {
    let message: RenterMessage;
    try {
      message = await readMessage(stream, RenterMessageSchema, { timeoutMs: handlers.readIdleMs });
    } catch (error) {
      handlers.onReadError(error);
      return;
    }
    try {
      switch (message.type) {
        case 'voucher':
          handlers.onVoucher(message);
          break;
        case 'ping':
          break;
        case 'cancel':
          handlers.logger.info(`Rental session with ${handlers.peer}: the renter cancels: ${message.reason}`);
          handlers.onCancel(message.reason);
          break;
        case 'chunk':
        case 'bundle-end':
          handlers.onReadError(
            new ProtocolError('schema', `A '${message.type}' after the bundle was complete.`, true),
          );
          return;
      }
    } catch (error) {
      handlers.logger.error(`Rental session with ${handlers.peer}: a ${message.type} message failed`, error);
    }
  }
}
