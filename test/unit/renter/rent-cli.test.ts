import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { startDevnet, type Devnet } from '../../../src/main/devnet/start-devnet';
import { JobEscrowClient } from '../../../src/main/market/job-escrow';
import type { JobTerms } from '../../../src/main/market/job-terms';
import { ProviderRegistryClient } from '../../../src/main/market/provider-registry';
import { createQuoteFor } from '../../../src/main/p2p/quote-protocol';
import { startQuoteService } from '../../../src/main/p2p/quote-service';
import { writeJob } from '../../fakes/job-bundle';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { useTempDirs } from '../../fakes/temp-dir';
import { testWallet } from '../devnet/devnet-helpers';
import { useNodes } from '../p2p/p2p-helpers';
import {
  endedMessage,
  sendOutputs,
  startScriptedProvider,
  statusMessage,
  tarGz,
  type Script,
} from './fake-provider';

const PASSWORD = 'correct horse battery';
const tempDir = useTempDirs();

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, answers: string[] = []) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { NOCTURNE_DEVNET_PORT: '0', ...env },
    ask: async (question) => {
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question ${question}`);
      return answer;
    },
  });
  return { code, out, err };
}

describe('nocturne rent: arguments', () => {
  it('explains itself, --max-price in tokens per hour, with its exit codes', async () => {
    for (const args of [
      ['rent', '--help'],
      ['help', 'rent'],
    ]) {
      const { code, out } = await cli(args);
      expect(code).toBe(0);
      expect(out).toContain('nocturne rent SPEC.json');
      expect(out).toMatch(/--max-price P\s+the most you pay, in the network's token per hour/);
      for (const option of ['--network ID', '--provider PEER', '--out DIR', '--json'])
        expect(out).toContain(option);
      expect(out).toContain('Exit codes: 0 the job succeeded; 1 it failed');
      expect(out).toContain('NOCTURNE_PASSWORD');
    }
    expect((await cli(['help'])).out).toMatch(/\n {2}rent {8}rent a provider's GPU/);
  });

  it('refuses bad arguments with exit code 2 before touching the wallet or the network', async () => {
    const dir = tempDir();
    const spec = await writeJob(dir, { 'run.sh': 'true\n' }, { command: ['./run.sh'] });
    const dataDir = join(dir, 'data');
    const cases: [string[], RegExp][] = [
      [['rent'], /Usage: nocturne rent SPEC.json/],
      [['rent', spec, spec], /one job spec, got 2/],
      [['rent', spec, '--max-price', 'cheap'], /--max-price must be a positive number/],
      [['rent', spec, '--max-price', '0'], /--max-price must be a positive number/],
      [['rent', spec, '--max-price', '-1'], /--max-price|argument/],
      [['rent', spec, '--vram', '8GB'], /--vram must be a whole number/],
      [['rent', spec, '--password', 'x'], /Unknown option '--password'/],
      [['rent', join(dir, 'missing.json')], /missing.json: does not exist/],
    ];
    for (const [args, message] of cases) {
      const result = await cli([...args, '--data-dir', dataDir]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
    // A busy outputs folder is refused before any money moves; --json says so as JSON too.
    mkdirSync(join(dir, 'busy'));
    writeFileSync(join(dir, 'busy', 'x'), '');
    const busy = await cli(['rent', spec, '--out', join(dir, 'busy'), '--json', '--data-dir', dataDir]);
    expect(busy.code).toBe(2);
    expect(JSON.parse(busy.out)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(busy.err).toContain('is not empty');
  });

  it('needs a wallet', async () => {
    const dir = tempDir();
    const spec = await writeJob(dir, { 'run.sh': 'true\n' }, { command: ['./run.sh'] });
    const result = await cli(['rent', spec, '--data-dir', join(dir, 'data')]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('renting needs a wallet');
  });
});

describe('nocturne rent: on the devnet with a scripted provider', () => {
  const startNode = useNodes();
  let devnet: Devnet;
  let rpc: JsonRpcProvider;
  let home: string;
  const chainDir = tempDir();

  beforeAll(async () => {
    devnet = await startDevnet({ dataDir: chainDir, port: 0 });
    rpc = new JsonRpcProvider(devnet.url, devnet.chainId, { staticNetwork: true, cacheTimeout: -1 });
    rpc.pollingInterval = 20;
    home = join(chainDir, 'home');
    const imported = await cli(
      ['wallet', 'import', '--private-key', '--data-dir', home],
      { NOCTURNE_PASSWORD: PASSWORD, NOCTURNE_DEVNET_PORT: String(devnet.port) },
      [testWallet(1).privateKey],
    );
    expect(imported.code, imported.err).toBe(0);
  }, 60_000);
  afterAll(async () => {
    rpc?.destroy();
    await devnet?.stop();
  });

  async function provider(index: number, script: Script) {
    const node = await startNode();
    const wallet = testWallet(index).connect(rpc);
    const logger = createMemoryLogger();
    await startQuoteService(node, {
      logger,
      quoteFor: createQuoteFor({
        peerId: node.peerId.toString(),
        offers: () => [
          { chainId: devnet.chainId, token: devnet.contracts.TestUSD, pricePerSecond: 50n, maxSeconds: 3600 },
        ],
        availability: () => ({ available: true, sentence: 'For rent now.', nextChange: null }),
        gpus: () => [{ vramMiB: 24_576 }],
        runningJobs: () => 0,
        signer: () => wallet,
        clock: { now: () => new Date() },
        logger,
      }),
    });
    const scripted = await startScriptedProvider(node, script);
    await new ProviderRegistryClient(devnet.contracts.ProviderRegistry, wallet).register({
      peerId: scripted.peerId,
      multiaddrs: scripted.addresses(),
      gpuModel: 'RTX 3090',
      vramMiB: 24_576,
      gflops: 35_000,
      pricePerHour: 50n * 3600n,
      token: devnet.contracts.TestUSD,
      available: true,
    });
    return { ...scripted, escrow: new JobEscrowClient(devnet.contracts.JobEscrow, wallet) };
  }

  const wireTerms = (wire: Record<string, string>): JobTerms => ({
    renter: wire.renter!,
    provider: wire.provider!,
    token: wire.token!,
    deposit: BigInt(wire.deposit!),
    pricePerSecond: BigInt(wire.pricePerSecond!),
    maxSeconds: BigInt(wire.maxSeconds!),
    specHash: wire.specHash!,
    startDeadline: BigInt(wire.startDeadline!),
    nonce: BigInt(wire.nonce!),
  });

  it('rents, streams the log, pays and saves the outputs; --json prints one result', async () => {
    const outputs = await tarGz({ 'out/answer.txt': '42\n' });
    const p = await provider(2, async (s) => {
      const hello = await s.hello();
      await s.send({ v: 1, type: 'accept' });
      await s.bundle();
      const { receipt } = await p.escrow.startJob(wireTerms(hello.terms));
      await s.send({ v: 1, type: 'started', localJobId: 'job-20260301-0000cafe', startTx: receipt.hash });
      await s.send({ v: 1, type: 'log', data: 'step 1 of 1\n' });
      await s.send(statusMessage(50n, 1_000));
      const v = await s.readUntil('voucher');
      await s.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: v.cumulativeAmount });
      await s.send(endedMessage({ owed: 50n, billedMs: 1_200, archive: outputs }));
      await sendOutputs(s, outputs.bytes);
      await s.close();
    });
    const dir = tempDir();
    const spec = await writeJob(dir, { 'run.sh': 'echo 42\n' }, { command: ['./run.sh'], outputs: ['out'] });
    const out = join(dir, 'results');
    const result = await cli(
      ['rent', spec, '--provider', p.peerId, '--out', out, '--max-price', '1', '--json', '--data-dir', home],
      { NOCTURNE_PASSWORD: PASSWORD, NOCTURNE_DEVNET_PORT: String(devnet.port) },
    );
    await p.finished();
    expect(result.code, result.err).toBe(0);
    const json = JSON.parse(result.out) as Record<string, unknown>;
    expect(json).toMatchObject({
      ok: true,
      status: 'succeeded',
      exitCode: 0,
      secondsBilled: 1,
      pricePerSecond: '50',
      pricePerHour: '0.18',
      deposit: String(50 * 60),
      paid: '50',
      refundExpected: String(50 * 60 - 50),
      provider: { address: testWallet(2).address, peerId: p.peerId, gpuModel: 'RTX 3090' },
      outputs: { dir: out, files: 1 },
      localJobId: 'job-20260301-0000cafe',
    });
    expect(readFileSync(join(out, 'out', 'answer.txt'), 'utf8')).toBe('42\n');
    // With --json the log and the progress go to stderr.
    expect(result.err).toContain('step 1 of 1');
    expect(result.err).toContain(`Provider ${p.peerId} (RTX 3090`);
  }, 30_000);

  it('Ctrl-C asks the provider to stop the job; the outputs still come; exit code 1', async () => {
    const p = await provider(3, async (s) => {
      const hello = await s.hello();
      await s.send({ v: 1, type: 'accept' });
      await s.bundle();
      const { receipt } = await p.escrow.startJob(wireTerms(hello.terms));
      await s.send({ v: 1, type: 'started', localJobId: 'job-20260301-0000beef', startTx: receipt.hash });
      await s.send({ v: 1, type: 'log', data: 'working...\n' });
      await s.send(statusMessage(50n, 1_000));
      const v = await s.readUntil('voucher'); // the renter knows the job runs
      await s.send({ v: 1, type: 'voucher-ack', ok: true, cumulativeAmount: v.cumulativeAmount });
      process.emit('SIGINT'); // Ctrl-C
      const cancel = await s.readUntil('cancel');
      expect(cancel.reason).toContain('Ctrl-C');
      await s.send(endedMessage({ owed: 50n, billedMs: 1_300, status: 'cancelled' }));
      await s.send({ v: 1, type: 'outputs-end' });
      await s.close();
    });
    const dir = tempDir();
    const spec = await writeJob(dir, { 'run.sh': 'sleep 100\n' }, { command: ['./run.sh'] });
    const listeners = process.listenerCount('SIGINT');
    const result = await cli(['rent', spec, '--provider', p.peerId, '--data-dir', home], {
      NOCTURNE_PASSWORD: PASSWORD,
      NOCTURNE_DEVNET_PORT: String(devnet.port),
    });
    await p.finished();
    expect(result.code, result.err).toBe(1);
    expect(result.err).toContain('cancelling the job');
    expect(result.out).toContain('working...');
    expect(result.out).toContain('Job cancelled');
    expect(result.out).toMatch(/paid {5}0\.00005 tUSD of the 0\.003 tUSD deposit/);
    expect(result.out).toMatch(/billed {3}1 s at 0\.18 tUSD per hour/);
    expect(result.out).toMatch(/outputs {2}none/);
    expect(process.listenerCount('SIGINT')).toBe(listeners); // the handler is gone with the command
  }, 30_000);
});
