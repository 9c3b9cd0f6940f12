import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3, ... with no gaps; stored in PRAGMA user_version once applied. */
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * Every schema change, in order. Never edit one that has shipped: add the next. Each runs once, inside
 * its own transaction together with the version bump, so a crash leaves the old schema or the new one.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings and migration log',
    up(db) {
      db.exec(`
        CREATE TABLE migration_log (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value_json TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    name: 'GPUs: limits, telemetry tiers, thermal events, benchmarks',
    up(db) {
      // Telemetry: raw samples (kept a day) roll up into per-minute and per-hour sums and counts, so a
      // chart of a month reads 720 rows, not 2.6 million. Sums + counts (not averages) let each batch
      // add to a bucket without reading it; nulls (unknown) are simply not counted.
      db.exec(`
        CREATE TABLE gpu_limits (
          gpu_id TEXT PRIMARY KEY,
          temperature_limit_c REAL NOT NULL,
          power_cap_w REAL,
          stop_after_seconds INTEGER NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE telemetry_raw (
          gpu_id TEXT NOT NULL,
          at_ms INTEGER NOT NULL,
          temperature_c REAL,
          power_w REAL,
          utilization_pct REAL,
          memory_used_mib REAL,
          fan_pct REAL
        ) STRICT;
        CREATE INDEX telemetry_raw_by_gpu_time ON telemetry_raw (gpu_id, at_ms);
        CREATE INDEX telemetry_raw_by_time ON telemetry_raw (at_ms);
        CREATE TABLE telemetry_minute (
          gpu_id TEXT NOT NULL,
          bucket_ms INTEGER NOT NULL,
          temp_sum REAL NOT NULL DEFAULT 0, temp_n INTEGER NOT NULL DEFAULT 0, temp_max REAL,
          power_sum REAL NOT NULL DEFAULT 0, power_n INTEGER NOT NULL DEFAULT 0, power_max REAL,
          util_sum REAL NOT NULL DEFAULT 0, util_n INTEGER NOT NULL DEFAULT 0,
          mem_sum REAL NOT NULL DEFAULT 0, mem_n INTEGER NOT NULL DEFAULT 0,
          fan_sum REAL NOT NULL DEFAULT 0, fan_n INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (gpu_id, bucket_ms)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE telemetry_hour (
          gpu_id TEXT NOT NULL,
          bucket_ms INTEGER NOT NULL,
          temp_sum REAL NOT NULL DEFAULT 0, temp_n INTEGER NOT NULL DEFAULT 0, temp_max REAL,
          power_sum REAL NOT NULL DEFAULT 0, power_n INTEGER NOT NULL DEFAULT 0, power_max REAL,
          util_sum REAL NOT NULL DEFAULT 0, util_n INTEGER NOT NULL DEFAULT 0,
          mem_sum REAL NOT NULL DEFAULT 0, mem_n INTEGER NOT NULL DEFAULT 0,
          fan_sum REAL NOT NULL DEFAULT 0, fan_n INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (gpu_id, bucket_ms)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE thermal_events (
          id INTEGER PRIMARY KEY,
          gpu_id TEXT NOT NULL,
          at TEXT NOT NULL,
          action TEXT NOT NULL,
          reason TEXT NOT NULL,
          temperature_c REAL
        ) STRICT;
        CREATE INDEX thermal_events_by_gpu ON thermal_events (gpu_id, id);
        CREATE TABLE benchmarks (
          id INTEGER PRIMARY KEY,
          gpu_id TEXT NOT NULL,
          gpu_name TEXT NOT NULL,
          driver_version TEXT,
          at TEXT NOT NULL,
          result_json TEXT NOT NULL
        ) STRICT;
        CREATE INDEX benchmarks_by_gpu ON benchmarks (gpu_id, id);
      `);
    },
  },
  {
    version: 3,
    name: 'availability: weekly schedule and manual pause',
    up(db) {
      // One row each: the schedule (a 7 x 96 quarter-hour grid in the owner's zone) and the pause.
      db.exec(`
        CREATE TABLE schedule (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          timezone TEXT NOT NULL,
          slots TEXT NOT NULL CHECK (length(slots) = 672),
          updated_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE manual_pause (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          since TEXT NOT NULL,
          until TEXT
        ) STRICT;
      `);
    },
  },
  {
    version: 4,
    name: 'jobs and their history',
    up(db) {
      // pid and its start time identify the job's process group across a crash without trusting a
      // recycled pid; the reconciler checks both before it kills anything.
      db.exec(`
        CREATE TABLE jobs (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          spec_json TEXT NOT NULL,
          status TEXT NOT NULL,
          reason TEXT,
          exit_code INTEGER,
          signal TEXT,
          sandbox TEXT,
          limits TEXT,
          pid INTEGER,
          pid_start_ticks INTEGER,
          workspace TEXT NOT NULL,
          output_dir TEXT NOT NULL,
          log_path TEXT NOT NULL,
          cancel_requested INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          started_at TEXT,
          ended_at TEXT
        ) STRICT;
        CREATE INDEX jobs_by_status ON jobs (status);
        CREATE TABLE job_events (
          id INTEGER PRIMARY KEY,
          job_id TEXT NOT NULL REFERENCES jobs (id),
          at TEXT NOT NULL,
          status TEXT NOT NULL,
          reason TEXT
        ) STRICT;
        CREATE INDEX job_events_by_job ON job_events (job_id, id);
      `);
    },
  },
  {
    version: 5,
    name: 'networks and wallet transactions',
    up(db) {
      // No key material here, ever: the keystore is a file of its own (see wallet/keystore). What the
      // wallet sent is kept forever, so the owner's history survives a network being removed.
      db.exec(`
        CREATE TABLE networks (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          chain_id INTEGER NOT NULL,
          rpc_urls_json TEXT NOT NULL,
          explorer_url TEXT,
          native_symbol TEXT NOT NULL,
          token_json TEXT,
          contracts_json TEXT NOT NULL,
          builtin INTEGER NOT NULL DEFAULT 0,
          selected INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE wallet_transactions (
          hash TEXT NOT NULL,
          network_id TEXT NOT NULL,
          chain_id INTEGER NOT NULL,
          from_address TEXT NOT NULL,
          to_address TEXT NOT NULL,
          asset TEXT NOT NULL,
          symbol TEXT NOT NULL,
          amount TEXT NOT NULL,
          nonce INTEGER NOT NULL,
          status TEXT NOT NULL,
          block_number INTEGER,
          fee TEXT,
          replaced_by TEXT,
          error TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (network_id, hash)
        ) STRICT;
        CREATE INDEX wallet_transactions_by_status ON wallet_transactions (status);
      `);
    },
  },
  {
    version: 6,
    name: 'earnings ledger: rentals, vouchers, settlements',
    up(db) {
      // Amounts are base units as decimal TEXT (uint256 does not fit SQLite's 64-bit integers); sums
      // are done with BigInt. A voucher row is written before the provider acknowledges it, so an
      // acknowledged voucher survives a crash; `delta` is what it added, which makes "earned today" a
      // sum over the day's rows.
      db.exec(`
        CREATE TABLE rentals (
          escrow_job_id TEXT NOT NULL,
          network_id TEXT NOT NULL,
          chain_id INTEGER NOT NULL,
          escrow TEXT NOT NULL,
          token TEXT NOT NULL,
          renter TEXT NOT NULL,
          provider TEXT NOT NULL,
          price_per_second TEXT NOT NULL,
          deposit TEXT NOT NULL,
          max_seconds INTEGER NOT NULL,
          spec_hash TEXT NOT NULL,
          local_job_id TEXT,
          status TEXT NOT NULL,
          reason TEXT,
          signed TEXT NOT NULL DEFAULT '0',
          redeemed TEXT NOT NULL DEFAULT '0',
          seconds_run INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (chain_id, escrow, escrow_job_id)
        ) STRICT;
        CREATE INDEX rentals_by_status ON rentals (status);
        CREATE TABLE vouchers (
          id INTEGER PRIMARY KEY,
          chain_id INTEGER NOT NULL,
          escrow TEXT NOT NULL,
          escrow_job_id TEXT NOT NULL,
          cumulative TEXT NOT NULL,
          delta TEXT NOT NULL,
          signature TEXT NOT NULL,
          received_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX vouchers_by_job ON vouchers (chain_id, escrow, escrow_job_id, id);
        CREATE INDEX vouchers_by_time ON vouchers (received_at);
        CREATE TABLE settlements (
          tx_hash TEXT PRIMARY KEY,
          network_id TEXT NOT NULL,
          jobs_json TEXT NOT NULL,
          amount TEXT NOT NULL,
          status TEXT NOT NULL,
          error TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 7,
    name: 'rental job terms, for settlement',
    up(db) {
      // redeem passes the job's whole terms tuple; the rental row lacks startDeadline and nonce, so the
      // provider keeps the terms as it agreed them (JSON, bigints as decimal strings). Rows from before
      // stay NULL: their terms are read back from the JobOpened event.
      db.exec(`
        ALTER TABLE rentals ADD COLUMN terms_json TEXT;
        CREATE INDEX settlements_by_status ON settlements (status);
      `);
    },
  },
  {
    version: 8,
    name: 'earnings: quarter-hour rollups, energy booked per rental, stalls and settlement transactions',
    up(db) {
      // Vouchers come every 2 s while a job runs (40,000 a day), too many to sum for every dashboard read:
      // each voucher also adds its delta to its rental's UTC quarter-hour, in the same transaction. Every
      // zone's offset is a whole number of quarter-hours, so quarters add up to local days in any zone.
      // A rental's energy and its costs are booked once, when it ends, at that day's tariff and exchange
      // rate (what a tax record needs), per quarter-hour like the earnings.
      db.exec(`
        ALTER TABLE rentals ADD COLUMN stalled_at INTEGER;
        ALTER TABLE rentals ADD COLUMN settle_tx TEXT;
        ALTER TABLE rentals ADD COLUMN booked_at INTEGER;
        ALTER TABLE rentals ADD COLUMN power_w REAL;
        ALTER TABLE rentals ADD COLUMN power_source TEXT;
        ALTER TABLE rentals ADD COLUMN energy_kwh REAL;
        ALTER TABLE rentals ADD COLUMN energy_cost REAL;
        ALTER TABLE rentals ADD COLUMN currency TEXT;
        ALTER TABLE rentals ADD COLUMN fiat_rate REAL;
        ALTER TABLE rentals ADD COLUMN rate_source TEXT;
        CREATE TABLE earnings_quarters (
          chain_id INTEGER NOT NULL,
          escrow TEXT NOT NULL,
          escrow_job_id TEXT NOT NULL,
          quarter INTEGER NOT NULL,
          earned TEXT NOT NULL,
          PRIMARY KEY (chain_id, escrow, escrow_job_id, quarter)
        ) STRICT;
        CREATE INDEX earnings_quarters_by_quarter ON earnings_quarters (quarter);
        CREATE TABLE energy_quarters (
          chain_id INTEGER NOT NULL,
          escrow TEXT NOT NULL,
          escrow_job_id TEXT NOT NULL,
          quarter INTEGER NOT NULL,
          kwh REAL NOT NULL,
          cost REAL NOT NULL,
          PRIMARY KEY (chain_id, escrow, escrow_job_id, quarter)
        ) STRICT;
        CREATE INDEX energy_quarters_by_quarter ON energy_quarters (quarter);
        CREATE INDEX rentals_by_created ON rentals (created_at);
      `);
      // The vouchers already stored, summed exactly (uint256 amounts, as decimal text).
      const sums = new Map<string, { key: [number, string, string, number]; earned: bigint }>();
      const vouchers = db
        .prepare<
          [],
          { chain_id: number; escrow: string; escrow_job_id: string; received_at: number; delta: string }
        >('SELECT chain_id, escrow, escrow_job_id, received_at, delta FROM vouchers')
        .iterate();
      for (const v of vouchers) {
        const quarter = Math.floor(v.received_at / 900_000);
        const id = `${v.chain_id}:${v.escrow}:${v.escrow_job_id}:${quarter}`;
        const sum = sums.get(id) ?? { key: [v.chain_id, v.escrow, v.escrow_job_id, quarter], earned: 0n };
        sum.earned += BigInt(v.delta);
        sums.set(id, sum);
      }
      const insert = db.prepare(
        'INSERT INTO earnings_quarters (chain_id, escrow, escrow_job_id, quarter, earned) VALUES (?, ?, ?, ?, ?)',
      );
      for (const { key, earned } of sums.values()) insert.run(...key, earned.toString());
      // Each rental's last confirmed settlement, from the settlements kept so far (they name jobs by id).
      db.exec(`
        UPDATE rentals SET settle_tx = (
          SELECT s.tx_hash FROM settlements s, json_each(s.jobs_json) j
          WHERE s.status = 'confirmed' AND s.network_id = rentals.network_id
            AND lower(j.value) = rentals.escrow_job_id
          ORDER BY s.updated_at DESC LIMIT 1)
      `);
    },
  },
];
