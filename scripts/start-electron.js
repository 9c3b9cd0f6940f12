// `npm start`: the desktop app where Electron's binary is installed; otherwise one line pointing to serve.
import { spawn } from 'node:child_process';
import { installedElectronPath, tryDownloadElectron } from './electron-binary.js';

const electron = installedElectronPath() ?? (tryDownloadElectron() ? installedElectronPath() : null);
if (!electron) {
  console.log(
    'Electron is not installed on this machine (its binary could not be downloaded); run `npm run serve` for the headless UI instead.',
  );
  process.exit(1);
}
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
