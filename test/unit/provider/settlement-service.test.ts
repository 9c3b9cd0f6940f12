// The provider's settlement over a real EDR devnet and a real SQLite ledger: ended rentals are redeemed in
// one redeemMany, exactly what was signed reaches the provider, nothing is redeemed twice, RPC outages are
// retried with back-off, and what the chain already paid is trusted.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerRepository, type RentalKey } from '../../../src/main/earnings/ledger-repository';
import type { JobEscrowClient, OpenedJob } from '../../../src/main/market/job-escrow';
import type { SignedVoucher } from '../../../src/main/market/voucher';
import { LOST_RENTAL_REASON, unpaidRentals } from '../../../src/main/provider/reconcile-rentals';
import { createSettlementRepository } from '../../../src/main/provider/settlement-repository';
import {
  createSettlementService,
  type SetTimer,
  type SettlementEscrow,
} from '../../../src/main/provider/settlement-service';
import { openDatabase } from '../../../src/main/store/open-database';
import { market, PROVIDER, RENTER, STRANGER, tusd } from '../contracts/escrow-helpers';
import { startMarketChain, type MarketChain } from '../contracts/market-fixture';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
let chain: MarketChain;
let m: ReturnType<typeof market>;

beforeAll(async () => {
  chain = await startMarketChain();
  m = market(chain);
}, 20_000);
afterAll(() => chain?.close());

/**
 * The provider's escrow client, counting what it sends; `failFirst` calls throw a network error. With
 * `finishAs` it can also finish jobs, sending as that account (the provider, or someone who is not).
 */
function countingEscrow(failFirst = 0, finishAs?: number) {
  const client: JobEscrowClient = chain.escrowAs(PROVIDER);
  const sent: string[] = [];
  let calls = 0;
  const gate = () => {
    calls += 1;
    if (calls <= failFirst)
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'NETWORK_ERROR' });
  };
  const escrow: SettlementEscrow = {
    address: client.address,
    jobState: async (jobId) => {
      gate();
      return client.jobState(jobId);
    },
    redeem: async (terms, voucher) => {
      gate();
      sent.push('redeem');
      return client.redeem(terms, voucher);
    },
    redeemMany: async (redemptions) => {
      gate();
      sent.push(`redeemMany(${redemptions.length})`);
      return client.redeemMany(redemptions);
    },
    termsOf: (jobId) => client.termsOf(jobId),
  };
  if (finishAs !== undefined)
    escrow.finish = async (terms, voucher) => {
      gate();
      sent.push('finish');
      return chain.escrowAs(finishAs).finish(terms, voucher);
    };
  return { escrow, sent };
}

function setup(escrow: SettlementEscrow, setTimer?: SetTimer) {
  const { db } = openDatabase(join(tempDir(), 'nocturne.sqlite'));
  const ledger = createLedgerRepository(db);
  const settlements = createSettlementRepository(db);
  const clock = createFakeClock();
  const logger = createMemoryLogger();
  const service = createSettlementService({
    ledger,
    settlements,
    escrowFor: () => Promise.resolve(escrow),
    clock,
    logger,
    setTimer,
    backoff: { firstMs: 20, maxMs: 1_000 },
  });
  return { db, ledger, settlements, service, logger };
}

const keyOf = (job: OpenedJob): RentalKey => ({
  chainId: Number(chain.chainId),
  escrow: chain.escrow,
  escrowJobId: job.jobId,
});

/** Opens and starts a job for the provider. */
async function startedJob(): Promise<OpenedJob> {
  const job = await m.open({ deposit: tusd(10) });
  await chain.escrowAs(PROVIDER).startJob(job.terms);
  return job;
}

/** Records the job in the ledger as the provider would: opened, voucher stored, ended. */
function recordEnded(
  ledger: ReturnType<typeof createLedgerRepository>,
  job: OpenedJob,
  voucher: SignedVoucher,
  saveTerms = true,
) {
  const key = keyOf(job);
  const { terms } = job;
  ledger.open(
    {
      ...key,
      networkId: 'devnet',
      token: terms.token,
      renter: terms.renter,
      provider: terms.provider,
      pricePerSecond: terms.pricePerSecond,
      deposit: terms.deposit,
      maxSeconds: Number(terms.maxSeconds),
      specHash: terms.specHash,
    },
    1,
  );
  if (saveTerms) ledger.saveTerms(key, terms, 1);
  expect(ledger.recordVoucher(key, voucher.cumulativeAmount, voucher.signature, 2)).toMatchObject({
    stored: true,
  });
  ledger.setStatus(key, 'ended', 3);
  return key;
}

describe('settlement service', () => {
  it('redeems three ended jobs in one redeemMany, pays exactly what was signed, and sends nothing twice', async () => {
    const { escrow, sent } = countingEscrow();
    const { db, ledger, settlements, service } = setup(escrow);
    const jobs = [await startedJob(), await startedJob(), await startedJob()];
    const amounts = [tusd(1.25), tusd(2), tusd(0.5)];
    const keys = [];
    for (const [i, job] of jobs.entries())
      keys.push(recordEnded(ledger, job, await m.sign(job, amounts[i]!), i !== 2)); // 3rd: terms from the chain
    const provider = chain.accounts[PROVIDER]!;
    const before = await m.balanceOf(provider);

    const report = await service.settleDue();
    expect(sent).toEqual(['redeemMany(3)']);
    expect(report).toMatchObject({ transactions: 1, refused: [], retryInMs: null });
    expect(report.settled).toHaveLength(3);
    expect((await m.balanceOf(provider)) - before).toBe(tusd(3.75));
    for (const [i, key] of keys.entries())
      expect(ledger.get(key)).toMatchObject({ redeemed: amounts[i], signed: amounts[i], status: 'settled' });
    const [attempt] = settlements.list();
    expect(attempt).toMatchObject({ status: 'confirmed', amount: tusd(3.75), error: null });
    expect(attempt!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(attempt!.jobIds).toEqual(jobs.map((j) => j.jobId));
    // Each rental names the transaction that paid it (its row on the Earnings page links to it).
    for (const key of keys) expect(ledger.get(key)!.settleTx).toBe(attempt!.txHash);
    expect(ledger.terms(keys[2]!)).toEqual(jobs[2]!.terms);

    expect(await service.settleDue()).toMatchObject({ transactions: 0, settled: [] });
    expect(sent).toHaveLength(1);
    expect(ledger.latestVoucher(keys[0]!)?.cumulative).toBe(amounts[0]); // vouchers are kept
    db.close();
  });

  it('retries an RPC outage with exponential back-off and settles once the node answers', async () => {
    const { escrow, sent } = countingEscrow(2);
    const delays: number[] = [];
    const setTimer: SetTimer = (fn, ms) => {
      delays.push(ms);
      const handle = setTimeout(fn, 5);
      return () => clearTimeout(handle);
    };
    const { db, ledger, service, logger } = setup(escrow, setTimer);
    const job = await startedJob();
    const key = recordEnded(ledger, job, await m.sign(job, tusd(1)));

    expect(await service.settleDue()).toMatchObject({ transactions: 0, retryInMs: 20 });
    expect(ledger.get(key)).toMatchObject({ status: 'ended', redeemed: 0n });
    await expect.poll(() => ledger.get(key)?.status, { timeout: 5_000 }).toBe('settled');
    expect(delays).toEqual([20, 40]);
    expect(sent).toEqual(['redeem']);
    expect(ledger.get(key)?.redeemed).toBe(tusd(1));
    expect(logger.lines.filter((l) => l.message.includes('will retry'))).toHaveLength(2);
    service.stop();
    db.close();
  });

  it('trusts the chain when someone else redeemed: nothing is redeemed twice, only the rest is collected', async () => {
    const { escrow, sent } = countingEscrow();
    const { db, ledger, service } = setup(escrow);
    const paidByOther = await startedJob();
    const partlyPaid = await startedJob();
    const fullVoucher = await m.sign(paidByOther, tusd(2));
    const keyA = recordEnded(ledger, paidByOther, fullVoucher);
    const keyB = recordEnded(ledger, partlyPaid, await m.sign(partlyPaid, tusd(3)));
    await chain.escrowAs(STRANGER).redeem(paidByOther.terms, fullVoucher);
    await chain.escrowAs(STRANGER).redeem(partlyPaid.terms, await m.sign(partlyPaid, tusd(1)));
    const provider = chain.accounts[PROVIDER]!;
    const before = await m.balanceOf(provider);

    const report = await service.settleDue();
    expect(sent).toEqual(['redeem']); // only the partly paid job, for the rest
    expect(report.transactions).toBe(1);
    expect((await m.balanceOf(provider)) - before).toBe(tusd(2));
    expect(ledger.get(keyA)).toMatchObject({ redeemed: tusd(2), status: 'settled', settleTx: null });
    expect(ledger.get(keyB)).toMatchObject({ redeemed: tusd(3), status: 'settled' });
    expect(ledger.get(keyB)!.settleTx).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await service.settleDue()).toMatchObject({ transactions: 0 });
    expect(sent).toHaveLength(1);
    db.close();
  });

  it('records a contract refusal on the rental, pays the rest of the batch, and does not retry it', async () => {
    const { escrow, sent } = countingEscrow();
    const { db, ledger, service } = setup(escrow);
    const good = await startedJob();
    const forged = await startedJob();
    const keyGood = recordEnded(ledger, good, await m.sign(good, tusd(1)));
    const keyForged = recordEnded(ledger, forged, await m.sign(forged, tusd(1), { signer: STRANGER }));

    const report = await service.settleDue();
    expect(sent).toEqual(['redeemMany(2)', 'redeem', 'redeem']);
    expect(report).toMatchObject({ transactions: 1, refused: [forged.jobId], retryInMs: null });
    expect(ledger.get(keyGood)).toMatchObject({ redeemed: tusd(1), status: 'settled' });
    expect(ledger.get(keyForged)).toMatchObject({ redeemed: 0n, status: 'ended' });
    expect(ledger.get(keyForged)?.reason).toMatch(/^settlement refused: JobEscrow refused the call/);

    expect(await service.settleDue()).toMatchObject({ transactions: 0, refused: [] });
    expect(sent).toHaveLength(3);
    db.close();
  });

  it('closes a single due job with finish: exactly what was signed is paid, the rest goes back to the renter at once', async () => {
    const { escrow, sent } = countingEscrow(0, PROVIDER);
    const { db, ledger, settlements, service, logger } = setup(escrow);
    const renter = chain.accounts[RENTER]!;
    const provider = chain.accounts[PROVIDER]!;
    // Two due at once are still one redeemMany (their renters reclaim the rest after the deadline)...
    const pair = [await startedJob(), await startedJob()];
    for (const job of pair) recordEnded(ledger, job, await m.sign(job, tusd(1)));
    expect(await service.settleDue()).toMatchObject({ transactions: 1 });
    expect(sent).toEqual(['redeemMany(2)']);
    for (const job of pair) expect((await escrow.jobState(job.jobId)).status).toBe('Started');

    // ...one alone is finished.
    const job = await startedJob();
    const key = recordEnded(ledger, job, await m.sign(job, tusd(2.5)));
    const before = { renter: await m.balanceOf(renter), provider: await m.balanceOf(provider) };
    const report = await service.settleDue();
    expect(sent).toEqual(['redeemMany(2)', 'finish']);
    expect(report).toMatchObject({ transactions: 1, settled: [job.jobId], refused: [] });
    expect((await m.balanceOf(provider)) - before.provider).toBe(tusd(2.5));
    expect((await m.balanceOf(renter)) - before.renter).toBe(tusd(10) - tusd(2.5));
    expect(await escrow.jobState(job.jobId)).toEqual({ status: 'Closed', paid: tusd(2.5) });
    expect(ledger.get(key)).toMatchObject({ status: 'settled', redeemed: tusd(2.5) });
    expect(settlements.list()[0]).toMatchObject({ status: 'confirmed', amount: tusd(2.5) });
    expect(logger.lines.at(-1)?.message).toMatch(/^finish: 1 job\(s\) on devnet paid 2500000, 7500000 back/);
    db.close();
  });

  it("redeems instead when finish is not this wallet's to send (the job names another provider)", async () => {
    const { escrow, sent } = countingEscrow(0, STRANGER);
    const { db, ledger, service, logger } = setup(escrow);
    const job = await startedJob();
    const key = recordEnded(ledger, job, await m.sign(job, tusd(1)));
    expect(await service.settleDue()).toMatchObject({ transactions: 1, settled: [job.jobId] });
    expect(sent).toEqual(['finish', 'redeem']);
    expect(await escrow.jobState(job.jobId)).toEqual({ status: 'Started', paid: tusd(1) });
    expect(ledger.get(key)).toMatchObject({ status: 'settled', redeemed: tusd(1) });
    expect(logger.lines.some((l) => /finish of job .* refused .*NotProvider/.test(l.message))).toBe(true);
    db.close();
  });
  it('closes the jobs of rentals cut off with nothing signed: the whole deposit back to the renter, once', async () => {
    const { escrow, sent } = countingEscrow(1, PROVIDER); // the first read fails: retried
    const delays: number[] = [];
    const { db, ledger, service } = setup(escrow, (_fn, ms) => {
      delays.push(ms);
      return () => undefined; // the test runs each attempt itself
    });
    const renter = chain.accounts[RENTER]!;
    // Started on-chain, then the provider died before any voucher; and one never started, which its renter
    // cancelled.
    const started = await startedJob();
    const cancelled = await m.open({ deposit: tusd(10) });
    await chain.escrowAs(RENTER).cancel(cancelled.terms);
    const keys = [started, cancelled].map((job) => {
      const key = keyOf(job);
      const { terms } = job;
      ledger.open(
        {
          ...key,
          networkId: 'devnet',
          token: terms.token,
          renter: terms.renter,
          provider: terms.provider,
          pricePerSecond: terms.pricePerSecond,
          deposit: terms.deposit,
          maxSeconds: Number(terms.maxSeconds),
          specHash: terms.specHash,
        },
        1,
      );
      ledger.saveTerms(key, terms, 1);
      ledger.setStatus(key, 'failed', 2, LOST_RENTAL_REASON);
      return key;
    });
    expect(unpaidRentals(ledger).map((r) => r.escrowJobId)).toEqual(
      expect.arrayContaining([started.jobId, cancelled.jobId]),
    );
    const before = await m.balanceOf(renter);

    service.closeUnpaid(unpaidRentals(ledger));
    expect(await service.settleDue()).toMatchObject({ refunded: [], retryInMs: 20 });
    const report = await service.settleDue();
    expect(report).toMatchObject({ transactions: 0, refunded: [started.jobId], retryInMs: null });
    expect(sent).toEqual(['finish']);
    expect(await escrow.jobState(started.jobId)).toEqual({ status: 'Closed', paid: 0n });
    expect((await m.balanceOf(renter)) - before).toBe(tusd(10));
    expect(ledger.get(keys[0]!)).toMatchObject({ status: 'refunded', signed: 0n, redeemed: 0n });
    expect(ledger.get(keys[1]!)).toMatchObject({ status: 'failed' });
    expect(ledger.get(keys[1]!)?.reason).toMatch(/renter cancelled/);
    // Dealt with: not found again at the next start, and nothing is sent twice.
    expect(unpaidRentals(ledger)).toEqual([]);
    expect(await service.settleDue()).toMatchObject({ refunded: [] });
    expect(sent).toEqual(['finish']);
    expect(delays).toEqual([20]);
    db.close();
  });
});
