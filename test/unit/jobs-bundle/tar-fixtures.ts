import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

export type TarEntry = Partial<Header> & { name: string; content?: string | Buffer };

/** Packs entries into a tar with tar-stream and gzips it: archives are built in the test, not stored. */
export async function tarGz(entries: readonly TarEntry[]): Promise<Buffer> {
  return gzipSync(await tar(entries));
}

export async function tar(entries: readonly TarEntry[]): Promise<Buffer> {
  const packer = pack();
  const collected = collect(packer);
  for (const { content, ...header } of entries) {
    const isFile = header.type === undefined || header.type === 'file' || header.type === 'contiguous-file';
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (isFile) packer.entry(header, content ?? '', done);
      else packer.entry(header, done);
    });
  }
  packer.finalize();
  return collected;
}

/** A .tar.gz holding one file of `size` zero bytes, streamed so the test never holds it in memory. */
export async function zeroFileTarGz(name: string, size: number): Promise<Buffer> {
  const packer = pack();
  const gzip = createGzip({ level: 1 });
  const collected = collect(gzip);
  const piping = (async () => {
    for await (const chunk of packer) if (!gzip.write(chunk as Uint8Array)) await once(gzip, 'drain');
    gzip.end();
  })();
  const sink = packer.entry({ name, size });
  const zeros = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= zeros.length) {
    if (!sink.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await once(sink, 'drain');
  }
  sink.end(null);
  packer.finalize();
  await piping;
  return collected;
}

/** `size` zero bytes, gzipped: no tar entries at all, just endless empty tar blocks once inflated. */
export async function gzippedZeros(size: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const collected = collect(gzip);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= zeros.length) {
    if (!gzip.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await once(gzip, 'drain');
  }
  gzip.end();
  return collected;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
