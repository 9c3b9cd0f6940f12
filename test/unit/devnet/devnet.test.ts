import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract, NonceManager, Wallet, type JsonRpcProvider } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { loadArtifact } from '../../../src/main/contracts/artifacts';
import { DevnetJournalError } from '../../../src/main/devnet/devnet-errors';
import { DEVNET_CHAIN_ID, startDevnet, TEST_TOKEN_PER_ACCOUNT } from '../../../src/main/devnet/start-devnet';
import { useTempDirs } from '../../fakes/temp-dir';
import { testWallet, useDevnets } from './devnet-helpers';

const tempDir = useTempDirs();
const devnets = useDevnets();

beforeAll(async () => {
  await buildContracts({ log: () => {} }); // nothing to do when `npm run build` ran already
});

const tokenAbi = () => loadArtifact('TestUSD').abi as never;

// ethers serves an identical read from a 250 ms cache; these go to the node every time.
async function blockNumber(provider: JsonRpcProvider): Promise<number> {
  return Number(await provider.send('eth_blockNumber', []));
}

async function snapshot(provider: JsonRpcProvider, token: string, addresses: string[]) {
  const latest = (await provider.send('eth_getBlockByNumber', ['latest', false])) as Record<string, string>;
  const erc20 = new Contract(token, tokenAbi(), provider);
  return {
    block: Number(latest.number),
    hash: latest.hash,
    timestamp: Number(latest.timestamp),
    eth: await Promise.all(addresses.map((a) => provider.getBalance(a))),
    tusd: await Promise.all(addresses.map((a) => erc20.balanceOf!(a) as Promise<bigint>)),
  };
}

describe('embedded devnet', () => {
  it('serves a real chain that ethers uses, and rebuilds the same chain after a restart', async () => {
    const dataDir = tempDir();
    const first = await devnets(dataDir);
    const provider = first.provider();
    expect((await provider.getNetwork()).chainId).toBe(BigInt(DEVNET_CHAIN_ID));
    expect(first.devnet.chainId).toBe(31337);
    expect(first.devnet.accounts).toHaveLength(10);
    expect(first.devnet.accounts[1]).toBe(testWallet(1).address);

    const token = new Contract(first.devnet.contracts.TestUSD, tokenAbi(), provider);
    expect(await token.decimals!()).toBe(6n);
    expect(await token.symbol!()).toBe('tUSD');
    expect(await token.name!()).toBe('Test USD');
    for (const account of first.devnet.accounts)
      expect(await token.balanceOf!(account)).toBe(TEST_TOKEN_PER_ACCOUNT);

    // A token transfer signed with a funded test key, confirmed in its own block.
    const sender = new NonceManager(testWallet(1).connect(provider));
    const receiver = Wallet.createRandom().address;
    const tx = await (token.connect(sender) as Contract).transfer!(receiver, 12_500_000n);
    const receipt = await tx.wait();
    expect(receipt.status).toBe(1);
    expect(await token.balanceOf!(receiver)).toBe(12_500_000n);

    // A reverted transaction is mined (status 0), as on a real chain, and must replay the same.
    const reverted = await (token.connect(sender) as Contract).transfer!(receiver, 10n ** 30n, {
      gasLimit: 100_000,
    });
    await expect(reverted.wait()).rejects.toThrow(/reverted|CALL_EXCEPTION/);
    expect((await provider.getTransactionReceipt(reverted.hash))!.status).toBe(0);

    // Journaled cheats: a balance, a time jump (kept through the timestamp of the block after it), mining.
    await provider.send('hardhat_setBalance', [receiver, '0xde0b6b3a7640000']);
    await provider.send('evm_increaseTime', [3600]);
    await provider.send('evm_mine', []);
    await provider.send('hardhat_mine', ['0x3', '0x10']);

    const addresses = [...first.devnet.accounts.slice(0, 3), receiver];
    const before = await snapshot(provider, first.devnet.contracts.TestUSD, addresses);
    expect(before.block).toBe(9); // 3 deploys, transfer, revert, evm_mine, 3 x hardhat_mine
    await first.devnet.stop();

    const second = await devnets(dataDir);
    const again = second.provider();
    expect(second.devnet.contracts.TestUSD).toBe(first.devnet.contracts.TestUSD);
    expect(await snapshot(again, second.devnet.contracts.TestUSD, addresses)).toEqual(before);
    expect(second.logger.lines.filter((l) => l.level === 'warn')).toEqual([]);

    // The chain goes on: the sender's nonce continues and new blocks are later than the old ones.
    const next = await (
      new Contract(second.devnet.contracts.TestUSD, tokenAbi(), testWallet(1).connect(again)) as Contract
    ).transfer!(receiver, 1n);
    expect(next.nonce).toBe(2);
    const nextReceipt = await next.wait();
    expect(nextReceipt.blockNumber).toBe(10);
    expect(
      Number(((await again.send('eth_getBlockByNumber', ['0xa', false])) as { timestamp: string }).timestamp),
    ).toBeGreaterThan(before.timestamp);
  });

  it('drops a torn last journal line with a warning and carries on', async () => {
    const dataDir = tempDir();
    const first = await devnets(dataDir);
    const provider = first.provider();
    await provider.send('hardhat_setBalance', [first.devnet.accounts[5], '0x1']);
    const block = await blockNumber(provider);
    await first.devnet.stop();
    const journal = join(first.devnet.stateDir, 'journal.ndjson');
    const intact = readFileSync(journal, 'utf8');
    appendFileSync(journal, '{"method":"eth_sendRawTransaction","params":["0x02f8');

    const second = await devnets(dataDir);
    expect(second.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/torn last line/) }),
    );
    expect(readFileSync(journal, 'utf8')).toBe(intact);
    const again = second.provider();
    expect(await blockNumber(again)).toBe(block);
    expect(await again.getBalance(first.devnet.accounts[5]!)).toBe(1n);
    await again.send('evm_mine', []);
    await second.devnet.stop();

    const third = await devnets(dataDir);
    expect(await blockNumber(third.provider())).toBe(block + 1);
  });

  it('refuses to start on a corrupt line in the middle, naming it, and keeps the journal', async () => {
    const dataDir = tempDir();
    const first = await devnets(dataDir);
    const provider = first.provider();
    await provider.send('evm_mine', []);
    await provider.send('evm_mine', []);
    await first.devnet.stop();
    const journal = join(first.devnet.stateDir, 'journal.ndjson');
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = '{"method":"evm_mine","params":[],"block":"two"';
    writeFileSync(journal, lines.join('\n'));
    const corrupt = readFileSync(journal);

    const failed = startDevnet({ dataDir, port: 0 });
    await expect(failed).rejects.toBeInstanceOf(DevnetJournalError);
    await expect(failed).rejects.toThrow(`${journal} line 2: it is not JSON`);
    await expect(failed).rejects.toThrow(/nocturne devnet --reset/);
    expect(readFileSync(journal).equals(corrupt)).toBe(true);

    // --reset moves the old chain aside (journal included) and starts a fresh one.
    const fresh = await devnets(dataDir, { reset: true });
    expect(await blockNumber(fresh.provider())).toBe(3);
    const backups = readdirSync(dataDir).filter((name) => name.startsWith('devnet.bak-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dataDir, backups[0]!, 'journal.ndjson')).equals(corrupt)).toBe(true);
  });

  it('names the line whose replay does not give what the journal recorded', async () => {
    const dataDir = tempDir();
    const first = await devnets(dataDir);
    await first.provider().send('evm_mine', []);
    await first.devnet.stop();
    const journal = join(first.devnet.stateDir, 'journal.ndjson');
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"block":4', '"block":7'); // after the three deployments
    writeFileSync(journal, lines.join('\n'));
    await expect(startDevnet({ dataDir, port: 0 })).rejects.toThrow(
      `${journal} line 4: replaying evm_mine ended at block 4, the journal recorded block 7`,
    );
  });

  it('says which port is busy, and which devnet holds the data directory', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dataDir = tempDir();
      await expect(startDevnet({ dataDir, port })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use`,
      );
      const running = await devnets(dataDir); // the failed start left no lock behind
      await expect(startDevnet({ dataDir, port: 0 })).rejects.toThrow(
        new RegExp(`Another devnet \\(process ${process.pid}\\) is already running`),
      );
      expect(await blockNumber(running.provider())).toBe(3);
    } finally {
      blocker.close();
    }
  });

  it('says to build when TestUSD has no artifact, and deploys it at the next start', async () => {
    const dataDir = tempDir();
    await expect(startDevnet({ dataDir, port: 0, contractsDir: tempDir() })).rejects.toThrow(
      /Contract artifacts missing: run npm run build/,
    );
    const { devnet } = await devnets(dataDir);
    expect(devnet.contracts.TestUSD).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });

  it('refuses a transaction with a future nonce instead of holding it', async () => {
    const dataDir = tempDir();
    const { provider, devnet } = await devnets(dataDir);
    const rpcProvider = provider();
    const wallet = testWallet(2).connect(rpcProvider);
    const raw = await wallet.signTransaction({
      to: devnet.accounts[3],
      value: 1n,
      nonce: 3,
      gasLimit: 21_000,
      chainId: DEVNET_CHAIN_ID,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    });
    await expect(rpcProvider.send('eth_sendRawTransaction', [raw])).rejects.toThrow(
      /Nonce too high: .* is at nonce 0, the transaction has 3/,
    );
    expect(await blockNumber(rpcProvider)).toBe(3);
    const lines = readFileSync(join(devnet.stateDir, 'journal.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3); // only the deployments
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'eth_sendTransaction', label: 'deploy:TestUSD' });
    expect(existsSync(join(devnet.stateDir, 'genesis.json'))).toBe(true);
  });
});
