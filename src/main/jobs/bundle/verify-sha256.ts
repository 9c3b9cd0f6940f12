import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BundleError } from './bundle-error';

export { BundleError, type BundleErrorCode } from './bundle-error';

/** The file's sha256 as 64 lower-case hex digits, read as a stream (bundles can be gigabytes). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Refuses a bundle whose sha256 is not `expectedHex` (the job spec's `bundle.sha256`), with a
 * `BundleError` of code 'checksum' ('missing' when the file is not there).
 */
export async function verifyBundleFile(path: string, expectedHex: string): Promise<void> {
  const expected = expectedHex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new TypeError(`verifyBundleFile: expected a sha256 of 64 hex digits, got "${expectedHex}"`);
  }
  let actual: string;
  try {
    actual = await sha256File(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new BundleError('missing', `The bundle ${path} does not exist.`, undefined, { cause: error });
    }
    if (code === 'EISDIR') {
      throw new BundleError('missing', `The bundle ${path} is a folder, not a file.`, undefined, {
        cause: error,
      });
    }
    throw error;
  }
  if (actual !== expected) {
    throw new BundleError(
      'checksum',
      `The bundle's sha256 is ${short(actual)}, but the job spec says ${short(expected)}: refusing to unpack it.`,
    );
  }
}

function short(hex: string): string {
  return `${hex.slice(0, 8)}…`;
}
