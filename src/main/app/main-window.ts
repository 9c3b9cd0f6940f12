import { BrowserWindow } from 'electron';

export interface WindowFiles {
  preload: string;
  rendererIndex: string;
  icon: string;
}

/** Every window we open gets no Node, a sandbox and an isolated preload world. */
export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The one window the owner sees. */
export function createMainWindow(files: WindowFiles): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 420,
    minHeight: 480,
    show: false,
    backgroundColor: '#0b0f17',
    title: 'Nocturne',
    icon: files.icon,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(files.preload),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadFile(files.rendererIndex);
  return window;
}
