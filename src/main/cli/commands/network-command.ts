import { unwrap } from '../../../shared/envelope';
import type { Network, NetworkHealth } from '../../../shared/schemas/network';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { devnetPortFromEnv } from './serve-command';
import { printData, UsageError, type CliIo } from '../cli-io';

export const networkHelp = `nocturne network list|add|remove|select|check [options]

  list                         the networks Nocturne knows (* marks the one in use)
  add --name NAME --chain-id ID --rpc URL [--rpc URL...] [--explorer URL] [--symbol ETH]
      [--token ADDRESS:SYMBOL:DECIMALS] [--id ID]
                               adds a network once its RPC answers with that chain id
  remove ID                    removes a network (the built-in devnet stays)
  select ID                    uses that network for balances and payments
  check ID                     whether its RPC answers, for the right chain
  --data-dir DIR  data directory   --json  print data as JSON`;

type Values = {
  json?: boolean;
  'data-dir'?: string;
  name?: string;
  'chain-id'?: string;
  rpc?: string[];
  explorer?: string;
  symbol?: string;
  token?: string;
  id?: string;
};

function describe(networks: Network[]): string {
  return networks
    .map(
      (n) =>
        `${n.selected ? '*' : ' '} ${n.id.padEnd(16)} ${n.name} (chain ${n.chainId})  ${n.rpcUrls.join(', ')}` +
        (n.token ? `  token ${n.token.symbol} ${n.token.address}` : ''),
    )
    .join('\n');
}

function parseToken(text: string): { address: string; symbol: string; decimals: number } {
  const [address, symbol, decimals] = text.split(':');
  if (!address || !symbol || !decimals || !/^\d+$/.test(decimals))
    throw new UsageError(
      `--token must be ADDRESS:SYMBOL:DECIMALS, such as 0xA0b8...eB48:USDC:6; got "${text}".`,
    );
  return { address, symbol, decimals: Number(decimals) };
}

export async function networkCommand(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const [verb = 'list', ...args] = positionals;
  const needsId = verb === 'remove' || verb === 'select' || verb === 'check';
  if (!['list', 'add', 'remove', 'select', 'check'].includes(verb))
    throw new UsageError(`Unknown network command "${verb}". Use list, add, remove, select or check.`);
  if (needsId ? args.length !== 1 : args.length > 0)
    throw new UsageError(
      needsId ? `Usage: nocturne network ${verb} ID` : `network ${verb} takes no arguments.`,
    );
  let addRequest: Record<string, unknown> | null = null;
  if (verb === 'add') {
    if (!values.name || !values['chain-id'] || !values.rpc?.length)
      throw new UsageError('network add needs --name, --chain-id and at least one --rpc.');
    if (!/^\d+$/.test(values['chain-id']))
      throw new UsageError(`--chain-id must be a number, not "${values['chain-id']}".`);
    addRequest = {
      name: values.name,
      chainId: Number(values['chain-id']),
      rpcUrls: values.rpc,
      ...(values.id ? { id: values.id } : {}),
      ...(values.explorer ? { explorerUrl: values.explorer } : {}),
      ...(values.symbol ? { nativeSymbol: values.symbol } : {}),
      ...(values.token ? { token: parseToken(values.token) } : {}),
    };
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  const json = values.json === true;
  try {
    switch (verb) {
      case 'list': {
        const { networks } = unwrap(await core.router.call('network:list', {})) as { networks: Network[] };
        printData(io, json, networks, () => describe(networks));
        return 0;
      }
      case 'add': {
        const added = unwrap(await core.router.call('network:add', addRequest)) as Network;
        printData(io, json, added, () => `Added ${added.id}: ${added.name} (chain ${added.chainId})`);
        return 0;
      }
      case 'remove': {
        const { networks } = unwrap(await core.router.call('network:remove', { id: args[0] })) as {
          networks: Network[];
        };
        printData(io, json, networks, () => describe(networks));
        return 0;
      }
      case 'select': {
        const selected = unwrap(await core.router.call('network:select', { id: args[0] })) as Network;
        printData(io, json, selected, () => `Using ${selected.name}`);
        return 0;
      }
      default: {
        const health = unwrap(await core.router.call('network:check', { id: args[0] })) as NetworkHealth;
        printData(io, json, health, () =>
          health.ok
            ? `OK: ${health.rpcUrl}, block ${health.blockNumber}, ${health.latencyMs} ms`
            : `Failing: ${health.error}`,
        );
        return health.ok ? 0 : 1;
      }
    }
  } finally {
    await core.shutdown();
  }
}
