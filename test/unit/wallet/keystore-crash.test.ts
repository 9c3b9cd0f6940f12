import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyVault } from '../../../src/main/wallet/key-vault';
import { readKeystoreFile, walletPaths } from '../../../src/main/wallet/keystore/keystore-file';
import { decryptKeystore, encryptKeystore } from '../../../src/main/wallet/keystore/keystore-format';
import { unavailableSecretStore } from '../../../src/main/wallet/secret-store';
import { buildChildScripts } from '../../fakes/build-child-scripts';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

/**
 * The crash test: a child process rewrites the keystore in a loop and is SIGKILLed at random
 * moments, many times; after every kill the keystore must open with the old password or the new one.
 * Two loops run side by side: the real changePassword path (scrypt at the production N, so each
 * rewrite takes over a second and only a few kills fit), and a loop of bare atomic writes of two
 * pre-encrypted keystores, whose write window is hit often (kills that leave a temp file behind prove
 * it), checked byte for byte as well as by decrypting.
 */

const tempDir = useTempDirs();
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const PASSWORDS: [string, string] = ['the first password', 'the second password'];
const CHANGE_KILLS = 4;
const WRITE_KILLS = 30;

const children = { change: '', write: '' };

beforeAll(async () => {
  const outdir = tempDir('nocturne-crash-build-');
  const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  const built = await buildChildScripts(
    [fixture('crash-change-child'), fixture('crash-write-child')],
    outdir,
  );
  children.change = built['crash-change-child']!;
  children.write = built['crash-write-child']!;
});

const tempFiles = (dataDir: string) =>
  readdirSync(walletPaths(dataDir).dir).filter((n) => n.endsWith('.tmp'));

/**
 * Starts a child, waits until its loop runs, then SIGKILLs it: after `delayMs`, or (`killOnTempFile`)
 * the moment a temp file appears beside the keystore, i.e. inside the write. Returns what it reported.
 */
async function runAndKill(
  script: string,
  env: Record<string, string>,
  kill: { delayMs: number; killOnTempFile?: string },
) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (_code, signal) => resolve({ signal })),
  );
  const ready = new Promise<'ready'>((resolve) =>
    child.stdout.on('data', () => (stdout.startsWith('ready\n') ? resolve('ready') : undefined)),
  );
  const watcher = kill.killOnTempFile
    ? watch(kill.killOnTempFile, (_event, name) => {
        if (name?.endsWith('.tmp')) child.kill('SIGKILL');
      })
    : null;
  try {
    if ((await Promise.race([ready, exited])) !== 'ready') {
      throw new Error(`the child exited before its loop started: ${stderr}`);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    const { signal } = await exited;
    clearTimeout(timer);
    if (signal !== 'SIGKILL') throw new Error(`the child ended on its own (${signal}): ${stderr}`);
  } finally {
    watcher?.close();
  }
  const reported = stdout.split('\n').filter((l) => /^[01]$/.test(l));
  return { rewrites: reported.length, last: reported.length ? Number(reported.at(-1)) : null };
}

/** Which password opens the keystore: the expected one is tried first (one scrypt in the usual case). */
async function openingPassword(dataDir: string, expected: number): Promise<number> {
  const json = readKeystoreFile(dataDir);
  if (json === null) throw new Error('the keystore is gone');
  for (const index of [expected, 1 - expected]) {
    try {
      await decryptKeystore(json, PASSWORDS[index]!);
      return index;
    } catch {
      // try the other one
    }
  }
  throw new Error('the keystore opens with neither the old nor the new password');
}

async function changePasswordLoop() {
  const dataDir = tempDir();
  const vault = createKeyVault({
    dataDir,
    clock: createFakeClock(),
    secretStore: unavailableSecretStore(),
    autoLockMinutes: () => 15,
    logger: createMemoryLogger(),
    onChange: () => {},
  });
  await vault.import({ privateKey: KEY, password: PASSWORDS[0] }); // production N
  let current = 0;
  let rewrites = 0;
  let killedMidWrite = 0;
  for (let round = 0; round < CHANGE_KILLS; round += 1) {
    // Even rounds: killed as the new keystore is being written; odd rounds: at a random moment (one
    // change is two scrypt runs, about 1.3 s here, so mostly while deriving the key).
    const run = await runAndKill(
      children.change,
      {
        CRASH_DATA_DIR: dataDir,
        CRASH_CURRENT: String(current),
        CRASH_PASSWORDS: JSON.stringify(PASSWORDS),
      },
      round % 2 === 0
        ? { delayMs: 10_000, killOnTempFile: walletPaths(dataDir).dir }
        : { delayMs: 100 + Math.random() * 2100 },
    );
    rewrites += run.rewrites;
    if (tempFiles(dataDir).length > 0) killedMidWrite += 1;
    current = await openingPassword(dataDir, run.last ?? current);
    expect(tempFiles(dataDir)).toEqual([]); // reading removed any leftover
  }
  return { rewrites, killedMidWrite };
}

async function bareWriteLoop() {
  const dataDir = tempDir();
  const files = tempDir();
  const versions = await Promise.all(
    PASSWORDS.map((password) =>
      encryptKeystore({ kind: 'privateKey', privateKey: KEY }, password, { scryptN: 1 << 10 }),
    ),
  );
  versions.forEach((text, i) => writeFileSync(join(files, `v${i}.json`), text));
  const vault = createKeyVault({
    dataDir,
    clock: createFakeClock(),
    secretStore: unavailableSecretStore(),
    autoLockMinutes: () => 15,
    logger: createMemoryLogger(),
    onChange: () => {},
    scryptN: 1 << 10,
  });
  await vault.import({ privateKey: KEY, password: PASSWORDS[0] });
  writeFileSync(walletPaths(dataDir).keystore, versions[0]!);

  let current = 0;
  let rewrites = 0;
  let killedMidWrite = 0;
  for (let round = 0; round < WRITE_KILLS; round += 1) {
    const run = await runAndKill(
      children.write,
      {
        CRASH_TARGET: walletPaths(dataDir).keystore,
        CRASH_CURRENT: String(current),
        CRASH_VERSION_0: join(files, 'v0.json'),
        CRASH_VERSION_1: join(files, 'v1.json'),
      },
      { delayMs: 5 + Math.random() * 100 },
    );
    rewrites += run.rewrites;
    if (tempFiles(dataDir).length > 0) killedMidWrite += 1;
    // Byte for byte one of the two versions (never torn), and it opens with its password.
    const text = readFileSync(walletPaths(dataDir).keystore, 'utf8');
    const index = versions.indexOf(text);
    expect(index, 'the keystore is one whole version').toBeGreaterThanOrEqual(0);
    expect(await openingPassword(dataDir, index)).toBe(index);
    expect(tempFiles(dataDir)).toEqual([]);
    current = index;
  }
  const status = await vault.changePassword(PASSWORDS[current]!, 'the final password');
  expect(status.exists).toBe(true);
  expect(readdirSync(walletPaths(dataDir).dir).sort()).toEqual(['keystore.json', 'wallet.json']);
  return { rewrites, killedMidWrite };
}

describe('keystore crash safety', () => {
  it('opens with the old or the new password after SIGKILL at random points, every time', async () => {
    const [change, bare] = await Promise.all([changePasswordLoop(), bareWriteLoop()]);
    // The loops really ran, and kills really landed while a temp file was open.
    expect(change.killedMidWrite + change.rewrites, 'changes that reached the write').toBeGreaterThan(0);
    expect(bare.rewrites).toBeGreaterThan(WRITE_KILLS);
    expect(bare.killedMidWrite, 'kills that landed mid-write').toBeGreaterThan(0);
  }, 60_000);
});
