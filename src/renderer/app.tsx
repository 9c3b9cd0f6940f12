import { useEffect, useRef } from 'react';
import { ConnectionBanner } from './components/connection-banner';
import { Sidebar } from './components/sidebar';
import { NAV_ITEMS, PAGES } from './routes';
import { useHashRoute } from './router/hash-route';
import { useFirstRun } from './hooks/use-first-run';
import { NotificationToasts } from './components/notification-toasts';
import { useApiData } from './hooks/use-api-data';
import { api } from './api';

const loadStatus = () => api.appStatus();

export function App() {
  const route = useHashRoute();
  const Page = PAGES[route];
  const mainRef = useRef<HTMLElement>(null);
  const shownRoute = useRef(route);
  useFirstRun();
  const status = useApiData(loadStatus);

  useEffect(() => {
    const label =
      NAV_ITEMS.find((item) => item.id === route)?.label ?? (route === 'setup' ? 'Setup' : undefined);
    document.title = label ? `${label} · Nocturne` : 'Nocturne';
    // After a navigation (not the first paint), move focus to the new page's heading so keyboard and
    // screen-reader users land on the content instead of staying on the nav link.
    if (shownRoute.current === route) return;
    shownRoute.current = route;
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route]);

  return (
    <div className="shell">
      <Sidebar items={NAV_ITEMS} current={route} />
      <main className="main" ref={mainRef}>
        <ConnectionBanner />
        <div className="page">
          <Page key={route} />
        </div>
        <NotificationToasts mode={status.data?.mode} />
      </main>
    </div>
  );
}
