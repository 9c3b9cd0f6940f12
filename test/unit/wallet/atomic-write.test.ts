import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FileExistsError,
  removeStaleTempFiles,
  writeFileAtomic,
} from '../../../src/main/wallet/keystore/atomic-write';
import {
  KeystoreChangedError,
  KeystoreExistsError,
  readKeystoreFile,
  replaceKeystoreFile,
  walletPaths,
  writeNewKeystoreFile,
} from '../../../src/main/wallet/keystore/keystore-file';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

/** A pid that certainly belongs to no process: one that just exited (and was reaped). */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
  );
}

describe('writeFileAtomic', () => {
  it('writes the file owner-only and leaves no temp file', async () => {
    const dir = tempDir();
    const file = join(dir, 'keystore.json');
    await writeFileAtomic(file, 'one');
    expect(readFileSync(file, 'utf8')).toBe('one');
    await writeFileAtomic(file, new TextEncoder().encode('two'));
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['keystore.json']);
  });

  it('exclusive: refuses an existing file, even garbage, and leaves it as it was', async () => {
    const dir = tempDir();
    const file = join(dir, 'keystore.json');
    writeFileSync(file, 'garbage that is not a keystore');
    await expect(writeFileAtomic(file, 'new', { exclusive: true })).rejects.toBeInstanceOf(FileExistsError);
    expect(readFileSync(file, 'utf8')).toBe('garbage that is not a keystore');
    expect(readdirSync(dir)).toEqual(['keystore.json']);

    const fresh = join(dir, 'other.json');
    await writeFileAtomic(fresh, 'new', { exclusive: true });
    expect(readFileSync(fresh, 'utf8')).toBe('new');
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['keystore.json', 'other.json']);
  });

  it("removes a dead writer's temp files, keeps a live process's and anything not ours", async () => {
    const dir = tempDir();
    const file = join(dir, 'keystore.json');
    const dead = join(dir, `.keystore.json.${deadPid()}.0123456789abcdef.tmp`);
    const live = join(dir, `.keystore.json.${process.ppid}.0123456789abcdef.tmp`);
    const other = join(dir, `.other.json.${deadPid()}.0123456789abcdef.tmp`);
    const stranger = join(dir, 'keystore.json.tmp');
    for (const f of [dead, live, other, stranger]) writeFileSync(f, 'half a keystore');

    expect(removeStaleTempFiles(file)).toEqual([dead]);
    writeFileSync(dead, 'half a keystore');
    await writeFileAtomic(file, 'whole');
    expect(existsSync(dead)).toBe(false);
    expect([live, other, stranger].every((f) => existsSync(f))).toBe(true);
  });
});

describe('keystore file', () => {
  it('lives in <dataDir>/wallet (0o700) and is never written over when one exists', async () => {
    const dataDir = tempDir();
    const paths = walletPaths(dataDir);
    expect(readKeystoreFile(dataDir)).toBeNull();
    await writeNewKeystoreFile(dataDir, '{"first":true}');
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.keystore).mode & 0o777).toBe(0o600);
    await expect(writeNewKeystoreFile(dataDir, '{"second":true}')).rejects.toBeInstanceOf(
      KeystoreExistsError,
    );
    expect(readKeystoreFile(dataDir)).toBe('{"first":true}');
  });

  it('replaces only the exact text that was read', async () => {
    const dataDir = tempDir();
    await writeNewKeystoreFile(dataDir, 'v1');
    await replaceKeystoreFile(dataDir, 'v1', 'v2');
    expect(readKeystoreFile(dataDir)).toBe('v2');
    await expect(replaceKeystoreFile(dataDir, 'v1', 'v3')).rejects.toBeInstanceOf(KeystoreChangedError);
    expect(readKeystoreFile(dataDir)).toBe('v2');
  });

  it('reading cleans up what a crashed write left', () => {
    const dataDir = tempDir();
    const paths = walletPaths(dataDir);
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.keystore, 'old');
    const leftover = join(paths.dir, `.keystore.json.${deadPid()}.00000000000000ff.tmp`);
    writeFileSync(leftover, 'ne');
    expect(readKeystoreFile(dataDir)).toBe('old');
    expect(existsSync(leftover)).toBe(false);
  });
});
