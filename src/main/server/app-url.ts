import { extname } from 'node:path';
import { CONTENT_TYPES, resolveStaticPath } from './static-files';

/**
 * The desktop app's own origin: its pages are served on a custom protocol instead of file://, so they get
 * no file:// privileges and the CSP's 'self' means exactly the built UI (Electron's checklist, item 18).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'nocturne';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The pages the app opens itself; nothing else may be navigated to or send IPC. */
export const APP_PAGES = ['/index.html', '/bench.html'] as const;

export const appPageUrl = (page: (typeof APP_PAGES)[number]) => `${APP_ORIGIN}${page}`;

/** True for one of our pages on our origin (any hash or query). */
export function isAppPage(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    (APP_PAGES as readonly string[]).includes(parsed.pathname)
  );
}

/**
 * The file an app:// request is served from, inside `root` (the built renderer), with its type; null for
 * another host, a path that would leave the folder, or an unknown kind of file.
 */
export function appRequestFile(root: string, url: string): { file: string; contentType: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const file = resolveStaticPath(root, parsed.pathname === '/' ? '/index.html' : parsed.pathname);
  const contentType = file ? CONTENT_TYPES[extname(file)] : undefined;
  return file && contentType ? { file, contentType } : null;
}
