import { useSyncExternalStore } from 'react';

export const ROUTE_IDS = [
  'dashboard',
  'earnings',
  'gpus',
  'schedule',
  'jobs',
  'wallet',
  'settings',
  'setup',
] as const;
export type RouteId = (typeof ROUTE_IDS)[number];

export const DEFAULT_ROUTE: RouteId = 'dashboard';

/** `#/jobs`, or `#/jobs/rentals` for a section of the page (the page scrolls to it once shown). */
export function hrefFor(id: RouteId, section?: string): string {
  return section ? `#/${id}/${section}` : `#/${id}`;
}

/** `#/jobs/rentals` -> 'rentals'; null when the hash names no section. */
export function sectionFromHash(hash: string): string | null {
  return hash.replace(/^#\/?/, '').split(/[?]/)[0]?.split('/')[1] || null;
}

/** `#/settings` -> 'settings'; anything unknown falls back to the Dashboard rather than a dead end. */
export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTE_IDS as readonly string[]).includes(id) ? (id as RouteId) : DEFAULT_ROUTE;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

/** The section named in the URL hash (`#/setup/wallet` -> 'wallet'), kept live. */
export function useHashSection(): string | null {
  return sectionFromHash(useSyncExternalStore(subscribe, currentHash));
}

/** The page named in the URL hash, so a reload (or the Electron window reopening) keeps the page. */
export function useHashRoute(): RouteId {
  return routeFromHash(useSyncExternalStore(subscribe, currentHash));
}
