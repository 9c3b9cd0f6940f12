// Property-based: random sequences of openJob / startJob / vouchers / redeem / redeemMany / finish / cancel /
// reclaim / replayed vouchers / time jumps, each checked against a model of the rules, with the invariants
// of issue 7 checked after every step:
//  - the escrow's token balance equals the open deposits minus what they paid;
//  - nobody receives more than the renter signed, and a job never pays more than its deposit;
//  - a voucher for one job is worthless on another (replays are part of the sequences);
//  - reclaim and redeem never take the same funds: a closed job's payments and refund sum to its deposit,
//    and nothing moves after it closed.
// One engine for the file; no snapshots: every run opens fresh jobs and measures balances from where the
// previous run left them. Each transaction is mined at a timestamp the model chose, so time rules are exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AbiCoder, Interface, MaxUint256, type InterfaceAbi } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { JOB_ESCROW_ABI } from '../../../src/main/market/abi/job-escrow-abi';
import { PROVIDER_REGISTRY_ABI } from '../../../src/main/market/abi/provider-registry-abi';
import { jobEscrowInterface } from '../../../src/main/market/job-escrow';
import { computeJobId, jobDeadline, jobTermsTuple, type JobTerms } from '../../../src/main/market/job-terms';
import { providerRegistryInterface } from '../../../src/main/market/provider-registry';
import { compactVoucherSignature, signVoucher, type VoucherDomain } from '../../../src/main/market/voucher';
import { startMarketChain, type MarketChain } from './market-fixture';

const RUNS = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 200);
const MAX_STEPS = 40;

const RENTERS = [1, 3, 6];
const PROVIDERS = [2, 4, 7];
const STRANGER = 5;

const errors = new Interface([
  ...JOB_ESCROW_ABI.filter((i) => i.type === 'error'),
  ...PROVIDER_REGISTRY_ABI.filter((i) => i.type === 'error'),
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
] as InterfaceAbi);
const erc20 = new Interface(['function balanceOf(address) view returns (uint256)']);
const coder = AbiCoder.defaultAbiCoder();

type Status = 'Open' | 'Started' | 'Closed' | 'Cancelled';
const STATUS_CODE: Record<Status, bigint> = { Open: 1n, Started: 2n, Closed: 3n, Cancelled: 4n };

interface ModelVoucher {
  jobId: string;
  amount: bigint;
  /** Account index that signed. */
  signer: number;
  r: string;
  vs: string;
}

interface ModelJob {
  jobId: string;
  terms: JobTerms;
  renter: number;
  provider: number;
  status: Status;
  /** Started by startJob or a payment: its closing counts for the provider's reputation. */
  started: boolean;
  paid: bigint;
  refunded: bigint;
  /** The largest amount the renter itself signed for this job. */
  maxSigned: bigint;
  vouchers: ModelVoucher[];
}

// ------------------------------------------------------------------------------------------ commands

type Command =
  | {
      kind: 'open';
      renter: number;
      provider: number;
      selfDeal: boolean;
      deposit: bigint;
      price: bigint;
      maxSeconds: bigint;
      startIn: bigint;
    }
  | { kind: 'start'; job: number; byProvider: boolean }
  | { kind: 'sign'; job: number; permille: number; forger: boolean }
  | { kind: 'redeem'; job: number; voucher: number; byStranger: boolean }
  | { kind: 'pay'; jobs: number[]; permille: number; many: boolean }
  | { kind: 'replay'; from: number; to: number; voucher: number }
  | { kind: 'redeemMany'; items: { job: number; voucher: number }[] }
  | { kind: 'finish'; job: number; voucher: number; withVoucher: boolean; byProvider: boolean }
  | { kind: 'cancel'; job: number; byRenter: boolean }
  | { kind: 'reclaim'; job: number; byRenter: boolean }
  | { kind: 'warp'; seconds: bigint };

const index = fc.nat({ max: 1000 });
/** true with probability `p` (in tenths), deterministically from fast-check's seed. */
const likely = (tenths: number) => fc.nat({ max: 9 }).map((n) => n < tenths);
const openArb = fc.record({
  kind: fc.constant('open' as const),
  renter: fc.nat({ max: 2 }),
  provider: fc.nat({ max: 2 }),
  selfDeal: fc.constant(false),
  deposit: fc.bigInt({ min: 1n, max: 50_000_000n }),
  price: fc.bigInt({ min: 1n, max: 20_000n }),
  maxSeconds: fc.bigInt({ min: 1n, max: 3_600n }),
  startIn: fc.bigInt({ min: 1n, max: 1_200n }),
});
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('open' as const),
      renter: fc.nat({ max: 2 }),
      provider: fc.nat({ max: 2 }),
      selfDeal: fc.nat({ max: 19 }).map((n) => n === 0),
      deposit: fc.oneof({ weight: 20, arbitrary: fc.bigInt({ min: 1n, max: 50_000_000n }) }, fc.constant(0n)),
      price: fc.oneof({ weight: 20, arbitrary: fc.bigInt({ min: 1n, max: 20_000n }) }, fc.constant(0n)),
      maxSeconds: fc.oneof({ weight: 20, arbitrary: fc.bigInt({ min: 1n, max: 3_600n }) }, fc.constant(0n)),
      startIn: fc.oneof(
        { weight: 10, arbitrary: fc.bigInt({ min: 1n, max: 1_200n }) },
        fc.bigInt({ min: -5n, max: 0n }),
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('start' as const), job: index, byProvider: likely(8) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('sign' as const),
      job: index,
      permille: fc.nat({ max: 1500 }),
      forger: likely(2),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      jobs: fc.array(index, { minLength: 1, maxLength: 4 }),
      permille: fc.nat({ max: 400 }),
      many: likely(3),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('redeem' as const),
      job: index,
      voucher: index,
      byStranger: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('replay' as const), from: index, to: index, voucher: index }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('redeemMany' as const),
      items: fc.array(fc.record({ job: index, voucher: index }), { minLength: 0, maxLength: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('finish' as const),
      job: index,
      voucher: index,
      withVoucher: fc.boolean(),
      byProvider: likely(8),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cancel' as const), job: index, byRenter: likely(8) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('reclaim' as const), job: index, byRenter: likely(9) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('warp' as const),
      // Deadlines are up to 1,200 + 3,600 + 86,400 s away: jump there often.
      seconds: fc.oneof(
        { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 900n }) },
        { weight: 3, arbitrary: fc.constantFrom(3_600n, 86_400n, 95_000n) },
      ),
    }),
  },
);

// ------------------------------------------------------------------------------------------ the run

let chain: MarketChain;
let domain: VoucherDomain;
let steps = 0;
let transactions = 0;
const outcomes = new Map<string, number>();

beforeAll(async () => {
  await buildContracts({ log: () => {} });
  chain = await startMarketChain();
  domain = await chain.escrowAs(0).domain();
  for (const renter of RENTERS)
    await (await chain.tokenAt(chain.token, chain.signer(renter)).approve!(chain.escrow, MaxUint256)).wait();
}, 60_000);
afterAll(async () => {
  console.log(
    `escrow properties: ${RUNS} runs, ${steps} steps, ${transactions} transactions; outcomes: ` +
      [...outcomes.entries()].map(([k, v]) => `${k} ${v}`).join(', '),
  );
  await chain?.close();
});

async function call(to: string, data: string): Promise<string> {
  return (await chain.engine.request('eth_call', [{ to, data }, 'latest'])) as string;
}
const tokenBalance = async (who: string) =>
  BigInt(await call(chain.token, erc20.encodeFunctionData('balanceOf', [who])));

interface Outcome {
  /** The custom error's name, or undefined when the transaction succeeded. */
  error: string | undefined;
  logs: { topics: string[] }[];
}

/** Mines one transaction at `timestamp` (no gas estimate: a refused one is mined and reverts). */
async function sendAt(timestamp: bigint, from: number, to: string, data: string): Promise<Outcome> {
  transactions += 1;
  await chain.engine.request('evm_setNextBlockTimestamp', [Number(timestamp)]);
  const hash = await chain.engine.request('eth_sendTransaction', [
    { from: chain.accounts[from], to, data, gas: '0x7a1200' },
  ]);
  const receipt = (await chain.engine.request('eth_getTransactionReceipt', [hash])) as {
    status: string;
    logs: { topics: string[] }[];
  };
  if (receipt.status === '0x1') return { error: undefined, logs: receipt.logs };
  const trace = (await chain.engine.request('debug_traceTransaction', [
    hash,
    { disableStack: true, disableMemory: true, disableStorage: true },
  ])) as { returnValue: string };
  const data_ = trace.returnValue.startsWith('0x') ? trace.returnValue : `0x${trace.returnValue}`;
  return { error: errors.parseError(data_)?.name ?? `unknown revert ${data_}`, logs: [] };
}

async function runSequence(commands: Command[]) {
  const jobs: ModelJob[] = [];
  const accountsOf = [...RENTERS, ...PROVIDERS].map((i) => chain.accounts[i]!);
  const start = {
    escrow: await tokenBalance(chain.escrow),
    balances: await Promise.all(accountsOf.map(tokenBalance)),
    reputation: await Promise.all(PROVIDERS.map(reputation)),
  };
  let nonce = BigInt(await call(chain.escrow, jobEscrowInterface.encodeFunctionData('jobCount')));
  let now = await chain.now();
  let pendingWarp = 0n;
  const nextTime = () => {
    now += 1n + pendingWarp;
    pendingWarp = 0n;
    return now;
  };
  const pick = <T>(list: T[], i: number): T | undefined =>
    list.length === 0 ? undefined : list[i % list.length];
  const voucherOf = (job: ModelJob, i: number) => pick(job.vouchers, i);

  /** What redeeming `voucher` on `job` would do under the rules, from `state` (paid, status). */
  const redeemRule = (job: ModelJob, state: { paid: bigint; status: Status }, voucher: ModelVoucher) => {
    if (state.status !== 'Open' && state.status !== 'Started') return { error: 'JobNotActive' };
    const total = voucher.amount < job.terms.deposit ? voucher.amount : job.terms.deposit;
    if (total <= state.paid) return { error: 'NothingToRedeem' };
    if (voucher.jobId !== job.jobId || voucher.signer !== job.renter) return { error: 'SignerNotRenter' };
    return { total };
  };

  for (const command of commands) {
    steps += 1;
    let expected: string | undefined;
    let outcome: Outcome | undefined;
    switch (command.kind) {
      case 'warp':
        pendingWarp += command.seconds;
        break;

      case 'open': {
        const renter = RENTERS[command.renter]!;
        const provider = command.selfDeal ? renter : PROVIDERS[command.provider]!;
        const t = nextTime();
        const startDeadline = t + command.startIn;
        expected =
          provider === renter
            ? 'ProviderIsRenter'
            : command.deposit === 0n
              ? 'ZeroDeposit'
              : command.price === 0n
                ? 'ZeroPrice'
                : command.maxSeconds === 0n
                  ? 'ZeroDuration'
                  : startDeadline <= t
                    ? 'StartDeadlineInPast'
                    : undefined;
        const data = jobEscrowInterface.encodeFunctionData('openJob', [
          chain.accounts[provider],
          chain.token,
          command.deposit,
          command.price,
          command.maxSeconds,
          `0x${nonce.toString(16).padStart(64, '0')}`,
          startDeadline,
        ]);
        outcome = await sendAt(t, renter, chain.escrow, data);
        if (!expected && !outcome.error) {
          const terms: JobTerms = {
            renter: chain.accounts[renter]!,
            provider: chain.accounts[provider]!,
            token: chain.token,
            deposit: command.deposit,
            pricePerSecond: command.price,
            maxSeconds: command.maxSeconds,
            specHash: `0x${nonce.toString(16).padStart(64, '0')}`,
            startDeadline,
            nonce,
          };
          nonce += 1n;
          const jobId = computeJobId(domain.chainId, chain.escrow, terms);
          const opened = outcome.logs.find(
            (l) => l.topics[0] === jobEscrowInterface.getEvent('JobOpened')!.topicHash,
          );
          expect(opened?.topics[1]).toBe(jobId);
          jobs.push({
            jobId,
            terms,
            renter,
            provider,
            status: 'Open',
            started: false,
            paid: 0n,
            refunded: 0n,
            maxSigned: 0n,
            vouchers: [],
          });
        }
        break;
      }

      case 'sign': {
        const job = pick(jobs, command.job);
        if (!job) break;
        const amount = (job.terms.deposit * BigInt(command.permille)) / 1000n;
        const signer = command.forger ? job.provider : job.renter;
        const signed = await signVoucher(chain.wallet(signer), domain, {
          jobId: job.jobId,
          cumulativeAmount: amount,
        });
        job.vouchers.push({ jobId: job.jobId, amount, signer, ...compactVoucherSignature(signed.signature) });
        if (signer === job.renter && amount > job.maxSigned) job.maxSigned = amount;
        break;
      }

      case 'start': {
        const job = pick(jobs, command.job);
        if (!job) break;
        const t = nextTime();
        expected = !command.byProvider
          ? 'NotProvider'
          : job.status !== 'Open'
            ? 'JobNotOpen'
            : t > job.terms.startDeadline
              ? 'StartDeadlinePassed'
              : undefined;
        const data = jobEscrowInterface.encodeFunctionData('startJob', [jobTermsTuple(job.terms)]);
        outcome = await sendAt(t, command.byProvider ? job.provider : STRANGER, chain.escrow, data);
        if (!expected) {
          job.status = 'Started';
          job.started = true;
        }
        break;
      }

      case 'pay': {
        // The usual flow: the renter signs the next voucher and the provider redeems it at once (or, with
        // `many`, several jobs' fresh vouchers in one redeemMany, applied in order to a copy of the model).
        const picked = (command.many ? command.jobs : command.jobs.slice(0, 1)).flatMap((j) => {
          const job = pick(jobs, j);
          return job ? [job] : [];
        });
        if (picked.length === 0) break;
        const state = new Map(jobs.map((j) => [j, { paid: j.paid, status: j.status }]));
        const items: unknown[][] = [];
        for (const job of picked) {
          const amount = state.get(job)!.paid + (job.terms.deposit * BigInt(command.permille)) / 1000n;
          const signed = await signVoucher(chain.wallet(job.renter), domain, {
            jobId: job.jobId,
            cumulativeAmount: amount,
          });
          const voucher = {
            jobId: job.jobId,
            amount,
            signer: job.renter,
            ...compactVoucherSignature(signed.signature),
          };
          job.vouchers.push(voucher);
          if (amount > job.maxSigned) job.maxSigned = amount;
          items.push([jobTermsTuple(job.terms), voucher.amount, voucher.r, voucher.vs]);
          const rule = redeemRule(job, state.get(job)!, voucher);
          if (rule.error) expected ??= rule.error;
          else state.set(job, { paid: rule.total!, status: 'Started' });
        }
        const data = command.many
          ? jobEscrowInterface.encodeFunctionData('redeemMany', [items])
          : jobEscrowInterface.encodeFunctionData('redeem', items[0]!);
        outcome = await sendAt(nextTime(), picked[0]!.provider, chain.escrow, data);
        if (!expected)
          for (const [job, s] of state) {
            if (s.status === 'Started') job.started = true;
            job.paid = s.paid;
            job.status = s.status;
          }
        break;
      }

      case 'redeem':
      case 'replay': {
        const job = pick(jobs, command.kind === 'redeem' ? command.job : command.to);
        const source = pick(jobs, command.kind === 'redeem' ? command.job : command.from);
        const voucher = source && voucherOf(source, command.voucher);
        if (!job || !voucher) break;
        const rule = redeemRule(job, job, voucher);
        expected = rule.error;
        const data = jobEscrowInterface.encodeFunctionData('redeem', [
          jobTermsTuple(job.terms),
          voucher.amount,
          voucher.r,
          voucher.vs,
        ]);
        const sender = command.kind === 'redeem' && command.byStranger ? STRANGER : job.provider;
        outcome = await sendAt(nextTime(), sender, chain.escrow, data);
        if (rule.total !== undefined) {
          job.paid = rule.total;
          job.status = 'Started';
          job.started = true;
        }
        break;
      }

      case 'redeemMany': {
        const items = command.items.flatMap(({ job: j, voucher: v }) => {
          const job = pick(jobs, j);
          const voucher = job && voucherOf(job, v);
          return job && voucher ? [{ job, voucher }] : [];
        });
        if (command.items.length > 0 && items.length === 0) break;
        // Applied in order to a copy: the first refused item fails the whole batch.
        const state = new Map(jobs.map((j) => [j, { paid: j.paid, status: j.status }]));
        expected = items.length === 0 ? 'EmptyBatch' : undefined;
        for (const { job, voucher } of items) {
          if (expected) break;
          const s = state.get(job)!;
          const rule = redeemRule(job, s, voucher);
          if (rule.error) expected = rule.error;
          else state.set(job, { paid: rule.total!, status: 'Started' });
        }
        const data = jobEscrowInterface.encodeFunctionData('redeemMany', [
          items.map(({ job, voucher }) => [jobTermsTuple(job.terms), voucher.amount, voucher.r, voucher.vs]),
        ]);
        outcome = await sendAt(nextTime(), STRANGER, chain.escrow, data);
        if (!expected)
          for (const [job, s] of state) {
            if (s.status === 'Started') job.started = true;
            job.paid = s.paid;
            job.status = s.status;
          }
        break;
      }

      case 'finish': {
        const job = pick(jobs, command.job);
        if (!job) break;
        const voucher = command.withVoucher ? voucherOf(job, command.voucher) : undefined;
        const amount = voucher?.amount ?? 0n;
        const total = amount < job.terms.deposit ? amount : job.terms.deposit;
        expected = !command.byProvider
          ? 'NotProvider'
          : job.status !== 'Open' && job.status !== 'Started'
            ? 'JobNotActive'
            : total > job.paid && (!voucher || voucher.signer !== job.renter)
              ? 'SignerNotRenter'
              : undefined;
        const data = jobEscrowInterface.encodeFunctionData('finish', [
          jobTermsTuple(job.terms),
          amount,
          voucher?.r ?? `0x${'00'.repeat(32)}`,
          voucher?.vs ?? `0x${'00'.repeat(32)}`,
        ]);
        outcome = await sendAt(
          nextTime(),
          command.byProvider ? job.provider : job.renter,
          chain.escrow,
          data,
        );
        if (!expected) {
          if (total > job.paid) {
            job.paid = total;
            job.started = true;
          }
          job.refunded = job.terms.deposit - job.paid;
          job.status = 'Closed';
        }
        break;
      }

      case 'cancel': {
        const job = pick(jobs, command.job);
        if (!job) break;
        expected = !command.byRenter ? 'NotRenter' : job.status !== 'Open' ? 'JobNotOpen' : undefined;
        const data = jobEscrowInterface.encodeFunctionData('cancel', [jobTermsTuple(job.terms)]);
        outcome = await sendAt(nextTime(), command.byRenter ? job.renter : job.provider, chain.escrow, data);
        if (!expected) {
          job.status = 'Cancelled';
          job.refunded = job.terms.deposit;
        }
        break;
      }

      case 'reclaim': {
        const job = pick(jobs, command.job);
        if (!job) break;
        const t = nextTime();
        expected = !command.byRenter
          ? 'NotRenter'
          : job.status !== 'Open' && job.status !== 'Started'
            ? 'JobNotActive'
            : t < jobDeadline(job.terms)
              ? 'DeadlineNotReached'
              : undefined;
        const data = jobEscrowInterface.encodeFunctionData('reclaim', [jobTermsTuple(job.terms)]);
        outcome = await sendAt(t, command.byRenter ? job.renter : job.provider, chain.escrow, data);
        if (!expected) {
          job.refunded = job.terms.deposit - job.paid;
          job.status = 'Closed';
        }
        break;
      }
    }
    if (outcome) {
      const key = `${command.kind}:${outcome.error ?? 'ok'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      expect(
        outcome.error,
        `${command.kind} ${JSON.stringify(command, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`,
      ).toBe(expected);
    }
    await checkInvariants(jobs, start, accountsOf);
  }
}

async function reputation(providerIndex: number) {
  const address = chain.accounts[providerIndex]!;
  const [rep] = providerRegistryInterface.decodeFunctionResult(
    'reputationOf',
    await call(chain.registry, providerRegistryInterface.encodeFunctionData('reputationOf', [address])),
  ) as unknown as [[bigint, bigint, bigint]];
  const earned = BigInt(
    await call(
      chain.registry,
      providerRegistryInterface.encodeFunctionData('earned', [address, chain.token]),
    ),
  );
  return { settled: rep[0], refunded: rep[1], seconds: rep[2], earned };
}

async function checkInvariants(
  jobs: ModelJob[],
  start: { escrow: bigint; balances: bigint[]; reputation: Awaited<ReturnType<typeof reputation>>[] },
  accounts: string[],
) {
  // Every job's on-chain state is the model's, and within its limits.
  for (const job of jobs) {
    const [status, paid] = coder.decode(
      ['uint8', 'uint128'],
      await call(chain.escrow, jobEscrowInterface.encodeFunctionData('jobState', [job.jobId])),
    ) as unknown as [bigint, bigint];
    expect({ status, paid }, job.jobId).toEqual({ status: STATUS_CODE[job.status], paid: job.paid });
    expect(job.paid <= job.terms.deposit).toBe(true); // never more than the deposit
    expect(job.paid <= job.maxSigned).toBe(true); // never more than the renter signed
    if (job.status === 'Closed' || job.status === 'Cancelled')
      expect(job.paid + job.refunded).toBe(job.terms.deposit); // reclaim and redeem never overlap
  }
  // The escrow holds exactly the open deposits minus what they paid.
  const held = jobs
    .filter((j) => j.status === 'Open' || j.status === 'Started')
    .reduce((sum, j) => sum + j.terms.deposit - j.paid, 0n);
  expect(await tokenBalance(chain.escrow)).toBe(start.escrow + held);
  // Renters lost their deposits and got their refunds; providers got exactly what was paid to them.
  const indexes = [...RENTERS, ...PROVIDERS];
  const balances = await Promise.all(accounts.map(tokenBalance));
  indexes.forEach((account, i) => {
    const asRenter = jobs.filter((j) => j.renter === account);
    const asProvider = jobs.filter((j) => j.provider === account);
    const expected =
      start.balances[i]! -
      asRenter.reduce((s, j) => s + j.terms.deposit - j.refunded, 0n) +
      asProvider.reduce((s, j) => s + j.paid, 0n);
    expect(balances[i], `balance of account ${account}`).toBe(expected);
  });
  // Reputation: one count per closed job the provider had started, and what it was paid.
  for (const [i, provider] of PROVIDERS.entries()) {
    const closed = jobs.filter((j) => j.provider === provider && j.status === 'Closed' && j.started);
    const now = await reputation(provider);
    const was = start.reputation[i]!;
    expect(now).toEqual({
      settled: was.settled + BigInt(closed.filter((j) => j.paid > 0n).length),
      refunded: was.refunded + BigInt(closed.filter((j) => j.paid === 0n).length),
      seconds: was.seconds + closed.reduce((s, j) => s + j.paid / j.terms.pricePerSecond, 0n),
      earned: was.earned + closed.reduce((s, j) => s + j.paid, 0n),
    });
  }
}

describe('JobEscrow under random sequences', () => {
  it('keeps every invariant after every step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(openArb, { minLength: 1, maxLength: 3 }),
        fc.array(commandArb, { minLength: 1, maxLength: MAX_STEPS, size: 'max' }),
        async (opens, commands) => {
          await runSequence([...opens, ...commands]);
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);
});
