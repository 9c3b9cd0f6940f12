import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { JOB_CHUNK_BYTES, type RenterMessage } from '../p2p/job-messages';

/**
 * Sends the bundle in chunks, then `bundle-end`, rechecking its size and sha256 as it is read: the file
 * may have changed since `prepareJob` checked it, and the provider would refuse it at the end anyway.
 * Stops early, without `bundle-end`, as soon as the provider has said something (an error) or the session
 * failed; the caller reads why. A bundle that cannot be read, or changed, throws `bundleError`'s error.
 */
export async function uploadBundle(
  bundle: { path: string; bytes: number; sha256: string },
  io: {
    send(message: RenterMessage): Promise<void>;
    /** The provider said something, or the session failed: stop sending. */
    interrupted(): boolean;
    /** The provider took a chunk: it is alive. */
    onProgress(): void;
    /** The session's failure, once it failed. */
    failure(): Error | null;
    bundleError(message: string, cause?: unknown): Error;
    /** `bundle-end` went out. */
    onUploaded(bytes: number): void;
  },
): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(bundle.path, { highWaterMark: JOB_CHUNK_BYTES })) {
      const buffer = chunk as Buffer;
      for (let at = 0; at < buffer.length; at += JOB_CHUNK_BYTES) {
        const part = buffer.subarray(at, at + JOB_CHUNK_BYTES);
        hash.update(part);
        bytes += part.length;
        if (bytes > bundle.bytes)
          throw io.bundleError(
            `The bundle ${bundle.path} grew while it was being sent (past ${bundle.bytes} bytes).`,
          );
        if (io.interrupted()) return;
        await io.send({ v: 1, type: 'chunk', data: part.toString('base64') });
        io.onProgress();
      }
    }
  } catch (error) {
    const failure = io.failure();
    if (failure) throw failure;
    throw io.bundleError(`Could not read the bundle ${bundle.path}: ${(error as Error).message}`, error);
  }
  const sha256 = hash.digest('hex');
  if (bytes !== bundle.bytes || sha256 !== bundle.sha256)
    throw io.bundleError(
      `The bundle ${bundle.path} changed while it was being sent (now ${bytes} bytes, sha256 ${sha256}).`,
    );
  await io.send({ v: 1, type: 'bundle-end' });
  io.onUploaded(bytes);
}
