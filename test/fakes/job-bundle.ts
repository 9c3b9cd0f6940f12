import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** Writes a .tar.gz bundle of `files` and a job.json beside it; returns the spec's path. */
export async function writeJob(
  dir: string,
  files: Record<string, string>,
  spec: {
    command: string[];
    resources?: Partial<Record<'memoryMiB' | 'diskMiB' | 'maxSeconds' | 'cpus' | 'gpus', number>>;
    outputs?: string[];
    network?: 'none' | 'outbound';
  },
): Promise<string> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files))
    pack.entry({ name, mode: name.endsWith('.sh') ? 0o755 : 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const bundle = gzipSync(Buffer.concat(chunks));
  writeFileSync(join(dir, 'bundle.tar.gz'), bundle);
  const specPath = join(dir, 'job.json');
  writeFileSync(
    specPath,
    JSON.stringify({
      version: 1,
      name: 'test job',
      bundle: {
        path: 'bundle.tar.gz',
        sha256: createHash('sha256')
          .update(readFileSync(join(dir, 'bundle.tar.gz')))
          .digest('hex'),
      },
      command: spec.command,
      env: {},
      resources: { gpus: 0, memoryMiB: 256, cpus: 1, diskMiB: 64, maxSeconds: 60, ...spec.resources },
      network: spec.network ?? 'none',
      outputs: spec.outputs ?? [],
    }),
  );
  return specPath;
}
