import {
  Contract,
  getAddress,
  Interface,
  type ContractRunner,
  type Log,
  type Overrides,
  type TransactionReceipt,
  ZeroHash,
} from 'ethers';
import { JOB_ESCROW_ABI } from './abi/job-escrow-abi';
import {
  computeJobId,
  jobDeadline,
  jobStatusName,
  jobTermsFrom,
  jobTermsTuple,
  type JobStatus,
  type JobTerms,
} from './job-terms';
import { readContract, sendContract } from './contract-calls';
import { compactVoucherSignature, type SignedVoucher, type VoucherDomain } from './voucher';

export const jobEscrowInterface = new Interface(JOB_ESCROW_ABI);

export interface OpenJobRequest {
  provider: string;
  token: string;
  deposit: bigint;
  pricePerSecond: bigint;
  maxSeconds: bigint;
  /** 0x-prefixed 32 bytes. */
  specHash: string;
  /** Unix seconds; must be in the future. */
  startDeadline: bigint;
}

export interface OpenedJob {
  jobId: string;
  terms: JobTerms;
  receipt: TransactionReceipt;
}

/** A voucher paid: JobRedeemed. The job has paid `totalPaid` to its provider in all, so far. */
export interface Redeemed {
  jobId: string;
  totalPaid: bigint;
}

export interface JobState {
  status: JobStatus;
  paid: bigint;
}

/** What a state-changing call gives back: its receipt and the escrow's events in it. */
export interface EscrowReceipt {
  receipt: TransactionReceipt;
  /** Payments made (JobRedeemed), in order. */
  redeemed: Redeemed[];
  /** Refunds to renters (JobCancelled, JobFinished, JobReclaimed), by job id. */
  refunds: Map<string, bigint>;
}

/** JobEscrow's events, decoded. */
export type EscrowEvent =
  | { name: 'JobOpened'; jobId: string; terms: JobTerms }
  | { name: 'JobStarted'; jobId: string }
  | { name: 'JobRedeemed'; jobId: string; totalPaid: bigint }
  | { name: 'JobCancelled'; jobId: string; refund: bigint }
  | { name: 'JobFinished'; jobId: string; totalPaid: bigint; refund: bigint }
  | { name: 'JobReclaimed'; jobId: string; totalPaid: bigint; refund: bigint };

/** Decodes JobEscrow's events from logs (others, and logs of other contracts, are skipped). */
export function parseEscrowEvents(logs: readonly Log[], escrow: string): EscrowEvent[] {
  const address = getAddress(escrow);
  const events: EscrowEvent[] = [];
  for (const log of logs) {
    if (getAddress(log.address) !== address) continue;
    const parsed = jobEscrowInterface.parseLog({ topics: [...log.topics], data: log.data });
    if (!parsed) continue;
    const a = parsed.args;
    const jobId = String(a.jobId);
    switch (parsed.name) {
      case 'JobOpened':
        events.push({ name: 'JobOpened', jobId, terms: jobTermsFrom(a.terms as Record<string, unknown>) });
        break;
      case 'JobStarted':
        events.push({ name: 'JobStarted', jobId });
        break;
      case 'JobRedeemed':
        events.push({ name: 'JobRedeemed', jobId, totalPaid: a.totalPaid as bigint });
        break;
      case 'JobCancelled':
        events.push({ name: 'JobCancelled', jobId, refund: a.refund as bigint });
        break;
      case 'JobFinished':
      case 'JobReclaimed':
        events.push({
          name: parsed.name,
          jobId,
          totalPaid: a.totalPaid as bigint,
          refund: a.refund as bigint,
        });
        break;
    }
  }
  return events;
}

/** A redemption for redeemMany: the job's terms and the renter's latest voucher for it. */
export interface RedemptionRequest {
  terms: JobTerms;
  voucher: SignedVoucher;
}

/**
 * Typed calls to a JobEscrow. `runner` is an ethers Signer for transactions, or a Provider for reads.
 * Transactions wait for their receipt; a contract refusal throws MarketContractError with the custom
 * error's name and arguments (from the gas estimate, so nothing is sent).
 */
export class JobEscrowClient {
  readonly address: string;
  readonly contract: Contract;

  constructor(
    address: string,
    readonly runner: ContractRunner,
  ) {
    this.address = getAddress(address);
    this.contract = new Contract(this.address, jobEscrowInterface, runner);
  }

  connect(runner: ContractRunner): JobEscrowClient {
    return new JobEscrowClient(this.address, runner);
  }

  /** The voucher domain for this escrow, with the chain id from the runner's provider. */
  async domain(): Promise<VoucherDomain> {
    const provider = this.runner.provider;
    if (!provider) throw new Error('JobEscrowClient.domain() needs a runner with a provider.');
    const { chainId } = await provider.getNetwork();
    return { chainId, verifyingContract: this.address };
  }

  /** The job id these terms have on this escrow (computed locally). */
  async jobIdOf(terms: JobTerms): Promise<string> {
    return computeJobId((await this.domain()).chainId, this.address, terms);
  }

  async openJob(request: OpenJobRequest, overrides: Overrides = {}): Promise<OpenedJob> {
    const { receipt } = await this.send(
      'openJob',
      [
        request.provider,
        request.token,
        request.deposit,
        request.pricePerSecond,
        request.maxSeconds,
        request.specHash,
        request.startDeadline,
      ],
      overrides,
    );
    const opened = parseEscrowEvents(receipt.logs, this.address).find((e) => e.name === 'JobOpened');
    if (!opened || opened.name !== 'JobOpened')
      throw new Error('openJob succeeded without a JobOpened event');
    return { jobId: opened.jobId, terms: opened.terms, receipt };
  }

  startJob(terms: JobTerms, overrides: Overrides = {}): Promise<EscrowReceipt> {
    return this.send('startJob', [jobTermsTuple(terms)], overrides);
  }

  redeem(terms: JobTerms, voucher: SignedVoucher, overrides: Overrides = {}): Promise<EscrowReceipt> {
    const { r, vs } = compactVoucherSignature(voucher.signature);
    return this.send('redeem', [jobTermsTuple(terms), voucher.cumulativeAmount, r, vs], overrides);
  }

  /** All or nothing. Sorts nothing: group by (provider, token) so each group is paid in one transfer. */
  redeemMany(redemptions: readonly RedemptionRequest[], overrides: Overrides = {}): Promise<EscrowReceipt> {
    return this.send(
      'redeemMany',
      [
        redemptions.map(({ terms, voucher }) => {
          const { r, vs } = compactVoucherSignature(voucher.signature);
          return [jobTermsTuple(terms), voucher.cumulativeAmount, r, vs];
        }),
      ],
      overrides,
    );
  }

  /** Closes the job (provider only): pays `voucher` if it is above what was paid, refunds the rest. */
  finish(terms: JobTerms, voucher?: SignedVoucher, overrides: Overrides = {}): Promise<EscrowReceipt> {
    const { r, vs } = voucher ? compactVoucherSignature(voucher.signature) : { r: ZeroHash, vs: ZeroHash };
    return this.send('finish', [jobTermsTuple(terms), voucher?.cumulativeAmount ?? 0n, r, vs], overrides);
  }

  cancel(terms: JobTerms, overrides: Overrides = {}): Promise<EscrowReceipt> {
    return this.send('cancel', [jobTermsTuple(terms)], overrides);
  }

  reclaim(terms: JobTerms, overrides: Overrides = {}): Promise<EscrowReceipt> {
    return this.send('reclaim', [jobTermsTuple(terms)], overrides);
  }

  async jobState(jobId: string): Promise<JobState> {
    const [status, paid] = (await this.read('jobState', [jobId])) as [bigint, bigint];
    return { status: jobStatusName(status), paid };
  }

  async jobCount(): Promise<bigint> {
    return (await this.read('jobCount', [])) as bigint;
  }

  async registry(): Promise<string> {
    return getAddress((await this.read('registry', [])) as string);
  }

  /** When the renter may reclaim (Unix seconds). */
  deadlineOf(terms: JobTerms): bigint {
    return jobDeadline(terms);
  }

  /** The terms of a job, from its JobOpened event (undefined when there is none in the range). */
  async termsOf(jobId: string, fromBlock: number = 0): Promise<JobTerms | undefined> {
    const logs = await this.contract.queryFilter(this.contract.filters.JobOpened!(jobId), fromBlock);
    const opened = parseEscrowEvents(logs, this.address).find((e) => e.name === 'JobOpened');
    return opened?.name === 'JobOpened' ? opened.terms : undefined;
  }

  /** Jobs opened by a renter and/or for a provider, oldest first. */
  async findJobs(
    filter: { renter?: string; provider?: string; fromBlock?: number } = {},
  ): Promise<{ jobId: string; terms: JobTerms; blockNumber: number }[]> {
    const logs = await this.contract.queryFilter(
      this.contract.filters.JobOpened!(null, filter.renter ?? null, filter.provider ?? null),
      filter.fromBlock ?? 0,
    );
    return logs.flatMap((log) => {
      const [event] = parseEscrowEvents([log], this.address);
      return event?.name === 'JobOpened'
        ? [{ jobId: event.jobId, terms: event.terms, blockNumber: log.blockNumber }]
        : [];
    });
  }

  private read(method: string, args: unknown[]): Promise<unknown> {
    return readContract(this.contract, 'JobEscrow', jobEscrowInterface, method, args);
  }

  private async send(method: string, args: unknown[], overrides: Overrides): Promise<EscrowReceipt> {
    const receipt = await sendContract(
      this.contract,
      'JobEscrow',
      jobEscrowInterface,
      method,
      args,
      overrides,
    );
    const events = parseEscrowEvents(receipt.logs, this.address);
    const redeemed: Redeemed[] = [];
    const refunds = new Map<string, bigint>();
    for (const event of events) {
      if (event.name === 'JobRedeemed') redeemed.push({ jobId: event.jobId, totalPaid: event.totalPaid });
      else if (event.name === 'JobCancelled' || event.name === 'JobFinished' || event.name === 'JobReclaimed')
        refunds.set(event.jobId, event.refund);
    }
    return { receipt, redeemed, refunds };
  }
}
