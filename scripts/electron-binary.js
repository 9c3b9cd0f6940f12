// Finds Electron's binary without triggering its lazy download (which `require('electron')` would do).
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The executable's path when Electron's binary is present, else null. */
export function installedElectronPath() {
  const dir = packageDir();
  if (!dir) return null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const file = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(file) ? file : null;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

/** Tries Electron's own installer once, quietly; true when the binary is there afterwards. */
export function tryDownloadElectron() {
  const dir = packageDir();
  if (!dir) return false;
  spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  return installedElectronPath() !== null;
}
