// The provider's voucher intake over the real SQLite ledger: checked, then stored, then acknowledged; a
// refusal stores nothing; random sequences keep the ledger's invariants; SIGKILL loses no ACKed voucher.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEarningsRepository } from '../../../src/main/earnings/earnings-repository';
import { createLedgerRepository, type RentalKey } from '../../../src/main/earnings/ledger-repository';
import { quarterOf } from '../../../src/main/earnings/quarters';
import { computeJobId, type JobTerms } from '../../../src/main/market/job-terms';
import { isVoucherSignedBy, signVoucher, type VoucherSigner } from '../../../src/main/market/voucher';
import { createVoucherIntake } from '../../../src/main/provider/voucher-intake';
import { allowedAmount } from '../../../src/main/provider/voucher-policy';
import { openDatabase } from '../../../src/main/store/open-database';
import { buildChildScripts } from '../../fakes/build-child-scripts';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import {
  DOMAIN,
  highS,
  makeTerms,
  newRental,
  otherWallet,
  rentalKey,
  renterWallet,
  termsToJson,
} from './fixtures/vouchers';

const tempDir = useTempDirs();

function setup() {
  const { db } = openDatabase(join(tempDir(), 'nocturne.sqlite'));
  const ledger = createLedgerRepository(db);
  const clock = createFakeClock();
  const logger = createMemoryLogger();
  const intake = createVoucherIntake({ ledger, clock, logger });
  const storedVouchers = (key: RentalKey) =>
    db
      .prepare<[string], { cumulative: string; delta: string; signature: string }>(
        'SELECT cumulative, delta, signature FROM vouchers WHERE escrow_job_id = ? ORDER BY id',
      )
      .all(key.escrowJobId.toLowerCase())
      .map((r) => ({ cumulative: BigInt(r.cumulative), delta: BigInt(r.delta), signature: r.signature }));
  return { db, ledger, clock, logger, intake, storedVouchers };
}

const sign = (key: RentalKey, amount: bigint, wallet: VoucherSigner = renterWallet) =>
  signVoucher(wallet, DOMAIN, { jobId: key.escrowJobId, cumulativeAmount: amount });

describe('voucher intake', () => {
  it('stores a good voucher before it returns ok, with what it added and the exact signature', async () => {
    const { db, ledger, clock, intake, storedVouchers } = setup();
    const terms = makeTerms();
    const key = rentalKey(terms);
    ledger.open(newRental(terms), 0);
    const first = await sign(key, 1_250n);
    expect(intake.accept(key, terms, first, 10)).toEqual({
      ok: true,
      cumulativeAmount: 1_250n,
      delta: 1_250n,
    });
    expect(ledger.latestVoucher(key)).toEqual({ cumulative: 1_250n, signature: first.signature });
    clock.advance(10_000);
    const second = await sign(key, 5_000n);
    expect(intake.accept(key, terms, second, 20)).toEqual({
      ok: true,
      cumulativeAmount: 5_000n,
      delta: 3_750n,
    });
    expect(ledger.get(key)!.signed).toBe(5_000n);
    expect(storedVouchers(key).map((v) => v.cumulative)).toEqual([1_250n, 5_000n]);
    // Both vouchers fall in one quarter-hour: it holds what they added together.
    expect(
      createEarningsRepository(db)
        .earnedSince(0)
        .map((q) => [q.quarter, q.earned]),
    ).toEqual([[quarterOf(clock.now().getTime()), 5_000n]]);
    db.close();
  });

  it('refuses forged, replayed, malleable, foreign and over-limit vouchers, and stores none of them', async () => {
    const { db, ledger, intake, logger, storedVouchers } = setup();
    const terms = makeTerms();
    const key = rentalKey(terms);
    ledger.open(newRental(terms), 0);
    const good = await sign(key, 2_000n);
    expect(intake.accept(key, terms, good, 10)).toMatchObject({ ok: true });
    const otherJob = computeJobId(DOMAIN.chainId, DOMAIN.verifyingContract, { ...terms, nonce: 7n });
    const next = await sign(key, 3_000n);
    const refusals: [string, Parameters<typeof intake.accept>[2], number][] = [
      ['wrong-signer', await sign(key, 3_000n, otherWallet), 10],
      ['not-newer', good, 10],
      ['not-newer', await sign(key, 1_000n), 10],
      ['malleable', { ...next, signature: highS(next.signature) }, 10],
      [
        'wrong-job',
        await signVoucher(renterWallet, DOMAIN, { jobId: otherJob, cumulativeAmount: 3_000n }),
        10,
      ],
      ['over-time', await sign(key, 125n * 41n), 10],
      ['over-deposit', await sign(key, terms.deposit + 1n), 1_000_000],
    ];
    for (const [code, voucher, seconds] of refusals) {
      expect(intake.accept(key, terms, voucher, seconds), code).toMatchObject({ ok: false, code });
    }
    expect(storedVouchers(key).map((v) => v.cumulative)).toEqual([2_000n]);
    expect(ledger.get(key)!.signed).toBe(2_000n);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(refusals.length);
    // And the good next one still goes in.
    expect(intake.accept(key, terms, next, 10)).toMatchObject({ ok: true, delta: 1_000n });
    db.close();
  });

  it('refuses a voucher for a rental the ledger does not know, or one the ledger itself refuses', async () => {
    const { db, ledger, intake, storedVouchers } = setup();
    const terms = makeTerms();
    const key = rentalKey(terms);
    expect(intake.accept(key, terms, await sign(key, 100n), 10)).toMatchObject({
      ok: false,
      code: 'unknown-job',
    });
    // The ledger was opened with a smaller deposit than the terms say: its own row is the last word.
    ledger.open({ ...newRental(terms), deposit: 1_000n }, 0);
    expect(intake.accept(key, terms, await sign(key, 1_001n), 10)).toMatchObject({
      ok: false,
      code: 'over-deposit',
    });
    expect(storedVouchers(key)).toEqual([]);
    db.close();
  });

  it('keeps the stored total monotonic, within the deposit and price x (seconds + grace), and signed by the renter, for random vouchers', async () => {
    const { db, ledger, intake, storedVouchers } = setup();
    let nonce = 0n;
    const step = fc.record({
      advance: fc.integer({ min: 0, max: 20 }),
      amount: fc.oneof(
        fc.record({ kind: fc.constant('next' as const), by: fc.bigInt({ min: 0n, max: 40n }) }), // seconds' worth
        fc.record({ kind: fc.constant('any' as const), fraction: fc.integer({ min: 0, max: 1200 }) }), // of deposit, per mille
      ),
      signer: fc.constantFrom('renter', 'renter', 'renter', 'other'),
      malleable: fc.boolean(),
      replay: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 1000n }),
        fc.bigInt({ min: 10n, max: 300n }),
        fc.integer({ min: 200, max: 1500 }), // deposit, per mille of price x maxSeconds
        fc.array(step, { minLength: 1, maxLength: 12 }),
        async (price, maxSeconds, depositShare, steps) => {
          const terms: JobTerms = makeTerms({
            pricePerSecond: price,
            maxSeconds,
            deposit: (price * maxSeconds * BigInt(depositShare)) / 1000n + 1n,
            nonce: (nonce += 1n),
          });
          const key = rentalKey(terms);
          ledger.open(newRental(terms), 0);
          let seconds = 0;
          let stored = 0n;
          const accepted: Awaited<ReturnType<typeof sign>>[] = [];
          for (const s of steps) {
            seconds += s.advance;
            const amount =
              s.amount.kind === 'next'
                ? stored + price * s.amount.by
                : (terms.deposit * BigInt(s.amount.fraction)) / 1000n;
            const wallet = s.signer === 'renter' ? renterWallet : otherWallet;
            let voucher =
              s.replay && accepted.length > 0
                ? accepted[accepted.length - 1]!
                : await sign(key, amount, wallet);
            if (s.malleable) voucher = { ...voucher, signature: highS(voucher.signature) };
            const outcome = intake.accept(key, terms, voucher, seconds);
            // The model: exactly the vouchers that are the renter's, canonical and within every limit go in.
            const expectOk =
              !(s.replay && accepted.length > 0) &&
              s.signer === 'renter' &&
              !s.malleable &&
              voucher.cumulativeAmount > stored &&
              voucher.cumulativeAmount <= allowedAmount(terms, seconds, 30);
            expect(outcome.ok, outcome.ok ? 'stored' : outcome.reason).toBe(expectOk);
            const total = ledger.get(key)!.signed;
            if (outcome.ok) {
              expect(total).toBe(voucher.cumulativeAmount);
              accepted.push(voucher);
            } else {
              expect(total).toBe(stored);
            }
            expect(total).toBeGreaterThanOrEqual(stored);
            expect(total).toBeLessThanOrEqual(terms.deposit);
            expect(total).toBeLessThanOrEqual(price * (BigInt(seconds) + 30n));
            stored = total;
          }
          const rows = storedVouchers(key);
          expect(rows.map((r) => r.cumulative)).toEqual(accepted.map((v) => v.cumulativeAmount));
          expect(rows.reduce((sum, r) => sum + r.delta, 0n)).toBe(stored);
          for (const row of rows) {
            const voucher = {
              jobId: key.escrowJobId,
              cumulativeAmount: row.cumulative,
              signature: row.signature,
            };
            expect(isVoucherSignedBy(DOMAIN, voucher, terms.renter)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
    db.close();
  });
});

describe('voucher intake crash safety', () => {
  const KILLS = 24;
  let child = '';

  beforeAll(async () => {
    const outdir = tempDir('nocturne-voucher-crash-');
    const entry = fileURLToPath(new URL('./fixtures/voucher-crash-child.ts', import.meta.url));
    child = (await buildChildScripts([entry], outdir))['voucher-crash-child']!;
  });

  /** Runs the child until it is SIGKILLed `delayMs` after it is ready; returns the amounts it ACKed. */
  async function runAndKill(env: Record<string, string>, delayMs: number): Promise<bigint[]> {
    const proc = spawn(process.execPath, [child], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.once('exit', (_code, signal) => resolve(signal)),
    );
    const ready = new Promise<'ready'>((resolve) =>
      proc.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.startsWith('ready\n')) resolve('ready');
      }),
    );
    if ((await Promise.race([ready, exited])) !== 'ready')
      throw new Error(`the child exited before its loop started: ${stderr}`);
    const timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
    const signal = await exited;
    clearTimeout(timer);
    if (signal !== 'SIGKILL') throw new Error(`the child ended on its own (${signal}): ${stderr}`);
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('ACK '))
      .map((line) => BigInt(line.slice(4)));
  }

  it('loses no acknowledged voucher when the provider is SIGKILLed at random moments', async () => {
    const file = join(tempDir(), 'nocturne.sqlite');
    const terms = makeTerms({ pricePerSecond: 1000n, maxSeconds: 10n ** 12n, deposit: 10n ** 18n });
    const key = rentalKey(terms);
    let highestAck = 0n;
    let acks = 0;
    let committedUnacked = 0;
    for (let round = 0; round < KILLS; round += 1) {
      const acked = await runAndKill(
        { CRASH_DB: file, CRASH_TERMS: termsToJson(terms) },
        5 + Math.random() * 150,
      );
      acks += acked.length;
      for (const amount of acked) {
        expect(amount).toBeGreaterThan(highestAck); // the child resumed from what was stored
        highestAck = amount;
      }
      // Reopen as a restarted provider would (WAL recovery included), and check.
      const { db } = openDatabase(file);
      const ledger = createLedgerRepository(db);
      const rental = ledger.get(key)!;
      const latest = ledger.latestVoucher(key);
      expect(rental.signed, `round ${round}`).toBeGreaterThanOrEqual(highestAck);
      if (rental.signed > highestAck) committedUnacked += 1; // killed between the commit and the ACK
      if (highestAck > 0n) {
        expect(latest!.cumulative).toBe(rental.signed);
        const voucher = {
          jobId: key.escrowJobId,
          cumulativeAmount: latest!.cumulative,
          signature: latest!.signature,
        };
        expect(isVoucherSignedBy(DOMAIN, voucher, terms.renter)).toBe(true);
      }
      const deltas = db.prepare<[], { delta: string }>('SELECT delta FROM vouchers').all();
      expect(deltas.reduce((sum, r) => sum + BigInt(r.delta), 0n)).toBe(rental.signed);
      highestAck = rental.signed;
      db.close();
    }
    // The loop really ran, across many kills.
    expect(acks).toBeGreaterThan(KILLS);
    console.info(
      `voucher crash test: ${KILLS} kills, ${acks} ACKs, ${committedUnacked} killed after a commit`,
    );
  }, 60_000);
});
