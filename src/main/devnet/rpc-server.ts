import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DevnetError, DevnetPortInUseError } from './devnet-errors';

/** Request bodies above this are refused (413) before they are read in full. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_BATCH = 1000;

export type JsonRpcId = string | number | null;

export interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

/** A call for the handler; `id` is absent for a notification. */
export interface RpcCall {
  method: string;
  params?: unknown[] | Record<string, unknown>;
}

export type RpcOutcome = { result: unknown } | { error: RpcError };

export interface RpcServer {
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** The host name of a Host header, without its port. */
function hostName(header: string): string {
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d*$/, '');
}

const response = (id: JsonRpcId, outcome: RpcOutcome) => ({ jsonrpc: '2.0', id, ...outcome });
const failure = (id: JsonRpcId, code: number, message: string) => response(id, { error: { code, message } });

function validId(value: unknown): value is JsonRpcId {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * JSON-RPC 2.0 over HTTP POST on a loopback address, for one handler. Single and batch requests (a batch
 * is answered in order, one call after the other); notifications get no answer. No CORS headers are
 * sent, the body must be application/json (so a web page cannot post to it without a preflight, which
 * is refused), and the Host must be a loopback name (no DNS rebinding).
 */
export async function startRpcServer(options: {
  host: string;
  port: number;
  handle: (call: RpcCall) => Promise<RpcOutcome>;
  onError?: (error: unknown) => void;
}): Promise<RpcServer> {
  const { host, port, handle } = options;
  if (!isLoopbackHost(host))
    throw new DevnetError(`The devnet only listens on this machine (127.0.0.1), not on "${host}".`);

  async function answer(message: unknown): Promise<object | undefined> {
    if (typeof message !== 'object' || message === null || Array.isArray(message))
      return failure(null, -32600, 'Invalid request: not a JSON-RPC request object');
    const request = message as Record<string, unknown>;
    const id = validId(request.id) ? request.id : null;
    const isNotification = !('id' in request);
    if (request.id !== undefined && !validId(request.id))
      return failure(null, -32600, 'Invalid request: "id" must be a string, a number or null');
    if (typeof request.method !== 'string' || request.method === '')
      return failure(id, -32600, 'Invalid request: "method" must be a string');
    const params = request.params;
    if (params !== undefined && (typeof params !== 'object' || params === null))
      return failure(id, -32600, 'Invalid request: "params" must be an array or an object');
    const outcome = await handle({
      method: request.method,
      params: params as unknown[] | Record<string, unknown> | undefined,
    });
    return isNotification ? undefined : response(id, outcome);
  }

  async function dispatch(body: unknown): Promise<unknown> {
    if (!Array.isArray(body)) return answer(body);
    if (body.length === 0) return failure(null, -32600, 'Invalid request: empty batch');
    if (body.length > MAX_BATCH)
      return failure(null, -32600, `Invalid request: a batch may hold at most ${MAX_BATCH} requests`);
    const answers: object[] = [];
    for (const item of body) {
      const one = await answer(item);
      if (one) answers.push(one);
    }
    return answers.length > 0 ? answers : undefined;
  }

  const send = (
    res: ServerResponse,
    status: number,
    payload: unknown,
    extra: Record<string, string> = {},
  ) => {
    const text = payload === undefined ? '' : JSON.stringify(payload);
    res.writeHead(status, {
      ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    });
    res.end(text);
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST')
      return send(res, 405, failure(null, -32600, 'Only POST is served'), { Allow: 'POST' });
    if (!isLoopbackHost(hostName(req.headers.host ?? '')))
      return send(res, 403, failure(null, -32600, 'Host must be 127.0.0.1 or localhost'));
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return send(res, 415, failure(null, -32600, 'Content-Type must be application/json'));
    const tooLarge = () =>
      send(res, 413, failure(null, -32600, `Request body is larger than ${MAX_BODY_BYTES} bytes`), {
        Connection: 'close',
      });
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      tooLarge();
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, failure(null, -32700, 'Parse error: the body is not JSON'));
    }
    const payload = await dispatch(body);
    send(res, payload === undefined ? 204 : 200, payload);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) send(res, 500, failure(null, -32603, 'Internal error'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new DevnetPortInUseError(port, host) : error),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
