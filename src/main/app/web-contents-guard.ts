import { app, session, shell, type WebContents } from 'electron';

/**
 * Applies to every web contents the app ever creates: no new windows, no navigation away from our pages,
 * no <webview>, no permission prompts. A link the policy allows (https to a network's explorer or the
 * project's site, see externalLinkAllowed) opens in the owner's browser instead.
 */
export function guardAllWebContents(
  isOwnPage: (url: string) => boolean,
  linkAllowed: (url: string) => boolean,
): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (linkAllowed(url)) setImmediate(() => void shell.openExternal(url));
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
