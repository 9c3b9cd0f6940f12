import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recoverAddress, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { computeJobId, type JobTerms } from '../../../src/main/market/job-terms';
import { jobSpecHash, WIRE_BUNDLE_PATH } from '../../../src/main/market/spec-hash';
import { voucherDigest } from '../../../src/main/market/voucher';
import { JOB_CHUNK_BYTES } from '../../../src/main/p2p/job-messages';
import { jobSessionSigner } from '../../../src/main/p2p/job-proof';
import { connectToProvider, openJobStream } from '../../../src/main/renter/dial-provider';
import { JobSessionError, startJobSession, type JobSessionEvent } from '../../../src/main/renter/job-client';
import { prepareJob } from '../../../src/main/renter/rent';
import { writeJob } from '../../fakes/job-bundle';
import { useTempDirs } from '../../fakes/temp-dir';
import { CHAIN_ID, TOKEN, useNodes } from '../p2p/p2p-helpers';
import {
  endedMessage,
  sendOutputs,
  startScriptedProvider,
  statusMessage,
  tarGz,
  type Script,
} from './fake-provider';

const ESCROW = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const PRICE = 10n;
const DEPOSIT = 600n; // 60 s at 10 per second
const RECLAIM = new Date('2026-03-01T12:00:00.000Z');

describe('the renter side of /nocturne/job/1 against a scripted provider', () => {
  const startNode = useNodes();
  const tempDir = useTempDirs();

  type Session = Awaited<ReturnType<typeof session>>;
  type TestScript = (p: Parameters<Script>[0], s: Session) => Promise<void>;

  /** A scripted provider and the renter's session with it; the script gets the renter's side as `s`. */
  async function session(script: TestScript, options: { idleMs?: number; bigBundle?: boolean } = {}) {
    let ready!: (s: Session) => void;
    const whenReady = new Promise<Session>((resolve) => (ready = resolve));
    const provider = await startScriptedProvider(await startNode(), async (p) => script(p, await whenReady));
    const renterNode = await startNode({ listen: [] });
    const dir = tempDir();
    const payload = options.bigBundle ? randomBytes(450_000).toString('base64') : 'echo hi\n';
    const specFile = await writeJob(dir, { 'run.sh': payload }, { command: ['./run.sh'], outputs: ['out'] });
    const job = await prepareJob(specFile, { cwd: dir });
    const renter = Wallet.createRandom();
    const terms: JobTerms = {
      renter: renter.address,
      provider: Wallet.createRandom().address,
      token: TOKEN,
      deposit: DEPOSIT,
      pricePerSecond: PRICE,
      maxSeconds: 60n,
      specHash: jobSpecHash(job.spec),
      startDeadline: 2_000_000_000n,
      nonce: 7n,
    };
    const jobId = computeJobId(CHAIN_ID, ESCROW, terms);
    const connection = await connectToProvider(renterNode, provider.peerId, provider.addresses());
    const stream = await openJobStream(connection);
    const clock = { ms: 0 };
    const events: JobSessionEvent[] = [];
    const logs: string[] = [];
    const client = startJobSession({
      stream,
      providerPeerId: provider.peerId,
      chainId: CHAIN_ID,
      escrow: ESCROW,
      jobId,
      terms,
      spec: job.spec,
      bundlePath: job.bundlePath,
      bundleBytes: job.bundleBytes,
      signer: renter,
      outputsDir: job.outputsDir,
      reclaimableAt: RECLAIM,
      onLog: (data) => logs.push(data),
      onEvent: (event) => events.push(event),
      timings: { heartbeatMs: 100, idleMs: options.idleMs ?? 2_000 },
      now: () => clock.ms,
    });
    const built = { provider, client, job, renter, terms, jobId, clock, events, logs, dir };
    ready(built);
    return built;
  }

  /** Waits until the renter has taken in the `started` message (so it knows the job runs). */
  const untilStarted = async (events: JobSessionEvent[]) => {
    while (!events.some((e) => e.type === 'started')) await new Promise((r) => setTimeout(r, 5));
  };

  const signerOf = (jobId: string, amount: string, signature: string) =>
    recoverAddress(
      voucherDigest(
        { chainId: BigInt(CHAIN_ID), verifyingContract: ESCROW },
        { jobId, cumulativeAmount: BigInt(amount) },
      ),
      signature,
    );

  it('says hello right, uploads the bundle intact, pays exactly what is owed and saves the outputs', async () => {
    const outputs = await tarGz({ 'out/result.txt': 'forty-two\n' });
    const vouchers: { owed: bigint; amount: bigint }[] = [];
    let owedNow = 0n;
    let bundle: Buffer | null = null;
    let hello: Awaited<ReturnType<Parameters<Script>[0]['hello']>> | null = null;
    const script: TestScript = async (p, s) => {
      hello = await p.hello();
      await p.send({ v: 1, type: 'accept' });
      bundle = await p.bundle();
      await p.send({
        v: 1,
        type: 'started',
        localJobId: 'job-20260301-0000abcd',
        startTx: `0x${'ab'.repeat(32)}`,
      });
      await p.send({ v: 1, type: 'log', data: 'hello from the job\n' });
      const pay = async (owed: bigint, billedMs: number) => {
        owedNow = owed;
        s.clock.ms = billedMs + 500; // the renter's own clock has seen at least the billed time
        await p.send(statusMessage(owed, billedMs));
      };
      await pay(0n, 0); // nothing owed yet: no voucher
      await pay(250n, 25_000);
      const first = await p.readUntil('voucher');
      vouchers.push({ owed: owedNow, amount: BigInt(first.cumulativeAmount) });
      expect(signerOf(s.jobId, first.cumulativeAmount, first.signature)).toBe(s.renter.address);
      await p.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: first.cumulativeAmount });
      await pay(250n, 25_900); // the same amount again: nothing new to sign
      await pay(400n, 40_000);
      const second = await p.readUntil('voucher');
      vouchers.push({ owed: owedNow, amount: BigInt(second.cumulativeAmount) });
      await p.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: second.cumulativeAmount });
      s.clock.ms = 47_000;
      await p.send(endedMessage({ owed: 460n, billedMs: 46_300, archive: outputs }));
      const final = await p.readUntil('voucher');
      vouchers.push({ owed: 460n, amount: BigInt(final.cumulativeAmount) });
      expect(signerOf(s.jobId, final.cumulativeAmount, final.signature)).toBe(s.renter.address);
      await p.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: final.cumulativeAmount });
      await sendOutputs(p, outputs.bytes, 100); // small chunks: the archive arrives in pieces
      await p.close();
    };
    const s = await session(script, { bigBundle: true });

    const result = await s.client.result;
    await s.provider.finished();

    // The hello: terms as decimal strings, the wire spec, and a proof for this provider's peer id.
    const h = hello!;
    expect(h).toMatchObject({ v: 1, type: 'hello', chainId: CHAIN_ID, escrow: ESCROW, jobId: s.jobId });
    expect(h.terms).toEqual({
      renter: s.renter.address,
      provider: s.terms.provider,
      token: TOKEN,
      deposit: '600',
      pricePerSecond: '10',
      maxSeconds: '60',
      specHash: s.terms.specHash,
      startDeadline: '2000000000',
      nonce: '7',
    });
    expect(h.spec.bundle).toEqual({ path: WIRE_BUNDLE_PATH, sha256: s.job.spec.bundle.sha256 });
    expect(jobSpecHash(h.spec)).toBe(h.terms.specHash);
    expect(h.bundleBytes).toBe(s.job.bundleBytes);
    expect(
      jobSessionSigner(
        { chainId: CHAIN_ID, escrow: ESCROW, jobId: s.jobId, provider: s.provider.peerId },
        h.proof,
      ),
    ).toBe(s.renter.address);
    // The proof opens no session with another peer.
    expect(
      jobSessionSigner(
        { chainId: CHAIN_ID, escrow: ESCROW, jobId: s.jobId, provider: 'someone-else' },
        h.proof,
      ),
    ).not.toBe(s.renter.address);

    // The bundle, byte for byte, in more than one chunk.
    expect(s.job.bundleBytes).toBeGreaterThan(2 * JOB_CHUNK_BYTES);
    expect(createHash('sha256').update(bundle!).digest('hex')).toBe(s.job.spec.bundle.sha256);
    expect(s.provider.sessions[0]!.received.filter((m) => m.type === 'chunk')).toHaveLength(3);

    // Vouchers for exactly what was owed, and only when it rose.
    expect(vouchers).toEqual([
      { owed: 250n, amount: 250n },
      { owed: 400n, amount: 400n },
      { owed: 460n, amount: 460n },
    ]);
    expect(s.provider.sessions[0]!.received.filter((m) => m.type === 'voucher')).toHaveLength(3);

    expect(result).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      billedMs: 46_300,
      owed: 460n,
      signed: 460n,
      acknowledged: 460n,
      localJobId: 'job-20260301-0000abcd',
      voucherRefusals: [],
      outputs: { dir: s.job.outputsDir, files: 1, bytes: outputs.bytes.length, sha256: outputs.sha256 },
    });
    expect(readFileSync(join(s.job.outputsDir, 'out', 'result.txt'), 'utf8')).toBe('forty-two\n');
    expect(s.logs).toEqual(['hello from the job\n']);
    // The downloaded archive is not left behind.
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tar.gz'))).toEqual(['bundle.tar.gz']);
  });

  it('never signs above the deposit, nor more than the time since the provider accepted', async () => {
    const amounts: bigint[] = [];
    const script: TestScript = async (p, s) => {
      await p.hello();
      await p.send({ v: 1, type: 'accept' });
      await p.bundle();
      await p.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
      // 30 s owed, but only 5 s have passed on the renter's clock: it signs 5 s.
      s.clock.ms = 5_000;
      await p.send(statusMessage(300n, 30_000));
      const v1 = await p.readUntil('voucher');
      amounts.push(BigInt(v1.cumulativeAmount));
      await p.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: v1.cumulativeAmount });
      // Far more than the deposit: it signs the deposit.
      s.clock.ms = 10_000_000;
      await p.send(statusMessage(DEPOSIT * 5n, 60_000));
      const v2 = await p.readUntil('voucher');
      amounts.push(BigInt(v2.cumulativeAmount));
      await p.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: v2.cumulativeAmount });
      await p.send(endedMessage({ owed: DEPOSIT * 5n, billedMs: 60_000 }));
      await p.send({ v: 1, type: 'outputs-end' });
      await p.close();
    };
    const s = await session(script);
    const result = await s.client.result;
    await s.provider.finished();
    expect(amounts).toEqual([50n, DEPOSIT]);
    expect(result.signed).toBe(DEPOSIT);
    expect(result.outputs).toBeNull();
    expect(s.events.filter((e) => e.type === 'owed-capped')).toEqual([
      { type: 'owed-capped', owed: 300n, signing: 50n, why: expect.stringContaining('time') },
      { type: 'owed-capped', owed: DEPOSIT * 5n, signing: DEPOSIT, why: 'above the deposit' },
    ]); // the same claim again (in `ended`) is not reported twice
    // Only two vouchers: the final one would have been for no more than was signed already.
    expect(s.provider.sessions[0]!.received.filter((m) => m.type === 'voucher')).toHaveLength(2);
  });

  it('reports a refused voucher without sending it again', async () => {
    const script: TestScript = async (p, s) => {
      await p.hello();
      await p.send({ v: 1, type: 'accept' });
      await p.bundle();
      await p.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
      s.clock.ms = 20_000;
      await p.send(statusMessage(200n, 20_000));
      await p.readUntil('voucher');
      await p.send({ v: 1, type: 'voucher-ack', ok: false, code: 'over-time', reason: 'Too far ahead.' });
      await p.send(statusMessage(200n, 20_400)); // still 200 owed: the renter does not sign it again
      s.clock.ms = 21_000;
      await p.send(statusMessage(210n, 21_000));
      const next = await p.readUntil('voucher');
      expect(next.cumulativeAmount).toBe('210');
      await p.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: '210' });
      await p.send(endedMessage({ owed: 210n, billedMs: 21_000 }));
      await p.send({ v: 1, type: 'outputs-end' });
      await p.close();
    };
    const s = await session(script);
    const result = await s.client.result;
    await s.provider.finished();
    const refusal = { cumulativeAmount: 200n, code: 'over-time', reason: 'Too far ahead.' };
    expect(result.voucherRefusals).toEqual([refusal]);
    expect(s.events).toContainEqual({ type: 'voucher-refused', refusal });
    expect(
      s.provider.sessions[0]!.received.filter((m) => m.type === 'voucher').map((m) => m.cumulativeAmount),
    ).toEqual(['200', '210']);
    expect(result.acknowledged).toBe(210n);
  });

  it('refuses an outputs archive whose sha256 is not the one announced, and keeps nothing of it', async () => {
    const outputs = await tarGz({ 'out/result.txt': 'forty-two\n' });
    const script: TestScript = async (p) => {
      await p.hello();
      await p.send({ v: 1, type: 'accept' });
      await p.bundle();
      await p.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
      await p.send(
        endedMessage({ owed: 0n, billedMs: 400, archive: { ...outputs, sha256: 'ab'.repeat(32) } }),
      );
      await sendOutputs(p, outputs.bytes);
      await p.close();
    };
    const s = await session(script);
    const error = await s.client.result.then(
      () => null,
      (e: unknown) => e,
    );
    await s.provider.finished();
    expect(error).toBeInstanceOf(JobSessionError);
    expect(error).toMatchObject({
      code: 'bad-outputs',
      details: { started: true, ended: { status: 'succeeded' } },
    });
    expect((error as Error).message).toMatch(/sha256 is [0-9a-f]{64}, not the abab/);
    expect(existsSync(s.job.outputsDir)).toBe(false);
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tar.gz'))).toEqual(['bundle.tar.gz']);
  });

  it('surfaces a refusal at the hello with its code', async () => {
    const s = await session(async (p) => {
      await p.hello();
      await p.send({ v: 1, type: 'refuse', code: 'busy', reason: 'Another job is running.' });
      await p.close();
    });
    await expect(s.client.result).rejects.toMatchObject({
      code: 'refused',
      details: { started: false, refusal: { code: 'busy', reason: 'Another job is running.' } },
    });
    await s.provider.finished();
  });

  it('pings while it has nothing to say, and treats a silent provider as gone, naming the reclaim date', async () => {
    let pings = 0;
    const s = await session(
      async (p) => {
        await p.hello();
        await p.send({ v: 1, type: 'accept' });
        await p.bundle();
        await p.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
        // Say nothing more; count the renter's pings until it gives up on us.
        for (;;) {
          const message = await p.read().catch(() => null);
          if (message === null) return;
          if (message.type === 'ping') pings += 1;
        }
      },
      { idleMs: 600 },
    );
    const started = Date.now();
    const error = await s.client.result.then(
      () => null,
      (e: unknown) => e as JobSessionError,
    );
    await s.provider.finished();
    expect(error).toBeInstanceOf(JobSessionError);
    expect(error!.code).toBe('silent');
    expect(error!.details.started).toBe(true);
    expect(error!.message).toContain('said nothing for 1 s');
    expect(error!.message).toContain(RECLAIM.toISOString());
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(pings).toBeGreaterThanOrEqual(3);
  });

  it('gives a clear error when the provider resets the stream', async () => {
    const s = await session(async (p, s) => {
      await p.hello();
      await p.send({ v: 1, type: 'accept' });
      await p.bundle();
      await p.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
      await untilStarted(s.events);
      p.reset();
    });
    const error = await s.client.result.then(
      () => null,
      (e: unknown) => e as JobSessionError,
    );
    await s.provider.finished();
    expect(error).toMatchObject({ code: 'gone', details: { started: true } });
    expect(error!.message).toMatch(/connection to the provider was lost/);
    expect(error!.message).toContain(`reclaimed from JobEscrow after ${RECLAIM.toISOString()}`);
  });

  it('sends cancel after the start and still takes the job end and outputs', async () => {
    const script: TestScript = async (p, s) => {
      await p.hello();
      await p.send({ v: 1, type: 'accept' });
      await p.bundle();
      await p.send({ v: 1, type: 'started', localJobId: 'job-1', startTx: null });
      await untilStarted(s.events);
      s.client.cancel('changed my mind');
      const cancel = await p.readUntil('cancel');
      expect(cancel.reason).toBe('changed my mind');
      await p.send(endedMessage({ owed: 0n, billedMs: 300, status: 'cancelled' }));
      await p.send({ v: 1, type: 'outputs-end' });
      await p.close();
    };
    const s = await session(script);
    const result = await s.client.result;
    await s.provider.finished();
    expect(result).toMatchObject({ status: 'cancelled', signed: 0n, outputs: null });
    expect(s.events).toContainEqual({ type: 'cancel-sent', reason: 'changed my mind' });
  });

  it('drops the session when cancelled before the job starts', async () => {
    const script: TestScript = async (p, s) => {
      await p.hello();
      s.client.cancel('too slow');
      await p.read().catch(() => undefined); // the renter resets the stream
    };
    const s = await session(script);
    await expect(s.client.result).rejects.toMatchObject({ code: 'cancelled', details: { started: false } });
    await s.provider.finished();
  });

  it('refuses a provider that speaks out of turn', async () => {
    const s = await session(async (p) => {
      await p.hello();
      await p.send({ v: 1, type: 'outputs-end' });
      await p.read().catch(() => undefined);
    });
    await expect(s.client.result).rejects.toMatchObject({ code: 'protocol', details: { started: false } });
    await s.provider.finished();
  });
});
