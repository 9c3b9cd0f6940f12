import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevnetJournalError } from '../../../src/main/devnet/devnet-errors';
import { JournalWriter, readGenesis, readJournal, type JournalEntry } from '../../../src/main/devnet/journal';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const mine = (block: number): JournalEntry => ({
  method: 'evm_mine',
  params: [],
  block,
  time: 1_800_000_000 + block,
});

describe('devnet journal', () => {
  it('reads back what the writer appended, in order', () => {
    const file = join(tempDir(), 'journal.ndjson');
    expect(readJournal(file, () => {})).toEqual([]);
    const writer = new JournalWriter(file);
    writer.append(mine(1));
    writer.append({
      method: 'hardhat_setBalance',
      params: ['0x00000000000000000000000000000000000000aa', '0x1'],
      block: 1,
    });
    writer.close();
    const entries = readJournal(file, () => {});
    expect(entries.map((e) => e.line)).toEqual([1, 2]);
    expect(entries[0]!.entry).toEqual(mine(1));
    expect(entries[1]!.entry.method).toBe('hardhat_setBalance');
  });

  it('cuts a torn last line off the file and warns', () => {
    const file = join(tempDir(), 'journal.ndjson');
    const intact = `${JSON.stringify(mine(1))}\n${JSON.stringify(mine(2))}\n`;
    writeFileSync(file, `${intact}{"method":"evm_mi`);
    const warnings: string[] = [];
    expect(readJournal(file, (w) => warnings.push(w))).toHaveLength(2);
    expect(warnings).toEqual([
      expect.stringMatching(/torn last line \(17 bytes without a newline, line 3\)/),
    ]);
    expect(readFileSync(file, 'utf8')).toBe(intact);
  });

  it.each([
    ['not JSON', 'garbage', /line 2: it is not JSON/],
    [
      'an unknown method',
      JSON.stringify({ ...mine(2), method: 'evm_snapshot' }),
      /line 2: "method" is "evm_snapshot"/,
    ],
    ['a bad block', JSON.stringify({ ...mine(2), block: -1 }), /line 2: "block" is not a block number/],
    ['no params', JSON.stringify({ method: 'evm_mine', block: 2 }), /line 2: "params" is not an array/],
  ])('refuses a middle line that is %s, naming the file and line, and leaves the file', (_, bad, message) => {
    const file = join(tempDir(), 'journal.ndjson');
    const text = `${JSON.stringify(mine(1))}\n${bad}\n${JSON.stringify(mine(3))}\n`;
    writeFileSync(file, text);
    let thrown: unknown;
    try {
      readJournal(file, () => {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DevnetJournalError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a genesis file it cannot rebuild the chain from', () => {
    const file = join(tempDir(), 'genesis.json');
    expect(readGenesis(file)).toBeUndefined();
    writeFileSync(file, '{"format":1,"chainId":31337}');
    expect(() => readGenesis(file)).toThrow(/"hardfork" is missing or wrong/);
    writeFileSync(file, '{');
    expect(() => readGenesis(file)).toThrow(/is not JSON/);
  });
});
