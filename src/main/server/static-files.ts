import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Maps a URL path into `root`, or null when it would leave it (`..`, encoded slashes, NUL). */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  if (relative.split(/[/\\]/).includes('..')) return null;
  const full = join(root, relative);
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/**
 * Serves the built renderer. Unknown paths without an extension get index.html (the UI routes by
 * hash, but a reload on any path should still land in the app).
 */
export function serveStatic(root: string, urlPath: string, response: ServerResponse): void {
  const target = resolveStaticPath(root, urlPath === '/' ? '/index.html' : urlPath);
  if (!target) {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad path');
    return;
  }
  let file = target;
  let stats = statSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile() && extname(urlPath) === '') {
    file = join(root, 'index.html');
    stats = statSync(file, { throwIfNoEntry: false });
  }
  if (!stats?.isFile()) {
    const missingUi = file === join(root, 'index.html');
    response
      .writeHead(missingUi ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' })
      .end(
        missingUi
          ? 'The UI is not built. Run `npm run build`, then start `nocturne serve` again.'
          : 'Not found',
      );
    return;
  }
  const isHtml = extname(file) === '.html';
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': stats.size,
    // Hashed assets can be cached; the page itself must always be fresh.
    'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(file).pipe(response);
}
