import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * Bundles the `nocturne` CLI from the sources, as scripts/build.js does (npm packages external, the app
 * version defined), so a test can spawn the product (`serve`, `devnet`, `wallet import`...) without a prior
 * `npm run build` and never against a stale out/. The bundle goes under node_modules/.cache (ignored by git,
 * lint and prettier), where its external packages and the package root (contracts) resolve as from out/.
 * Returns the path of the runnable cli.mjs; remove `dir` when done.
 */
export async function buildNocturneCli(): Promise<{ cli: string; dir: string }> {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(root, 'node_modules', '.cache', 'nocturne-tests', `cli-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const cli = join(dir, 'cli.mjs');
  await build({
    entryPoints: [join(root, 'src/main/cli/main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    define: { __APP_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
  });
  return { cli, dir };
}
