import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { systemClock } from '../../../src/main/core/clock';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import { computeJobId, type JobTerms } from '../../../src/main/market/job-terms';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { jobSpecHash } from '../../../src/main/market/spec-hash';
import type { P2pNode } from '../../../src/main/p2p/create-node';
import type { WireJobTerms } from '../../../src/main/p2p/job-messages';
import { createQuoteFor } from '../../../src/main/p2p/quote-protocol';
import { startQuoteService } from '../../../src/main/p2p/quote-service';
import {
  defaultOutputsName,
  prepareJob,
  rent,
  RentError,
  type RentDeps,
  type RentEvent,
} from '../../../src/main/renter/rent';
import { writeJob } from '../../fakes/job-bundle';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { startMarketChain, type MarketChain } from '../contracts/market-fixture';
import { useNodes } from '../p2p/p2p-helpers';
import {
  endedMessage,
  sendOutputs,
  startScriptedProvider,
  statusMessage,
  tarGz,
  type Script,
} from './fake-provider';

const RENTER = 1;
const PRICE = 100n; // base units per second

function termsFromWire(wire: WireJobTerms): JobTerms {
  return {
    renter: wire.renter,
    provider: wire.provider,
    token: wire.token,
    deposit: BigInt(wire.deposit),
    pricePerSecond: BigInt(wire.pricePerSecond),
    maxSeconds: BigInt(wire.maxSeconds),
    specHash: wire.specHash,
    startDeadline: BigInt(wire.startDeadline),
    nonce: BigInt(wire.nonce),
  };
}

describe('rent() against the devnet contracts and a scripted provider', () => {
  const startNode = useNodes();
  const tempDir = useTempDirs();
  let chain: MarketChain;

  beforeAll(async () => {
    chain = await startMarketChain();
  }, 60_000);
  afterAll(async () => {
    await chain?.close();
  });

  /** A provider node for account `index`: a quote service signing with its key, a scripted job handler, an offer. */
  async function provider(index: number, script: Script, quotePrice = PRICE) {
    const node: P2pNode = await startNode();
    const logger = createMemoryLogger();
    await startQuoteService(node, {
      logger,
      quoteFor: createQuoteFor({
        peerId: node.peerId.toString(),
        offers: () => [
          {
            chainId: Number(chain.chainId),
            token: chain.token,
            pricePerSecond: quotePrice,
            maxSeconds: 3600,
          },
        ],
        availability: () => ({ available: true, sentence: 'For rent now.', nextChange: null }),
        gpus: () => [{ vramMiB: 24_576 }],
        runningJobs: () => 0,
        signer: () => chain.wallet(index),
        clock: systemClock,
        logger,
      }),
    });
    const scripted = await startScriptedProvider(node, script);
    await chain.registryAs(index).register({
      peerId: scripted.peerId,
      multiaddrs: scripted.addresses(),
      gpuModel: 'RTX 4090',
      vramMiB: 24_576,
      gflops: 80_000,
      pricePerHour: PRICE * 3600n,
      token: chain.token,
      available: true,
    });
    return { ...scripted, address: chain.accounts[index]! };
  }

  async function renter(specOptions: { maxSeconds?: number } = {}) {
    const dir = tempDir();
    const specFile = await writeJob(
      dir,
      { 'run.sh': 'echo hi > out/a.txt\n' },
      { command: ['./run.sh'], outputs: ['out'], resources: { maxSeconds: specOptions.maxSeconds ?? 60 } },
    );
    const job = await prepareJob(specFile, { cwd: dir });
    const wallet = chain.wallet(RENTER).connect(chain.provider);
    const deps: RentDeps = {
      wallet,
      escrow: new JobEscrowClient(chain.escrow, wallet),
      registry: new ProviderRegistryClient(chain.registry, chain.provider),
      chainId: Number(chain.chainId),
      token: { address: chain.token, decimals: 6, symbol: 'tUSD' },
      node: await startNode({ listen: [] }),
      clock: systemClock,
      logger: createMemoryLogger(),
    };
    const balance = () => chain.tokenAt(chain.token).balanceOf!(wallet.address) as Promise<bigint>;
    return { dir, job, deps, balance, address: wallet.address };
  }

  it('opens the job with the quoted terms, runs the session, pays what is owed and saves the outputs', async () => {
    const outputs = await tarGz({ 'out/a.txt': 'hi\n' });
    let seen: JobTerms | null = null;
    const vouchers: string[] = [];
    const p = await provider(2, async (s) => {
      const hello = await s.hello();
      const terms = termsFromWire(hello.terms);
      seen = terms;
      expect(computeJobId(chain.chainId, chain.escrow, terms)).toBe(hello.jobId);
      expect((await chain.escrowAs(2).jobState(hello.jobId)).status).toBe('Open');
      await s.send({ v: 1, type: 'accept' });
      await s.bundle();
      const { receipt } = await chain.escrowAs(2).startJob(terms);
      await s.send({ v: 1, type: 'started', localJobId: 'job-20260301-00000001', startTx: receipt.hash });
      await s.send({ v: 1, type: 'log', data: 'working\n' });
      await s.send(statusMessage(PRICE * 3n, 3_000));
      const v = await s.readUntil('voucher');
      vouchers.push(v.cumulativeAmount);
      await s.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: v.cumulativeAmount });
      await s.send(endedMessage({ owed: PRICE * 5n, billedMs: 5_400, archive: outputs }));
      const last = await s.readUntil('voucher');
      vouchers.push(last.cumulativeAmount);
      await s.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: last.cumulativeAmount });
      // The provider settles: finish pays the voucher and refunds the rest at once.
      await chain.escrowAs(2).finish(terms, {
        jobId: hello.jobId,
        cumulativeAmount: BigInt(last.cumulativeAmount),
        signature: last.signature,
      });
      await sendOutputs(s, outputs.bytes);
      await s.close();
    });
    const r = await renter();
    const before = await r.balance();
    const events: RentEvent[] = [];
    const logs: string[] = [];
    const rental = rent(r.deps, {
      job: r.job,
      provider: p.peerId,
      // 1 ms of the renter's clock counts as a second: the scripted provider bills seconds at once.
      session: { now: () => performance.now() * 1000, timings: { heartbeatMs: 200, idleMs: 5_000 } },
      onEvent: (e) => events.push(e),
      onLog: (d) => logs.push(d),
    });
    const result = await rental.result;
    await p.finished();

    const terms = seen! as JobTerms;
    const deposit = PRICE * 60n; // the spec's 60 s, shorter than the quote's
    expect(terms).toMatchObject({
      renter: r.address,
      provider: p.address,
      token: chain.token,
      deposit,
      pricePerSecond: PRICE,
      maxSeconds: 60n,
      specHash: jobSpecHash(r.job.spec),
      nonce: expect.any(BigInt),
    });
    const now = BigInt(Math.floor(Date.now() / 1000));
    expect(terms.startDeadline).toBeGreaterThan(now + 500n);
    expect(terms.startDeadline).toBeLessThanOrEqual(now + 700n);
    expect(await chain.escrowAs(RENTER).termsOf(result.jobId)).toEqual(terms);

    expect(vouchers).toEqual([String(PRICE * 3n), String(PRICE * 5n)]);
    expect(result).toMatchObject({
      jobId: computeJobId(chain.chainId, chain.escrow, terms),
      provider: { address: p.address, peerId: p.peerId, gpuModel: 'RTX 4090' },
      pricePerSecond: PRICE,
      maxSeconds: 60,
      deposit,
      status: 'succeeded',
      exitCode: 0,
      secondsBilled: 5,
      paid: PRICE * 5n,
      acknowledged: PRICE * 5n,
      refundExpected: deposit - PRICE * 5n,
      outputs: { dir: r.job.outputsDir, files: 1 },
      localJobId: 'job-20260301-00000001',
    });
    expect(result.txs.openJob).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.txs.approve).toMatch(/^0x[0-9a-f]{64}$/);
    expect(result.txs.startJob).toMatch(/^0x[0-9a-f]{64}$/);
    expect(readFileSync(join(r.job.outputsDir, 'out', 'a.txt'), 'utf8')).toBe('hi\n');
    expect(r.job.outputsDir).toBe(join(r.dir, defaultOutputsName(r.job.spec)));
    expect(logs).toEqual(['working\n']);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['offers', 'chosen', 'approved', 'opened', 'connected', 'session']),
    );
    // The provider finished the job: it got what was signed, the renter the rest.
    expect(await r.balance()).toBe(before - PRICE * 5n);
    expect(await chain.escrowAs(RENTER).jobState(result.jobId)).toEqual({
      status: 'Closed',
      paid: PRICE * 5n,
    });
  });

  it('cancels the escrow job, and gets the whole deposit back, when the provider refuses the session', async () => {
    const p = await provider(4, async (s) => {
      await s.hello();
      await s.send({ v: 1, type: 'refuse', code: 'busy', reason: 'Another renter got here first.' });
      await s.close();
    });
    const r = await renter();
    const before = await r.balance();
    const events: RentEvent[] = [];
    const error = await rent(r.deps, {
      job: r.job,
      provider: p.peerId,
      onEvent: (e) => events.push(e),
    }).result.then(
      () => null,
      (e: unknown) => e as RentError,
    );
    await p.finished();
    expect(error).toBeInstanceOf(RentError);
    expect(error!.code).toBe('refused');
    expect(error!.details.refusal).toEqual({ code: 'busy', reason: 'Another renter got here first.' });
    expect(error!.message).toContain('The provider refused the job (busy)');
    expect(error!.message).toContain('the whole deposit (0.006 tUSD) came back');
    expect(error!.details.cancelTx).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await chain.escrowAs(RENTER).jobState(error!.details.jobId!)).toEqual({
      status: 'Cancelled',
      paid: 0n,
    });
    expect(await r.balance()).toBe(before);
    expect(events.some((e) => e.type === 'cancelled-on-chain')).toBe(true);
    expect(existsSync(r.job.outputsDir)).toBe(false);
  });

  it('cancels the escrow job when the provider rejects the bundle before starting', async () => {
    const p = await provider(6, async (s) => {
      await s.hello();
      await s.send({ v: 1, type: 'accept' });
      await s.bundle();
      await s.send({
        v: 1,
        type: 'error',
        code: 'bad-bundle',
        reason: 'The bundle is not the one the spec names.',
      });
      await s.close();
    });
    const r = await renter();
    const before = await r.balance();
    const error = await rent(r.deps, { job: r.job, provider: p.peerId }).result.then(
      () => null,
      (e: unknown) => e as RentError,
    );
    await p.finished();
    expect(error).toMatchObject({ code: 'failed', details: { cancelTx: expect.stringMatching(/^0x/) } });
    expect(error!.message).toContain('The provider refused the bundle (bad-bundle)');
    expect(await chain.escrowAs(RENTER).jobState(error!.details.jobId!)).toEqual({
      status: 'Cancelled',
      paid: 0n,
    });
    expect(await r.balance()).toBe(before);
  });

  it('leaves a started job alone when the provider vanishes, and says when the deposit can be reclaimed', async () => {
    const p = await provider(7, async (s) => {
      const hello = await s.hello();
      await s.send({ v: 1, type: 'accept' });
      await s.bundle();
      await chain.escrowAs(7).startJob(termsFromWire(hello.terms));
      await s.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
      await s.send(statusMessage(PRICE, 1_000));
      await s.readUntil('voucher'); // the renter knows the job started
      s.reset();
    });
    const r = await renter();
    const error = await rent(r.deps, {
      job: r.job,
      provider: p.peerId,
      session: { timings: { heartbeatMs: 200, idleMs: 5_000 } },
    }).result.then(
      () => null,
      (e: unknown) => e as RentError,
    );
    await p.finished();
    expect(error).toMatchObject({ code: 'failed', details: { jobId: expect.any(String) } });
    expect(error!.details.cancelTx).toBeUndefined();
    const terms = (await chain.escrowAs(RENTER).termsOf(error!.details.jobId!))!;
    const reclaim = new Date(Number(terms.startDeadline + terms.maxSeconds + 86_400n) * 1000).toISOString();
    expect(error!.message).toContain('The connection to the provider was lost');
    expect(error!.message).toContain(`paid at most the ${PRICE} base units signed so far`);
    expect(error!.message).toContain(`reclaimed from JobEscrow after ${reclaim}`);
    expect((await chain.escrowAs(RENTER).jobState(error!.details.jobId!)).status).toBe('Started');
  });

  it('opens nothing when no offer or quote fits, and says why for each provider', async () => {
    // The offer is within the maximum, but its quote asks more.
    const p = await provider(5, async () => {}, PRICE * 2n);
    const r = await renter();
    const jobsBefore = await chain.escrowAs(RENTER).jobCount();
    const max = PRICE * 3600n; // 0.36 tUSD per hour
    const error = await rent(r.deps, { job: r.job, provider: p.peerId, maxPricePerHour: max }).result.then(
      () => null,
      (e: unknown) => e as RentError,
    );
    expect(error).toBeInstanceOf(RentError);
    expect(error!.code).toBe('no-provider');
    const mine = error!.details.skipped!.filter((s) => s.peerId === p.peerId);
    expect(mine).toEqual([
      {
        provider: p.address,
        peerId: p.peerId,
        code: 'price',
        reason: 'the quote, 0.72 tUSD per hour, is above the maximum of 0.36 tUSD per hour',
      },
    ]);
    // The other providers of this file's chain are named too: not the one asked for.
    expect(
      error!.details.skipped!.filter((s) => s.peerId !== p.peerId).every((s) => s.code === 'not-chosen'),
    ).toBe(true);
    expect(error!.message).toContain(`${p.peerId}: the quote, 0.72 tUSD per hour`);
    expect(await chain.escrowAs(RENTER).jobCount()).toBe(jobsBefore);
  });
});

describe('prepareJob', () => {
  const tempDir = useTempDirs();

  it('refuses what can be refused before money moves', async () => {
    const dir = tempDir();
    const specFile = await writeJob(dir, { 'run.sh': 'true\n' }, { command: ['./run.sh'] });
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as Record<string, unknown>;

    // Outputs folder: not empty.
    mkdirSync(join(dir, 'busy'));
    writeFileSync(join(dir, 'busy', 'x'), '');
    await expect(prepareJob(specFile, { cwd: dir, outDir: 'busy' })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('is not empty'),
    });
    // An empty one is fine.
    mkdirSync(join(dir, 'empty'));
    await expect(prepareJob(specFile, { cwd: dir, outDir: 'empty' })).resolves.toMatchObject({
      outputsDir: join(dir, 'empty'),
    });
    // The bundle's sha256 must be the spec's.
    writeFileSync(
      specFile,
      JSON.stringify({ ...spec, bundle: { path: 'bundle.tar.gz', sha256: 'ab'.repeat(32) } }),
    );
    await expect(prepareJob(specFile, { cwd: dir })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('bundle.sha256'),
    });
    // A bundle by URL is not sent by rent.
    writeFileSync(
      specFile,
      JSON.stringify({ ...spec, bundle: { url: 'https://example.com/b.tar.gz', sha256: 'ab'.repeat(32) } }),
    );
    await expect(prepareJob(specFile, { cwd: dir })).rejects.toMatchObject({ code: 'invalid' });
    // A broken spec names the field.
    writeFileSync(
      specFile,
      JSON.stringify({ ...spec, resources: { ...(spec.resources as object), memoryMiB: 1 } }),
    );
    await expect(prepareJob(specFile, { cwd: dir })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('resources.memoryMiB'),
    });
  });

  it('names the default outputs folder after the spec', () => {
    expect(defaultOutputsName({ name: 'test job' })).toBe('test-job-outputs');
    expect(defaultOutputsName({ name: '../../etc' })).toBe('etc-outputs');
    expect(defaultOutputsName({ name: '///' })).toBe('job-outputs');
  });
});
