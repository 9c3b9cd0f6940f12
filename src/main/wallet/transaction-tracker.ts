import { formatEther, type JsonRpcProvider } from 'ethers';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { StoredTransaction, TransactionRepository } from './transaction-repository';

/** After this long unknown to the node with its nonce unused, a transaction counts as dropped. */
const DROPPED_AFTER_MS = 30 * 60_000;

/**
 * Follows pending payments to an end: confirmed, failed (reverted or dropped), or replaced (another
 * transaction from the same account took its nonce, e.g. a speed-up from another wallet).
 */
export function createTransactionTracker(options: {
  repository: TransactionRepository;
  provider: (networkId: string) => Promise<JsonRpcProvider>;
  clock: Clock;
  logger: Logger;
  onUpdate: (tx: StoredTransaction) => void;
  intervalMs?: number;
}) {
  const intervalMs = options.intervalMs ?? 3000;
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let stopped = false;

  async function check(tx: StoredTransaction): Promise<void> {
    const provider = await options.provider(tx.networkId);
    const receipt = await provider.getTransactionReceipt(tx.hash);
    const now = options.clock.now().getTime();
    let settled: StoredTransaction | null = null;
    if (receipt) {
      settled = options.repository.settle(tx.networkId, tx.hash, {
        status: receipt.status === 1 ? 'confirmed' : 'failed',
        blockNumber: receipt.blockNumber,
        fee: formatEther(receipt.gasUsed * receipt.gasPrice),
        replacedBy: null,
        error:
          receipt.status === 1 ? null : 'The transaction was mined but reverted; only the fee was spent.',
        updatedAt: now,
      });
    } else {
      const used = await provider.getTransactionCount(tx.from, 'latest');
      const known = used > tx.nonce ? null : await provider.getTransaction(tx.hash);
      if (used > tx.nonce) {
        // Its nonce is taken and our hash has no receipt (checked just above): another transaction won.
        settled = options.repository.settle(tx.networkId, tx.hash, {
          status: 'replaced',
          blockNumber: null,
          fee: null,
          replacedBy: null,
          error: 'Another transaction from this account with the same nonce was mined instead.',
          updatedAt: now,
        });
      } else if (!known && now - tx.createdAt > DROPPED_AFTER_MS) {
        settled = options.repository.settle(tx.networkId, tx.hash, {
          status: 'failed',
          blockNumber: null,
          fee: null,
          replacedBy: null,
          error: 'The network dropped the transaction; nothing was spent.',
          updatedAt: now,
        });
      }
    }
    if (settled) options.onUpdate(settled);
  }

  async function pollOnce(): Promise<void> {
    for (const tx of options.repository.pending()) {
      if (stopped) return;
      await check(tx).catch((error: unknown) =>
        options.logger.warn(`Could not check transaction ${tx.hash}: ${(error as Error).message}`),
      );
    }
  }

  function schedule(delay: number): void {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void poll().then(() => {
        if (options.repository.pending().length > 0) schedule(intervalMs);
      });
    }, delay);
    timer.unref();
  }

  function poll(): Promise<void> {
    polling ??= pollOnce().finally(() => (polling = null));
    return polling;
  }

  return {
    /** Checks pending transactions now, then every few seconds while any is pending. */
    watch(): void {
      schedule(0);
    },
    poll,
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export type TransactionTracker = ReturnType<typeof createTransactionTracker>;
