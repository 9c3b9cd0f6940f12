// The provider's side of /nocturne/job/1 end to end: two libp2p nodes on loopback, the devnet's EVM (EDR)
// with the market contracts, a real SQLite ledger, the real job runner and sandbox, and settlement. The
// renter's side is written by hand here (writeMessage / readMessage), so the provider is tested against
// the protocol, not against our own renter.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stream } from '@libp2p/interface';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../../src/shared/schemas/job';
import { systemClock } from '../../../src/main/core/clock';
import { type Rental } from '../../../src/main/earnings/ledger-repository';
import { unpackBundle } from '../../../src/main/jobs/bundle/unpack-bundle';
import { parseJobSpec } from '../../../src/main/jobs/spec/load-job-spec';
import type { OpenedJob } from '../../../src/main/market/job-escrow';
import { jobSpecHash, wireSpec } from '../../../src/main/market/spec-hash';
import type { P2pNode } from '../../../src/main/p2p/create-node';
import { readMessage, resetStream, writeMessage } from '../../../src/main/p2p/framing';
import {
  JOB_CHUNK_BYTES,
  JOB_PROTOCOL,
  ProviderMessageSchema,
  type Hello,
  type ProviderMessage,
} from '../../../src/main/p2p/job-messages';
import { signJobSession } from '../../../src/main/p2p/job-proof';
import type { JobSessionResult, JobSessionTimings } from '../../../src/main/provider/job-session';
import { rentalProviderParts } from './fixtures/rental-provider';
import { startJobService, type JobService } from '../../../src/main/provider/job-service';
import { market, PROVIDER, RENTER, STRANGER, tusd } from '../contracts/escrow-helpers';
import { startMarketChain, type MarketChain } from '../contracts/market-fixture';
import { useNodes } from '../p2p/p2p-helpers';
import { writeJob } from '../../fakes/job-bundle';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const startNode = useNodes();
const PRICE = 1_000n;
const FAST: Partial<JobSessionTimings> = {
  statusIntervalMs: 200,
  readIdleMs: 5_000,
  finalVoucherWaitMs: 1_500,
  watchdogTickMs: 100,
  writeTimeoutMs: 5_000,
};

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

// ------------------------------------------------------------------ the provider

async function startProvider(timings: Partial<JobSessionTimings> = {}) {
  const dir = tempDir();
  const changes: Rental[] = [];
  const parts = rentalProviderParts(dir, chain, PRICE, (rental) => changes.push(rental));
  const { ledger, runner, settlement, logger } = parts;
  const node = await startNode();
  const results: JobSessionResult[] = [];
  const service: JobService = await startJobService(node, {
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
    onRentalChange: (rental) => changes.push(rental),
    timings: { ...FAST, ...timings },
    onSessionEnd: (result) => results.push(result),
  });
  cleanups.push(async () => {
    await service.stop();
    parts.close();
  });
  return { node, ledger, runner, service, settlement, logger, changes, results, dir };
}

// ------------------------------------------------------------------ the renter, by hand

interface Prepared {
  spec: JobSpec;
  bundle: Buffer;
  job: OpenedJob;
}

/** Writes the job's bundle and opens its job on the escrow for the provider. */
async function prepareJob(script: string, outputs: string[] = [], deposit = tusd(10)): Promise<Prepared> {
  const dir = tempDir();
  const specPath = await writeJob(dir, { 'run.sh': script }, { command: ['/bin/sh', './run.sh'], outputs });
  const spec = parseJobSpec(JSON.parse(readFileSync(specPath, 'utf8')), 'job.json');
  const job = await m.open({
    deposit,
    pricePerSecond: PRICE,
    maxSeconds: 600n,
    specHash: jobSpecHash(spec),
  });
  return { spec, bundle: readFileSync(join(dir, 'bundle.tar.gz')), job };
}

async function helloFor(
  provider: P2pNode,
  prepared: Prepared,
  change: { signer?: number; spec?: JobSpec; bundleBytes?: number } = {},
): Promise<Hello> {
  const { job } = prepared;
  const proof = await signJobSession(chain.wallet(change.signer ?? RENTER), {
    chainId: Number(chain.chainId),
    escrow: chain.escrow,
    jobId: job.jobId,
    provider: provider.peerId.toString(),
  });
  const t = job.terms;
  return {
    v: 1,
    type: 'hello',
    chainId: Number(chain.chainId),
    escrow: chain.escrow,
    jobId: job.jobId,
    terms: {
      renter: t.renter,
      provider: t.provider,
      token: t.token,
      deposit: t.deposit.toString(),
      pricePerSecond: t.pricePerSecond.toString(),
      maxSeconds: t.maxSeconds.toString(),
      specHash: t.specHash,
      startDeadline: t.startDeadline.toString(),
      nonce: t.nonce.toString(),
    },
    spec: change.spec ?? wireSpec(prepared.spec),
    bundleBytes: change.bundleBytes ?? prepared.bundle.length,
    proof,
  };
}

/**
 * The renter's end of one stream: every provider message is kept in order; with `autopay` each status
 * whose `owed` is above what was signed gets a voucher for exactly `owed`, as the reference renter does.
 */
async function renterSession(renter: P2pNode, provider: P2pNode, prepared: Prepared | null) {
  const connection = await renter.libp2p.dial(provider.multiaddrs()[0]!);
  const stream: Stream = await connection.newStream(JOB_PROTOCOL, { runOnLimitedConnection: true });
  const messages: ProviderMessage[] = [];
  let failure: Error | null = null;
  let over = false;
  let signedSent = 0n;
  const state = { autopay: false };
  const sign = async (amount: bigint) => {
    if (amount <= signedSent || !prepared) return;
    signedSent = amount;
    const voucher = await m.sign(prepared.job, amount);
    await writeMessage(stream, {
      v: 1,
      type: 'voucher',
      cumulativeAmount: amount.toString(),
      signature: voucher.signature,
    });
  };
  const pump = (async () => {
    for (;;) {
      let message: ProviderMessage;
      try {
        message = await readMessage(stream, ProviderMessageSchema, { timeoutMs: 20_000 });
      } catch (error) {
        failure = error as Error;
        over = true;
        return;
      }
      messages.push(message);
      if (message.type === 'status' && state.autopay) void sign(BigInt(message.owed)).catch(() => {});
    }
  })();
  const waitFor = async <T extends ProviderMessage['type']>(
    type: T,
    predicate: (message: Extract<ProviderMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Extract<ProviderMessage, { type: T }>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find(
        (message): message is Extract<ProviderMessage, { type: T }> =>
          message.type === type && predicate(message as Extract<ProviderMessage, { type: T }>),
      );
      if (found) return found;
      if (over || Date.now() > deadline)
        throw new Error(
          `no ${type} (got ${messages.map((x) => x.type).join(', ')}; ${failure?.message ?? 'timed out'})`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    stream,
    messages,
    state,
    sign,
    waitFor,
    send: (message: unknown) => writeMessage(stream, message),
    /** The bundle in chunks, then bundle-end. */
    async sendBundle(bytes: Buffer) {
      for (let at = 0; at < bytes.length; at += JOB_CHUNK_BYTES)
        await writeMessage(stream, {
          v: 1,
          type: 'chunk',
          data: bytes.subarray(at, at + JOB_CHUNK_BYTES).toString('base64'),
        });
      await writeMessage(stream, { v: 1, type: 'bundle-end' });
    },
    /** Resolves when the provider has closed (or reset) the stream. */
    ended: () => pump.then(() => failure),
    signed: () => signedSent,
  };
}

async function balances() {
  return {
    renter: await m.balanceOf(chain.accounts[RENTER]!),
    provider: await m.balanceOf(chain.accounts[PROVIDER]!),
  };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

// ------------------------------------------------------------------ the tests

describe('job session (provider side of /nocturne/job/1)', () => {
  it('runs a paid job: logs, statuses, vouchers stored before their ack, outputs, then finish on-chain', async () => {
    const provider = await startProvider();
    const renterNode = await startNode();
    const before = await balances();
    const prepared = await prepareJob(
      '#!/bin/sh\necho hello from the job\nsleep 2.3\nmkdir -p out/deep\necho result > out/result.txt\n' +
        'echo deep > out/deep/d.txt\necho done\n',
      ['out', 'missing.txt'],
    );
    const renter = await renterSession(renterNode, provider.node, prepared);
    renter.state.autopay = true;
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    expect(provider.ledger.get(key)).toMatchObject({ status: 'opened', signed: 0n });
    expect(provider.ledger.terms(key)).toEqual(prepared.job.terms);
    await renter.sendBundle(prepared.bundle);

    const started = await renter.waitFor('started');
    expect(started.startTx).toMatch(/^0x[0-9a-f]{64}$/);
    expect((await chain.escrowAs(0).jobState(prepared.job.jobId)).status).toBe('Started');
    await renter.waitFor('log', (l) => l.data.includes('hello from the job'));
    const ended = await renter.waitFor('ended');
    expect(ended).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const owed = BigInt(ended.owed);
    expect(owed).toBe(PRICE * BigInt(Math.floor(ended.billedMs / 1000)));
    expect(ended.billedMs).toBeGreaterThanOrEqual(2_000);
    await renter.sign(owed); // the final voucher (autopay may have sent it already)
    await renter.waitFor('outputs-end');
    expect(await renter.ended()).toMatchObject({ code: 'closed' }); // the provider closed after the outputs

    // The wire: accept, started, then the job's messages; ended after every log, outputs after ended.
    const types = renter.messages.map((x) => x.type);
    expect(types.slice(0, 2)).toEqual(['accept', 'started']);
    const endedAt = types.indexOf('ended');
    expect(types.lastIndexOf('log')).toBeLessThan(endedAt);
    expect(types.indexOf('output')).toBeGreaterThan(endedAt);
    expect(types.at(-1)).toBe('outputs-end');
    const log = renter.messages.flatMap((x) => (x.type === 'log' ? [x.data] : [])).join('');
    expect(log).toContain('hello from the job');
    expect(log).toContain('done');
    const statuses = renter.messages.flatMap((x) => (x.type === 'status' ? [x] : []));
    expect(statuses.length).toBeGreaterThanOrEqual(5); // every 200 ms here
    for (const status of statuses) {
      expect(BigInt(status.owed)).toBe(PRICE * BigInt(Math.floor(status.billedMs / 1000)));
      expect(status.state === 'paused').toBe(false);
    }
    expect(statuses.some((s) => s.state === 'running' && BigInt(s.signed) > 0n)).toBe(true);
    const acks = renter.messages.flatMap((x) => (x.type === 'voucher-ack' ? [x] : []));
    expect(acks.length).toBeGreaterThanOrEqual(2);
    expect(acks.every((a) => a.ok)).toBe(true);

    // The outputs: the archive announced, whole, and unpackable.
    const archive = Buffer.concat(
      renter.messages.flatMap((x) => (x.type === 'output' ? [Buffer.from(x.data, 'base64')] : [])),
    );
    expect(archive.length).toBe(ended.outputBytes);
    expect(createHash('sha256').update(archive).digest('hex')).toBe(ended.outputSha256);
    const unpackDir = tempDir();
    const archivePath = join(unpackDir, 'outputs.tar.gz');
    writeFileSync(archivePath, archive);
    await unpackBundle(archivePath, join(unpackDir, 'outputs'), { maxBytes: 1024 * 1024 });
    expect(readFileSync(join(unpackDir, 'outputs', 'out', 'result.txt'), 'utf8')).toBe('result\n');
    expect(readFileSync(join(unpackDir, 'outputs', 'out', 'deep', 'd.txt'), 'utf8')).toBe('deep\n');

    // The ledger: every voucher stored, the rental ended, then settled by finish: exact balances.
    await until(() => provider.ledger.get(key)?.status === 'settled');
    const rental = provider.ledger.get(key)!;
    expect(rental).toMatchObject({ signed: owed, redeemed: owed, localJobId: started.localJobId });
    expect(rental.secondsRun).toBe(Math.floor(ended.billedMs / 1000));
    expect(provider.logger.lines.filter((l) => l.level !== 'info')).toEqual([]);
    expect(provider.ledger.latestVoucher(key)?.cumulative).toBe(owed);
    expect(await chain.escrowAs(0).jobState(prepared.job.jobId)).toEqual({ status: 'Closed', paid: owed });
    const after = await balances();
    expect(after.provider - before.provider).toBe(owed);
    expect(before.renter - after.renter).toBe(owed); // the rest of the deposit came back at once
    const statusesSeen = provider.changes.map((r) => r.status);
    for (const status of ['opened', 'running', 'ended', 'settled'])
      expect(statusesSeen, status).toContain(status);
    expect(provider.changes.some((r) => r.signed === owed && r.status === 'running')).toBe(true);
    expect(provider.results).toEqual([
      expect.objectContaining({ outcome: 'ended', jobStatus: 'succeeded', owed, outputsSent: true }),
    ]);
    expect(provider.service.busy()).toBe(false);
  }, 25_000);

  it('refuses a forged proof, a wrong spec, a job not open, a second renter while busy, and a job run before', async () => {
    const provider = await startProvider();
    const renterNode = await startNode();
    const refusalOf = async (hello: Hello) => {
      const renter = await renterSession(renterNode, provider.node, null);
      await renter.send(hello);
      const refuse = await renter.waitFor('refuse');
      await renter.ended();
      return refuse;
    };

    const forged = await prepareJob('#!/bin/sh\necho hi\n');
    expect(await refusalOf(await helloFor(provider.node, forged, { signer: STRANGER }))).toMatchObject({
      code: 'bad-proof',
    });
    const wrongSpec = await prepareJob('#!/bin/sh\necho hi\n');
    const otherSpec = { ...wireSpec(wrongSpec.spec), command: ['/bin/sh', '-c', 'echo other'] };
    expect(await refusalOf(await helloFor(provider.node, wrongSpec, { spec: otherSpec }))).toMatchObject({
      code: 'bad-spec',
    });
    const cancelled = await prepareJob('#!/bin/sh\necho hi\n');
    await chain.escrowAs(RENTER).cancel(cancelled.job.terms);
    const notOpen = await refusalOf(await helloFor(provider.node, cancelled));
    expect(notOpen).toMatchObject({ code: 'not-open', reason: 'The job is Cancelled on-chain, not Open.' });

    // One renter is accepted and sends its bundle slowly; a second is told the provider is busy.
    const first = await prepareJob('#!/bin/sh\necho hi\n');
    const holder = await renterSession(renterNode, provider.node, first);
    await holder.send(await helloFor(provider.node, first));
    await holder.waitFor('accept');
    expect(provider.service.busy()).toBe(true);
    const second = await prepareJob('#!/bin/sh\necho hi\n');
    expect(await refusalOf(await helloFor(provider.node, second))).toMatchObject({ code: 'busy' });
    // The first cancels before the start: nothing was started on-chain, the slot is free again.
    await holder.send({ v: 1, type: 'cancel', reason: 'changed my mind' });
    await holder.ended();
    await until(() => !provider.service.busy());
    const firstKey = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: first.job.jobId };
    expect(provider.ledger.get(firstKey)).toMatchObject({ status: 'failed' });
    expect(provider.ledger.get(firstKey)?.reason).toContain('changed my mind');
    expect((await chain.escrowAs(0).jobState(first.job.jobId)).status).toBe('Open');
    expect(await refusalOf(await helloFor(provider.node, first))).toMatchObject({ code: 'already-run' });

    // None of the refused hellos left a rental behind.
    expect(provider.ledger.list().map((r) => r.escrowJobId)).toEqual([first.job.jobId]);
    expect(provider.results.map((r) => r.refusal ?? r.outcome)).toEqual([
      'bad-proof',
      'bad-spec',
      'not-open',
      'busy',
      'aborted',
      'already-run',
    ]);
  }, 25_000);

  it('refuses a bundle that does not match its sha256 before anything starts on-chain', async () => {
    const provider = await startProvider();
    const renterNode = await startNode();
    const prepared = await prepareJob('#!/bin/sh\necho hi\n');
    const renter = await renterSession(renterNode, provider.node, prepared);
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    const tampered = Buffer.from(prepared.bundle);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0xff, tampered.length - 1);
    await renter.sendBundle(tampered);
    expect(await renter.waitFor('error')).toMatchObject({ code: 'bad-bundle' });
    await renter.ended();
    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    expect(provider.ledger.get(key)).toMatchObject({ status: 'failed', localJobId: null });
    expect((await chain.escrowAs(0).jobState(prepared.job.jobId)).status).toBe('Open'); // the renter may cancel
  }, 20_000);

  it('cancels the job when the renter disappears, and settlement redeems the last voucher', async () => {
    const provider = await startProvider();
    const renterNode = await startNode();
    const before = await balances();
    const prepared = await prepareJob('#!/bin/sh\necho working\nsleep 30\n');
    const renter = await renterSession(renterNode, provider.node, prepared);
    renter.state.autopay = true;
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    await renter.sendBundle(prepared.bundle);
    const started = await renter.waitFor('started');
    await renter.waitFor('voucher-ack', (ack) => ack.ok && BigInt(ack.cumulativeAmount) >= PRICE);
    renter.state.autopay = false;
    await new Promise((r) => setTimeout(r, 300)); // a voucher in flight is acknowledged by then
    const lastSigned = renter.messages.reduce(
      (most, x) =>
        x.type === 'voucher-ack' && x.ok && BigInt(x.cumulativeAmount) > most
          ? BigInt(x.cumulativeAmount)
          : most,
      0n,
    );
    resetStream(renter.stream, new Error('the renter vanishes'));

    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    await until(() => provider.ledger.get(key)?.status === 'settled', 15_000);
    expect(provider.runner.get(started.localJobId)).toMatchObject({
      status: 'cancelled',
      reason: 'The renter disconnected',
    });
    const rental = provider.ledger.get(key)!;
    expect(rental).toMatchObject({ signed: lastSigned, redeemed: lastSigned });
    expect(await chain.escrowAs(0).jobState(prepared.job.jobId)).toEqual({
      status: 'Closed',
      paid: lastSigned,
    });
    const after = await balances();
    expect(after.provider - before.provider).toBe(lastSigned);
    expect(before.renter - after.renter).toBe(lastSigned);
    expect(provider.changes.some((r) => r.status === 'ended' && r.reason === 'The renter disconnected')).toBe(
      true,
    );
  }, 25_000);

  it('pauses a job whose renter falls behind, resumes it when paid, stops it, and withholds unpaid outputs', async () => {
    const provider = await startProvider({
      pauseAfterSeconds: 1,
      stopAfterSeconds: 1,
      finalVoucherWaitMs: 500,
    });
    const renterNode = await startNode();
    const before = await balances();
    const prepared = await prepareJob('#!/bin/sh\nmkdir -p out\necho x > out/x\nsleep 30\n', ['out']);
    const renter = await renterSession(renterNode, provider.node, prepared);
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    await renter.sendBundle(prepared.bundle);
    await renter.waitFor('started');

    // Nothing signed: after 1 s of running time the job is paused for payment, and says why.
    const paused = await renter.waitFor('status', (s) => s.state === 'paused');
    expect(paused.reason).toMatch(/^The renter has signed 0 of the 1000 the job owes/);
    expect(paused.owed).toBe('1000');
    // A voucher for all it owes resumes it.
    await renter.sign(1000n);
    await renter.waitFor('voucher-ack', (a) => a.ok);
    await renter.waitFor('status', (s) => s.state === 'running' && s.signed === '1000');
    // Then nothing more: paused again, stopped a second later.
    const ended = await renter.waitFor('ended');
    expect(ended.status).toBe('cancelled');
    expect(BigInt(ended.owed)).toBe(PRICE * BigInt(Math.floor(ended.billedMs / 1000)));
    expect(BigInt(ended.owed)).toBeGreaterThanOrEqual(2000n); // paused at 1 s, paid, paused at 2 s
    expect(ended.reason).toMatch(/no voucher covered it within 1 s of the pause: the job is stopped/);
    expect(ended.outputBytes).toBeGreaterThan(0);
    expect(await renter.waitFor('error')).toMatchObject({ code: 'unpaid' });
    await renter.ended();
    expect(renter.messages.some((x) => x.type === 'output')).toBe(false);

    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    await until(() => provider.ledger.get(key)?.status === 'settled');
    expect(provider.ledger.get(key)?.redeemed).toBe(1000n);
    expect(provider.changes.some((r) => r.status === 'paused')).toBe(true);
    // The stall is on the rental while it lasts (the owner's alert), cleared when paid, and kept when the
    // job was stopped for it.
    const stalls = provider.changes.map((r) => r.stalledAt !== null);
    expect(provider.changes.some((r) => r.status === 'paused' && r.stalledAt !== null)).toBe(true);
    expect(stalls.indexOf(false, stalls.indexOf(true))).toBeGreaterThan(stalls.indexOf(true));
    expect(provider.ledger.get(key)?.stalledAt).not.toBeNull();
    const after = await balances();
    expect(after.provider - before.provider).toBe(1000n);
    expect(before.renter - after.renter).toBe(1000n);
  }, 25_000);

  it('refuses a forged, a replayed and an over-limit voucher over the wire, stores none, and pauses the job', async () => {
    const provider = await startProvider({ pauseAfterSeconds: 2, stopAfterSeconds: 30 });
    const renterNode = await startNode();
    const prepared = await prepareJob('#!/bin/sh\nsleep 30\n');
    const renter = await renterSession(renterNode, provider.node, prepared);
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    await renter.sendBundle(prepared.bundle);
    await renter.waitFor('started');
    await renter.waitFor('status', (s) => s.state === 'running' && BigInt(s.owed) >= PRICE);
    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    const acks = () => renter.messages.filter((x) => x.type === 'voucher-ack');
    const send = async (amount: bigint, signer?: number) => {
      const voucher = await m.sign(prepared.job, amount, signer === undefined ? {} : { signer });
      const before = acks().length;
      await renter.send({
        v: 1,
        type: 'voucher',
        cumulativeAmount: amount.toString(),
        signature: voucher.signature,
      });
      await until(() => acks().length > before);
      return acks()[before]!;
    };

    // A good one for one second, so there is something to replay.
    expect(await send(PRICE)).toMatchObject({ ok: true, cumulativeAmount: PRICE.toString() });
    // Forged: the right job and amount, signed by someone who is not the renter.
    expect(await send(2n * PRICE, STRANGER)).toMatchObject({ ok: false, code: 'wrong-signer' });
    // Replayed: the same voucher again.
    expect(await send(PRICE)).toMatchObject({ ok: false, code: 'not-newer' });
    // Over the limit: far more seconds than have run (within the deposit).
    expect(await send(500n * PRICE)).toMatchObject({ ok: false, code: 'over-time' });
    expect(provider.ledger.get(key)?.signed).toBe(PRICE);
    expect(provider.ledger.latestVoucher(key)?.cumulative).toBe(PRICE);

    // Nothing good came after the first second: the watchdog pauses the job for payment.
    const paused = await renter.waitFor('status', (s) => s.state === 'paused');
    expect(paused.reason).toMatch(/^The renter has signed 1000 of the \d+ the job owes/);
    expect(provider.ledger.get(key)?.status).toBe('paused');
    const localJobId = (await renter.waitFor('started')).localJobId;
    expect(provider.runner.status(localJobId)).toBe('paused');
    resetStream(renter.stream, new Error('test over'));
  }, 25_000);

  it('refunds the whole deposit when a started job ends with nothing signed', async () => {
    const provider = await startProvider({
      pauseAfterSeconds: 1,
      stopAfterSeconds: 0.5,
      finalVoucherWaitMs: 300,
    });
    const renterNode = await startNode();
    const before = await balances();
    const prepared = await prepareJob('#!/bin/sh\nsleep 30\n');
    const renter = await renterSession(renterNode, provider.node, prepared);
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    await renter.sendBundle(prepared.bundle);
    await renter.waitFor('started');
    await renter.waitFor('ended');
    expect(await renter.waitFor('error')).toMatchObject({ code: 'unpaid' });

    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    await until(() => provider.ledger.get(key)?.status === 'refunded');
    expect(await chain.escrowAs(0).jobState(prepared.job.jobId)).toEqual({ status: 'Closed', paid: 0n });
    expect(await balances()).toEqual(before);
  }, 20_000);

  it('ends live sessions when the service stops: the job is cancelled, and the protocol is no longer served', async () => {
    const provider = await startProvider();
    const renterNode = await startNode();
    const prepared = await prepareJob('#!/bin/sh\necho working\nsleep 30\n');
    const renter = await renterSession(renterNode, provider.node, prepared);
    renter.state.autopay = true;
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    await renter.sendBundle(prepared.bundle);
    const started = await renter.waitFor('started');
    await renter.waitFor('voucher-ack', (ack) => ack.ok);
    // The owner's game pauses it: the renter learns that it is paused, not why.
    await provider.runner.pause(started.localJobId, 'Not for rent: a game is running: Doom.', 'availability')
      .frozen;
    const paused = await renter.waitFor('status', (s) => s.state === 'paused');
    expect(paused.reason).toBe('The provider needs the machine for now; paused time is not billed.');
    expect(JSON.stringify(renter.messages)).not.toContain('Doom');
    const key = { chainId: Number(chain.chainId), escrow: chain.escrow, escrowJobId: prepared.job.jobId };
    await until(() => provider.ledger.get(key)?.status === 'paused');
    expect(provider.ledger.get(key)?.reason).toBe('Not for rent: a game is running: Doom.'); // the owner's view

    await provider.service.stop();
    expect(provider.service.sessions()).toBe(0);
    expect(provider.runner.get(started.localJobId)).toMatchObject({
      status: 'cancelled',
      reason: 'The provider went offline',
    });
    const ended = await renter.waitFor('ended');
    expect(ended.status).toBe('cancelled');
    expect(
      provider.changes.some((r) => r.status === 'ended' && r.reason === 'The provider went offline'),
    ).toBe(true);
    const connection = await renterNode.libp2p.dial(provider.node.multiaddrs()[0]!);
    await expect(connection.newStream(JOB_PROTOCOL, { runOnLimitedConnection: true })).rejects.toThrow();
  }, 20_000);

  it('does not wait for a job the runner dropped at shutdown: the session ends at once', async () => {
    const provider = await startProvider();
    const renterNode = await startNode();
    const prepared = await prepareJob('#!/bin/sh\nsleep 30\n');
    const renter = await renterSession(renterNode, provider.node, prepared);
    await renter.send(await helloFor(provider.node, prepared));
    await renter.waitFor('accept');
    await renter.sendBundle(prepared.bundle);
    await renter.waitFor('started');
    provider.runner.stopAll(); // what the core's close() does, before the node stops
    const stopping = Date.now();
    await provider.service.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(provider.service.sessions()).toBe(0);
    expect(await renter.ended()).toMatchObject({ code: 'reset' });
    expect(provider.results).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  }, 20_000);
});
