import type { Database } from 'better-sqlite3';
import type { Network } from '../../shared/schemas/network';

interface Row {
  id: string;
  name: string;
  chain_id: number;
  rpc_urls_json: string;
  explorer_url: string | null;
  native_symbol: string;
  token_json: string | null;
  contracts_json: string;
  builtin: number;
  selected: number;
}

export type StoredNetwork = Network;

function toNetwork(row: Row): Network {
  return {
    id: row.id,
    name: row.name,
    chainId: row.chain_id,
    rpcUrls: JSON.parse(row.rpc_urls_json) as string[],
    explorerUrl: row.explorer_url,
    nativeSymbol: row.native_symbol,
    token: row.token_json ? (JSON.parse(row.token_json) as Network['token']) : null,
    contracts: JSON.parse(row.contracts_json) as Record<string, string>,
    builtin: row.builtin === 1,
    selected: row.selected === 1,
  };
}

/** The network registry behind named statements. Exactly one row is selected once any exists. */
export function createNetworkRepository(db: Database) {
  const statements = {
    all: db.prepare<[], Row>('SELECT * FROM networks ORDER BY builtin DESC, created_at, id'),
    get: db.prepare<[string], Row>('SELECT * FROM networks WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO networks (id, name, chain_id, rpc_urls_json, explorer_url, native_symbol, token_json,
         contracts_json, builtin, selected, created_at)
       VALUES (@id, @name, @chainId, @rpcUrls, @explorerUrl, @nativeSymbol, @token, @contracts, @builtin, 0, @at)`,
    ),
    insertIfMissing: db.prepare(
      `INSERT INTO networks (id, name, chain_id, rpc_urls_json, explorer_url, native_symbol, token_json,
         contracts_json, builtin, selected, created_at)
       VALUES (@id, @name, @chainId, @rpcUrls, @explorerUrl, @nativeSymbol, @token, @contracts, @builtin, 0, @at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE networks SET name = @name, chain_id = @chainId, rpc_urls_json = @rpcUrls,
         explorer_url = @explorerUrl, native_symbol = @nativeSymbol, token_json = @token,
         contracts_json = @contracts WHERE id = @id`,
    ),
    remove: db.prepare<[string]>('DELETE FROM networks WHERE id = ? AND builtin = 0'),
    clearSelection: db.prepare('UPDATE networks SET selected = 0'),
    select: db.prepare<[string]>('UPDATE networks SET selected = 1 WHERE id = ?'),
  };
  const params = (n: Omit<Network, 'selected'>) => ({
    id: n.id,
    name: n.name,
    chainId: n.chainId,
    rpcUrls: JSON.stringify(n.rpcUrls),
    explorerUrl: n.explorerUrl,
    nativeSymbol: n.nativeSymbol,
    token: n.token ? JSON.stringify(n.token) : null,
    contracts: JSON.stringify(n.contracts),
    builtin: n.builtin ? 1 : 0,
  });
  const select = db.transaction((id: string) => {
    statements.clearSelection.run();
    statements.select.run(id);
  });

  return {
    list: (): Network[] => statements.all.all().map(toNetwork),
    get(id: string): Network | null {
      const row = statements.get.get(id);
      return row ? toNetwork(row) : null;
    },
    insert(network: Omit<Network, 'selected'>, at: Date): void {
      statements.insert.run({ ...params(network), at: at.toISOString() });
    },
    /**
     * Inserts unless a row has the id already: two processes opening a new data directory at once (the
     * app and a CLI command) both seed the built-in row, and the second must not fail.
     */
    insertIfMissing(network: Omit<Network, 'selected'>, at: Date): void {
      statements.insertIfMissing.run({ ...params(network), at: at.toISOString() });
    },
    update(network: Omit<Network, 'selected'>): void {
      statements.update.run(params(network));
    },
    remove: db.transaction((id: string): boolean => {
      const row = statements.get.get(id);
      if (!row || row.builtin === 1) return false;
      statements.remove.run(id);
      // Removing the selected network falls back to the built-in one.
      if (row.selected === 1) {
        const first = statements.all.all()[0];
        if (first) select(first.id);
      }
      return true;
    }),
    select,
  };
}

export type NetworkRepository = ReturnType<typeof createNetworkRepository>;
