import type { BenchmarkLauncher } from '../gpu/benchmark/benchmark-service';
import { appPageUrl } from '../server/app-url';
import { createSecureWindow } from './secure-window';

/**
 * Electron runs the WebGPU benchmark in a hidden window of its own, with the same locked-down
 * preferences as the main window; it is trusted for IPC only while the run lasts.
 */
export function createBenchWindowLauncher(deps: {
  preload: string;
  trust(webContentsId: number): void;
  distrust(webContentsId: number): void;
}): BenchmarkLauncher {
  return {
    async launch(runId, options) {
      const window = createSecureWindow({ show: false }, deps.preload, { backgroundThrottling: false });
      const id = window.webContents.id;
      deps.trust(id);
      window.on('closed', () => deps.distrust(id));
      await window.loadURL(`${appPageUrl('/bench.html')}#run=${runId}${options.quick ? '&quick=1' : ''}`);
      return {
        close: () => {
          if (!window.isDestroyed()) window.destroy();
        },
      };
    },
  };
}
