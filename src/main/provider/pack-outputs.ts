import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

// The archive a rental's outputs travel in: packed once, after the job, so `ended` can announce its size
// and sha256 before a byte of it is sent.

interface OutputEntry {
  name: string;
  path: string;
  type: 'file' | 'directory';
}

/** Files and folders under `dir`, relative, parents first, by name; links and devices are skipped. */
async function listOutputs(dir: string, prefix = ''): Promise<OutputEntry[]> {
  let names: string[];
  try {
    names = (await readdir(join(dir, prefix))).sort();
  } catch {
    return [];
  }
  const entries: OutputEntry[] = [];
  for (const name of names) {
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const path = join(dir, relative);
    const info = await lstat(path);
    if (info.isDirectory()) {
      entries.push({ name: `${relative}/`, path, type: 'directory' });
      entries.push(...(await listOutputs(dir, relative)));
    } else if (info.isFile()) entries.push({ name: relative, path, type: 'file' });
  }
  return entries;
}

/**
 * A tar.gz of `dir`'s contents at `file`: its size and sha256 (lower-case hex). Nothing in `dir`: size 0,
 * empty sha256, and no file.
 */
export async function packOutputs(dir: string, file: string): Promise<{ bytes: number; sha256: string }> {
  const entries = await listOutputs(dir);
  if (entries.length === 0) return { bytes: 0, sha256: '' };
  const pack = tar.pack();
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      callback(null, chunk);
    },
  });
  const written = pipeline(
    async function* () {
      for await (const chunk of pack) yield chunk;
    },
    createGzip(),
    counter,
    createWriteStream(file, { mode: 0o600 }),
  );
  const adding = (async () => {
    for (const entry of entries) {
      const info = await lstat(entry.path);
      const mode = info.mode & 0o777;
      if (entry.type === 'directory') {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ name: entry.name, type: 'directory', mode, mtime: info.mtime }, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
        continue;
      }
      let finish!: (error?: Error | null) => void;
      const added = new Promise<void>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve());
      });
      const sink = pack.entry(
        { name: entry.name, type: 'file', size: info.size, mode, mtime: info.mtime },
        finish,
      );
      for await (const chunk of createReadStream(entry.path)) {
        if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
      }
      sink.end(undefined);
      await added;
    }
    pack.finalize();
  })();
  const destroy = (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error)));
  adding.catch(destroy);
  written.catch(destroy);
  await Promise.all([adding, written]);
  return { bytes, sha256: hash.digest('hex') };
}
