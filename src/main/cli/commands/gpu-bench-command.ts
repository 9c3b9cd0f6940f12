import { fileURLToPath } from 'node:url';
import type { BenchmarkFinishedEvent } from '../../../shared/schemas/benchmark';
import { unwrap } from '../../../shared/envelope';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { createChromiumLauncher, findChromium } from '../../gpu/benchmark/chromium-launcher';
import { createProcessRunner } from '../../os/process-runner';
import { startHeadlessServer } from '../../server/headless-server';
import { printData, type CliIo } from '../cli-io';

function describe(event: BenchmarkFinishedEvent): string {
  const r = event.record!.result;
  const adapter = r.adapter.isFallbackAdapter
    ? 'a software adapter (not a GPU: these figures say nothing about a card)'
    : [r.adapter.vendor, r.adapter.architecture, r.adapter.description].filter(Boolean).join(' ') ||
      'the default adapter';
  return [
    `Benchmark of ${event.record!.gpuName} on ${adapter}`,
    `  FP32 matmul ${r.matmul.size}x${r.matmul.size}: ${r.matmul.gflops.toFixed(1)} GFLOP/s (median of ${r.matmul.trialsGflops.length})`,
    `  memory copy ${(r.bandwidth.bytes / 1048576).toFixed(0)} MiB: ${r.bandwidth.gbPerSecond.toFixed(1)} GB/s (median of ${r.bandwidth.trialsGbPerSecond.length})`,
    `  checked against a CPU reference: max relative error ${r.validation.maxRelError.toExponential(1)}`,
    `  took ${(r.durationMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

/**
 * `nocturne gpu bench`: the same path as the UI's button in `serve` mode (core, loopback server,
 * headless Chromium running the WebGPU page), then prints the stored result.
 */
export async function gpuBenchCommand(
  values: { json?: boolean; 'data-dir'?: string },
  io: CliIo,
): Promise<number> {
  const runner = createProcessRunner(io.env);
  const chromium = findChromium(runner, io.env);
  if (!chromium) {
    io.err(
      'nocturne: the benchmark needs Chromium or Chrome: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.\n',
    );
    return 1;
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({ dataDir, mode: 'headless', quickBenchmark: io.env.NOCTURNE_BENCH_QUICK === '1' });
  const server = await startHeadlessServer({
    router: core.router,
    events: core.events,
    logger: core.logger,
    rendererDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    port: 0,
  });
  try {
    core.benchmark.setLauncher(createChromiumLauncher({ runner, chromium, serverUrl: () => server.url }));
    const finished = new Promise<BenchmarkFinishedEvent>((resolve) => {
      core.events.subscribe((event, payload) => {
        if (event === 'gpu:benchFinished') resolve(payload as BenchmarkFinishedEvent);
        if (event === 'gpu:benchProgress' && !values.json) {
          io.err(`  ${(payload as { progress: { message: string } }).progress.message}\n`);
        }
      });
    });
    unwrap(await core.router.call('gpu:benchmark', {}));
    const result = await finished;
    if (!result.record) {
      io.err(`nocturne: ${result.error ?? 'the benchmark failed'}\n`);
      return 1;
    }
    printData(io, values.json === true, result.record, () => describe(result));
    return 0;
  } finally {
    await server.close();
    core.close();
  }
}
