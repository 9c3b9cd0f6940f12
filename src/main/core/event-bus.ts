import type { EventName, PayloadOf } from '../../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: PayloadOf<E>) => void;

/** Fans contract events out to every transport that has a UI attached (IPC windows, WebSockets). */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  return {
    emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;
