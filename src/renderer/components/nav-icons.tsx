import type { ReactNode } from 'react';
import type { RouteId } from '../router/hash-route';

// Hand-drawn 24x24 line icons: the app runs offline and ships no icon font.
const paths: Record<RouteId, ReactNode> = {
  dashboard: (
    <>
      <rect x="3.5" y="3.5" width="7" height="9" rx="1.5" />
      <rect x="13.5" y="3.5" width="7" height="5" rx="1.5" />
      <rect x="13.5" y="11.5" width="7" height="9" rx="1.5" />
      <rect x="3.5" y="15.5" width="7" height="5" rx="1.5" />
    </>
  ),
  earnings: (
    <>
      <path d="M3.5 20.5h17" />
      <path d="M6 20.5v-6M10.5 20.5v-9M15 20.5v-5M19.5 20.5v-12" />
      <path d="M4.5 10.5l5-5 4 3 6-5" />
    </>
  ),
  gpus: (
    <>
      <rect x="2.5" y="6.5" width="19" height="11" rx="1.5" />
      <circle cx="9" cy="12" r="3" />
      <circle cx="16" cy="12" r="1.5" />
      <path d="M6 17.5v3M10 17.5v3M14 17.5v3M18 17.5v3" />
    </>
  ),
  schedule: (
    <>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4" />
      <path d="M8 14h3M13 14h3M8 17h3" />
    </>
  ),
  jobs: (
    <>
      <rect x="3" y="4.5" width="18" height="15" rx="2" />
      <path d="M7 10l3 2.5L7 15M12.5 15H17" />
    </>
  ),
  wallet: (
    <>
      <path d="M4 7.5A2.5 2.5 0 0 1 6.5 5H18v3" />
      <rect x="4" y="8" width="16.5" height="11.5" rx="2" />
      <path d="M20.5 12H16a1.75 1.75 0 0 0 0 3.5h4.5" />
    </>
  ),
  setup: (
    <>
      <path d="M9 6.5h11M9 12h11M9 17.5h11" />
      <path d="M3.5 6.5l1.5 1.5 2.5-3M3.5 12l1.5 1.5 2.5-3" />
      <circle cx="5" cy="17.5" r="1.5" />
    </>
  ),
  settings: (
    <>
      <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
      <circle cx="15" cy="7" r="2" />
      <circle cx="9" cy="17" r="2" />
    </>
  ),
};

export function NavIcon({ route }: { route: RouteId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      {paths[route]}
    </svg>
  );
}
