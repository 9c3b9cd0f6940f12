import { listenerName, methodName, type BridgeApi, type Transport } from '../../shared/api';

type AnyBridge = Record<string, (arg: unknown) => unknown>;

/** Adapts the Electron preload's `window.nocturneBridge` (one method per channel) to a Transport. */
export function createBridgeTransport(bridge: BridgeApi): Transport {
  const methods = bridge as unknown as AnyBridge;
  return {
    invoke: (channel, request) => methods[methodName(channel)]!(request) as ReturnType<Transport['invoke']>,
    subscribe: (event, listener) => methods[listenerName(event)]!(listener) as () => void,
  };
}
