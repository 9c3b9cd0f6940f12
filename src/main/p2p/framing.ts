import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface';
import * as lp from 'it-length-prefixed';
import type { z } from 'zod';

/**
 * Length-prefixed JSON messages on a libp2p stream: each message is an unsigned varint byte length followed
 * by that many bytes of UTF-8 JSON, parsed by a zod schema. A message that breaks a rule becomes a
 * ProtocolError with a reason in words; the node itself never crashes on what a peer sends.
 *
 * One reader is kept per stream (bytes that arrive after a message wait for the next read), so several
 * messages may be read in turn from one stream.
 */

/** Largest message body accepted or sent, bytes (the varint prefix not counted). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** How long a read waits for a whole message by default, ms. */
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

export type ProtocolErrorCode =
  /** The bytes are not a message: a bad length prefix, not UTF-8, not JSON. */
  | 'malformed'
  /** The message is larger than the limit. */
  | 'oversize'
  /** Valid JSON that the message schema refuses. */
  | 'schema'
  /** No whole message arrived in time. */
  | 'timeout'
  /** The stream ended before a (whole) message. */
  | 'closed'
  /** The stream was reset or aborted. */
  | 'reset'
  /** The peer could not be dialled, or does not speak the protocol. */
  | 'unreachable'
  /** A well-formed answer that is wrong (a quote for someone else, a bad signature). */
  | 'invalid-quote';

export class ProtocolError extends Error {
  /**
   * @param streamOpen true when the stream is still usable (the framing was sound, only the content was
   *   wrong), so the receiver may answer before it closes the stream; false when it was already reset.
   */
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly streamOpen = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

export interface ReadOptions {
  /** Default DEFAULT_READ_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Default MAX_MESSAGE_BYTES. Only the first read of a stream sets it. */
  maxBytes?: number;
}

export interface WriteOptions {
  /** Default MAX_MESSAGE_BYTES. */
  maxBytes?: number;
  /** Gives up waiting for the peer to take the bytes (back-pressure). */
  signal?: AbortSignal;
}

type Chunk = StreamMessageEvent['data'];

/** Feeds a stream's 'message' events to it-length-prefixed's decoder, buffering at most ~maxBytes. */
class FrameReader {
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private ended = false;
  private endError: Error | null = null;
  private wake: (() => void) | null = null;
  private reading = false;
  private readonly frames: AsyncIterator<{ subarray(): Uint8Array }>;

  constructor(
    private readonly stream: Stream,
    private readonly maxBytes: number,
  ) {
    stream.addEventListener('message', (event) => this.onMessage(event.data));
    stream.addEventListener('remoteCloseWrite', () => this.end(null));
    stream.addEventListener('close', (event: StreamCloseEvent) => this.end(event.error ?? null));
    this.frames = lp.decode(this.source(), { maxDataLength: maxBytes })[Symbol.asyncIterator]();
    // Attached late (the peer already finished): the stream hands over what it buffered in a microtask
    // queued by addEventListener above, so this one, queued after it, ends the input behind that data.
    if (stream.status !== 'open' || stream.remoteWriteStatus !== 'writable' || stream.readableEnded)
      queueMicrotask(() => this.end(null));
  }

  private onMessage(chunk: Chunk): void {
    if (this.ended) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.byteLength;
    // Unread bytes beyond one whole message (and its prefix) can only be a peer flooding us.
    if (this.queuedBytes > this.maxBytes + 16) {
      const error = new ProtocolError(
        'oversize',
        `The peer sent more than ${formatBytes(this.maxBytes)} without it being read.`,
      );
      this.end(error);
      resetStream(this.stream, error);
    }
    this.poke();
  }

  private end(error: Error | null): void {
    if (this.ended && (this.endError !== null || error === null)) return;
    this.ended = true;
    if (error !== null) {
      this.endError = error;
      this.queue.length = 0;
      this.queuedBytes = 0;
    }
    this.poke();
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async *source(): AsyncGenerator<Chunk> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        this.queuedBytes -= chunk.byteLength;
        yield chunk;
        continue;
      }
      if (this.endError !== null) throw this.endError;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async read<S extends z.ZodType>(schema: S, timeoutMs: number): Promise<z.output<S>> {
    if (this.reading) throw new Error('readMessage: a read is already in progress on this stream');
    this.reading = true;
    let timer: NodeJS.Timeout | undefined;
    let bytes: Uint8Array;
    try {
      const next = this.frames.next();
      next.catch(() => undefined); // it settles after a timeout too; nobody waits for it then
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ProtocolError('timeout', `No whole message arrived within ${timeoutMs} ms.`)),
          timeoutMs,
        );
      });
      const result = await Promise.race([next, timeout]);
      if (result.done === true)
        throw new ProtocolError('closed', 'The peer closed the stream without sending a (whole) message.');
      bytes = result.value.subarray();
    } catch (error) {
      const failure = toProtocolError(error, this.maxBytes);
      resetStream(this.stream, failure);
      throw failure;
    } finally {
      clearTimeout(timer);
      this.reading = false;
    }
    return parseMessage(bytes, schema);
  }
}

function toProtocolError(error: unknown, maxBytes: number): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'InvalidDataLengthError':
      return new ProtocolError('oversize', `The message is larger than the ${formatBytes(maxBytes)} limit.`);
    case 'InvalidMessageLengthError':
    case 'InvalidDataLengthLengthError':
      return new ProtocolError('malformed', 'The message has an invalid length prefix.');
    case 'UnexpectedEOFError':
      return new ProtocolError('closed', 'The stream ended in the middle of a message.');
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return new ProtocolError('reset', `The stream was reset: ${detail}`, false, { cause: error });
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Decodes and validates one message body. Errors keep the stream open (its framing was sound). */
export function parseMessage<S extends z.ZodType>(bytes: Uint8Array, schema: S): z.output<S> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ProtocolError('malformed', 'The message is not valid UTF-8.', true);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProtocolError('malformed', `The message is not JSON (${detail}).`, true);
  }
  let parsed: z.ZodSafeParseResult<z.output<S>>;
  try {
    parsed = schema.safeParse(json) as z.ZodSafeParseResult<z.output<S>>;
  } catch (error) {
    // A schema's own check threw: still the peer's message that does not fit.
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProtocolError('schema', `The message does not fit the protocol (${detail}).`, true);
  }
  if (!parsed.success)
    throw new ProtocolError(
      'schema',
      `The message does not fit the protocol: ${describeIssues(parsed.error)}.`,
      true,
    );
  return parsed.data;
}

/** "field.path: what is wrong; ..." for the first few issues of a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
    .join('; ');
}

const readers = new WeakMap<Stream, FrameReader>();

/**
 * Reads the next message from `stream` and parses it with `schema`. Throws ProtocolError. On a failure
 * that leaves the stream unusable (bad framing, oversize, timeout, end of stream) the stream is reset
 * first; on a content failure ('malformed' JSON or 'schema') it is left open (`error.streamOpen`) so the
 * receiver may say what was wrong, and must then close or reset it.
 */
export async function readMessage<S extends z.ZodType>(
  stream: Stream,
  schema: S,
  options: ReadOptions = {},
): Promise<z.output<S>> {
  let reader = readers.get(stream);
  if (reader === undefined) {
    reader = new FrameReader(stream, options.maxBytes ?? MAX_MESSAGE_BYTES);
    readers.set(stream, reader);
  }
  return reader.read(schema, options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
}

/** Encodes `value` as one length-prefixed JSON message (the bytes a peer receives). */
export function encodeMessage(value: unknown, maxBytes = MAX_MESSAGE_BYTES): Uint8Array {
  const body = encoder.encode(JSON.stringify(value));
  if (body.byteLength > maxBytes)
    throw new ProtocolError(
      'oversize',
      `The message to send is ${formatBytes(body.byteLength)}, above the ${formatBytes(maxBytes)} limit.`,
    );
  return lp.encode.single(body).subarray();
}

/** Writes one message; waits while the stream applies back-pressure. Throws ProtocolError. */
export async function writeMessage(
  stream: Stream,
  value: unknown,
  options: WriteOptions = {},
): Promise<void> {
  const frame = encodeMessage(value, options.maxBytes);
  try {
    if (!stream.send(frame)) await stream.onDrain({ signal: options.signal });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProtocolError('closed', `Could not send the message: ${detail}`, false, { cause: error });
  }
}

/** Resets (aborts) the stream unless it is already over. Never throws. */
export function resetStream(stream: Stream, error: Error): void {
  if (stream.status === 'open' || stream.status === 'closing') {
    try {
      stream.abort(error);
    } catch {
      // already gone
    }
  }
}

/** Closes our writing end gracefully, or resets the stream when that does not finish in time. */
export async function closeStream(stream: Stream, timeoutMs = 5_000): Promise<void> {
  try {
    await stream.close({ signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    resetStream(stream, error instanceof Error ? error : new Error(String(error)));
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
