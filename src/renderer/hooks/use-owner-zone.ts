import { useSyncExternalStore } from 'react';
import { api, connection } from '../api';

/**
 * The owner's time zone: the schedule's (the one availability, the tray and the earnings days use), so the
 * UI shows times as the owner's clock does, also when it is opened from another zone through an SSH
 * tunnel. Read once and again whenever availability changes (a new schedule or zone) or the connection
 * comes back. Undefined until the first answer: callers then use the browser's zone.
 */
let zone: string | undefined;
const listeners = new Set<() => void>();
let stop: (() => void) | null = null;

function load() {
  api.scheduleGet().then(
    (schedule) => {
      if (schedule.timezone === zone) return;
      zone = schedule.timezone;
      for (const listener of listeners) listener();
    },
    () => undefined, // the pages that need the schedule say why it could not be read
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!stop) {
    const stopAvailability = api.onAvailabilityChanged(load);
    const stopConnection = connection.subscribe((state) => {
      if (state === 'open') load();
    });
    stop = () => {
      stopAvailability();
      stopConnection();
    };
    load();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && stop) {
      stop();
      stop = null;
    }
  };
}

export function useOwnerZone(): string | undefined {
  return useSyncExternalStore(subscribe, () => zone);
}
