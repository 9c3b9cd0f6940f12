// Builds what runs: main (Electron entry and CLI, ESM), the preload (CommonJS, as sandboxed preloads
// must be) and the renderer (Vite). Dependencies stay external and load from node_modules at run time.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import { buildContracts, ContractBuildError } from './build-contracts.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __APP_VERSION__: JSON.stringify(version) };

// Solidity first (build/contracts, skipped when nothing changed): the devnet deploys from those artifacts.
try {
  await buildContracts();
} catch (error) {
  if (!(error instanceof ContractBuildError)) throw error;
  console.error(error.message);
  process.exit(1);
}

rmSync('out', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  define,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...node,
    format: 'esm',
    entryPoints: { electron: 'src/main/app/main.ts', cli: 'src/main/cli/main.ts' },
    outdir: 'out/main',
    // What is imported on demand (each CLI command; the provider node's libp2p) is its own file, loaded
    // only when used: the resting agent stays small. Chunks sit beside the entries, so paths relative
    // to import.meta.url resolve the same from either.
    splitting: true,
    chunkNames: '[name]-[hash]',
    // Electron's and node's ESM need no shims; `import.meta.url` locates out/renderer at run time.
  }),
  build({
    ...node,
    format: 'cjs',
    entryPoints: { preload: 'src/preload/preload.ts' },
    outdir: 'out/preload',
    outExtension: { '.js': '.cjs' },
    // The sandboxed preload may require only `electron`; zod and our shared code are bundled in.
    packages: undefined,
    external: ['electron'],
  }),
  viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }),
]);
console.log(`Built Nocturne ${version} into out/`);
