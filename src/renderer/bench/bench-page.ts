import { api } from '../api';
import { runWebGpuBenchmark } from './webgpu-benchmark';

/**
 * The page main opens in a hidden window (Electron) or headless Chromium (`serve`) to run the WebGPU
 * benchmark on this machine's GPU. It learns its run id from the URL fragment and reports everything
 * back through the API, where main checks the run id.
 */
const params = new URLSearchParams(window.location.hash.slice(1));
const runId = params.get('run') ?? '';
// Quick runs keep CI on a 2-core machine's software adapter to a few seconds.
const quick = params.get('quick') === '1';
const status = document.getElementById('status');

async function main() {
  try {
    const result = await runWebGpuBenchmark({
      gpu: navigator.gpu,
      ...(quick ? { matmulSize: 128, bandwidthMiB: 4, budgetMs: 10_000, maxTrialMs: 150 } : {}),
      onProgress: (progress) => {
        if (status) status.textContent = progress.message;
        void api.gpuBenchReport({ runId, kind: 'progress', progress }).catch(() => {});
      },
    });
    await api.gpuBenchReport({ runId, kind: 'result', result });
    if (status) status.textContent = 'Done.';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (status) status.textContent = message;
    await api.gpuBenchReport({ runId, kind: 'error', message: message.slice(0, 2000) }).catch(() => {});
  }
}

void main();
