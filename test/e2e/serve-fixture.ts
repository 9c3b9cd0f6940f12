import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

export interface ServedApp {
  url: string;
  origin: string;
  dataDir: string;
  output: () => string;
}

/** Starts the built `nocturne serve` on a free port with a fresh data directory, per test. */
async function startServe(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ app: ServedApp; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/nocturne.js', 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { app: { url, origin: new URL(url).origin, dataDir, output: () => output }, child };
}

export const test = base.extend<{ served: ServedApp; serveEnv: NodeJS.ProcessEnv }>({
  /** Extra environment for the served process (a fake nvidia-smi on PATH, say); a spec sets it with test.use. */
  serveEnv: [{}, { option: true }],
  served: async ({ serveEnv }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nocturne-e2e-'));
    const { app, child } = await startServe(dataDir, serveEnv);
    await use(app);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
