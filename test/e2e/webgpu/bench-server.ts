import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The global the bundle assigns (esbuild `globalName`). */
export const BENCH_GLOBAL = 'NocturneBench';

const ENTRY = fileURLToPath(new URL('../../../src/renderer/bench/webgpu-benchmark.ts', import.meta.url));

/** Bundles the browser benchmark engine into one IIFE script, in memory. */
export async function bundleBenchmark(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    globalName: BENCH_GLOBAL,
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the benchmark bundle');
  return file.text;
}

export interface BenchServer {
  /** http://127.0.0.1:<port>/ — a secure context, which WebGPU needs. */
  url: string;
  close: () => Promise<void>;
}

/** Serves a blank page that loads the bundle, on 127.0.0.1 and a free port. */
export async function serveBenchmark(bundle: string): Promise<BenchServer> {
  const page =
    '<!doctype html><meta charset="utf-8"><title>WebGPU benchmark</title><script src="/bench.js"></script>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
    } else if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(bundle);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
