// Runs a TypeScript entry (a benchmark) under the project's Node: bundles it with esbuild, npm
// packages left external, into out/run/, then imports it. `node scripts/run-ts.js bench/x.ts [args]`.
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.js FILE.ts [args]');
  process.exit(2);
}
mkdirSync('out/run', { recursive: true });
const outfile = resolve('out/run', `${basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  define: { __APP_VERSION__: '"bench"' },
  logLevel: 'warning',
});
process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
