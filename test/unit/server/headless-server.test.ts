import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src/main/core/create-core';
import { startHeadlessServer, type HeadlessServer } from '../../../src/main/server/headless-server';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const running: { core: Core; server: HeadlessServer }[] = [];

afterEach(async () => {
  for (const { core, server } of running.splice(0)) {
    await server.close();
    core.close();
  }
});

async function start() {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Nocturne</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'owner secret');
  const core = createCore({ dataDir: join(dir, 'data'), mode: 'headless', logger: createMemoryLogger() });
  const server = await startHeadlessServer({
    router: core.router,
    events: core.events,
    logger: core.logger,
    rendererDir,
  });
  running.push({ core, server });
  const base = `http://127.0.0.1:${server.port}`;
  const auth = { authorization: `Bearer ${server.token}` };
  return { core, server, base, auth };
}

/** Raw request, so Host and paths go out exactly as written (fetch would normalise them). */
function raw(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function openSocket(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ socket?: WebSocket; status?: number }>((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    socket.once('error', () => resolve({}));
  });
}

describe('headless server', () => {
  it('binds to loopback and prints a token URL', async () => {
    const { server } = await start();
    expect(server.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`),
    );
  });

  it('answers 401 to the page, assets and API without the token, and with a wrong one', async () => {
    const { base, server } = await start();
    for (const path of ['/', '/assets/app.js', '/?token=wrong']) {
      expect((await fetch(`${base}${path}`, { redirect: 'manual' })).status).toBe(401);
    }
    const api = await fetch(`${base}/api/app:status`, { method: 'POST', body: '{}' });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrongBearer = await fetch(`${base}/api/app:status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token.slice(1)}x` },
    });
    expect(wrongBearer.status).toBe(401);
  });

  it('trades the URL token for an HttpOnly cookie, then serves the page with a strict CSP', async () => {
    const { base, server } = await start();
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      new RegExp(`^nocturne_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict`),
    );

    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Nocturne</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves the contract over HTTP with the token', async () => {
    const { base, auth } = await start();
    const res = await fetch(`${base}/api/app:status`, { method: 'POST', headers: auth, body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, data: { mode: 'headless', state: 'active' } });
  });

  it('refuses malformed payloads with the field named, and keeps serving', async () => {
    const { base, auth } = await start();
    const call = (channel: string, body: string) =>
      fetch(`${base}/api/${channel}`, { method: 'POST', headers: auth, body });

    const badJson = await call('settings:update', '{"deviceName": ');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { message: string } }).error.message).toMatch(
      /not valid JSON/,
    );

    const badField = await call('settings:update', JSON.stringify({ deviceName: 42 }));
    expect(badField.status).toBe(400);
    expect(await badField.json()).toMatchObject({ ok: false, error: { field: 'deviceName' } });

    const unknown = await call('wallet:drain', '{}');
    expect(unknown.status).toBe(404);

    const huge = await call('settings:update', JSON.stringify({ deviceName: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);

    const get = await fetch(`${base}/api/app:status`, { headers: auth });
    expect(get.status).toBe(405);

    const still = await call('settings:get', '{}');
    expect(still.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) and a cross-origin API call even with the token', async () => {
    const { server, base, auth } = await start();
    const rebound = await raw(server.port, '/', { host: `evil.example:${server.port}`, ...auth });
    expect(rebound.status).toBe(403);
    const crossOrigin = await fetch(`${base}/api/settings:update`, {
      method: 'POST',
      headers: { ...auth, origin: 'http://evil.example' },
      body: JSON.stringify({ deviceName: 'pwned' }),
    });
    expect(crossOrigin.status).toBe(403);
  });

  it('never serves a file outside the UI folder', async () => {
    const { server, auth } = await start();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await raw(server.port, path, { host: `127.0.0.1:${server.port}`, ...auth });
      expect(res.body).not.toContain('owner secret');
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('refuses the WebSocket without the token and pushes events to one that has it', async () => {
    const { server, base, auth } = await start();
    const wsUrl = `ws://127.0.0.1:${server.port}/events`;
    expect((await openSocket(wsUrl)).status).toBe(401);
    expect((await openSocket(wsUrl, { origin: 'http://evil.example', ...auth })).status).toBe(403);

    const { socket } = await openSocket(wsUrl, auth);
    expect(socket).toBeDefined();
    const received = new Promise<unknown>((resolve) =>
      socket!.on('message', (data) => {
        const message = JSON.parse(String(data)) as { event: string };
        if (message.event === 'settings:changed') resolve(message);
      }),
    );
    await fetch(`${base}/api/settings:update`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ deviceName: 'Loft' }),
    });
    expect(await received).toMatchObject({ event: 'settings:changed', payload: { deviceName: 'Loft' } });
    socket!.close();
  });
});
