import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Envelope } from '../../shared/envelope';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Router } from '../core/router';
import { cookieName, createAccessToken, presentedToken, tokensMatch } from './access-token';
import { createEventSocket } from './event-socket';
import { BodyError, readJsonBody } from './read-json-body';
import { setSecurityHeaders } from './security-headers';
import { serveStatic } from './static-files';

export interface HeadlessServerOptions {
  router: Router;
  events: EventBus;
  logger: Logger;
  rendererDir: string;
  port?: number;
  /** Fixed only by tests; a real run always draws a fresh one. */
  token?: string;
}

export interface HeadlessServer {
  port: number;
  token: string;
  /** The ready-to-open address, token included, printed once at start. */
  url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function statusForEnvelope(envelope: Envelope<unknown>): number {
  if (envelope.ok) return 200;
  return { invalid_request: 400, unknown_channel: 404, unauthorized: 401, failed: 422, internal: 500 }[
    envelope.error.code
  ];
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(text);
}

/**
 * `nocturne serve`: the same core and contract as the desktop app, over HTTP and WebSocket on loopback
 * only. Every request needs the per-run token, and the Host header must be ours so a web page that
 * rebinds its DNS name to 127.0.0.1 cannot reach the API.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const token = options.token ?? createAccessToken();
  const socket = createEventSocket(options.events);
  let port = 0;

  const hostAllowed = (host: string | undefined) =>
    host === `${HOST}:${port}` || host === `localhost:${port}`;
  const originAllowed = (origin: string | undefined) =>
    origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;

  const authenticate = (request: IncomingMessage, url: URL) => {
    const presented = presentedToken(request, url, port);
    return {
      viaQuery: tokensMatch(token, presented.query),
      ok: [presented.cookie, presented.bearer, presented.query].some((t) => tokensMatch(token, t)),
    };
  };

  const refuse = (request: IncomingMessage, response: ServerResponse, status: number, message: string) => {
    if (request.url?.startsWith('/api/')) {
      sendJson(response, status, { ok: false, error: { code: 'unauthorized', message } });
    } else {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    setSecurityHeaders(response);
    if (!hostAllowed(request.headers.host)) return refuse(request, response, 403, 'Unknown host.');
    const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
    const auth = authenticate(request, url);
    if (!auth.ok) {
      return refuse(
        request,
        response,
        401,
        'This Nocturne needs its access token: open the address that `nocturne serve` printed (it ends in ?token=...).',
      );
    }

    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') {
        response.setHeader('allow', 'POST');
        return sendJson(response, 405, {
          ok: false,
          error: { code: 'invalid_request', message: 'Use POST for API calls.' },
        });
      }
      if (!originAllowed(request.headers.origin))
        return refuse(request, response, 403, 'Cross-origin calls are refused.');
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      let payload: unknown;
      try {
        payload = await readJsonBody(request);
      } catch (error) {
        if (error instanceof BodyError) {
          // The rest of an oversized body is never read, so this connection cannot carry another request.
          if (error.status === 413) response.setHeader('connection', 'close');
          return sendJson(response, error.status, {
            ok: false,
            error: { code: 'invalid_request', message: error.message },
          });
        }
        throw error;
      }
      const envelope = await options.router.call(channel, payload);
      return sendJson(response, statusForEnvelope(envelope), envelope);
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(request, response, 405, 'Method not allowed.');
    }
    if (auth.viaQuery) {
      // Trade the token in the address bar for an HttpOnly cookie and drop it from the URL and history.
      response.setHeader('set-cookie', `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      response.writeHead(303, { location: `${url.pathname}${url.search}` }).end();
      return;
    }
    serveStatic(options.rendererDir, url.pathname, response);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error('Headless server request failed', error);
      if (!response.headersSent)
        sendJson(response, 500, { ok: false, error: { code: 'internal', message: 'Internal error.' } });
      else response.destroy();
    });
  });

  server.on('upgrade', (request: IncomingMessage, duplex: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
    const reject = (status: string) => {
      duplex.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(request.headers.host) || !originAllowed(request.headers.origin))
      return reject('403 Forbidden');
    if (!authenticate(request, url).ok) return reject('401 Unauthorized');
    if (url.pathname !== '/events') return reject('404 Not Found');
    socket.accept(request, duplex, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
