import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  root: 'src/renderer',
  // Relative asset URLs so the same build loads from file:// in Electron and from / in `nocturne serve`.
  base: './',
  plugins: [react()],
  define: { __APP_VERSION__: JSON.stringify(version) },
  build: {
    outDir: '../../out/renderer',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP forbids them.
    assetsInlineLimit: 0,
    rollupOptions: {
      // The app, and the page main opens to run the WebGPU benchmark.
      input: {
        main: fileURLToPath(new URL('./src/renderer/index.html', import.meta.url)),
        bench: fileURLToPath(new URL('./src/renderer/bench.html', import.meta.url)),
      },
    },
  },
});
