// The provider is SIGKILLed at random points across many rentals and restarted on the same data directory:
// no voucher it acknowledged is lost, every rental is reconciled, nothing is paid twice, and the renter never
// pays more than it signed.
//
// Every part is real and its own process where it would be in the field: a devnet (`nocturne devnet`), the
// provider (`nocturne serve`, a CLI bundled from the sources at the start, with a recorded GPU behind a fake
// nvidia-smi and jobs in the bubblewrap sandbox); the renter is this process, through the SDK's rent(). The
// kill points are drawn from a seeded PRNG: a failure names the seed, and NOCTURNE_CRASH_SEED=<seed> replays
// the same plan (the timing of each kill within its point still varies a little from run to run).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import Database from 'better-sqlite3';
import { Contract, JsonRpcProvider, MaxUint256, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { systemClock } from '../../../src/main/core/clock';
import {
  DEVNET_JOB_ESCROW_ADDRESS,
  DEVNET_PROVIDER_REGISTRY_ADDRESS,
} from '../../../src/main/devnet/devnet-addresses';
import { JobEscrowClient, parseEscrowEvents, type EscrowEvent } from '../../../src/main/market/job-escrow';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { isVoucherSignedBy } from '../../../src/main/market/voucher';
import { createP2pNode, type P2pNode } from '../../../src/main/p2p/create-node';
import { LOST_RENTAL_REASON } from '../../../src/main/provider/reconcile-rentals';
import { prepareJob, rent, RentError, type RentDeps, type RentEvent } from '../../../src/main/renter/rent';
import { buildNocturneCli } from '../../fakes/build-child-scripts';
import { fakeNvidiaEnv } from '../../fakes/fake-nvidia-smi';
import { writeJob } from '../../fakes/job-bundle';
import {
  DEVNET_TOKEN,
  freePort,
  importWallet,
  nocturneOk,
  startDevnetProcess,
  startNocturne,
  useNocturneBin,
  type Devnet,
  type LongProcess,
} from '../../fakes/market-processes';

const SEED = Number(process.env.NOCTURNE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PASSWORD = 'correct horse battery staple';
const CHAIN_ID = 31337;
const PRICE_PER_SECOND = 100n; // offerPricePerHour 0.36 tUSD
const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** mulberry32: a small seeded PRNG, so a failing plan can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    shuffle<T>(items: T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}

/** Where in a rental the provider dies. */
type KillPoint =
  /** Runs to the end, settlement included. */
  | 'none'
  /** While the renter uploads the bundle (after accept). */
  | 'upload'
  /** After the bundle, while the provider sends startJob (it may or may not be mined). */
  | 'start-tx'
  /** Right after `started`. */
  | 'started'
  /** Some time into the run, between vouchers or not. */
  | 'mid-run'
  /** Right after the renter sent its n-th voucher (the ack may be on its way, or not written). */
  | 'voucher-sent'
  /** Right after the renter got the n-th ack. */
  | 'voucher-acked'
  /** Right after `ended`, before the final voucher. */
  | 'ended'
  /** A moment after `ended`: the final voucher, its ack or the outputs in flight. */
  | 'outputs'
  /** After the renter has its outputs: the provider is settling (finish in flight, or not yet sent). */
  | 'settlement';

interface Plan {
  point: KillPoint;
  /** ms after the point (the moments in between are where races live). */
  delayMs: number;
  /** Which voucher, for the voucher points. */
  nth: number;
}

interface Outcome {
  plan: Plan;
  jobId: string | null;
  deposit: bigint;
  /** The highest cumulative amount the renter signed and sent. */
  signed: bigint;
  /** The highest the provider acknowledged: stored, so never to be lost. */
  acknowledged: bigint;
  killed: boolean;
  status: string;
  vouchers: string;
}

interface RentalRow {
  escrow_job_id: string;
  status: string;
  reason: string | null;
  signed: string;
  redeemed: string;
  local_job_id: string | null;
}

describe('the provider killed (SIGKILL) at random points across many rentals', () => {
  let root: string;
  let cliDir: string;
  let devnet: Devnet;
  let rpc: JsonRpcProvider;
  let renterNode: P2pNode | null = null;
  let provider: LongProcess | null = null;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nocturne-crash-'));
    const built = await buildNocturneCli();
    cliDir = built.dir;
    useNocturneBin(built.cli);
    devnet = await startDevnetProcess(join(root, 'chain'));
    rpc = new JsonRpcProvider(devnet.url, CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
  }, 60_000);

  afterAll(async () => {
    await provider?.stop('SIGKILL');
    await renterNode?.stop();
    rpc?.destroy();
    await devnet?.stop();
    if (root && !process.env.NOCTURNE_CRASH_KEEP) rmSync(root, { recursive: true, force: true });
    else if (root) process.stderr.write(`[provider-crash] kept ${root}\n`);
    if (cliDir) rmSync(cliDir, { recursive: true, force: true });
  });

  it('loses no acknowledged voucher, reconciles every rental and redeems nothing twice', async () => {
    const random = prng(SEED);
    // What happened, printed only if the test fails (with the seed to replay it).
    const t0 = Date.now();
    const journal: string[] = [];
    const log = (line: string) => journal.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s ${line}`);
    onTestFailed(() => {
      process.stderr.write(`[provider-crash] seed ${SEED}\n${journal.join('\n')}\n`);
    });
    try {
      await runScenario(random, log);
    } catch (error) {
      if (error instanceof Error)
        error.message =
          `seed ${SEED} (replay: NOCTURNE_CRASH_SEED=${SEED} npx vitest run ` +
          `test/unit/market/provider-crash.test.ts): ${error.message}`;
      throw error;
    }
  }, 120_000);

  async function runScenario(random: ReturnType<typeof prng>, log: (line: string) => void) {
    const providerDir = join(root, 'provider');
    const providerKey = Wallet.createRandom();
    const renterKey = Wallet.createRandom();
    const gpu = fakeNvidiaEnv(mkdtempSync(join(root, 'gpu-')), 'A10.');
    const env = { NOCTURNE_DEVNET_PORT: String(devnet.port), NOCTURNE_P2P_LOOPBACK: '1' };
    const serveEnv = {
      ...env,
      ...gpu,
      PATH: `${gpu.PATH}${delimiter}${process.env.PATH}`,
      NOCTURNE_PASSWORD: PASSWORD,
    };

    // The provider: a fixed peer-to-peer port (TCP and WebSockets on the next one), so the address in the
    // registry stays right across restarts, as a home rig's does.
    const p2pPort = await twoFreePorts();
    await Promise.all([
      importWallet(providerDir, providerKey.privateKey, PASSWORD), // takes no data directory lock
      (async () => {
        await nocturneOk(providerDir, ['schedule', 'set', '--preset', 'always']);
        await nocturneOk(providerDir, ['settings', 'set', 'p2pPort', String(p2pPort)]);
        await nocturneOk(providerDir, ['settings', 'set', 'offerPricePerHour', '"0.36"']);
        await nocturneOk(providerDir, ['settings', 'set', 'providerOnline', 'true']);
      })(),
      (async () => {
        await devnet.fund(providerKey.address, '1', '0');
        await devnet.fund(renterKey.address, '1', '100');
      })(),
    ]);
    const logFile = join(providerDir, 'logs', 'nocturne.log');
    const onlineCount = () =>
      existsSync(logFile) ? readFileSync(logFile, 'utf8').split('Provider node online as').length - 1 : 0;
    let starts = 0;
    const startProvider = async () => {
      const before = onlineCount();
      provider = startNocturne(['serve', '--port', '0', '--data-dir', providerDir], serveEnv);
      starts += 1;
      await provider.waitFor(/unlocked from NOCTURNE_PASSWORD/, 30_000);
      await waitUntil(() => onlineCount() > before, 30_000, 'the provider node to come online');
    };
    const killProvider = async () => {
      await provider!.stop('SIGKILL');
    };
    await startProvider();

    const wallet = renterKey.connect(rpc);
    const registry = new ProviderRegistryClient(DEVNET_PROVIDER_REGISTRY_ADDRESS, rpc);
    const escrow = new JobEscrowClient(DEVNET_JOB_ESCROW_ADDRESS, wallet);
    await waitUntil(
      async () => (await registry.offerOf(providerKey.address))?.available === true,
      60_000,
      'the offer in ProviderRegistry',
    );
    // One allowance for every deposit, so each rental costs the renter only its openJob.
    const token = new Contract(DEVNET_TOKEN, ['function approve(address, uint256) returns (bool)'], wallet);
    await (await token.getFunction('approve')(DEVNET_JOB_ESCROW_ADDRESS, MaxUint256)).wait();
    renterNode = await createP2pNode({
      privateKey: await generateKeyPair('Ed25519'),
      listen: [],
      nat: false,
      logger: silent,
    });
    const deps: RentDeps = {
      wallet,
      escrow,
      registry,
      chainId: CHAIN_ID,
      token: { address: DEVNET_TOKEN, decimals: 6, symbol: 'tUSD' },
      node: renterNode,
      clock: systemClock,
      logger: silent,
    };

    const balances = async () => ({
      renter: await devnet.tokenBalance(renterKey.address),
      provider: await devnet.tokenBalance(providerKey.address),
      escrow: await devnet.tokenBalance(DEVNET_JOB_ESCROW_ADDRESS),
    });
    const before = await balances();

    // The plan: a first rental left alone (the baseline), then every kill point once, in an order and with
    // delays from the seed.
    const points: KillPoint[] = [
      'upload',
      'start-tx',
      'started',
      'mid-run',
      'voucher-sent',
      'voucher-acked',
      'ended',
      'outputs',
      'settlement',
    ];
    const plans: Plan[] = [
      { point: 'none', delayMs: 0, nth: 0 }, // the first runs whole: a baseline
      ...random.shuffle(points).map((point) => ({
        point,
        delayMs:
          point === 'mid-run'
            ? random.int(200, 3000)
            : point === 'start-tx'
              ? random.int(0, 150)
              : point === 'outputs'
                ? random.int(0, 60)
                : point === 'settlement'
                  ? random.int(0, 400)
                  : point === 'upload'
                    ? random.int(0, 20)
                    : 0,
        nth: random.int(1, 2),
      })),
    ];
    log(`plan: ${plans.map((p) => `${p.point}${p.delayMs ? `+${p.delayMs}ms` : ''}`).join(', ')}`);

    const outcomes: Outcome[] = [];
    for (const [index, plan] of plans.entries()) {
      const outcome = await runRental(index, plan, deps, () => void killProvider());
      outcomes.push(outcome);
      log(
        `#${index} ${plan.point}: ${outcome.status}; vouchers ${outcome.vouchers}; signed ` +
          `${outcome.signed}, acknowledged ${outcome.acknowledged}`,
      );
      if (outcome.killed) {
        await provider!.stop('SIGKILL'); // waits for the exit
        await startProvider();
      }
    }

    // Settled: every rental with something signed is redeemed, every one cut off with nothing signed closed.
    const dbFile = join(providerDir, 'nocturne.sqlite');
    const rentals = () => readDb(dbFile, (db) => db.prepare<[], RentalRow>('SELECT * FROM rentals').all());
    await waitUntil(
      () =>
        rentals().every(
          (r) =>
            !['opened', 'running', 'paused', 'ended'].includes(r.status) &&
            r.signed === r.redeemed &&
            !(r.status === 'failed' && r.reason === LOST_RENTAL_REASON),
        ),
      30_000,
      'settlement of every rental',
      () => JSON.stringify(rentals(), null, 1),
    );
    await provider!.stop(); // SIGTERM: a clean stop, so the files are read at rest
    const after = await balances();
    await checkInvariants(dbFile, outcomes, before, after, escrow, renterKey.address);
    log(`${plans.length} rentals, ${starts} provider starts`);
  }

  /** One rental through rent(), with the provider killed at the plan's point. */
  async function runRental(index: number, plan: Plan, deps: RentDeps, kill: () => void): Promise<Outcome> {
    const dir = join(root, `job-${index}`);
    mkdirSync(dir);
    const specFile = await writeJob(
      dir,
      {
        'run.sh':
          '#!/bin/sh\necho "job running"\nmkdir -p out\nsha256sum noise.bin > out/sum.txt\n' +
          'sleep 3\necho "job done" > out/done.txt\n',
        // Incompressible, so the bundle takes several chunks to upload.
        'noise.bin': randomBytes(600 * 1024).toString('base64'),
      },
      { command: ['./run.sh'], outputs: ['out'], resources: { maxSeconds: 60 } },
    );
    const job = await prepareJob(specFile, { outDir: join(dir, 'outputs'), cwd: dir });
    const outcome: Outcome = {
      plan,
      jobId: null,
      deposit: 0n,
      signed: 0n,
      acknowledged: 0n,
      killed: false,
      status: 'pending',
      vouchers: '',
    };
    const killNow = () => {
      if (outcome.killed) return;
      outcome.killed = true;
      kill();
    };
    const killAfter = (ms: number) => (ms <= 0 ? killNow() : void setTimeout(killNow, ms));
    let sent = 0;
    let acked = 0;
    const onEvent = (event: RentEvent) => {
      if (event.type === 'opened') outcome.jobId = event.jobId;
      if (event.type === 'chosen') outcome.deposit = event.deposit;
      if (event.type !== 'session') return;
      const e = event.event;
      if (e.type === 'voucher-sent') {
        sent += 1;
        if (e.cumulativeAmount > outcome.signed) outcome.signed = e.cumulativeAmount;
      }
      if (e.type === 'voucher-acked') {
        acked += 1;
        if (e.cumulativeAmount > outcome.acknowledged) outcome.acknowledged = e.cumulativeAmount;
      }
      const at = (type: string) => e.type === type;
      switch (plan.point) {
        case 'upload':
          if (at('accepted')) killAfter(plan.delayMs);
          break;
        case 'start-tx':
          if (at('uploaded')) killAfter(plan.delayMs);
          break;
        case 'started':
          if (at('started')) killNow();
          break;
        case 'mid-run':
          if (at('started')) killAfter(plan.delayMs);
          break;
        case 'voucher-sent':
          if (at('voucher-sent') && sent === plan.nth) killNow();
          break;
        case 'voucher-acked':
          if (at('voucher-acked') && acked === plan.nth) killNow();
          break;
        case 'ended':
          if (at('ended')) killNow();
          break;
        case 'outputs':
          if (at('ended')) killAfter(plan.delayMs);
          break;
        default:
          break;
      }
    };
    const rental = rent(deps, { job, onEvent });
    try {
      const result = await withTimeout(rental.result, 60_000, `rental #${index}`, () =>
        rental.abort('the test gave up'),
      );
      outcome.status = result.status;
      if (result.acknowledged > outcome.acknowledged) outcome.acknowledged = result.acknowledged;
      if (result.paid > outcome.signed) outcome.signed = result.paid;
      if (plan.point === 'settlement') killAfter(plan.delayMs);
    } catch (error) {
      if (!(error instanceof RentError)) throw error;
      outcome.status = `error ${error.code}`;
      const session = error.details.session;
      if (session && session.details.acknowledged > outcome.acknowledged)
        outcome.acknowledged = session.details.acknowledged;
      // Signed before it is sent: a voucher whose write failed may still have reached the provider.
      if (session && session.details.signed > outcome.signed) outcome.signed = session.details.signed;
      // A rental nobody interfered with must succeed; a killed one fails as a lost provider does.
      if (!outcome.killed || error.code !== 'failed') throw error;
    }
    if (plan.point === 'settlement' && !outcome.killed)
      await new Promise((resolve) => setTimeout(resolve, plan.delayMs + 10));
    // A kill point the rental never reached (a delay it outlived, a voucher it never sent) still kills,
    // before the next rental.
    if (plan.point !== 'none') killNow();
    outcome.vouchers = `${sent} sent, ${acked} acked`;
    return outcome;
  }

  async function checkInvariants(
    dbFile: string,
    outcomes: Outcome[],
    before: { renter: bigint; provider: bigint; escrow: bigint },
    after: { renter: bigint; provider: bigint; escrow: bigint },
    escrow: JobEscrowClient,
    renter: string,
  ) {
    const { rentals, vouchers, jobs, settlements } = readDb(dbFile, (db) => ({
      rentals: db.prepare<[], RentalRow>('SELECT * FROM rentals').all(),
      vouchers: db
        .prepare<[], { escrow_job_id: string; cumulative: string; signature: string }>(
          'SELECT escrow_job_id, cumulative, signature FROM vouchers ORDER BY id',
        )
        .all(),
      jobs: db.prepare<[], { id: string; status: string }>('SELECT id, status FROM jobs').all(),
      settlements: db
        .prepare<[], { tx_hash: string; jobs_json: string; status: string; amount: string }>(
          'SELECT tx_hash, jobs_json, status, amount FROM settlements',
        )
        .all(),
    }));
    const logs = await rpc.getLogs({ address: DEVNET_JOB_ESCROW_ADDRESS, fromBlock: 0, toBlock: 'latest' });
    const events = parseEscrowEvents(logs, DEVNET_JOB_ESCROW_ADDRESS);
    const domain = { chainId: BigInt(CHAIN_ID), verifyingContract: DEVNET_JOB_ESCROW_ADDRESS };

    let paidTotal = 0n;
    let heldTotal = 0n;
    for (const [index, outcome] of outcomes.entries()) {
      const what = `seed ${SEED}, rental #${index} (${outcome.plan.point}, job ${outcome.jobId})`;
      expect(outcome.jobId, `${what} opened a job`).not.toBeNull();
      const jobId = outcome.jobId!.toLowerCase();
      const row = rentals.find((r) => r.escrow_job_id.toLowerCase() === jobId);
      const state = await escrow.jobState(jobId);
      const jobEvents = events.filter((e) => e.jobId.toLowerCase() === jobId);
      const redeemedEvents = jobEvents.filter(
        (e): e is Extract<EscrowEvent, { name: 'JobRedeemed' }> => e.name === 'JobRedeemed',
      );
      expect.soft(outcome.deposit, `${what}: deposit at the offer's price`).toBe(PRICE_PER_SECOND * 60n);
      paidTotal += state.paid;
      if (state.status === 'Open' || state.status === 'Started') heldTotal += outcome.deposit - state.paid;

      // 1. No acknowledged voucher lost: the ledger holds at least what was acknowledged, and the voucher
      //    itself (a signature by the renter) at exactly that amount.
      const signed = BigInt(row?.signed ?? '0');
      expect
        .soft(signed, `${what}: the ledger's signed vs the acknowledged`)
        .toBeGreaterThanOrEqual(outcome.acknowledged);
      expect
        .soft(signed, `${what}: the ledger holds no more than the renter signed`)
        .toBeLessThanOrEqual(outcome.signed);
      const stored = vouchers.filter((v) => v.escrow_job_id.toLowerCase() === jobId);
      if (outcome.acknowledged > 0n) {
        const ackedVoucher = stored.find((v) => BigInt(v.cumulative) === outcome.acknowledged);
        expect.soft(ackedVoucher, `${what}: the acknowledged voucher is stored`).toBeDefined();
      }
      for (const v of stored)
        expect
          .soft(
            isVoucherSignedBy(
              domain,
              { jobId, cumulativeAmount: BigInt(v.cumulative), signature: v.signature },
              renter,
            ),
          )
          .toBe(true);

      // 2. Reconciled: nothing left live; the chain agrees with the ledger.
      if (row) {
        expect.soft(['settled', 'refunded', 'failed'], `${what}: status ${row.status}`).toContain(row.status);
        expect.soft(BigInt(row.redeemed), `${what}: redeemed`).toBe(signed);
        if (row.status === 'failed')
          expect.soft(row.reason, `${what}: a failed rental says why`).toBeTruthy();
        if (row.local_job_id) {
          const local = jobs.find((j) => j.id === row.local_job_id);
          expect
            .soft(['succeeded', 'failed', 'cancelled', 'lost'], `${what}: local job`)
            .toContain(local?.status);
        }
      }
      // 3. Nothing redeemed twice: the chain paid exactly the last voucher, in one payment.
      expect.soft(state.paid, `${what}: paid on chain vs the ledger's signed`).toBe(signed);
      expect.soft(redeemedEvents.length, `${what}: JobRedeemed events`).toBe(signed > 0n ? 1 : 0);
      const confirmed = settlements.filter(
        (s) =>
          s.status === 'confirmed' &&
          (JSON.parse(s.jobs_json) as string[]).some((j) => j.toLowerCase() === jobId),
      );
      expect.soft(confirmed.length, `${what}: confirmed settlements`).toBeLessThanOrEqual(1);
      // Nothing started and left: a started job is closed (paid and the rest refunded), or never started.
      expect.soft(['Closed', 'Cancelled'], `${what}: on-chain status`).toContain(state.status);
    }
    // Every job the renter opened is one of ours.
    const opened = events.filter((e) => e.name === 'JobOpened').map((e) => e.jobId.toLowerCase());
    expect.soft(new Set(opened)).toEqual(new Set(outcomes.map((o) => o.jobId!.toLowerCase())));
    expect
      .soft(jobs.filter((j) => !['succeeded', 'failed', 'cancelled', 'lost'].includes(j.status)))
      .toEqual([]);

    // 3-4. Money: the provider got exactly what was paid, the renter lost exactly that, the escrow holds the rest.
    expect
      .soft(after.provider - before.provider, 'the provider was paid the sum of what the chain paid')
      .toBe(paidTotal);
    expect
      .soft(before.renter - after.renter, 'the renter paid what it signed, plus what is still held')
      .toBe(paidTotal + heldTotal);
    expect
      .soft(after.escrow - before.escrow, 'the escrow holds the unpaid part of open jobs')
      .toBe(heldTotal);
  }
});

function readDb<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  explain?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`Waited ${timeoutMs} ms for ${what}${explain ? `:\n${explain()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout();
        reject(new Error(`${what} took over ${ms} ms`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A free TCP port whose next one is free too (the provider listens for WebSockets on port + 1). */
async function twoFreePorts(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    if (port < 65535 && (await portFree(port + 1))) return port;
  }
  throw new Error('No two consecutive free ports');
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
