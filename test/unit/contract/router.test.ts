import { describe, expect, it } from 'vitest';
import { channels, contract, eventNames, events } from '../../../src/shared/contract';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { createRouter, UserFacingError, type Handlers } from '../../../src/main/core/router';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { sampleRequests } from '../../fakes/sample-requests';

const status = {
  version: '0.0.0',
  mode: 'headless' as const,
  state: 'active' as const,
  sentence: 'Running.',
  startedAt: '2026-01-01T00:00:00.000Z',
  pausedAt: null,
  pausedUntil: null,
  available: true,
  dataDir: '/tmp/x',
  schemaVersion: 1,
};

const walletStatus = {
  exists: false,
  address: null,
  locked: true,
  kind: null,
  backupConfirmed: false,
  autoLockMinutes: 15,
  autoLockPaused: false,
  remember: { available: false, reason: 'Needs the desktop app.', enabled: false },
};

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app:status': () => status,
    'app:pause': () => ({ ...status, state: 'paused', pausedAt: status.startedAt }),
    'app:resume': () => status,
    'settings:get': () => DEFAULT_SETTINGS,
    'settings:update': (patch) => ({ ...DEFAULT_SETTINGS, ...patch }),
    'gpu:list': () => ({ probes: [], errors: [], gpus: [] }),
    'gpu:history': () => ({ tier: 'raw', points: [] }),
    'gpu:setLimits': () => {
      throw new UserFacingError('No such GPU', 'gpuId');
    },
    'gpu:benchmark': () => ({ runId: 'r1' }),
    'gpu:benchReport': () => ({}),
    'schedule:get': () => ({ timezone: 'UTC', slots: '0'.repeat(672), windows: [] }),
    'schedule:set': ({ timezone, slots }) => ({ timezone, slots, windows: [] }),
    'availability:get': () => ({
      available: false,
      reasons: ['Outside your schedule'],
      nextChange: null,
      sentence: 'Not for rent: outside your schedule.',
      mode: 'schedule',
      idleMinutes: 10,
      pause: null,
    }),
    'job:list': () => ({ jobs: [], sandbox: { available: false, description: 'none' } }),
    'job:logs': () => ({ text: '' }),
    'job:cancel': () => {
      throw new UserFacingError('No such job', 'id');
    },
    'job:pause': () => {
      throw new UserFacingError('No such job', 'id');
    },
    'job:resume': () => {
      throw new UserFacingError('No such job', 'id');
    },
    'job:selfTest': () => ({ id: 'job-20260105-0123abcd' }),
    'job:selfTestReport': () => ({
      state: 'running',
      checks: [],
      notes: [],
      sentence: 'The self-test is running…',
    }),
    'wallet:status': () => walletStatus,
    'wallet:create': () => ({ status: walletStatus, backupId: '0123456789abcdef0123456789abcdef' }),
    'wallet:backupWords': () => ({ words: [], ask: [1, 2, 3] }),
    'wallet:confirmBackup': () => walletStatus,
    'wallet:beginBackup': () => {
      throw new UserFacingError('Wrong password.', 'password');
    },
    'wallet:import': () => walletStatus,
    'wallet:unlock': () => {
      throw new UserFacingError('Wrong password.', 'password');
    },
    'wallet:lock': () => walletStatus,
    'wallet:changePassword': () => walletStatus,
    'wallet:export': () => {
      throw new UserFacingError('Wrong password.', 'password');
    },
    'wallet:balances': () => {
      throw new UserFacingError('There is no wallet yet: create or import one.');
    },
    'wallet:estimateSend': () => {
      throw new UserFacingError('The wallet is locked. Unlock it first.');
    },
    'wallet:send': () => {
      throw new UserFacingError('The wallet is locked. Unlock it first.');
    },
    'wallet:transactions': () => ({ transactions: [] }),
    'wallet:faucet': () => {
      throw new UserFacingError('Test funds exist only on the local devnet.', 'networkId');
    },
    'earnings:overview': () => ({
      currency: 'USD',
      timezone: 'UTC',
      periods: [],
      days: [],
      pending: [],
      rentals: { active: 0, total: 0 },
      rates: [],
      alerts: [],
      notes: [],
    }),
    'earnings:exportCsv': () => ({ filename: 'nocturne-earnings.csv', csv: 'rental_id\r\n', rows: 0 }),
    'market:status': () => ({ state: 'offline', peerId: null, addresses: [], reason: 'You are not online.' }),
    'market:offer': () => ({
      network: 'devnet',
      state: 'not-published',
      reason: 'Renting is off.',
      txHash: null,
      offer: null,
      updatedAt: '2026-01-05T10:00:00.000Z',
    }),
    'market:rentals': () => ({ rentals: [] }),
    'market:suggestPrice': () => ({
      price: '0.48',
      units: '480000',
      symbol: 'tUSD',
      network: 'Local devnet',
      basis: 'asked',
      reasons: [
        'Similar cards (within 20 % of your 20,000 GFLOP/s) ask 0.40–0.55 tUSD/h; the median is 0.48 tUSD/h.',
      ],
    }),
    'network:list': () => ({ networks: [] }),
    'network:add': () => {
      throw new UserFacingError('Could not reach https://rpc.sepolia.org.', 'rpcUrls.0');
    },
    'network:remove': () => ({ networks: [] }),
    'network:select': () => {
      throw new UserFacingError('There is no network "devnet".', 'id');
    },
    'network:check': () => ({
      ok: false,
      rpcUrl: 'http://127.0.0.1:1',
      chainId: null,
      blockNumber: null,
      latencyMs: null,
      error: 'Could not reach it.',
    }),
    ...overrides,
  };
}

describe('router: every payload is validated before a handler sees it', () => {
  it.each(channels)('%s refuses an unknown field added to a valid request, and names it', async (channel) => {
    const router = createRouter(handlers(), createMemoryLogger());
    const result = await router.call(channel, { ...sampleRequests[channel], bogusField: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'bogusField' } });
    if (!result.ok) expect(result.error.message).toContain(`Invalid request to ${channel}: bogusField`);
  });

  it.each(channels)('%s accepts its sample request', async (channel) => {
    const router = createRouter(handlers(), createMemoryLogger());
    const result = await router.call(channel, sampleRequests[channel]);
    if (!result.ok) expect(result.error.code).not.toBe('invalid_request');
  });

  it('names a missing required field', async () => {
    const router = createRouter(handlers(), createMemoryLogger());
    expect(await router.call('gpu:history', { range: 'hour' })).toMatchObject({
      ok: false,
      error: { field: 'gpuId' },
    });
    expect(
      await router.call('gpu:setLimits', { gpuId: 'x', limits: { temperatureLimitC: 200 } }),
    ).toMatchObject({
      ok: false,
      error: { field: 'limits.temperatureLimitC' },
    });
  });

  it.each(channels)('%s refuses a payload that is not an object', async (channel) => {
    const router = createRouter(handlers(), createMemoryLogger());
    for (const payload of [42, 'text', [], true]) {
      const result = await router.call(channel, payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', field: '(request)' } });
    }
  });

  it('names the field whose value is wrong, with every problem listed', async () => {
    const router = createRouter(handlers(), createMemoryLogger());
    const result = await router.call('settings:update', { deviceName: '   ', temperatureUnit: 'kelvin' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe('deviceName');
    expect(result.error.issues?.map((i) => i.field)).toEqual(['deviceName', 'temperatureUnit']);
    expect(result.error.message).toMatch(/deviceName: must not be empty/);
  });

  it('names a list entry by its index, and the entry itself in the message (p2pRelays)', async () => {
    const router = createRouter(handlers(), createMemoryLogger());
    const id = '12D3KooWCLHEKAY46T3G5rNKUnWZVk7oXCDZzqiSWoCSShrH4eWs';
    const result = await router.call('settings:update', {
      p2pRelays: [`/ip4/203.0.113.7/tcp/4001/p2p/${id}`, '/ip4/203.0.113.8/tcp/4001'],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe('p2pRelays.1');
    expect(result.error.message).toContain(
      `p2pRelays.1: "/ip4/203.0.113.8/tcp/4001" must end in /p2p/ and the relay's peer id`,
    );
  });

  it('passes the parsed (trimmed) request to the handler and returns its data', async () => {
    const router = createRouter(handlers(), createMemoryLogger());
    expect(await router.call('settings:update', { deviceName: '  Den PC  ' })).toEqual({
      ok: true,
      data: { ...DEFAULT_SETTINGS, deviceName: 'Den PC' },
    });
  });

  it('treats a missing payload as an empty request', async () => {
    const router = createRouter(handlers(), createMemoryLogger());
    expect(await router.call('app:status', undefined)).toEqual({ ok: true, data: status });
  });

  it('answers an unknown channel, including prototype names, without throwing', async () => {
    const router = createRouter(handlers(), createMemoryLogger());
    for (const name of ['nope:never', '__proto__', 'constructor', 'toString']) {
      expect(await router.call(name, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('turns a handler crash into an internal error and logs it, keeping details out of the message', async () => {
    const logger = createMemoryLogger();
    const router = createRouter(
      handlers({
        'settings:get': () => {
          throw new Error('disk on fire at /home/owner/secret');
        },
      }),
      logger,
    );
    const result = await router.call('settings:get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!result.ok) expect(result.error.message).not.toContain('/home/owner');
    expect(logger.lines.some((l) => l.level === 'error' && String(l.error).includes('disk on fire'))).toBe(
      true,
    );
  });

  it('passes a user-facing refusal through with its message and field', async () => {
    const router = createRouter(
      handlers({
        'app:pause': () => {
          throw new UserFacingError('Cannot pause while updating.', 'state');
        },
      }),
      createMemoryLogger(),
    );
    expect(await router.call('app:pause', {})).toEqual({
      ok: false,
      error: { code: 'failed', message: 'Cannot pause while updating.', field: 'state' },
    });
  });

  it('refuses to hand out a response that breaks the contract', async () => {
    const logger = createMemoryLogger();
    const router = createRouter(
      handlers({ 'settings:get': () => ({ ...DEFAULT_SETTINGS, secretKey: 'x' }) as never }),
      logger,
    );
    expect(await router.call('settings:get', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logger.lines.some((l) => l.message.includes('breaks the contract'))).toBe(true);
  });

  it('the contract covers exactly the channel and event name lists the preload uses', () => {
    expect(Object.keys(contract).sort()).toEqual([...channels].sort());
    expect(Object.keys(events).sort()).toEqual([...eventNames].sort());
  });

  it('every contract entry has a request and a response schema', () => {
    for (const channel of channels) {
      expect(channel).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/);
      expect(contract[channel].request.safeParse).toBeTypeOf('function');
      expect(contract[channel].response.safeParse).toBeTypeOf('function');
    }
  });
});
