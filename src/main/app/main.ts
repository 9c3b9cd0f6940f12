import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, Notification } from 'electron';
import { createCore, type Core } from '../core/create-core';
import { createSafeStorageSecretStore } from './safe-storage-secret-store';
import { dataPaths, resolveDataDir } from '../data-dir/resolve-data-dir';
import { forwardEvents, registerIpc, type IpcEventLike } from '../ipc/ipc-bridge';
import { createBenchWindowLauncher } from './bench-window';
import { applyStartOnLogin, HIDDEN_FLAG } from './login-item';
import { startPowerSignals } from './power-signals';
import { createMainWindow } from './main-window';
import { createTray } from './tray-menu';
import { startUpdater } from './updater';
import { createCoreTrayFeed } from '../tray/core-tray-feed';
import { guardAllWebContents } from './web-contents-guard';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { isAppPage } from '../server/app-url';
import { externalLinkAllowed } from '../networks/external-links';

/**
 * The desktop shell: single instance, tray, one secure window, IPC. Everything the product does lives
 * in the core; this file only connects it to Electron.
 */
const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { 'data-dir': { type: 'string' }, hidden: { type: 'boolean' } },
  strict: false,
});
const dataDir = resolveDataDir({
  flag: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
  env: process.env,
  platform: process.platform,
});
// Chromium's profile (cache, local storage) lives inside our data directory, so one --data-dir is one app.
app.setPath('userData', dataPaths(dataDir).electronProfile);

const appRoot = app.getAppPath();
const files = {
  preload: join(appRoot, 'out', 'preload', 'preload.cjs'),
  rendererDir: join(appRoot, 'out', 'renderer'),
  icon: join(appRoot, 'resources', 'icon.png'),
  trayIcons: join(appRoot, 'resources', 'tray'),
};
// Our pages live on app://nocturne (never file://): the only pages that may be navigated to or send IPC.
const isOwnPage = isAppPage;
registerAppScheme();
/** Hidden benchmark windows, trusted for IPC while they run. */
const benchWindows = new Set<number>();

let core: Core | undefined;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(files);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function isTrustedSender(event: IpcEventLike, channel: string): boolean {
  const fromMain =
    mainWindow !== null && !mainWindow.isDestroyed() && event.sender.id === mainWindow.webContents.id;
  // The hidden benchmark window runs GPU code and needs no wallet: it may only report its result.
  const fromBench = benchWindows.has(event.sender.id) && channel === 'gpu:benchReport';
  return (fromMain || fromBench) && event.senderFrame !== null && isOwnPage(event.senderFrame.url);
}

async function start(): Promise<void> {
  serveAppProtocol(files.rendererDir);
  try {
    core = createCore({
      dataDir,
      mode: 'electron',
      monitorGpus: true,
      // powerMonitor knows mains/battery on Windows and macOS; on Linux the poller reads sysfs.
      batteryFromPowerMonitor: process.platform === 'win32' || process.platform === 'darwin',
      secretStore: createSafeStorageSecretStore(),
      // The OS's own notifications; the window need not be open.
      notify: (notice) => {
        if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
      },
    });
  } catch (error) {
    dialog.showErrorBox('Nocturne cannot start', (error as Error).message);
    app.exit(1);
    return;
  }
  const started = core;
  registerIpc({ ipcMain, router: started.router, isTrustedSender, logger: started.logger });
  started.benchmark.setLauncher(
    createBenchWindowLauncher({
      preload: files.preload,
      trust: (id) => benchWindows.add(id),
      distrust: (id) => benchWindows.delete(id),
    }),
  );
  forwardEvents(started.events, () =>
    mainWindow && !mainWindow.isDestroyed() ? [mainWindow.webContents] : [],
  );

  const updater = startUpdater({
    feedUrl: () => started.settings.get().updateFeedUrl,
    logger: started.logger,
    onReady: (version) => {
      tray.updateReady();
      started.notifier?.updateReady(version);
    },
  });
  const tray = createTray(files.trayIcons, {
    open: showWindow,
    pause: (duration) => void started.router.call('app:pause', { for: duration }),
    resume: () => void started.router.call('app:resume', {}),
    installUpdate: () => {
      quitting = true;
      updater.install();
    },
    quit: () => {
      quitting = true;
      app.quit();
    },
  });
  const trayFeed = createCoreTrayFeed(started, tray.render);
  let feedUrl = started.settings.get().updateFeedUrl;
  started.events.subscribe((event) => {
    if (event !== 'settings:changed') return;
    applyStartOnLogin(started.settings.get().startOnLogin);
    if (started.settings.get().updateFeedUrl !== feedUrl) {
      feedUrl = started.settings.get().updateFeedUrl;
      updater.feedChanged();
    }
  });
  app.on('will-quit', () => {
    trayFeed.stop();
    updater.stop();
  });
  applyStartOnLogin(started.settings.get().startOnLogin);
  const stopPower = startPowerSignals(
    (patch) => started.availability.updateSignals(patch),
    () => started.availability.reevaluate(),
  );
  app.on('will-quit', stopPower);

  if (!values.hidden && !process.argv.includes(HIDDEN_FLAG)) showWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  guardAllWebContents(isOwnPage, (url) => externalLinkAllowed(url, core?.networks.list() ?? []));
  app.on('window-all-closed', () => {
    // Closing the window destroys its renderer (memory back to the owner's games); the tray stays.
    if (quitting || core?.settings.get().closeToTray === false) app.quit();
  });
  app.on('activate', () => showWindow());
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', () => core?.close()); // the devnet's server closes with it; its journal is fsynced per entry
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Nocturne cannot start', String(error));
    app.exit(1);
  });
}
