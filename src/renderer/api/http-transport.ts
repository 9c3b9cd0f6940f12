import type { Transport, Unsubscribe } from '../../shared/api';
import type { Channel, EventName } from '../../shared/contract';
import type { Envelope } from '../../shared/envelope';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * Talks to `nocturne serve`: calls are POST /api/<channel>, events come over one WebSocket at /events.
 * The access token travels in the cookie the server set when the owner opened the printed URL.
 */
export function createHttpTransport(base: Location = window.location) {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let retryMs = 500;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of stateListeners) l(next);
  };

  const connect = () => {
    const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${base.host}/events`);
    socket.onopen = () => {
      retryMs = 500;
      setState('open');
    };
    socket.onmessage = (message) => {
      let parsed: { event?: string; payload?: unknown };
      try {
        parsed = JSON.parse(String(message.data)) as typeof parsed;
      } catch {
        return;
      }
      const set = listeners.get(parsed.event as EventName);
      if (set) for (const l of set) l(parsed.payload);
    };
    socket.onclose = () => {
      setState('closed');
      // Back off up to 10 s so a stopped server is not hammered, but a restarted one is found quickly.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

  const transport: Transport = {
    async invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>> {
      let response: Response;
      try {
        response = await fetch(`/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(request ?? {}),
        });
      } catch {
        return {
          ok: false,
          error: { code: 'failed', message: 'Nocturne is not reachable. Is `nocturne serve` still running?' },
        };
      }
      try {
        return (await response.json()) as Envelope<unknown>;
      } catch {
        return {
          ok: false,
          error: { code: 'internal', message: `Nocturne answered ${response.status} without a body.` },
        };
      }
    },
    subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };

  return {
    transport,
    connection: {
      get: () => state,
      subscribe(listener: (state: ConnectionState) => void): Unsubscribe {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
  };
}
