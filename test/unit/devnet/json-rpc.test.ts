import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface } from 'ethers';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { loadArtifact } from '../../../src/main/contracts/artifacts';
import { MAX_BODY_BYTES, startRpcServer } from '../../../src/main/devnet/rpc-server';
import { methodKind, startDevnet, type Devnet } from '../../../src/main/devnet/start-devnet';
import { rawPost, rpc } from './devnet-helpers';

let devnet: Devnet;
let dataDir: string;

beforeAll(async () => {
  await buildContracts({ log: () => {} });
  dataDir = mkdtempSync(join(tmpdir(), 'nocturne-devnet-rpc-'));
  devnet = await startDevnet({ dataDir, port: 0 });
});

afterAll(async () => {
  await devnet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('devnet JSON-RPC', () => {
  it('answers a batch in order, errors with their codes, messages and revert data', async () => {
    const erc20 = new Interface(loadArtifact('TestUSD').abi as never);
    const stranger = '0x000000000000000000000000000000000000dEaD';
    const overdraw = erc20.encodeFunctionData('transfer', [devnet.accounts[0], 1n]);
    const answers = (await rpc(devnet.url, [
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      {
        jsonrpc: '2.0',
        id: 'two',
        method: 'eth_call',
        params: [{ from: stranger, to: devnet.contracts.TestUSD, data: overdraw }, 'latest'],
      },
      { jsonrpc: '2.0', method: 'eth_blockNumber' }, // a notification: no answer
      { jsonrpc: '2.0', id: 3, method: 'evm_snapshot' },
      { jsonrpc: '2.0', id: 4, method: 'eth_getBalance', params: ['0x12', 'latest'] },
      { jsonrpc: '2.0', id: 5 },
      { jsonrpc: '2.0', id: 6, method: 'eth_getBalance', params: [devnet.accounts[9], 'latest'] },
    ])) as { id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } }[];

    expect(answers.map((a) => a.id)).toEqual([1, 'two', 3, 4, 5, 6]);
    expect(answers[0]).toEqual({ jsonrpc: '2.0', id: 1, result: '0x7a69' });
    // ERC20InsufficientBalance(stranger, 0, 1): the revert data decodes to the custom error.
    expect(answers[1]!.error!.code).toBe(3);
    expect(answers[1]!.error!.message).toMatch(/reverted/);
    const reason = erc20.parseError(answers[1]!.error!.data as string);
    expect(reason?.name).toBe('ERC20InsufficientBalance');
    expect(reason?.args.toArray()).toEqual([stranger, 0n, 1n]);
    expect(answers[2]!.error).toMatchObject({
      code: -32004,
      message: expect.stringMatching(/evm_snapshot is not supported/),
    });
    expect(answers[3]!.error).toMatchObject({ code: -32602 });
    expect(answers[3]!.error).not.toHaveProperty('data');
    expect(answers[4]!.error).toMatchObject({ code: -32600 });
    expect(BigInt(answers[5]!.result as string)).toBe(10_000n * 10n ** 18n);
  });

  it('refuses what it cannot serve at the HTTP level', async () => {
    const get = await rawPost(devnet.url, null, { method: 'GET' });
    expect(get.status).toBe(405);
    const text = await rawPost(devnet.url, '{}', { headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    const rebound = await rawPost(devnet.url, '{}', { headers: { Host: `evil.example:${devnet.port}` } });
    expect(rebound.status).toBe(403);
    const tunnel = await rawPost(
      devnet.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'net_version' }),
      {
        headers: { Host: 'localhost:9999' },
      },
    );
    expect(tunnel.json()).toEqual({ jsonrpc: '2.0', id: 1, result: '31337' });
    expect(Object.keys(tunnel.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const garbage = await rawPost(devnet.url, '{"jsonrpc":');
    expect(garbage.status).toBe(400);
    expect(garbage.json()).toMatchObject({ id: null, error: { code: -32700 } });
    const empty = await rawPost(devnet.url, '[]');
    expect(empty.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('refuses a body over 5 MiB, announced or streamed', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const announced = await rawPost(devnet.url, big);
    expect(announced.status).toBe(413);
    expect(announced.json()).toMatchObject({
      error: { code: -32600, message: expect.stringMatching(/larger than/) },
    });
    const streamed = await rawPost(devnet.url, big, { headers: { 'Transfer-Encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    // Still serving afterwards.
    expect(await rpc(devnet.url, { jsonrpc: '2.0', id: 7, method: 'eth_chainId' })).toMatchObject({
      result: '0x7a69',
    });
  });

  it('listens on loopback only', async () => {
    await expect(
      startRpcServer({ host: '0.0.0.0', port: 0, handle: async () => ({ result: null }) }),
    ).rejects.toThrow(/only listens on this machine/);
  });

  it('journals the chain changes it can replay and refuses the ones it cannot', () => {
    expect(
      ['eth_sendRawTransaction', 'eth_sendTransaction', 'evm_mine', 'hardhat_mine', 'hardhat_setBalance'].map(
        methodKind,
      ),
    ).toEqual(['journal', 'journal', 'journal', 'journal', 'journal']);
    expect(['evm_increaseTime', 'evm_setNextBlockTimestamp'].map(methodKind)).toEqual(['time', 'time']);
    expect(
      ['eth_call', 'eth_getLogs', 'net_version', 'web3_clientVersion', 'hardhat_metadata'].map(methodKind),
    ).toEqual(['read', 'read', 'read', 'read', 'read']);
    for (const method of [
      'evm_snapshot',
      'evm_revert',
      'hardhat_reset',
      'hardhat_setCode',
      'hardhat_setStorageAt',
      'hardhat_setNonce',
      'hardhat_impersonateAccount',
      'evm_setAutomine',
      'eth_sendRawTransactionSync',
      'anvil_setBalance',
    ])
      expect(methodKind(method), method).toBe('refuse');
  });
});
