import { BrowserWindow } from 'electron';
import type { BenchmarkLauncher } from '../gpu/benchmark/benchmark-service';
import { secureWebPreferences } from './main-window';

/**
 * Electron runs the WebGPU benchmark in a hidden window of its own, with the same locked-down
 * preferences as the main window; it is trusted for IPC only while the run lasts.
 */
export function createBenchWindowLauncher(deps: {
  preload: string;
  benchHtml: string;
  trust(webContentsId: number): void;
  distrust(webContentsId: number): void;
}): BenchmarkLauncher {
  return {
    async launch(runId, options) {
      const window = new BrowserWindow({
        show: false,
        webPreferences: { ...secureWebPreferences(deps.preload), backgroundThrottling: false },
      });
      const id = window.webContents.id;
      deps.trust(id);
      window.on('closed', () => deps.distrust(id));
      await window.loadFile(deps.benchHtml, { hash: `run=${runId}${options.quick ? '&quick=1' : ''}` });
      return {
        close: () => {
          if (!window.isDestroyed()) window.destroy();
        },
      };
    },
  };
}
