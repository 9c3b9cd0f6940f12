import type { JobTerms } from '../market/job-terms';
import { signVoucher, type VoucherSigner } from '../market/voucher';
import type { ProviderMessage, RenterMessage } from '../p2p/job-messages';
import type { JobSessionEvent, VoucherRefusal } from './job-client-types';

type Terms = Pick<JobTerms, 'deposit' | 'pricePerSecond' | 'maxSeconds'>;

/**
 * What to sign when the provider says `owed`: exactly that, but never above the deposit, and never more
 * than price x the seconds since the provider accepted (rounded up, at most maxSeconds) on the renter's
 * own clock, so a provider cannot bill time that has not passed. `elapsedMs` is null before the
 * acceptance: nothing may be owed yet. `why` names the cap that bit, empty when none did.
 */
export function voucherTarget(
  owed: bigint,
  terms: Terms,
  elapsedMs: number | null,
): { target: bigint; why: string } {
  let target = owed;
  let why = '';
  if (target > terms.deposit) {
    target = terms.deposit;
    why = 'above the deposit';
  }
  let cap = 0n;
  if (elapsedMs !== null) {
    const seconds = BigInt(Math.ceil(Math.max(0, elapsedMs) / 1000));
    cap = terms.pricePerSecond * (seconds < terms.maxSeconds ? seconds : terms.maxSeconds);
  }
  if (target > cap) {
    target = cap;
    why = 'more than the time since the provider accepted the job allows';
  }
  return { target, why };
}

export interface RenterVouchers {
  /** Signs and sends a voucher for what `voucherTarget` allows of `owed`, unless that is signed already. */
  payUpTo(owed: bigint): Promise<void>;
  /** The provider's answer to the oldest voucher not yet answered. */
  onAck(message: Extract<ProviderMessage, { type: 'voucher-ack' }>): void;
  /** The highest voucher signed and sent. */
  signed(): bigint;
  /** The highest voucher the provider acknowledged storing. */
  acknowledged(): bigint;
  refusals(): VoucherRefusal[];
}

/**
 * The renter's vouchers in one session. A refused voucher is reported, not retried: the next voucher is for
 * the next amount owed (cumulative, so it covers the refused one's).
 */
export function createRenterVouchers(deps: {
  terms: JobTerms;
  signer: VoucherSigner;
  chainId: number;
  escrow: string;
  jobId: string;
  /** Milliseconds since the provider accepted, on the billing clock; null before. */
  elapsedMs(): number | null;
  send(message: RenterMessage): Promise<void>;
  emit(event: JobSessionEvent): void;
}): RenterVouchers {
  const { emit } = deps;
  let signed = 0n;
  let acknowledged = 0n;
  const pendingAcks: bigint[] = [];
  const refusals: VoucherRefusal[] = [];
  let lastCapped: bigint | null = null;
  let lastCappedTo: bigint | null = null;

  return {
    async payUpTo(owed) {
      const { target, why } = voucherTarget(owed, deps.terms, deps.elapsedMs());
      // Said once per claim, not at every status that repeats it.
      if (target < owed && (owed !== lastCapped || target !== lastCappedTo)) {
        lastCapped = owed;
        lastCappedTo = target;
        emit({ type: 'owed-capped', owed, signing: target, why });
      }
      if (target <= signed) return;
      const voucher = await signVoucher(
        deps.signer,
        { chainId: BigInt(deps.chainId), verifyingContract: deps.escrow },
        { jobId: deps.jobId, cumulativeAmount: target },
      );
      signed = target;
      pendingAcks.push(target);
      await deps.send({
        v: 1,
        type: 'voucher',
        cumulativeAmount: target.toString(),
        signature: voucher.signature,
      });
      emit({ type: 'voucher-sent', cumulativeAmount: target });
    },
    onAck(message) {
      const amount = pendingAcks.shift();
      if (message.ok) {
        const acked = BigInt(message.cumulativeAmount);
        if (acked > acknowledged && acked <= signed) acknowledged = acked;
        emit({ type: 'voucher-acked', cumulativeAmount: acked });
        return;
      }
      const refusal: VoucherRefusal = {
        cumulativeAmount: amount ?? signed,
        code: message.code,
        reason: message.reason,
      };
      refusals.push(refusal);
      emit({ type: 'voucher-refused', refusal });
    },
    signed: () => signed,
    acknowledged: () => acknowledged,
    refusals: () => [...refusals],
  };
}
