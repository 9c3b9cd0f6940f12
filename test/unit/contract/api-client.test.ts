import { describe, expect, it } from 'vitest';
import { createApiClient, listenerName, methodName, type Transport } from '../../../src/shared/api';
import { channels, eventNames, type Channel, type EventName } from '../../../src/shared/contract';
import { ApiError } from '../../../src/shared/envelope';

describe('shared API client', () => {
  it('names one method per channel and one listener per event', () => {
    expect(methodName('settings:update')).toBe('settingsUpdate');
    expect(listenerName('app:statusChanged')).toBe('onAppStatusChanged');
    const api = createApiClient({
      invoke: async () => ({ ok: true, data: null }),
      subscribe: () => () => {},
    });
    expect(Object.keys(api).sort()).toEqual(
      [...channels.map(methodName), ...eventNames.map(listenerName)].sort(),
    );
  });

  it('sends each call on its own channel, unwraps data and throws ApiError with the field', async () => {
    const calls: [Channel, unknown][] = [];
    const transport: Transport = {
      invoke: async (channel, request) => {
        calls.push([channel, request]);
        if (channel === 'settings:update') {
          return {
            ok: false,
            error: { code: 'invalid_request', message: 'deviceName: must not be empty', field: 'deviceName' },
          };
        }
        return { ok: true, data: { echoed: channel } };
      },
      subscribe: () => () => {},
    };
    const api = createApiClient(transport);
    expect(await api.appStatus()).toEqual({ echoed: 'app:status' });
    const error = await api.settingsUpdate({ deviceName: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ field: 'deviceName', code: 'invalid_request' });
    expect(calls).toEqual([
      ['app:status', {}],
      ['settings:update', { deviceName: '' }],
    ]);
  });

  it('routes listeners to the transport by event name and returns its unsubscribe', () => {
    const subscribed: EventName[] = [];
    let unsubscribed = 0;
    const api = createApiClient({
      invoke: async () => ({ ok: true, data: null }),
      subscribe: (event) => {
        subscribed.push(event);
        return () => unsubscribed++;
      },
    });
    const off = api.onAppStatusChanged(() => {});
    expect(subscribed).toEqual(['app:statusChanged']);
    off();
    expect(unsubscribed).toBe(1);
  });
});
