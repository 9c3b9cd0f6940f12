import { createApiClient, type BridgeApi, type Unsubscribe } from '../../shared/api';
import { createBridgeTransport } from './bridge-transport';
import { createHttpTransport, type ConnectionState } from './http-transport';

declare global {
  interface Window {
    nocturneBridge?: BridgeApi;
  }
}

/**
 * The single place that knows whether the UI runs in Electron or in a browser against `nocturne serve`.
 * Everything else imports `api` and cannot tell the difference.
 */
function pickTransport() {
  if (window.nocturneBridge) {
    return {
      transport: createBridgeTransport(window.nocturneBridge),
      connection: { get: (): ConnectionState => 'open', subscribe: (): Unsubscribe => () => {} },
    };
  }
  return createHttpTransport();
}

const picked = pickTransport();
export const api = createApiClient(picked.transport);
export const connection = picked.connection;
export type { ConnectionState };
