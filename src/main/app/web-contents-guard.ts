import { app, session, shell, type WebContents } from 'electron';

const EXTERNAL_ALLOWED = [/^https:\/\/github\.com\//];

/**
 * Applies to every web contents the app ever creates: no new windows, no navigation away from our page,
 * no <webview>, no permission prompts. A link to an allow-listed site opens in the owner's browser.
 */
export function guardAllWebContents(isOwnPage: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (EXTERNAL_ALLOWED.some((pattern) => pattern.test(url))) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
