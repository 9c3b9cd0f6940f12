import type { BrowserWindow } from 'electron';
import { appPageUrl } from '../server/app-url';
import { createSecureWindow } from './secure-window';

export interface WindowFiles {
  preload: string;
  icon: string;
}

/** The one window the owner sees, on the app's own origin (app://nocturne), never file://. */
export function createMainWindow(files: WindowFiles): BrowserWindow {
  const window = createSecureWindow(
    {
      width: 1180,
      height: 780,
      minWidth: 420,
      minHeight: 480,
      show: false,
      backgroundColor: '#0b0f17',
      title: 'Nocturne',
      icon: files.icon,
      autoHideMenuBar: true,
    },
    files.preload,
  );
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appPageUrl('/index.html'));
  return window;
}
