import type { Database } from 'better-sqlite3';
import type { Asset, TxStatus } from '../../shared/schemas/wallet';

export interface StoredTransaction {
  hash: string;
  networkId: string;
  chainId: number;
  from: string;
  to: string;
  asset: Asset;
  symbol: string;
  amount: string;
  nonce: number;
  status: TxStatus;
  blockNumber: number | null;
  fee: string | null;
  replacedBy: string | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  hash: string;
  network_id: string;
  chain_id: number;
  from_address: string;
  to_address: string;
  asset: string;
  symbol: string;
  amount: string;
  nonce: number;
  status: string;
  block_number: number | null;
  fee: string | null;
  replaced_by: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): StoredTransaction => ({
  hash: r.hash,
  networkId: r.network_id,
  chainId: r.chain_id,
  from: r.from_address,
  to: r.to_address,
  asset: r.asset as Asset,
  symbol: r.symbol,
  amount: r.amount,
  nonce: r.nonce,
  status: r.status as TxStatus,
  blockNumber: r.block_number,
  fee: r.fee,
  replacedBy: r.replaced_by,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Every payment the wallet sent, kept for good; only its status moves. */
export function createTransactionRepository(db: Database) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO wallet_transactions (hash, network_id, chain_id, from_address, to_address, asset, symbol,
         amount, nonce, status, block_number, fee, replaced_by, error, created_at, updated_at)
       VALUES (@hash, @networkId, @chainId, @from, @to, @asset, @symbol, @amount, @nonce, @status,
         @blockNumber, @fee, @replacedBy, @error, @createdAt, @updatedAt)`,
    ),
    settle: db.prepare(
      `UPDATE wallet_transactions SET status = @status, block_number = @blockNumber, fee = @fee,
         replaced_by = @replacedBy, error = @error, updated_at = @updatedAt
       WHERE network_id = @networkId AND hash = @hash`,
    ),
    get: db.prepare<[string, string], Row>(
      'SELECT * FROM wallet_transactions WHERE network_id = ? AND hash = ?',
    ),
    recent: db.prepare<[number], Row>(
      'SELECT * FROM wallet_transactions ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    recentOn: db.prepare<[string, number], Row>(
      'SELECT * FROM wallet_transactions WHERE network_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    pending: db.prepare<[], Row>(
      "SELECT * FROM wallet_transactions WHERE status = 'pending' ORDER BY created_at",
    ),
  };
  return {
    insert(tx: StoredTransaction): void {
      statements.insert.run(tx);
    },
    settle(
      networkId: string,
      hash: string,
      change: Pick<
        StoredTransaction,
        'status' | 'blockNumber' | 'fee' | 'replacedBy' | 'error' | 'updatedAt'
      >,
    ): StoredTransaction | null {
      statements.settle.run({ networkId, hash, ...change });
      const row = statements.get.get(networkId, hash);
      return row ? fromRow(row) : null;
    },
    list(networkId?: string, limit = 200): StoredTransaction[] {
      return (networkId ? statements.recentOn.all(networkId, limit) : statements.recent.all(limit)).map(
        fromRow,
      );
    },
    pending: (): StoredTransaction[] => statements.pending.all().map(fromRow),
  };
}

export type TransactionRepository = ReturnType<typeof createTransactionRepository>;
