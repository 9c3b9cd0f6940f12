import { fileURLToPath } from 'node:url';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { createChromiumLauncher, findChromium } from '../../gpu/benchmark/chromium-launcher';
import { createProcessRunner } from '../../os/process-runner';
import { startHeadlessServer } from '../../server/headless-server';
import { UsageError, type CliIo } from '../cli-io';

export const serveHelp = `nocturne serve [--port N] [--data-dir DIR]

Runs Nocturne without a desktop (for rigs and servers) and serves its UI on 127.0.0.1.
Open the printed address, token included, in a browser on this machine (or through an SSH tunnel).
  --port N        port to listen on (default 7420; 0 picks a free one)
  --data-dir DIR  data directory (default: NOCTURNE_HOME, else the OS's app-data folder)

A rig that must earn after a reboot with nobody at it can unlock the wallet at start from the
NOCTURNE_PASSWORD environment variable (a wrong one is reported and the wallet stays locked).`;

function parsePort(text: string | undefined): number {
  if (text === undefined) return 7420;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${text}".`);
  return port;
}

/** NOCTURNE_DEVNET_PORT overrides the devnet port setting (tests run many servers side by side). */
export function devnetPortFromEnv(env: NodeJS.ProcessEnv): { devnetPort?: number } {
  const text = env.NOCTURNE_DEVNET_PORT;
  if (text === undefined || text === '') return {};
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new UsageError(`NOCTURNE_DEVNET_PORT must be a port number (0: any free one), not "${text}".`);
  return { devnetPort: Number(text) };
}

/** Unlocks the wallet with NOCTURNE_PASSWORD, when both exist; a failure is said and changes nothing. */
async function unlockFromEnv(core: ReturnType<typeof createCore>, io: CliIo): Promise<void> {
  const password = io.env.NOCTURNE_PASSWORD;
  if (!password || !core.vault.status().exists) return;
  try {
    const status = await core.vault.unlock(password);
    io.out(`Wallet ${status.address ?? ''} unlocked from NOCTURNE_PASSWORD.\n`);
  } catch (error) {
    io.err(`The wallet stays locked: NOCTURNE_PASSWORD did not open it (${(error as Error).message}).\n`);
  }
}

/** Resolves when the server has stopped (SIGINT/SIGTERM), so the process can exit cleanly. */
export async function serveCommand(
  values: { port?: string; 'data-dir'?: string },
  io: CliIo,
): Promise<number> {
  const port = parsePort(values.port);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({
    dataDir,
    mode: 'headless',
    monitorGpus: true,
    quickBenchmark: io.env.NOCTURNE_BENCH_QUICK === '1',
    ...devnetPortFromEnv(io.env),
    ...(io.env.NOCTURNE_P2P_LOOPBACK === '1' ? { p2p: { host: '127.0.0.1', nat: false } } : {}),
  });
  let server;
  try {
    server = await startHeadlessServer({
      router: core.router,
      events: core.events,
      logger: core.logger,
      rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
      port,
    });
  } catch (error) {
    core.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(
        `Port ${port} is already in use. Choose another with --port, or --port 0 for any free one.`,
      );
    }
    throw error;
  }
  const started = server;
  const runner = createProcessRunner(io.env);
  const chromium = findChromium(runner, io.env);
  if (chromium)
    core.benchmark.setLauncher(createChromiumLauncher({ runner, chromium, serverUrl: () => started.url }));
  await unlockFromEnv(core, io);
  core.logger.info(`Serving on 127.0.0.1:${server.port}${chromium ? `; benchmarks run in ${chromium}` : ''}`);
  io.out(
    `Nocturne is running headless. Open this address in a browser on this machine:\n\n  ${server.url}\n\n`,
  );
  io.out(`Data directory: ${dataDir}\nPress Ctrl+C to stop.\n`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await core.shutdown();
  io.out('Nocturne stopped.\n');
  return 0;
}
