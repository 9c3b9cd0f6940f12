import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { Logger } from '../core/logger';

/** How often the feed is asked, once at start (after a minute) and then on this period. */
const CHECK_EVERY_MS = 6 * 3_600_000;
const FIRST_CHECK_MS = 60_000;

/**
 * electron-updater on the owner's feed (setting `updateFeedUrl`, a "generic" feed: latest.yml and the
 * installers, as `npm run dist` writes them). Nothing is asked while the setting is empty, and a
 * development build (not packaged) never updates itself. An update downloads in the background and
 * installs when the owner restarts from the tray, or at the next quit.
 */
export function startUpdater(deps: {
  feedUrl: () => string | null;
  logger: Logger;
  onReady: (version: string) => void;
}) {
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = null;
  let feed: string | null = null;

  autoUpdater.on('update-downloaded', (info: { version: string }) => deps.onReady(info.version));
  autoUpdater.on('error', (error: Error) => deps.logger.warn(`Update check failed: ${error.message}`));

  const check = () => {
    const url = deps.feedUrl();
    if (!url || !app.isPackaged) return;
    if (url !== feed) {
      autoUpdater.setFeedURL({ provider: 'generic', url });
      feed = url;
    }
    autoUpdater
      .checkForUpdates()
      .catch((error: unknown) => deps.logger.warn(`Update check failed: ${String(error)}`));
  };
  const first = setTimeout(check, FIRST_CHECK_MS);
  const every = setInterval(check, CHECK_EVERY_MS);
  return {
    /** The setting changed: ask the new feed now. */
    feedChanged: check,
    install: () => autoUpdater.quitAndInstall(),
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
