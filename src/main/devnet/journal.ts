import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { DevnetError, DevnetJournalError } from './devnet-errors';

/**
 * The devnet's state on disk. EDR cannot dump its state, so the chain is rebuilt at every start from
 * `genesis.json` (the chain's fixed parameters) and `journal.ndjson` (every state-changing request that
 * succeeded, in order, with the timestamp of the block it mined), replayed deterministically.
 */

/** Requests that change the chain and are journaled; every other state-changing method is refused. */
export const JOURNALED_METHODS = [
  'eth_sendRawTransaction',
  'eth_sendTransaction',
  'evm_mine',
  'hardhat_mine',
  'hardhat_setBalance',
] as const;
export type JournaledMethod = (typeof JOURNALED_METHODS)[number];

export interface Genesis {
  format: 1;
  chainId: number;
  hardfork: string;
  /** The public Hardhat test mnemonic: its keys are known to everyone. */
  mnemonic: string;
  accountCount: number;
  accountBalanceWei: string;
  /** Genesis block time (Unix seconds), fixed at the first start so every rebuild has the same blocks. */
  initialTimestamp: number;
  createdAt: string;
  /** What built the chain first (for diagnosis only). */
  engine?: Record<string, string>;
}

export interface JournalEntry {
  method: JournaledMethod;
  params: unknown[];
  /** The newest block's number once the request was done. */
  block: number;
  /** Timestamp of the first block the request mined; absent when it mined none (hardhat_setBalance). */
  time?: number;
  /** The transaction hash a sent transaction got; a replay must give the same. */
  result?: string;
  /** What the entry is for, when we sent it ourselves: `deploy:<ContractName>`. */
  label?: string;
}

export interface NumberedEntry {
  /** 1-based line in the journal file. */
  line: number;
  entry: JournalEntry;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function checkEntry(value: unknown): JournalEntry | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const e = value as Record<string, unknown>;
  if (!(JOURNALED_METHODS as readonly unknown[]).includes(e.method))
    return `"method" is ${JSON.stringify(e.method)}, not one of ${JOURNALED_METHODS.join(', ')}`;
  if (!Array.isArray(e.params)) return '"params" is not an array';
  if (!isInt(e.block)) return '"block" is not a block number';
  if (e.time !== undefined && !isInt(e.time)) return '"time" is not a Unix time in seconds';
  if (e.result !== undefined && typeof e.result !== 'string') return '"result" is not a string';
  if (e.label !== undefined && typeof e.label !== 'string') return '"label" is not a string';
  return e as unknown as JournalEntry;
}

/**
 * Reads the journal. A last line without its newline (a crash while appending it) is cut off the file
 * with a warning: its request was never answered. Any other line that is not an entry is an error
 * naming the file and the line, and the file is left untouched.
 */
export function readJournal(file: string, warn: (message: string) => void): NumberedEntry[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  const lastNewline = bytes.lastIndexOf(0x0a);
  const complete = lastNewline + 1;
  const entries: NumberedEntry[] = [];
  const lines = bytes.subarray(0, complete).toString('utf8').split('\n');
  lines.pop(); // the empty string after the final newline
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new DevnetJournalError(file, index + 1, `it is not JSON (${(error as Error).message})`);
    }
    const entry = checkEntry(parsed);
    if (typeof entry === 'string') throw new DevnetJournalError(file, index + 1, entry);
    entries.push({ line: index + 1, entry });
  });
  if (complete < bytes.length) {
    warn(
      `${file}: dropped a torn last line (${bytes.length - complete} bytes without a newline, line ` +
        `${lines.length + 1}), left by a stop while it was being written; its request was never answered.`,
    );
    truncateSync(file, complete);
  }
  return entries;
}

/** Appends entries one line each and fsyncs before returning, so an answered request is on disk. */
export class JournalWriter {
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  append(entry: JournalEntry): void {
    if (this.fd === undefined) throw new DevnetError(`The journal ${this.file} is closed.`);
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Writes a file so that a crash leaves the old content or the new, never a mix. */
export function writeFileAtomically(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  try {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Directories cannot be opened for fsync on every platform (Windows); the rename is still atomic.
  }
}

export function readGenesis(file: string): Genesis | undefined {
  if (!existsSync(file)) return undefined;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DevnetError(
      `${file} is not JSON (${(error as Error).message}). Restore it, or start a fresh chain with ` +
        `\`nocturne devnet --reset\`.`,
    );
  }
  const bad = (field: string) =>
    new DevnetError(
      `${file}: "${field}" is missing or wrong, so the chain cannot be rebuilt. Restore the file, or start ` +
        `a fresh chain with \`nocturne devnet --reset\`.`,
    );
  if (value.format !== 1) throw bad('format');
  if (!isInt(value.chainId) || value.chainId === 0) throw bad('chainId');
  if (typeof value.hardfork !== 'string' || !value.hardfork) throw bad('hardfork');
  if (typeof value.mnemonic !== 'string' || value.mnemonic.split(' ').length < 12) throw bad('mnemonic');
  if (!isInt(value.accountCount) || value.accountCount < 1 || value.accountCount > 100)
    throw bad('accountCount');
  if (typeof value.accountBalanceWei !== 'string' || !/^\d+$/.test(value.accountBalanceWei))
    throw bad('accountBalanceWei');
  if (!isInt(value.initialTimestamp)) throw bad('initialTimestamp');
  return value as unknown as Genesis;
}
