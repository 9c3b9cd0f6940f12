// The tracker against a real devnet: a mined payment confirms, a reverted one fails with its fee, and a
// payment whose nonce another transaction took is marked replaced.
import { join } from 'node:path';
import { Contract, hexlify, parseUnits, randomBytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/open-database';
import { erc20Interface } from '../../../src/main/wallet/erc20';
import {
  createTransactionRepository,
  type StoredTransaction,
} from '../../../src/main/wallet/transaction-repository';
import { createTransactionTracker } from '../../../src/main/wallet/transaction-tracker';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { testWallet, useDevnets } from '../devnet/devnet-helpers';

const tempDir = useTempDirs();
const startDevnet = useDevnets();

describe('transaction tracker', () => {
  it('ends each pending payment as confirmed, failed or replaced, and says why', async () => {
    const dir = tempDir();
    const { devnet, provider } = await startDevnet(join(dir, 'chain'));
    const rpc = provider();
    const { db } = openDatabase(join(dir, 'db.sqlite'));
    const repository = createTransactionRepository(db);
    const clock = createFakeClock();
    const updates: StoredTransaction[] = [];
    const tracker = createTransactionTracker({
      repository,
      provider: async () => rpc,
      clock,
      logger: createMemoryLogger(),
      onUpdate: (tx) => updates.push(tx),
    });
    const sender = testWallet(4).connect(rpc);
    const token = new Contract(devnet.contracts.TestUSD, erc20Interface, sender);
    const record = (hash: string, nonce: number): StoredTransaction => ({
      hash,
      networkId: 'devnet',
      chainId: 31337,
      from: sender.address,
      to: testWallet(5).address,
      asset: 'token',
      symbol: 'tUSD',
      amount: '1.0',
      nonce,
      status: 'pending',
      blockNumber: null,
      fee: null,
      replacedBy: null,
      error: null,
      createdAt: clock.now().getTime(),
      updatedAt: clock.now().getTime(),
    });

    const ok = await token.getFunction('transfer')(testWallet(5).address, parseUnits('1', 6), { nonce: 0 });
    // More than the sender holds: mined (a gas limit is given, so no estimate refuses it) and reverted.
    const reverted = await token.getFunction('transfer')(testWallet(5).address, parseUnits('99999999', 6), {
      nonce: 1,
      gasLimit: 100_000,
    });
    await reverted.wait().catch(() => undefined);
    repository.insert(record(ok.hash, 0));
    repository.insert(record(reverted.hash, 1));
    // Never sent: its nonce (0) was taken by the first payment.
    const ghost = hexlify(randomBytes(32));
    repository.insert(record(ghost, 0));

    await tracker.poll();
    const byHash = new Map(updates.map((u) => [u.hash, u]));
    expect(byHash.get(ok.hash)).toMatchObject({ status: 'confirmed', error: null });
    expect(Number(byHash.get(ok.hash)!.fee)).toBeGreaterThan(0);
    expect(byHash.get(reverted.hash)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('reverted'),
    });
    expect(Number(byHash.get(reverted.hash)!.fee)).toBeGreaterThan(0); // a failed payment still costs gas
    expect(byHash.get(ghost)).toMatchObject({
      status: 'replaced',
      error: expect.stringContaining('same nonce'),
    });
    expect(repository.pending()).toEqual([]);
    tracker.stop();
    db.close();
  }, 30_000);
});
