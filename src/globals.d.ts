/** Injected at build time from package.json (esbuild, Vite and Vitest define it). */
declare const __APP_VERSION__: string;
