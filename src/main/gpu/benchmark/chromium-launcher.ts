import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner } from '../../os/process-runner';
import type { BenchmarkLauncher } from './benchmark-service';

const CANDIDATES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
];

/** CHROMIUM_PATH, else the first Chromium-family browser on PATH. */
export function findChromium(runner: ProcessRunner, env: NodeJS.ProcessEnv): string | null {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  for (const name of CANDIDATES) {
    const found = runner.which(name);
    if (found) return found;
  }
  return null;
}

/** The page URL for a run: the token is traded for a cookie; the run id travels in the fragment. */
export function benchmarkPageUrl(serverUrlWithToken: string, runId: string, quick: boolean): string {
  const url = new URL(serverUrlWithToken);
  url.pathname = '/bench.html';
  url.hash = `run=${runId}${quick ? '&quick=1' : ''}`;
  return url.toString();
}

/**
 * `serve` mode: headless Chromium on this machine, so the benchmark measures this machine's GPU even
 * when the owner's browser is elsewhere (an SSH tunnel). WebGPU is behind --enable-unsafe-webgpu on
 * Linux; without a usable GPU driver Chromium falls back to SwiftShader, which the result reports.
 */
export function createChromiumLauncher(deps: {
  runner: ProcessRunner;
  chromium: string;
  serverUrl: () => string;
  isRoot?: boolean;
}): BenchmarkLauncher {
  return {
    async launch(runId, options) {
      const profile = mkdtempSync(join(tmpdir(), 'nocturne-bench-'));
      const args = [
        '--headless',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        '--ignore-gpu-blocklist',
        // Chromium refuses to run as root with its sandbox; the page is our own, served on loopback.
        ...((deps.isRoot ?? process.getuid?.() === 0) ? ['--no-sandbox'] : []),
        benchmarkPageUrl(deps.serverUrl(), runId, options.quick),
      ];
      const child = deps.runner.stream(deps.chromium, args);
      let closed = false;
      child.onExit(() => {
        if (!closed) rmSync(profile, { recursive: true, force: true });
      });
      return {
        close() {
          if (closed) return;
          closed = true;
          child.kill();
          // Chromium may still hold files for a moment; a leftover temp profile is harmless.
          setTimeout(() => rmSync(profile, { recursive: true, force: true }), 2_000).unref();
        },
      };
    },
  };
}
