import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Cookies are shared across ports on one host, so the name carries the port: two servers never clash. */
export function cookieName(port: number): string {
  return `nocturne_token_${port}`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    cookies.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
  }
  return cookies;
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Where a request may carry the token: the cookie (browsers), a Bearer header (scripts), or ?token= (the printed URL). */
export function presentedToken(request: IncomingMessage, url: URL, port: number) {
  const auth = request.headers.authorization;
  return {
    cookie: parseCookies(request.headers.cookie).get(cookieName(port)) ?? null,
    bearer: auth?.startsWith('Bearer ') ? auth.slice(7) : null,
    query: url.searchParams.get('token'),
  };
}
