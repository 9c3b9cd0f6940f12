import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, appRequestFile } from '../server/app-url';
import { CONTENT_SECURITY_POLICY } from '../server/security-headers';

/** Must run before the app is ready: app:// is a standard, secure origin with fetch, like https. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer on app://nocturne, with the same CSP the headless server sends. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = appRequestFile(rendererDir, request.url);
    if (!target) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(target.file), {
        headers: {
          'content-type': target.contentType,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
