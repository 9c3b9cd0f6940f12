// A provider behind NAT, rented end to end through a relay: a circuit relay v2 node on loopback, a provider
// node (createProviderNode, as the app runs it) that listens only through that relay, with its quote and job
// services, the real job runner and sandbox, the SQLite ledger and settlement; the devnet's EVM (EDR) with
// the market contracts; and the renter's rent(), which finds the provider in ProviderRegistry at its circuit
// address and runs the whole rental over the relayed connection.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@libp2p/interface';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderNodeStatus } from '../../../src/shared/schemas/market';
import { systemClock } from '../../../src/main/core/clock';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { JOB_CHUNK_BYTES } from '../../../src/main/p2p/job-messages';
import { dialableAddresses } from '../../../src/main/provider/decide-publication';
import type { JobSessionResult } from '../../../src/main/provider/job-session';
import { rentalProviderParts } from '../provider/fixtures/rental-provider';
import { createProviderNode } from '../../../src/main/provider/provider-node';
import { prepareJob, rent, type RentDeps } from '../../../src/main/renter/rent';
import { market, PROVIDER, RENTER } from '../contracts/escrow-helpers';
import { startMarketChain, type MarketChain } from '../contracts/market-fixture';
import { LOOPBACK_TCP, useNodes } from '../p2p/p2p-helpers';
import { writeJob } from '../../fakes/job-bundle';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const startNode = useNodes();
const PRICE = 1_000n; // token base units per second
/** The relay's limit per relayed connection: generous, yet the connection is a limited one, as on a public relay. */
const RELAY_DATA_LIMIT = 4n << 20n;

let chain: MarketChain;
let m: ReturnType<typeof market>;
beforeAll(async () => {
  chain = await startMarketChain();
  m = market(chain);
}, 30_000);
afterAll(() => chain?.close());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startRelay() {
  const relay = await startNode({
    listen: [LOOPBACK_TCP],
    relayServer: {
      reservations: {
        maxReservations: 16,
        reservationTtl: 60 * 60_000,
        defaultDataLimit: RELAY_DATA_LIMIT,
        defaultDurationLimit: 10 * 60_000,
      },
    },
  });
  return { relay, address: relay.multiaddrs()[0]!.toString() };
}

/** The provider as the app runs it, but listening only through `relays`: no address of its own. */
async function startProvider(relays: string[]) {
  const dir = tempDir();
  const parts = rentalProviderParts(dir, chain, PRICE);
  const { ledger, runner, settlement, logger, offer } = parts;
  const statuses: ProviderNodeStatus[] = [];
  const sessions: JobSessionResult[] = [];
  const provider = createProviderNode({
    dataDir: dir,
    port: () => 0,
    host: '127.0.0.1',
    nat: false,
    relays: () => relays,
    listenOnlyViaRelays: true,
    offers: () => [offer],
    availability: () => ({ available: true, sentence: 'For rent now.', nextChange: null }),
    gpus: () => [{ vramMiB: 24_576 }],
    runningJobs: () => runner.running(),
    signer: () => chain.wallet(PROVIDER),
    clock: systemClock,
    logger,
    onStatus: (status) => statuses.push(status),
    jobs: {
      admission: parts.admission,
      ledger,
      intake: parts.intake,
      runner,
      jobFeed: parts.jobFeed,
      escrowFor: parts.escrowFor,
      settlement,
      workDir: join(dir, 'rentals'),
      clock: systemClock,
      logger,
      timings: { statusIntervalMs: 200, finalVoucherWaitMs: 5_000, watchdogTickMs: 100 },
      onSessionEnd: (result) => sessions.push(result),
    },
  });
  cleanups.push(async () => {
    await provider.stop();
    parts.close();
  });
  await provider.apply(true);
  return { provider, ledger, logger, statuses, sessions };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('renting a provider that is reachable only through a relay', () => {
  it('quotes, opens, runs the job in the sandbox, pays, returns the outputs and settles, all over the relay', async () => {
    const { relay, address: relayAddress } = await startRelay();
    const p = await startProvider([relayAddress]);

    // Online with one address, the relay's circuit: nothing of its own for a renter to dial.
    const status = p.provider.status();
    expect(status, status.reason ?? '').toMatchObject({ state: 'online', reason: null });
    const peerId = status.peerId!;
    const circuit = `${relayAddress}/p2p-circuit/p2p/${peerId}`;
    expect(status.addresses).toEqual([circuit]);
    // What the offer publisher publishes: the circuit address (loopback, so only on the devnet).
    expect(dialableAddresses(status.addresses, true)).toEqual([circuit]);
    expect(dialableAddresses(status.addresses, false)).toEqual([]);
    await chain.registryAs(PROVIDER).register({
      peerId,
      multiaddrs: [circuit],
      gpuModel: 'RTX 4090',
      vramMiB: 24_576,
      gflops: 80_000,
      pricePerHour: PRICE * 3600n,
      token: chain.token,
      available: true,
    });

    // The renter: a job whose bundle is a few hundred KiB (two chunks through the relay) and whose outputs
    // say what the job saw.
    const dir = tempDir();
    const blob = randomBytes(300 * 1024).toString('base64');
    const specFile = await writeJob(
      dir,
      {
        'run.sh':
          '#!/bin/sh\necho hello through the relay\nsleep 1.2\nmkdir -p out\n' +
          'echo result > out/result.txt\nwc -c < blob.txt | tr -d " " > out/size.txt\necho done\n',
        'blob.txt': blob,
      },
      { command: ['/bin/sh', './run.sh'], outputs: ['out'], resources: { maxSeconds: 120 } },
    );
    const job = await prepareJob(specFile, { cwd: dir });
    expect(job.bundleBytes).toBeGreaterThan(JOB_CHUNK_BYTES);
    const wallet = chain.wallet(RENTER).connect(chain.provider);
    const renterNode = await startNode({ listen: [], relayClient: true });
    const deps: RentDeps = {
      wallet,
      escrow: new JobEscrowClient(chain.escrow, wallet),
      registry: new ProviderRegistryClient(chain.registry, chain.provider),
      chainId: Number(chain.chainId),
      token: { address: chain.token, decimals: 6, symbol: 'tUSD' },
      node: renterNode,
      clock: systemClock,
      logger: createMemoryLogger(),
    };
    const before = {
      renter: await m.balanceOf(chain.accounts[RENTER]!),
      provider: await m.balanceOf(chain.accounts[PROVIDER]!),
    };

    let atConnect: Connection[] = [];
    let leftAtConnect = 0n;
    const logs: string[] = [];
    const result = await rent(deps, {
      job,
      provider: peerId,
      session: { timings: { idleMs: 10_000 } },
      onLog: (data) => logs.push(data),
      onEvent: (event) => {
        if (event.type !== 'connected') return;
        atConnect = renterNode.libp2p.getConnections().filter((c) => c.remotePeer.toString() === peerId);
        leftAtConnect = atConnect[0]?.limits?.bytes ?? 0n;
      },
    }).result;

    // The rental went through the relay: one connection to the provider, relayed and limited.
    expect(atConnect).toHaveLength(1);
    const [connection] = atConnect;
    expect(connection!.remoteAddr.toString()).toBe(circuit);
    expect(connection!.limits).toBeDefined();
    expect(leftAtConnect > 0n && leftAtConnect < RELAY_DATA_LIMIT).toBe(true);
    // The relay's data limit counted the job: the bundle alone went through it after the connect.
    const leftAfter = connection!.limits?.bytes ?? 0n;
    expect(leftAtConnect - leftAfter).toBeGreaterThan(BigInt(job.bundleBytes));
    for (const c of renterNode.libp2p.getConnections())
      expect(c.remoteAddr.toString(), 'every renter connection is to the relay or through it').toContain(
        relay.peerId.toString(),
      );

    // The job ran in the provider's sandbox, and its outputs came back whole.
    expect(result, result.reason ?? '').toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(logs.join('')).toContain('hello through the relay');
    expect(result.outputs).toMatchObject({ dir: job.outputsDir, files: 2 });
    expect(readFileSync(join(job.outputsDir, 'out', 'result.txt'), 'utf8')).toBe('result\n');
    expect(readFileSync(join(job.outputsDir, 'out', 'size.txt'), 'utf8')).toBe(`${blob.length}\n`);
    const owed = PRICE * BigInt(result.secondsBilled);
    expect(result.secondsBilled).toBeGreaterThanOrEqual(1);
    expect(result).toMatchObject({ paid: owed, acknowledged: owed, refundExpected: result.deposit - owed });

    // The provider settled (finish: the voucher paid, the rest refunded at once): balances move by exactly
    // what was paid.
    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: result.jobId };
    await until(() => p.ledger.get(key)?.status === 'settled');
    expect(p.ledger.get(key)).toMatchObject({ signed: owed, redeemed: owed });
    expect(await chain.escrowAs(0).jobState(result.jobId)).toEqual({ status: 'Closed', paid: owed });
    const after = {
      renter: await m.balanceOf(chain.accounts[RENTER]!),
      provider: await m.balanceOf(chain.accounts[PROVIDER]!),
    };
    expect(after.provider - before.provider).toBe(owed);
    expect(before.renter - after.renter).toBe(owed);
    expect(p.sessions).toEqual([
      expect.objectContaining({ outcome: 'ended', jobStatus: 'succeeded', owed, outputsSent: true }),
    ]);
    expect(p.logger.lines.filter((l) => l.level !== 'info')).toEqual([]);
  }, 30_000);
});
