import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test as base } from '@playwright/test';
import { dataPaths } from '../../src/main/data-dir/resolve-data-dir';
import { createSettingsRepository } from '../../src/main/settings/settings-repository';
import { openDatabase } from '../../src/main/store/open-database';
import { fakeNvidiaEnv } from '../fakes/fake-nvidia-smi';

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

/**
 * A fresh data directory for one test, its first-run setup marked done so the app opens on the Dashboard
 * (the setup's own spec asks for a bare one).
 */
export function freshDataDir(options: { setupDone?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'nocturne-e2e-'));
  if (options.setupDone !== false) {
    const { db } = openDatabase(dataPaths(dir).database);
    createSettingsRepository(db).writeMany([['setupDone', true]], new Date());
    db.close();
  }
  return dir;
}

/**
 * Serves `dataDir` while `use` runs, then stops the server and deletes the folder. A spec that must put
 * something in the data directory before the server starts (a seeded ledger) overrides `served` with it.
 */
export async function serveDataDir(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  use: (app: ServedApp) => Promise<void>,
): Promise<void> {
  try {
    const { app, child } = await startServe(dataDir, env);
    try {
      await use(app);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const test = base.extend<{ served: ServedApp; serveEnv: NodeJS.ProcessEnv }>({
  /** Extra environment for the served process (a fake nvidia-smi on PATH, say); a spec sets it with test.use. */
  serveEnv: [{}, { option: true }],
  served: async ({ serveEnv }, use) => {
    await serveDataDir(freshDataDir(), serveEnv, use);
  },
});

export { expect } from '@playwright/test';

/**
 * The served app's environment with one recorded RTX 3090 behind the fake nvidia-smi (first on PATH, the
 * real PATH after it), plus `extra`.
 */
export function fakeGpuServeEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const fake = fakeNvidiaEnv(mkdtempSync(join(tmpdir(), 'nocturne-fake-gpu-')), 'A10.', extra);
  return { ...fake, PATH: `${fake.PATH}${delimiter}${process.env.PATH}` };
}

/**
 * A test whose served data directory is seeded: `before` writes what the server reads at its start (past
 * rentals, settings), `after` what a running session would write (a live rental: a start marks live rentals
 * a dead process left as failed). `now` is the same instant for both.
 */
export function seededTest(
  before: (dataDir: string, now: number) => void,
  after: (dataDir: string, now: number) => void = () => {},
) {
  return test.extend({
    served: async ({ serveEnv }, use) => {
      const dataDir = freshDataDir();
      const now = Date.now();
      before(dataDir, now);
      await serveDataDir(dataDir, serveEnv, async (app) => {
        after(app.dataDir, now);
        await use(app);
      });
    },
  });
}
