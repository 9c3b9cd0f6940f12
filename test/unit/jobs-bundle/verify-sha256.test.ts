import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, sha256File, verifyBundleFile } from '../../../src/main/jobs/bundle/verify-sha256';
import { useTempDirs } from '../../fakes/temp-dir';
import { tarGz } from './tar-fixtures';

const tempDir = useTempDirs();

describe('sha256File and verifyBundleFile', () => {
  it('hashes a file as a stream', async () => {
    const dir = tempDir();
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
    writeFileSync(join(dir, 'f'), bytes);
    expect(await sha256File(join(dir, 'f'))).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('accepts the bundle whose sha256 the spec names (in either case)', async () => {
    const dir = tempDir();
    const bundle = await tarGz([{ name: 'a.txt', content: 'hi' }]);
    writeFileSync(join(dir, 'b.tar.gz'), bundle);
    const hex = createHash('sha256').update(bundle).digest('hex');
    await expect(verifyBundleFile(join(dir, 'b.tar.gz'), hex)).resolves.toBeUndefined();
    await expect(verifyBundleFile(join(dir, 'b.tar.gz'), hex.toUpperCase())).resolves.toBeUndefined();
  });

  it('refuses a checksum mismatch, in plain words, naming both sums', async () => {
    const dir = tempDir();
    const bundle = await tarGz([{ name: 'a.txt', content: 'hi' }]);
    writeFileSync(join(dir, 'b.tar.gz'), bundle);
    const actual = createHash('sha256').update(bundle).digest('hex');
    const expected = '9c1b'.padEnd(64, '0');
    const error = await verifyBundleFile(join(dir, 'b.tar.gz'), expected).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).code).toBe('checksum');
    expect((error as BundleError).message).toBe(
      `The bundle's sha256 is ${actual.slice(0, 8)}…, but the job spec says 9c1b0000…: refusing to unpack it.`,
    );
  });

  it('says so when the bundle is missing', async () => {
    await expect(verifyBundleFile(join(tempDir(), 'nope.tar.gz'), 'a'.repeat(64))).rejects.toMatchObject({
      code: 'missing',
    });
  });

  it('treats a malformed expected sum as a programming error', async () => {
    await expect(verifyBundleFile('x', 'not-hex')).rejects.toBeInstanceOf(TypeError);
  });
});
