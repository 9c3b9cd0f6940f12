import { unwrap } from '../../../shared/envelope';
import type { Balances, SendEstimate, WalletStatus, WalletTransaction } from '../../../shared/schemas/wallet';
import { createCore, type Core } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { devnetPortFromEnv } from './serve-command';
import { printData, UsageError, type CliIo } from '../cli-io';

export const walletHelp = `nocturne wallet create|import|address|balance|send [options]

  create                      a new wallet; shows its recovery phrase once and asks for three of its words
  import [--private-key]      a recovery phrase (or a private key), read from the prompt or stdin
  address                     the wallet's address
  balance [--network ID]      native and token balances
  faucet                      local devnet only: 10 test ETH and 1000 tUSD
  send TO AMOUNT [--native] [--network ID] [--yes]
                              sends the network's payment token (or its native coin with --native);
                              shows the fee and asks before sending, unless --yes

Passwords come from the NOCTURNE_PASSWORD environment variable or a prompt, never from the command line.
  --data-dir DIR  data directory   --json  print data as JSON`;

type Values = {
  json?: boolean;
  'data-dir'?: string;
  network?: string;
  native?: boolean;
  yes?: boolean;
  'private-key'?: boolean;
};

async function ask(io: CliIo, question: string, secret: boolean): Promise<string> {
  if (!io.ask) throw new UsageError(`Nothing to ask "${question.trim()}" with here.`);
  return io.ask(question, { secret });
}

/** The password, from NOCTURNE_PASSWORD or asked (twice when it is a new one). */
async function password(io: CliIo, isNew: boolean): Promise<string> {
  const fromEnv = io.env.NOCTURNE_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const first = await ask(io, isNew ? 'New wallet password: ' : 'Wallet password: ', true);
  if (isNew && (await ask(io, 'Repeat the password: ', true)) !== first)
    throw new UsageError('The two passwords differ.');
  return first;
}

async function call<T>(
  core: Core,
  channel: Parameters<Core['router']['call']>[0],
  payload: unknown,
): Promise<T> {
  return unwrap(await core.router.call(channel, payload)) as T;
}

function describeBalances(b: Balances): string {
  return [
    `${b.address} on ${b.networkId} (block ${b.blockNumber})`,
    ...b.balances.map((x) => `  ${x.formatted} ${x.symbol}${x.contract ? `  (${x.contract})` : ''}`),
  ].join('\n');
}

async function waitForEnd(
  core: Core,
  tx: WalletTransaction,
  timeoutMs = 120_000,
): Promise<WalletTransaction> {
  const deadline = Date.now() + timeoutMs;
  let current = tx;
  while (current.status === 'pending' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const { transactions } = await call<{ transactions: WalletTransaction[] }>(core, 'wallet:transactions', {
      networkId: tx.networkId,
    });
    current = transactions.find((t) => t.hash === tx.hash) ?? current;
  }
  return current;
}

export async function walletCommand(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const [verb, ...args] = positionals;
  const verbs = ['create', 'import', 'address', 'balance', 'faucet', 'send'];
  if (!verb || !verbs.includes(verb))
    throw new UsageError(`Use one of: nocturne wallet ${verbs.join('|')}${verb ? ` (not "${verb}")` : ''}.`);
  if (verb === 'send' ? args.length !== 2 : args.length > 0)
    throw new UsageError(
      verb === 'send' ? 'Usage: nocturne wallet send TO AMOUNT' : `wallet ${verb} takes no arguments.`,
    );
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  // No instance lock: the wallet works beside a running app (SQLite in WAL mode, keystore written atomically).
  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  const json = values.json === true;
  try {
    const status = await call<WalletStatus>(core, 'wallet:status', {});
    if (verb === 'create' || verb === 'import') {
      if (status.exists) throw new UsageError(`A wallet exists already (${status.address}).`);
    } else if (!status.exists) {
      io.err('nocturne: there is no wallet yet: run `nocturne wallet create` or `nocturne wallet import`.\n');
      return 1;
    }
    switch (verb) {
      case 'address':
        printData(io, json, { address: status.address }, () => status.address ?? '');
        return 0;
      case 'balance': {
        const balances = await call<Balances>(core, 'wallet:balances', { networkId: values.network });
        printData(io, json, balances, () => describeBalances(balances));
        return 0;
      }
      case 'faucet': {
        const balances = await call<Balances>(core, 'wallet:faucet', { networkId: values.network });
        printData(io, json, balances, () => describeBalances(balances));
        return 0;
      }
      case 'create':
        return await create(core, io, json);
      case 'import': {
        const secret = (
          await ask(io, values['private-key'] ? 'Private key: ' : 'Recovery phrase: ', true)
        ).trim();
        const result = await call<WalletStatus>(core, 'wallet:import', {
          ...(values['private-key'] ? { privateKey: secret } : { phrase: secret }),
          password: await password(io, true),
        });
        printData(io, json, result, () => `Imported ${result.address}`);
        return 0;
      }
      case 'send':
        return await send(core, io, values, args[0]!, args[1]!);
    }
    return 2;
  } finally {
    await core.shutdown();
  }
}

async function create(core: Core, io: CliIo, json: boolean): Promise<number> {
  const created = await call<{ status: WalletStatus; backupId: string }>(core, 'wallet:create', {
    password: await password(io, true),
  });
  const backup = await call<{ words: string[]; ask: number[] }>(core, 'wallet:backupWords', {
    backupId: created.backupId,
  });
  io.err(
    'Your recovery phrase. Write it down on paper, in order, and keep it offline: anyone who has it owns\n' +
      'the wallet, and Nocturne will not show it again (export needs the password).\n\n',
  );
  io.out(`${backup.words.map((w, i) => `${String(i + 1).padStart(2)}. ${w}`).join('\n')}\n\n`);
  if (!io.ask || io.env.NOCTURNE_PASSWORD) {
    io.err('Confirm the backup later in the app (Wallet, Back up) to clear its reminder.\n');
  } else {
    const answers = [];
    for (const position of backup.ask)
      answers.push({ position, word: await io.ask(`Word #${position}: `, { secret: true }) });
    await call(core, 'wallet:confirmBackup', { backupId: created.backupId, answers });
    io.err('Backup confirmed.\n');
  }
  printData(io, json, { address: created.status.address }, () => `Created ${created.status.address}`);
  return 0;
}

async function send(core: Core, io: CliIo, values: Values, to: string, amount: string): Promise<number> {
  await call(core, 'wallet:unlock', { password: await password(io, false) });
  const request = { networkId: values.network, asset: values.native ? 'native' : 'token', to, amount };
  const estimate = await call<SendEstimate>(core, 'wallet:estimateSend', request);
  io.err(
    `Send ${estimate.amount} ${estimate.symbol} to ${estimate.to} on ${estimate.networkId}; ` +
      `fee at most ${estimate.maxFee} ${estimate.nativeSymbol}.\n`,
  );
  if (!values.yes) {
    const answer = await ask(io, 'Send it? [y/N] ', false);
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.err('Nothing sent.\n');
      return 1;
    }
  }
  const sent = await call<WalletTransaction>(core, 'wallet:send', { ...request, maxFee: estimate.maxFee });
  io.err(`Sent ${sent.hash}; waiting for it to be mined...\n`);
  const final = await waitForEnd(core, sent);
  printData(
    io,
    values.json === true,
    final,
    () => `${final.status}: ${final.hash}${final.error ? ` (${final.error})` : ''}`,
  );
  return final.status === 'confirmed' ? 0 : 1;
}
