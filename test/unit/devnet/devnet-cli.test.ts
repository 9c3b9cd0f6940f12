import { createServer } from 'node:net';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { devnetCommand } from '../../../src/main/cli/commands/devnet-command';
import { runCli } from '../../../src/main/cli/run-cli';
import type { Devnet } from '../../../src/main/devnet/start-devnet';
import { useTempDirs } from '../../fakes/temp-dir';
import { rpc } from './devnet-helpers';

const tempDir = useTempDirs();

function fakeIo() {
  const io = { out: '', err: '' };
  return {
    io,
    cli: { out: (t: string) => (io.out += t), err: (t: string) => (io.err += t), env: {} },
  };
}

describe('nocturne devnet', () => {
  it('is in the help, and refuses a bad port or an argument', async () => {
    const { io, cli } = fakeIo();
    expect(await runCli(['help'], cli)).toBe(0);
    expect(io.out).toMatch(/devnet\s+run a local test chain/);
    expect(await runCli(['help', 'devnet'], cli)).toBe(0);
    expect(io.out).toContain('nocturne devnet [--port N] [--data-dir DIR] [--reset]');
    for (const args of [
      ['devnet', '--port', 'abc'],
      ['devnet', '--port', '70000'],
      ['devnet', 'now'],
    ]) {
      const bad = fakeIo();
      expect(await runCli(args, bad.cli), args.join(' ')).toBe(2);
      expect(bad.io.err).toContain('nocturne help');
    }
  });

  it('runs until stopped and prints the URL, chain id, TestUSD and the public test accounts', async () => {
    await buildContracts({ log: () => {} });
    const dataDir = tempDir();
    const { io, cli } = fakeIo();
    const stop = new AbortController();
    let devnet: Devnet | undefined;
    const exit = devnetCommand({ port: '0', 'data-dir': dataDir }, cli, {
      signal: stop.signal,
      onReady: (ready) => (devnet = ready),
    });
    await expect.poll(() => devnet, { timeout: 15_000 }).toBeDefined();
    expect(io.out).toContain(`RPC URL   ${devnet!.url}`);
    expect(io.out).toContain('Chain id  31337');
    expect(io.out).toContain(`TestUSD   ${devnet!.contracts.TestUSD} (tUSD, 6 decimals)`);
    expect(io.out).toContain(devnet!.accounts[9]);
    expect(io.out).toMatch(/WARNING: .*public test keys/);
    expect(await rpc(devnet!.url, { jsonrpc: '2.0', id: 1, method: 'eth_chainId' })).toMatchObject({
      result: '0x7a69',
    });
    stop.abort();
    expect(await exit).toBe(0);
    expect(io.out).toContain('Devnet stopped.');
    expect(io.err).toBe('');

    // --reset moves the old chain aside and says where.
    const again = fakeIo();
    const stopAgain = new AbortController();
    stopAgain.abort();
    expect(
      await devnetCommand({ port: '0', 'data-dir': dataDir, reset: true }, again.cli, {
        signal: stopAgain.signal,
      }),
    ).toBe(0);
    expect(again.io.out).toMatch(/the old chain was moved to .*devnet\.bak-/);
    expect(readdirSync(dataDir).filter((n) => n.startsWith('devnet.bak-'))).toHaveLength(1);
  });

  it('exits 1 naming a busy port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { io, cli } = fakeIo();
      expect(await devnetCommand({ port: String(port), 'data-dir': tempDir() }, cli)).toBe(1);
      expect(io.err).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});
