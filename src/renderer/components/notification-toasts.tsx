import { useEffect, useState } from 'react';
import { api } from '../api';
import type { PayloadOf } from '../../shared/contract';
import type { RunMode } from '../../shared/schemas/app-status';

type Toast = PayloadOf<'app:notification'> & { id: number };

/** A notice stays this long, unless dismissed. */
const SHOW_MS = 12_000;
const MAX_SHOWN = 3;

/**
 * The headless UI's notifications (`nocturne serve` has no desktop to notify on): the same notices the
 * desktop app shows through the OS, in a polite live region at the corner of the page.
 */
export function NotificationToasts({ mode }: { mode: RunMode | undefined }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    if (mode !== 'headless') return;
    let next = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const stop = api.onAppNotification((notice) => {
      const id = ++next;
      setToasts((list) => [...list, { ...notice, id }].slice(-MAX_SHOWN));
      const timer = setTimeout(() => {
        timers.delete(timer);
        setToasts((list) => list.filter((t) => t.id !== id));
      }, SHOW_MS);
      timers.add(timer);
    });
    return () => {
      stop();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [mode]);

  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" data-testid="toast" data-kind={t.kind}>
          <p className="toast__title">{t.title}</p>
          <p className="toast__body">{t.body}</p>
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={`Dismiss: ${t.title}`}
            onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
