import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run-cli';
import { useTempDirs } from '../../fakes/temp-dir';
import { startFakeRpc } from '../../fakes/fake-rpc-server';

const tempDir = useTempDirs();
const PASSWORD = 'correct horse battery';

/** Runs the CLI with scripted answers to its prompts; the devnet on a free port. */
async function cli(args: string[], options: { env?: NodeJS.ProcessEnv; answers?: string[] } = {}) {
  let out = '';
  let err = '';
  const answers = [...(options.answers ?? [])];
  const asked: { question: string; secret: boolean }[] = [];
  const code = await runCli(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { NOCTURNE_DEVNET_PORT: '0', ...options.env },
    ask: async (question, { secret }) => {
      asked.push({ question, secret });
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question ${question}`);
      return answer;
    },
  });
  return { code, out, err, asked };
}

describe('nocturne wallet', () => {
  it('creates a wallet with prompted passwords, shows the phrase once and checks three of its words', async () => {
    const dataDir = tempDir();
    // The words are only known once printed, so answer the first run's questions from its own output.
    let out = '';
    const answers = [PASSWORD, PASSWORD];
    const asked: string[] = [];
    const code = await runCli(['wallet', 'create', '--data-dir', dataDir], {
      out: (t) => (out += t),
      err: () => {},
      env: { NOCTURNE_DEVNET_PORT: '0' },
      ask: async (question, { secret }) => {
        expect(secret).toBe(true); // passwords and phrase words are never echoed
        asked.push(question);
        const word = /Word #(\d+)/.exec(question);
        if (!word) return answers.shift()!;
        const line = out.split('\n').find((l) => l.trim().startsWith(`${word[1]}.`))!;
        return line.trim().split(/\s+/)[1]!;
      },
    });
    expect(code).toBe(0);
    expect(asked).toEqual([
      'New wallet password: ',
      'Repeat the password: ',
      expect.stringMatching(/^Word #\d+: $/),
      expect.stringMatching(/^Word #\d+: $/),
      expect.stringMatching(/^Word #\d+: $/),
    ]);
    expect(out.match(/^\s*\d+\. [a-z]+$/gm)).toHaveLength(12);
    const address = /Created (0x[0-9a-fA-F]{40})/.exec(out)![1];
    expect((await cli(['wallet', 'address', '--data-dir', dataDir])).out.trim()).toBe(address);
    // A second create is refused, and the first wallet is untouched.
    const again = await cli(['wallet', 'create', '--data-dir', dataDir], {
      env: { NOCTURNE_PASSWORD: PASSWORD },
    });
    expect(again.code).toBe(2);
    expect(again.err).toContain(`A wallet exists already (${address})`);
  }, 30_000);

  it('never takes a password or a secret from the command line', async () => {
    for (const args of [
      ['wallet', 'create', '--password', PASSWORD],
      ['wallet', 'import', `--phrase=${'abandon '.repeat(11)}about`],
    ]) {
      const result = await cli([...args, '--data-dir', tempDir()]);
      expect(result.code).toBe(2);
      expect(result.err).toContain('Unknown option');
    }
  });

  it('imports a key from the prompt, funds it from the devnet faucet and sends tUSD after a yes', async () => {
    const dataDir = tempDir();
    const env = { NOCTURNE_PASSWORD: PASSWORD };
    const key = `0x${'42'.repeat(32)}`;
    const imported = await cli(['wallet', 'import', '--private-key', '--data-dir', dataDir], {
      env,
      answers: [key],
    });
    expect(imported.code).toBe(0);
    expect(imported.asked).toEqual([{ question: 'Private key: ', secret: true }]);
    expect(imported.out).toContain('Imported 0x');

    const funded = await cli(['wallet', 'faucet', '--json', '--data-dir', dataDir]);
    expect(funded.code).toBe(0);
    expect(JSON.parse(funded.out).balances.map((b: { formatted: string }) => b.formatted)).toEqual([
      '10.0',
      '1000.0',
    ]);

    const to = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
    const declined = await cli(['wallet', 'send', to, '2.5', '--data-dir', dataDir], { env, answers: ['n'] });
    expect(declined.code).toBe(1);
    expect(declined.err).toMatch(/Send 2\.5 tUSD to 0x90F7.*fee at most [\d.]+ ETH/);
    expect(declined.err).toContain('Nothing sent.');

    const sent = await cli(['wallet', 'send', to, '2.5', '--data-dir', dataDir], { env, answers: ['y'] });
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/^confirmed: 0x[0-9a-f]{64}/);
    const balance = await cli(['wallet', 'balance', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(balance.out).balances[1].formatted).toBe('997.5');

    const wrong = await cli(['wallet', 'send', to, '1', '--yes', '--data-dir', dataDir], {
      env: { NOCTURNE_PASSWORD: 'not it at all' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('Wrong password.');
  }, 60_000);
});

describe('nocturne network', () => {
  it('adds a network after a health check, lists, selects and removes it', async () => {
    const dataDir = tempDir();
    const rpc = await startFakeRpc({ chainId: 8453 });
    try {
      const wrong = await cli([
        'network',
        'add',
        '--name',
        'Base',
        '--chain-id',
        '1',
        '--rpc',
        rpc.url,
        '--data-dir',
        dataDir,
      ]);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain('serves chain id 8453, not 1');
      const added = await cli([
        'network',
        'add',
        '--name',
        'Base',
        '--chain-id',
        '8453',
        '--rpc',
        rpc.url,
        '--explorer',
        'https://basescan.org',
        '--token',
        '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913:USDC:6',
        '--data-dir',
        dataDir,
      ]);
      expect(added.code, added.err).toBe(0);
      expect(added.out).toContain('Added base: Base (chain 8453)');
      expect((await cli(['network', 'select', 'base', '--data-dir', dataDir])).out).toContain('Using Base');
      const list = await cli(['network', 'list', '--data-dir', dataDir]);
      expect(list.out).toMatch(/^\* base +Base \(chain 8453\)/m);
      expect((await cli(['network', 'check', 'base', '--data-dir', dataDir])).out).toMatch(/^OK: /);
      expect((await cli(['network', 'remove', 'devnet', '--data-dir', dataDir])).err).toContain('built in');
      const removed = await cli(['network', 'remove', 'base', '--data-dir', dataDir]);
      expect(removed.out).toMatch(/^\* devnet/m);
      expect(removed.out).not.toContain('Base');
    } finally {
      await rpc.close();
    }
  });
});
