import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, type BundleErrorCode } from '../../../src/main/jobs/bundle/bundle-error';
import { unpackBundle, type UnpackLimits } from '../../../src/main/jobs/bundle/unpack-bundle';
import { useTempDirs } from '../../fakes/temp-dir';
import { gzippedZeros, tar, tarGz, zeroFileTarGz, type TarEntry } from './tar-fixtures';

const tempDir = useTempDirs();

/** A job folder `base` holding a sentinel file and an empty workspace; the archive lives elsewhere. */
function setup() {
  const base = tempDir('nocturne-bundle-');
  const sentinel = join(base, 'sentinel.txt');
  writeFileSync(sentinel, 'untouched');
  const workspace = join(base, 'ws');
  mkdirSync(workspace);
  const archive = join(tempDir('nocturne-archive-'), 'bundle.tar.gz');
  return { base, sentinel, workspace, archive };
}

async function expectRefused(
  archiveBytes: Buffer | Promise<Buffer>,
  code: BundleErrorCode,
  limits?: Partial<UnpackLimits>,
): Promise<BundleError> {
  const { base, sentinel, workspace, archive } = setup();
  writeFileSync(archive, await archiveBytes);
  const error = await unpackBundle(archive, workspace, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleError);
  expect((error as BundleError).code).toBe(code);
  expect((error as BundleError).message).toMatch(/refusing to unpack/);
  // Nothing was written outside, nothing is left inside, and no temporary folder was left behind.
  expect(readFileSync(sentinel, 'utf8')).toBe('untouched');
  expect(readdirSync(workspace)).toEqual([]);
  expect(readdirSync(base).sort()).toEqual(['sentinel.txt', 'ws']);
  return error as BundleError;
}

const file = (name: string, content = 'x', mode?: number): TarEntry => ({
  name,
  content,
  ...(mode === undefined ? {} : { mode }),
});

describe('unpackBundle: a normal bundle', () => {
  it('unpacks nested folders, keeps an executable bit, strips unsafe mode bits and keeps a safe link', async () => {
    const { base, workspace, archive } = setup();
    const longName = `deep/${'x'.repeat(120)}.txt`; // longer than ustar's 100: written with a pax header
    writeFileSync(
      archive,
      await tarGz([
        { name: './', type: 'directory', mode: 0o755 },
        { name: 'src/', type: 'directory', mode: 0o777 },
        file('src/lib/util.py', 'print("hi")\n', 0o644),
        file('run.sh', '#!/bin/sh\necho hi\n', 0o755),
        file('setuid-and-world-writable', 'x', 0o6777),
        file('group-writable', 'x', 0o664),
        { name: 'locked/', type: 'directory', mode: 0o500 },
        file('locked/inside', 'y', 0o400),
        { name: 'bin/run', type: 'symlink', linkname: '../run.sh' },
        { name: 'here', type: 'symlink', linkname: '.' },
        file(longName, 'long'),
      ]),
    );

    const result = await unpackBundle(archive, workspace);

    expect(result).toEqual({ files: 6, bytes: 12 + 18 + 1 + 1 + 1 + 4 });
    expect(readFileSync(join(workspace, 'src/lib/util.py'), 'utf8')).toBe('print("hi")\n');
    expect(readFileSync(join(workspace, longName), 'utf8')).toBe('long');
    const mode = (path: string) => statSync(join(workspace, path)).mode & 0o7777;
    expect(mode('run.sh')).toBe(0o755);
    expect(mode('src/lib/util.py')).toBe(0o644);
    expect(mode('setuid-and-world-writable')).toBe(0o755);
    expect(mode('group-writable')).toBe(0o644);
    expect(mode('src')).toBe(0o755);
    expect(mode('src/lib')).toBe(0o755); // made for its file, not named in the archive
    expect(mode('locked')).toBe(0o700); // owner rwx always, so the workspace can be removed
    expect(mode('locked/inside')).toBe(0o400);
    expect(lstatSync(join(workspace, 'bin/run')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(workspace, 'bin/run'))).toBe('../run.sh');
    expect(readFileSync(join(workspace, 'bin/run'), 'utf8')).toContain('echo hi');
    expect(readdirSync(base).sort()).toEqual(['sentinel.txt', 'ws']);
  });

  it('creates a workspace that does not exist yet', async () => {
    const { base, archive } = setup();
    const workspace = join(base, 'new-ws');
    writeFileSync(archive, await tarGz([file('a.txt', 'hello')]));
    expect(await unpackBundle(archive, workspace)).toEqual({ files: 1, bytes: 5 });
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('hello');
  });

  it('accepts exactly the limits', async () => {
    const { workspace, archive } = setup();
    writeFileSync(archive, await tarGz([file('a/b/c', '12345'), file('d', '67890')]));
    const result = await unpackBundle(archive, workspace, { maxBytes: 10, maxEntries: 2, maxDepth: 3 });
    expect(result).toEqual({ files: 2, bytes: 10 });
  });
});

describe('unpackBundle: refusals leave the workspace empty and nothing outside', () => {
  it('refuses an absolute path', async () => {
    const { sentinel } = setup();
    const error = await expectRefused(
      tarGz([file('ok.txt'), file(sentinel, 'overwritten')]),
      'absolute-path',
    );
    expect(error.entry).toBe(sentinel);
    expect(readFileSync(sentinel, 'utf8')).toBe('untouched');
  });

  it('refuses ../escape', async () => {
    await expectRefused(tarGz([file('ok.txt'), file('../escape', 'pwned')]), 'parent-path');
  });

  it('refuses a/../../escape', async () => {
    await expectRefused(tarGz([file('a/ok.txt'), file('a/../../escape', 'pwned')]), 'parent-path');
  });

  it('refuses a symlink to /etc/passwd', async () => {
    const error = await expectRefused(
      tarGz([file('ok.txt'), { name: 'passwd', type: 'symlink', linkname: '/etc/passwd' }]),
      'link-outside',
    );
    expect(error.message).toContain('/etc/passwd');
  });

  it('refuses a symlink to ../../x', async () => {
    await expectRefused(tarGz([{ name: 'a/b', type: 'symlink', linkname: '../../x' }]), 'link-outside');
  });

  it('refuses a link that climbs after a name (sub/.. could climb out of a link)', async () => {
    await expectRefused(
      tarGz([
        { name: 'sub/', type: 'directory' },
        { name: 'lnk', type: 'symlink', linkname: 'sub/../..' },
      ]),
      'link-outside',
    );
  });

  it('refuses link -> .. followed by link/pwned', async () => {
    await expectRefused(
      tarGz([{ name: 'link', type: 'symlink', linkname: '..' }, file('link/pwned', 'pwned')]),
      'link-outside',
    );
  });

  it('refuses a file written through a link, even one that stays inside', async () => {
    const error = await expectRefused(
      tarGz([{ name: 'sub/up', type: 'symlink', linkname: '..' }, file('sub/up/pwned', 'pwned')]),
      'through-link',
    );
    expect(error.entry).toBe('sub/up/pwned');
  });

  it('refuses a file over an earlier link of the same name', async () => {
    await expectRefused(
      tarGz([{ name: 'target', type: 'symlink', linkname: 'other' }, file('target', 'pwned')]),
      'conflict',
    );
  });

  it('refuses a hard link', async () => {
    await expectRefused(
      tarGz([file('ok.txt'), { name: 'hard', type: 'link', linkname: 'ok.txt' }]),
      'hard-link',
    );
  });

  it('refuses a fifo', async () => {
    await expectRefused(tarGz([{ name: 'pipe', type: 'fifo' }]), 'special-file');
  });

  it('refuses a character device', async () => {
    await expectRefused(
      tarGz([{ name: 'null', type: 'character-device', devmajor: 1, devminor: 3 }]),
      'special-file',
    );
  });

  it('refuses a block device', async () => {
    await expectRefused(
      tarGz([{ name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 }]),
      'special-file',
    );
  });

  it('refuses too many entries', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => file(`f${i}`));
    await expectRefused(tarGz(entries), 'too-many-entries', { maxEntries: 5 });
  });

  it('refuses more bytes than allowed', async () => {
    const error = await expectRefused(
      tarGz([file('a', 'a'.repeat(600)), file('b', 'b'.repeat(600))]),
      'too-large',
      { maxBytes: 1000 },
    );
    expect(error.entry).toBe('b');
  });

  it('stops a gzip bomb early: 200 MiB of zeros, 10 MiB allowed', async () => {
    const bomb = await gzippedZeros(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    await expectRefused(bomb, 'too-large', { maxBytes: 10 * 1024 * 1024 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops a 200 MiB file of zeros with 10 MiB allowed', async () => {
    const bomb = await zeroFileTarGz('zeros.bin', 200 * 1024 * 1024);
    const started = performance.now();
    await expectRefused(bomb, 'too-large', { maxBytes: 10 * 1024 * 1024 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a bundle deeper than maxDepth', async () => {
    await expectRefused(tarGz([file('a/b/c/d/e.txt')]), 'too-deep', { maxDepth: 4 });
  });

  it('refuses a bundle deeper than the default 64', async () => {
    const name = `${Array.from({ length: 64 }, () => 'd').join('/')}/f`;
    await expectRefused(tarGz([file(name)]), 'too-deep');
  });

  it('refuses a truncated gzip', async () => {
    const good = await tarGz([file('a', 'a'.repeat(10_000)), file('b', 'b'.repeat(10_000))]);
    await expectRefused(good.subarray(0, Math.floor(good.length / 2)), 'corrupt');
  });

  it('refuses a tar cut short inside a valid gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    const whole = await tar([file('a', 'a'.repeat(10_000))]);
    await expectRefused(gzipSync(whole.subarray(0, 2048)), 'corrupt');
  });

  it('refuses something that is not gzip at all', async () => {
    await expectRefused(Buffer.from('this is not a bundle\n'.repeat(100)), 'corrupt');
  });

  it('refuses a gzip of something that is not a tar', async () => {
    const { gzipSync } = await import('node:zlib');
    await expectRefused(gzipSync(Buffer.from('not a tar\n'.repeat(200))), 'corrupt');
  });

  it('refuses the same file twice', async () => {
    await expectRefused(tarGz([file('a', 'one'), file('a', 'two')]), 'conflict');
  });

  it('refuses a file used as a folder', async () => {
    await expectRefused(tarGz([file('a', 'one'), file('a/b', 'two')]), 'conflict');
  });
});

describe('unpackBundle: the workspace', () => {
  it('refuses a workspace that is not empty and leaves it as it was', async () => {
    const { workspace, archive } = setup();
    writeFileSync(join(workspace, 'mine.txt'), 'keep');
    writeFileSync(archive, await tarGz([file('a.txt')]));
    await expect(unpackBundle(archive, workspace)).rejects.toMatchObject({ code: 'workspace-not-empty' });
    expect(readdirSync(workspace)).toEqual(['mine.txt']);
  });

  it('says so when the archive is missing', async () => {
    const { workspace } = setup();
    await expect(unpackBundle(join(workspace, '..', 'nope.tar.gz'), workspace)).rejects.toMatchObject({
      code: 'missing',
    });
    expect(readdirSync(workspace)).toEqual([]);
  });
});
