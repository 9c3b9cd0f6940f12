import { formatUnits } from 'ethers';
import type { Chosen } from './choose-provider';
import type { OpenedJob } from './escrow-deposit';
import type { JobSessionResult } from './job-client-types';
import type { SkippedProvider } from './rent-error';
import type { RentDeps, RentResult } from './rent-types';

/** What the rental comes to once its session ended: the choice, the deposit, and what was paid of it. */
export function buildRentResult(
  deps: Pick<RentDeps, 'chainId' | 'escrow' | 'token'>,
  chosen: Chosen,
  opened: OpenedJob,
  outcome: JobSessionResult,
  skipped: SkippedProvider[],
): RentResult {
  const { entry, deposit } = chosen;
  return {
    jobId: opened.jobId,
    chainId: deps.chainId,
    escrow: deps.escrow.address,
    provider: { address: entry.provider, peerId: entry.offer.peerId, gpuModel: entry.offer.gpuModel },
    token: deps.token,
    pricePerSecond: BigInt(chosen.quote.pricePerSecond),
    maxSeconds: chosen.maxSeconds,
    deposit,
    status: outcome.status,
    reason: outcome.reason,
    exitCode: outcome.exitCode,
    secondsBilled: Math.floor(outcome.billedMs / 1000),
    paid: outcome.signed,
    acknowledged: outcome.acknowledged,
    refundExpected: deposit - outcome.signed,
    reclaimableAt: opened.reclaimableAt,
    outputs: outcome.outputs && {
      dir: outcome.outputs.dir,
      files: outcome.outputs.files,
      bytes: outcome.outputs.bytes,
    },
    localJobId: outcome.localJobId,
    voucherRefusals: outcome.voucherRefusals,
    txs: { approve: opened.approveTx, openJob: opened.openTx, startJob: outcome.startTx },
    skipped,
  };
}

/** The result with amounts as decimal strings and dates as ISO text, for --json. */
export function rentResultJson(result: RentResult): Record<string, unknown> {
  const units = (value: bigint) => formatUnits(value, result.token.decimals);
  return {
    jobId: result.jobId,
    chainId: result.chainId,
    escrow: result.escrow,
    provider: result.provider,
    token: result.token,
    status: result.status,
    reason: result.reason,
    exitCode: result.exitCode,
    secondsBilled: result.secondsBilled,
    pricePerSecond: result.pricePerSecond.toString(),
    pricePerHour: units(result.pricePerSecond * 3600n),
    maxSeconds: result.maxSeconds,
    deposit: result.deposit.toString(),
    paid: result.paid.toString(),
    paidFormatted: units(result.paid),
    acknowledged: result.acknowledged.toString(),
    refundExpected: result.refundExpected.toString(),
    refundExpectedFormatted: units(result.refundExpected),
    reclaimableAt: result.reclaimableAt.toISOString(),
    outputs: result.outputs,
    localJobId: result.localJobId,
    voucherRefusals: result.voucherRefusals.map((r) => ({
      ...r,
      cumulativeAmount: r.cumulativeAmount.toString(),
    })),
    txs: result.txs,
    skipped: result.skipped,
  };
}
