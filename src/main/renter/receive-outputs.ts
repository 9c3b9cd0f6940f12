import { createHash, randomBytes } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { unpackBundle } from '../jobs/bundle/unpack-bundle';
import type { ProviderMessage } from '../p2p/job-messages';
import type { JobSessionEvent, JobSessionResult } from './job-client-types';
import type { ProviderInbox } from './provider-inbox';

/**
 * After `ended`: the outputs archive, into a hidden file beside the outputs folder, checked against the
 * size and sha256 `ended` announced (the final voucher paid for that archive) before it is unpacked, within
 * the spec's disk size so that a provider cannot fill the renter's disk. Acks, log and statuses may still
 * come in between. The archive file is removed either way.
 */
export async function receiveOutputs(
  deps: {
    outputsDir: string;
    /** The most the unpacked outputs may take (the spec's disk size). */
    maxBytes: number;
    next: ProviderInbox['next'];
    onAck(message: Extract<ProviderMessage, { type: 'voucher-ack' }>): void;
    onLog?(data: string): void;
    providerError(message: Extract<ProviderMessage, { type: 'error' }>): Error;
    unexpected(message: ProviderMessage, when: string): Error;
    bad(why: string, cause?: unknown): Error;
    /** Everything is in: nothing more is expected from the provider. */
    onReceived(): void;
    emit(event: JobSessionEvent): void;
  },
  announced: { bytes: number; sha256: string },
): Promise<JobSessionResult['outputs']> {
  const { outputsDir, bad } = deps;
  const outputBytes = announced.bytes;
  const archive = join(
    dirname(outputsDir),
    `.${basename(outputsDir)}.${randomBytes(4).toString('hex')}.tar.gz`,
  );
  let file: FileHandle | null = null;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for (;;) {
      // A provider with nothing to send may just close after `ended`.
      const message = outputBytes === 0 ? await deps.next(true) : await deps.next();
      if (message === null) break;
      if (message.type === 'voucher-ack') deps.onAck(message);
      else if (message.type === 'log') deps.onLog?.(message.data);
      else if (message.type === 'status') continue;
      else if (message.type === 'error') throw deps.providerError(message);
      else if (message.type === 'output') {
        const data = Buffer.from(message.data, 'base64');
        bytes += data.length;
        if (bytes > outputBytes)
          throw bad(`the provider sent more than the ${outputBytes} bytes it announced`);
        file ??= await open(archive, 'wx', 0o600);
        hash.update(data);
        await file.write(data);
      } else if (message.type === 'outputs-end') break;
      else throw deps.unexpected(message, 'after the job ended');
    }
    deps.onReceived();
    await file?.close();
    file = null;
    if (bytes !== outputBytes)
      throw bad(`the archive is ${bytes} bytes, not the ${outputBytes} bytes the provider announced`);
    if (outputBytes === 0) {
      deps.emit({ type: 'outputs', dir: null, bytes: 0, files: 0 });
      return null;
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== announced.sha256)
      throw bad(`its sha256 is ${sha256}, not the ${announced.sha256} the provider announced`);
    let unpacked;
    try {
      unpacked = await unpackBundle(archive, outputsDir, { maxBytes: deps.maxBytes });
    } catch (error) {
      throw bad(`it could not be unpacked safely (${(error as Error).message})`, error);
    }
    deps.emit({ type: 'outputs', dir: outputsDir, bytes, files: unpacked.files });
    return { dir: outputsDir, bytes, files: unpacked.files, sha256 };
  } finally {
    await file?.close().catch(() => undefined);
    await rm(archive, { force: true });
  }
}
