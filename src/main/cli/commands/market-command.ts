import { generateKeyPair } from '@libp2p/crypto/keys';
import { multiaddr } from '@multiformats/multiaddr';
import { formatUnits, JsonRpcProvider } from 'ethers';
import { unwrap } from '../../../shared/envelope';
import type { PriceSuggestionView, ProviderNodeStatus } from '../../../shared/schemas/market';
import type { Network } from '../../../shared/schemas/network';
import type { WalletStatus } from '../../../shared/schemas/wallet';
import { createCore } from '../../core/create-core';
import { UserFacingError } from '../../core/router';
import { ProviderRegistryClient } from '../../market/provider-registry';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { createP2pNode } from '../../p2p/create-node';
import { ProtocolError } from '../../p2p/framing';
import { verifyQuote } from '../../p2p/quote-protocol';
import { requestQuote } from '../../p2p/quote-service';
import { printData, UsageError, type CliIo } from '../cli-io';
import { marketReplayCommand, marketReplayHelp } from './market-replay-command';
import { devnetPortFromEnv } from './serve-command';

export const marketHelp = `nocturne market status|offers|quote|suggest-price|replay [options]

  status                       this machine's provider node: online or not, its peer id and addresses
  offers [--network ID]        the offers in ProviderRegistry on the network in use (or ID): peer id,
                               GPU, VRAM, GFLOP/s, price per hour, available, reputation; cheapest per
                               GFLOP/s first (unmeasured cards last)
  quote ADDRESS [--hours H] [--vram MiB] [--gpus N] [--network ID]
                               asks the provider at ADDRESS (a multiaddr ending in /p2p/<peer id>) for a
                               signed price for a job of H hours (default 1) on the network in use
  suggest-price                a price per hour for your offer from your benchmark, the prices of
                               similar cards on the network in use (offers and recent jobs) and your
                               electricity costs, with the reasons; nothing is changed (set it with
                               nocturne settings set offerPricePerHour '"0.48"')
${marketReplayHelp}
  --data-dir DIR  data directory   --json  print data as JSON`;

type Values = {
  json?: boolean;
  'data-dir'?: string;
  network?: string;
  hours?: string;
  vram?: string;
  gpus?: string;
  policy?: string;
};

function positiveNumber(text: string | undefined, name: string, fallback: number, integer: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not "${text}".`);
  return value;
}

export async function marketCommand(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const [verb, ...args] = positionals;
  if (verb === 'replay') return marketReplayCommand(args, values, io);
  if (verb !== 'status' && verb !== 'quote' && verb !== 'offers' && verb !== 'suggest-price')
    throw new UsageError(
      `Use nocturne market status, offers, quote ADDRESS, suggest-price, or replay STREAM.json${verb ? ` (not "${verb}")` : ''}.`,
    );
  if (verb === 'quote' && args.length !== 1) throw new UsageError('Usage: nocturne market quote ADDRESS');
  if (verb !== 'quote' && args.length > 0) throw new UsageError(`market ${verb} takes no arguments.`);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const json = values.json === true;

  if (verb === 'offers') return offersCommand(dataDir, values.network, json, io);
  if (verb === 'suggest-price') return suggestPriceCommand(dataDir, json, io);

  if (verb === 'status') {
    // The node runs inside the app (serve or desktop); from here only its stored settings are known.
    const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
    try {
      const status = unwrap(await core.router.call('market:status', {})) as ProviderNodeStatus;
      const online = unwrap(await core.router.call('settings:get', {})) as { providerOnline: boolean };
      const text = online.providerOnline
        ? 'Renting is on: the running app (nocturne serve or the desktop app) runs the provider node.'
        : 'Renting is off (setting providerOnline).';
      printData(io, json, { ...status, providerOnline: online.providerOnline }, () => text);
      return 0;
    } finally {
      await core.shutdown();
    }
  }

  let target;
  try {
    target = multiaddr(args[0]!);
  } catch {
    throw new UsageError(`"${args[0]}" is not a multiaddr such as /ip4/1.2.3.4/tcp/4747/p2p/12D3Koo...`);
  }
  if (!target.getComponents().some((c) => c.name === 'p2p'))
    throw new UsageError('The address must end in /p2p/<peer id>, so the provider can be authenticated.');
  const hours = positiveNumber(values.hours, 'hours', 1, false);
  const vramMiB = positiveNumber(values.vram, 'vram', 1, true);
  const gpuCount = positiveNumber(values.gpus, 'gpus', 1, true);

  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  let network: Network;
  let renter: string;
  try {
    const wallet = unwrap(await core.router.call('wallet:status', {})) as WalletStatus;
    if (!wallet.address) {
      io.err('nocturne: a quote is signed for your address: create or import a wallet first.\n');
      return 1;
    }
    renter = wallet.address;
    const { networks } = unwrap(await core.router.call('network:list', {})) as { networks: Network[] };
    const found = values.network
      ? networks.find((n) => n.id === values.network)
      : networks.find((n) => n.selected);
    if (!found) throw new UsageError(`There is no network "${values.network}". See nocturne network list.`);
    if (!found.token) throw new UsageError(`${found.name} has no payment token to pay a provider with.`);
    network = found;
  } finally {
    await core.shutdown();
  }

  // A throwaway identity: a renter needs no stable peer id, and keeps none on disk.
  const node = await createP2pNode({
    privateKey: await generateKeyPair('Ed25519'),
    listen: [],
    nat: false,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  try {
    const response = await requestQuote(node, target, {
      v: 1,
      chainId: network.chainId,
      token: network.token!.address,
      renter,
      requirements: { vramMiB, seconds: Math.round(hours * 3600), gpuCount, runtime: 'host' },
    });
    if (!response.ok) {
      printData(io, json, response, () => `Refused (${response.code}): ${response.reason}`);
      return 1;
    }
    const { quote } = response;
    verifyQuote(quote, renter);
    const token = network.token!;
    const perHour = BigInt(quote.pricePerSecond) * 3600n;
    printData(io, json, quote, () =>
      [
        `Provider ${quote.provider} (paid to ${quote.providerAddress})`,
        `  price   ${formatUnits(perHour, token.decimals)} ${token.symbol} per hour`,
        `  up to   ${(quote.maxSeconds / 3600).toFixed(2)} hours`,
        `  valid until ${new Date(quote.expiresAt * 1000).toISOString()}`,
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof ProtocolError) {
      io.err(`nocturne: the provider did not answer properly: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await node.stop();
  }
}

/** One registered offer as `market offers` prints it; prices in the token's units when it is the network's. */
export interface MarketOfferRow {
  provider: string;
  peerId: string;
  multiaddrs: string[];
  gpuModel: string;
  vramMiB: number;
  gflops: number;
  /** Per hour in whole tokens ("0.72"), or null when the offer is in a token this network does not name. */
  pricePerHour: string | null;
  pricePerHourUnits: string;
  token: string;
  symbol: string | null;
  available: boolean;
  reputation: { jobsSettled: number; jobsRefunded: number; secondsPaid: number };
}

/** Cheapest per GFLOP/s first; offers in the network's token before others, unmeasured cards last. */
function byValue(a: MarketOfferRow, b: MarketOfferRow): number {
  const rank = (r: MarketOfferRow) => [r.symbol === null ? 1 : 0, r.gflops > 0 ? 0 : 1];
  const [ta, ma] = rank(a);
  const [tb, mb] = rank(b);
  if (ta !== tb) return ta! - tb!;
  if (ma !== mb) return ma! - mb!;
  const value = (r: MarketOfferRow) => Number(r.pricePerHourUnits) / (r.gflops > 0 ? r.gflops : 1);
  return value(a) - value(b);
}

async function offersCommand(
  dataDir: string,
  networkId: string | undefined,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  let rpc: JsonRpcProvider | null = null;
  try {
    if (networkId !== undefined && !core.networks.list().some((n) => n.id === networkId))
      throw new UsageError(`There is no network "${networkId}". See nocturne network list.`);
    const { network, url } = await core.networks.connect(networkId);
    const registry = network.contracts.ProviderRegistry;
    if (!registry) {
      io.err(`nocturne: ${network.name} has no ProviderRegistry contract; add its address to the network.\n`);
      return 1;
    }
    rpc = new JsonRpcProvider(url, network.chainId, { staticNetwork: true, cacheTimeout: -1 });
    const client = new ProviderRegistryClient(registry, rpc);
    const listed = (await client.listProviders()).filter((l) => l.registered);
    const token = network.token;
    const rows: MarketOfferRow[] = await Promise.all(
      listed.map(async ({ provider, offer }) => {
        const reputation = await client.reputationOf(provider);
        const ours = token !== null && token.address.toLowerCase() === offer.token.toLowerCase();
        return {
          provider,
          peerId: offer.peerId,
          multiaddrs: offer.multiaddrs,
          gpuModel: offer.gpuModel,
          vramMiB: offer.vramMiB,
          gflops: offer.gflops,
          pricePerHour: ours ? formatUnits(offer.pricePerHour, token.decimals) : null,
          pricePerHourUnits: offer.pricePerHour.toString(),
          token: offer.token,
          symbol: ours ? token.symbol : null,
          available: offer.available,
          reputation: {
            jobsSettled: Number(reputation.jobsSettled),
            jobsRefunded: Number(reputation.jobsRefunded),
            secondsPaid: Number(reputation.secondsPaid),
          },
        };
      }),
    );
    rows.sort(byValue);
    printData(io, json, rows, () => {
      if (rows.length === 0) return `No offers on ${network.name} yet.`;
      const lines = [
        `${rows.length} offer${rows.length === 1 ? '' : 's'} on ${network.name}, cheapest per GFLOP/s first:`,
      ];
      for (const r of rows) {
        const price =
          r.pricePerHour !== null
            ? `${r.pricePerHour} ${r.symbol}`
            : `${r.pricePerHourUnits} units of ${r.token}`;
        lines.push(
          '',
          `${r.gpuModel}, ${r.vramMiB} MiB, ${r.gflops > 0 ? `${r.gflops} GFLOP/s` : 'not benchmarked'}: ${price} per hour, ${r.available ? 'available' : 'not available now'}`,
          `  provider ${r.provider}, ${r.reputation.jobsSettled} jobs paid, ${r.reputation.jobsRefunded} refunded, ${(r.reputation.secondsPaid / 3600).toFixed(1)} hours paid`,
          `  peer ${r.peerId}`,
          ...r.multiaddrs.map((m) => `    ${m}`),
        );
      }
      return lines.join('\n');
    });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof UserFacingError) {
      io.err(`nocturne: ${error.message}\n`);
      return 1;
    }
    const e = error as { shortMessage?: string; message?: string };
    io.err(`nocturne: could not read the offers: ${e.shortMessage ?? e.message ?? String(error)}\n`);
    return 1;
  } finally {
    rpc?.destroy();
    await core.shutdown();
  }
}

/** `nocturne market suggest-price`: 0 with a suggestion, 1 when none could be made (no token, say). */
async function suggestPriceCommand(dataDir: string, json: boolean, io: CliIo): Promise<number> {
  const core = createCore({ dataDir, mode: 'headless', lock: false, ...devnetPortFromEnv(io.env) });
  try {
    const result = await core.router.call('market:suggestPrice', {});
    if (!result.ok) {
      io.err(`nocturne: ${result.error.message}\n`);
      return 1;
    }
    const suggestion = result.data as PriceSuggestionView;
    printData(io, json, suggestion, () =>
      [
        `Suggested price: ${suggestion.price} ${suggestion.symbol} per GPU hour (${suggestion.network})`,
        ...suggestion.reasons.map((r) => `  - ${r}`),
        `Set it with: nocturne settings set offerPricePerHour '"${suggestion.price}"'`,
      ].join('\n'),
    );
    return 0;
  } finally {
    await core.shutdown();
  }
}
