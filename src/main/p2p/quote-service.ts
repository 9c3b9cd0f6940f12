import type { Libp2p, PeerId, Stream, Connection } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { getAddress } from 'ethers';
import type { Logger } from '../core/logger';
import type { P2pNode } from './create-node';
import {
  closeStream,
  describeIssues,
  ProtocolError,
  readMessage,
  resetStream,
  writeMessage,
} from './framing';
import {
  QuoteRequestSchema,
  QuoteResponseSchema,
  refusal,
  type QuoteRequest,
  type QuoteResponse,
} from './messages';
import { QUOTE_PROTOCOL, QuoteVerificationError, verifyQuote, type QuoteFor } from './quote-protocol';

/**
 * Both ends of `/nocturne/quote/1` on a libp2p node. One stream carries one exchange: the renter writes
 * a QuoteRequest and closes its writing end; the provider writes one QuoteResponse and closes. Quotes are
 * small, so the protocol also runs over limited (relayed) connections.
 */

/** How long the provider waits for the request, ms. */
export const QUOTE_READ_TIMEOUT_MS = 10_000;
/** How long a renter waits for the whole exchange (dial included) by default, ms. */
export const QUOTE_REQUEST_TIMEOUT_MS = 15_000;

type NodeLike = P2pNode | Libp2p;

function libp2pOf(node: NodeLike): Libp2p {
  return 'libp2p' in node ? node.libp2p : node;
}

export interface QuoteServiceOptions {
  /** Answers each valid request (createQuoteFor wires decideQuote and the signature). */
  quoteFor: QuoteFor;
  logger: Logger;
  /** Default QUOTE_READ_TIMEOUT_MS. */
  readTimeoutMs?: number;
  /** Requests answered at the same time; more are answered 'busy' at once. Default 32. */
  maxConcurrent?: number;
}

export interface QuoteService {
  /** Requests being answered now. */
  inFlight(): number;
  /** Stops taking new requests (ones in flight finish). */
  stop(): Promise<void>;
}

export async function startQuoteService(node: NodeLike, options: QuoteServiceOptions): Promise<QuoteService> {
  const libp2p = libp2pOf(node);
  const { quoteFor, logger } = options;
  const readTimeoutMs = options.readTimeoutMs ?? QUOTE_READ_TIMEOUT_MS;
  const maxConcurrent = options.maxConcurrent ?? 32;
  let inFlight = 0;

  const answer = async (stream: Stream, response: QuoteResponse) => {
    try {
      await writeMessage(stream, response, { signal: AbortSignal.timeout(readTimeoutMs) });
      await closeStream(stream, readTimeoutMs);
    } catch (error) {
      resetStream(stream, error instanceof Error ? error : new Error(String(error)));
    }
  };

  const serve = async (stream: Stream, connection: Connection) => {
    const remote = connection.remotePeer;
    let request: QuoteRequest;
    try {
      request = await readMessage(stream, QuoteRequestSchema, { timeoutMs: readTimeoutMs });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      logger.warn(`Quote request from ${remote.toString()} refused: ${error.message}`);
      if (error.streamOpen) await answer(stream, refusal('bad-request', error.message));
      return;
    }

    let response: QuoteResponse;
    try {
      response = QuoteResponseSchema.parse(await quoteFor(request, remote));
    } catch (error) {
      logger.error(`Could not make a quote for ${remote.toString()}`, error);
      response = refusal('unavailable', 'This provider could not make a quote just now.');
    }
    await answer(stream, response);
    logger.info(
      response.ok
        ? `Quote ${response.quote.quoteId} for ${remote.toString()}: ${response.quote.pricePerSecond}/s, ` +
            `up to ${response.quote.maxSeconds} s`
        : `Quote for ${remote.toString()} refused (${response.code}): ${response.reason}`,
    );
  };

  await libp2p.handle(
    QUOTE_PROTOCOL,
    async (stream, connection) => {
      if (inFlight >= maxConcurrent) {
        await answer(
          stream,
          refusal('busy', 'This provider is answering too many quote requests; try again.'),
        );
        return;
      }
      inFlight += 1;
      try {
        await serve(stream, connection);
      } catch (error) {
        // Our bug, not the peer's: log it, drop the stream, keep serving.
        logger.error(`Quote stream from ${connection.remotePeer.toString()} failed`, error);
        resetStream(stream, error instanceof Error ? error : new Error(String(error)));
      } finally {
        inFlight -= 1;
      }
    },
    { runOnLimitedConnection: true, maxInboundStreams: 8 },
  );

  let stopped = false;
  return {
    inFlight: () => inFlight,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (libp2p.status === 'started') await libp2p.unhandle(QUOTE_PROTOCOL);
    },
  };
}

export interface RequestQuoteOptions {
  /** The whole exchange, dial included. Default QUOTE_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A provider to ask: its multiaddr (string or parsed, ending in /p2p/<peer id>) or a known peer id. */
export type QuoteTarget = Multiaddr | PeerId | string;

function parseTarget(target: QuoteTarget): Multiaddr | PeerId {
  if (typeof target !== 'string') return target;
  try {
    return target.startsWith('/') ? multiaddr(target) : peerIdFromString(target);
  } catch (error) {
    throw new ProtocolError('unreachable', `"${target}" is neither a multiaddr nor a peer id.`, false, {
      cause: error,
    });
  }
}

/**
 * Asks a provider for a quote. Returns its answer, validated by the schema; an offered quote is also
 * checked: it names the peer we are connected to, the network and token asked for, and its signature
 * recovers to its providerAddress for our renter address. Throws ProtocolError ('unreachable', 'timeout',
 * 'invalid-quote', ...) when there is no valid answer.
 */
export async function requestQuote(
  node: NodeLike,
  target: QuoteTarget,
  request: QuoteRequest,
  options: RequestQuoteOptions = {},
): Promise<QuoteResponse> {
  const libp2p = libp2pOf(node);
  const timeoutMs = options.timeoutMs ?? QUOTE_REQUEST_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  const peer = parseTarget(target);
  const checked = QuoteRequestSchema.safeParse(request);
  if (!checked.success)
    throw new ProtocolError('schema', `The quote request is invalid: ${describeIssues(checked.error)}.`);
  const outgoing = checked.data;

  let connection: Connection;
  let stream: Stream;
  try {
    connection = await libp2p.dial(peer, { signal });
  } catch (error) {
    throw unreachable(`Could not reach ${peer.toString()}`, error, signal);
  }
  try {
    stream = await connection.newStream(QUOTE_PROTOCOL, {
      signal,
      runOnLimitedConnection: true,
      negotiateFully: true,
    });
  } catch (error) {
    throw unreachable(`${connection.remotePeer.toString()} did not open ${QUOTE_PROTOCOL}`, error, signal);
  }

  try {
    await writeMessage(stream, outgoing, { signal });
    await stream.close({ signal });
    const response = await readMessage(stream, QuoteResponseSchema, {
      timeoutMs: Math.max(1, deadline - Date.now()),
    });
    if (response.ok) checkQuote(response, outgoing, connection.remotePeer);
    return response;
  } catch (error) {
    const failure =
      error instanceof ProtocolError
        ? error
        : signal.aborted
          ? new ProtocolError('timeout', `No quote within ${timeoutMs} ms.`, false, { cause: error })
          : new ProtocolError('closed', `The quote exchange failed: ${(error as Error).message}`, false, {
              cause: error,
            });
    resetStream(stream, failure);
    throw failure;
  }
}

function unreachable(what: string, error: unknown, signal: AbortSignal): ProtocolError {
  const detail = error instanceof Error ? error.message : String(error);
  if (signal.aborted) return new ProtocolError('timeout', `${what}: timed out.`, false, { cause: error });
  return new ProtocolError('unreachable', `${what}: ${detail}`, false, { cause: error });
}

function checkQuote(
  response: Extract<QuoteResponse, { ok: true }>,
  request: QuoteRequest,
  remotePeer: PeerId,
): void {
  const { quote } = response;
  const invalid = (why: string) => new ProtocolError('invalid-quote', `The provider's quote ${why}.`, true);
  if (quote.provider !== remotePeer.toString())
    throw invalid(`names peer ${quote.provider}, not the one answering (${remotePeer.toString()})`);
  if (quote.chainId !== request.chainId)
    throw invalid(`is for chain ${quote.chainId}, not ${request.chainId}`);
  if (getAddress(quote.token) !== getAddress(request.token))
    throw invalid(`is in token ${quote.token}, not ${request.token}`);
  try {
    verifyQuote(quote, request.renter);
  } catch (error) {
    if (error instanceof QuoteVerificationError) throw invalid(`has a bad signature: ${error.message}`);
    throw error;
  }
}
