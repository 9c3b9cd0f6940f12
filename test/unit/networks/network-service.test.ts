import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Network } from '../../../src/shared/schemas/network';
import { createDevnetManager, type StartDevnet } from '../../../src/main/networks/devnet-manager';
import { createNetworkRepository } from '../../../src/main/networks/network-repository';
import { createNetworkService, DEVNET_ID } from '../../../src/main/networks/network-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { startFakeRpc } from '../../fakes/fake-rpc-server';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function rpc(chainId: number) {
  const server = await startFakeRpc({ chainId });
  cleanups.push(server.close);
  return server;
}

function open(dir = tempDir(), start: StartDevnet | null = null) {
  const { db } = openDatabase(join(dir, 'db.sqlite'));
  cleanups.push(async () => {
    db.close();
  });
  const changes: Network[][] = [];
  const devnet = createDevnetManager({ dataDir: dir, port: () => 0, start, logger: createMemoryLogger() });
  const service = createNetworkService({
    repository: createNetworkRepository(db),
    devnet,
    devnetPort: () => 0,
    clock: createFakeClock(),
    onChange: (list) => changes.push(list),
  });
  return { service, changes, dir };
}

describe('network registry', () => {
  it('starts with the built-in local devnet, selected, with the deterministic test token', () => {
    const { service } = open();
    const [devnet, ...others] = service.list();
    expect(others).toEqual([]);
    expect(devnet).toMatchObject({ id: DEVNET_ID, chainId: 31337, builtin: true, selected: true });
    expect(devnet!.token).toEqual({
      address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      symbol: 'tUSD',
      decimals: 6,
    });
  });

  it('seeds the built-in row once when another process seeded it between the check and the insert', () => {
    const dir = tempDir();
    const { db } = openDatabase(join(dir, 'db.sqlite'));
    cleanups.push(async () => {
      db.close();
    });
    const repository = createNetworkRepository(db);
    // The other process (the app beside a CLI command) inserts the row right after this one looked.
    const racing = {
      ...repository,
      get: (id: string) => {
        const found = repository.get(id);
        if (id === DEVNET_ID && !found) {
          const twin = openDatabase(join(dir, 'db.sqlite')).db;
          createNetworkService({
            repository: createNetworkRepository(twin),
            devnet: createDevnetManager({
              dataDir: dir,
              port: () => 0,
              start: null,
              logger: createMemoryLogger(),
            }),
            devnetPort: () => 0,
            clock: createFakeClock(),
            onChange: () => {},
          });
          twin.close();
        }
        return found;
      },
    };
    const service = createNetworkService({
      repository: racing,
      devnet: createDevnetManager({ dataDir: dir, port: () => 0, start: null, logger: createMemoryLogger() }),
      devnetPort: () => 0,
      clock: createFakeClock(),
      onChange: () => {},
    });
    expect(service.list().map((n) => [n.id, n.selected])).toEqual([[DEVNET_ID, true]]);
  });

  it('adds a network whose RPC answers with the chain id given, and keeps it across a restart', async () => {
    const dir = tempDir();
    const server = await rpc(11155111);
    const { service, changes } = open(dir);
    const added = await service.add({ name: 'Sepolia test', chainId: 11155111, rpcUrls: [server.url] });
    expect(added).toMatchObject({ id: 'sepolia-test', chainId: 11155111, builtin: false, selected: false });
    expect(changes).toHaveLength(1);
    expect(
      open(dir)
        .service.list()
        .map((n) => n.id),
    ).toEqual([DEVNET_ID, 'sepolia-test']);
  });

  it('refuses an RPC that serves another chain, or none, and stores nothing', async () => {
    const server = await rpc(1);
    const { service } = open();
    await expect(service.add({ name: 'Base', chainId: 8453, rpcUrls: [server.url] })).rejects.toMatchObject({
      message: `${server.url} serves chain id 1, not 8453: it is another network.`,
      field: 'rpcUrls.0',
    });
    await expect(
      service.add({ name: 'Gone', chainId: 5, rpcUrls: [server.url.replace(/:\d+$/, ':1')] }),
    ).rejects.toMatchObject({ message: expect.stringContaining('Could not reach'), field: 'rpcUrls.0' });
    expect(service.list().map((n) => n.id)).toEqual([DEVNET_ID]);
  });

  it('refuses a duplicate id or chain id, and removing the built-in devnet', async () => {
    const server = await rpc(10);
    const { service } = open();
    await service.add({ name: 'Optimism', chainId: 10, rpcUrls: [server.url] });
    await expect(service.add({ name: 'Optimism', chainId: 11, rpcUrls: [server.url] })).rejects.toMatchObject(
      {
        field: 'id',
      },
    );
    await expect(service.add({ name: 'OP again', chainId: 10, rpcUrls: [server.url] })).rejects.toMatchObject(
      {
        field: 'chainId',
      },
    );
    expect(() => service.remove(DEVNET_ID)).toThrow('built in');
    expect(() => service.remove('nope')).toThrow('There is no network "nope"');
  });

  it('falls back to the devnet when the selected network is removed', async () => {
    const server = await rpc(10);
    const { service } = open();
    await service.add({ name: 'Optimism', chainId: 10, rpcUrls: [server.url] });
    service.select('optimism');
    expect(service.selected().id).toBe('optimism');
    service.remove('optimism');
    expect(service.selected().id).toBe(DEVNET_ID);
  });

  it('connects to the first healthy RPC of a network and says why when none is', async () => {
    const good = await rpc(10);
    const wrong = await rpc(1);
    const { service } = open();
    await service.add({ name: 'Optimism', chainId: 10, rpcUrls: [good.url] });
    expect((await service.connect('optimism')).url).toBe(good.url);
    expect(await service.check('optimism')).toMatchObject({ ok: true, chainId: 10, blockNumber: 7 });
    await wrong.close();
    await expect(service.connect('nope')).rejects.toThrow('There is no network');
  });

  it('starts the devnet on first use only, once, and records where it listens', async () => {
    let starts = 0;
    const server = await rpc(31337);
    const start: StartDevnet = async () => {
      starts += 1;
      return {
        url: server.url,
        port: 1,
        chainId: 31337,
        contracts: { TestUSD: '0x5FbDB2315678afecb367f032d93F642f64180aa3' },
        stop: async () => {},
      };
    };
    const { service } = open(tempDir(), start);
    expect(starts).toBe(0);
    const [a, b] = await Promise.all([service.connect(), service.connect(DEVNET_ID)]);
    expect(starts).toBe(1);
    expect(a.url).toBe(server.url);
    expect(b.network.rpcUrls).toEqual([server.url]);
    // The market contracts' fixed devnet addresses are known before it starts; what it reports is added.
    expect(service.get(DEVNET_ID).contracts).toEqual({
      ProviderRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
      JobEscrow: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
      TestUSD: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    });
  });

  it('says plainly when the devnet cannot start, and tries again next time', async () => {
    let fail = true;
    const server = await rpc(31337);
    const start: StartDevnet = async () => {
      if (fail) throw new Error('port 18545 is in use');
      return { url: server.url, port: 1, chainId: 31337, contracts: {}, stop: async () => {} };
    };
    const { service } = open(tempDir(), start);
    await expect(service.connect()).rejects.toThrow('The local devnet could not start: port 18545 is in use');
    fail = false;
    expect((await service.connect()).url).toBe(server.url);
  });
});
