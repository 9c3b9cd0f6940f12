import { channels, eventNames, type Channel, type EventName } from './channel-names';
import type { PayloadOf, RequestOf, ResponseOf } from './contract';
import { unwrap, type Envelope } from './envelope';

/** `settings:update` -> `settingsUpdate`: the method that serves a channel, in the preload and the client. */
type MethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;
/** `app:statusChanged` -> `onAppStatusChanged`. */
type ListenerName<E extends string> = `on${Capitalize<MethodName<E>>}`;

export function methodName<C extends string>(channel: C): MethodName<C> {
  const [domain, verb] = channel.split(':') as [string, string];
  return `${domain}${verb.charAt(0).toUpperCase()}${verb.slice(1)}` as MethodName<C>;
}

export function listenerName<E extends string>(event: E): ListenerName<E> {
  const m = methodName(event);
  return `on${m.charAt(0).toUpperCase()}${m.slice(1)}` as ListenerName<E>;
}

export type Unsubscribe = () => void;

/**
 * What the Electron preload exposes on `window.nocturneBridge`: one method per contract entry and one
 * listener per event. Calls resolve to envelopes; the shared client below unwraps them.
 */
export type BridgeApi = {
  [C in Channel as MethodName<C>]: (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;
} & {
  [E in EventName as ListenerName<E>]: (listener: (payload: PayloadOf<E>) => void) => Unsubscribe;
};

/** The typed API the renderer and the CLI use; transports differ, this does not. */
export type NocturneApi = {
  [C in Channel as MethodName<C>]: (request?: RequestOf<C>) => Promise<ResponseOf<C>>;
} & {
  [E in EventName as ListenerName<E>]: (listener: (payload: PayloadOf<E>) => void) => Unsubscribe;
};

/** The two things a transport must do; Electron IPC and HTTP/WebSocket each implement them. */
export interface Transport {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}

export function createApiClient(transport: Transport): NocturneApi {
  const api: Record<string, unknown> = {};
  for (const channel of channels) {
    api[methodName(channel)] = async (request: unknown = {}) =>
      unwrap(await transport.invoke(channel, request));
  }
  for (const event of eventNames) {
    api[listenerName(event)] = (listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  }
  return api as NocturneApi;
}
