import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export type SettlementStatus = 'sending' | 'confirmed' | 'failed';

export interface Settlement {
  /** The transaction's hash once mined; `attempt:<uuid>` while sending or when it failed before a hash. */
  txHash: string;
  networkId: string;
  jobIds: string[];
  /** What the attempt meant to collect (base units); the paid amount once confirmed. */
  amount: bigint;
  status: SettlementStatus;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  tx_hash: string;
  network_id: string;
  jobs_json: string;
  amount: string;
  status: string;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): Settlement => ({
  txHash: r.tx_hash,
  networkId: r.network_id,
  jobIds: JSON.parse(r.jobs_json) as string[],
  amount: BigInt(r.amount),
  status: r.status as SettlementStatus,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Every redeem / redeemMany the provider sends: written before the transaction goes out (status
 * 'sending', under a local attempt id, since the escrow client returns only with the receipt), then
 * renamed to its transaction hash when confirmed, or marked failed with the error.
 */
export function createSettlementRepository(db: Database) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO settlements (tx_hash, network_id, jobs_json, amount, status, created_at, updated_at)
       VALUES (@id, @networkId, @jobs, @amount, 'sending', @at, @at)`,
    ),
    confirm: db.prepare(
      `UPDATE settlements SET tx_hash = @txHash, amount = @amount, status = 'confirmed', error = NULL,
         updated_at = @at WHERE tx_hash = @id`,
    ),
    fail: db.prepare(
      `UPDATE settlements SET status = 'failed', error = @error, updated_at = @at WHERE tx_hash = @id`,
    ),
    recent: db.prepare<[number], Row>(
      'SELECT * FROM settlements ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
  };

  return {
    /** Records an attempt about to be sent; returns its local id. */
    begin(networkId: string, jobIds: readonly string[], amount: bigint, at: number): string {
      const id = `attempt:${randomUUID()}`;
      statements.insert.run({ id, networkId, jobs: JSON.stringify(jobIds), amount: amount.toString(), at });
      return id;
    },
    confirm(id: string, txHash: string, paid: bigint, at: number): void {
      statements.confirm.run({ id, txHash, amount: paid.toString(), at });
    },
    fail(id: string, error: string, at: number): void {
      statements.fail.run({ id, error, at });
    },
    list: (limit = 100): Settlement[] => statements.recent.all(limit).map(fromRow),
  };
}

export type SettlementRepository = ReturnType<typeof createSettlementRepository>;
