import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/**
 * Every window Nocturne opens, with one set of locked-down preferences written out where the window is made
 * (docs/security.md; Electronegativity checks this literal): no Node, a sandbox, an isolated preload world,
 * no webviews, no middle-click new windows, no drag-and-drop navigation.
 */
export function createSecureWindow(
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  preload: string,
  extra: { backgroundThrottling?: boolean } = {},
): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      backgroundThrottling: extra.backgroundThrottling ?? true,
    },
  });
}
