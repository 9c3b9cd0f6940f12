import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles TypeScript entry points into runnable .mjs files for tests that spawn (and SIGKILL) a child
 * process. Native modules (better-sqlite3) stay external and load from this checkout. Returns the output
 * path of each entry, by its file name without extension.
 */
export async function buildChildScripts(entries: string[], outdir: string): Promise<Record<string, string>> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  await build({
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'warning',
    plugins: [
      {
        name: 'native-sqlite',
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true }));
        },
      },
    ],
  });
  return Object.fromEntries(
    entries.map((e) => [basename(e, '.ts'), join(outdir, `${basename(e, '.ts')}.mjs`)]),
  );
}
