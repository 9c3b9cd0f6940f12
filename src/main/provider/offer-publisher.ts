import type { JsonRpcProvider } from 'ethers';
import { formatEther, isError, type TransactionReceipt } from 'ethers';
import type { GpuView } from '../../shared/schemas/gpu';
import type { ProviderNodeStatus } from '../../shared/schemas/market';
import type { Network } from '../../shared/schemas/network';
import type { OfferPublication, PublishedOffer } from '../../shared/schemas/offer';
import type { Settings } from '../../shared/schemas/settings';
import type { WalletStatus } from '../../shared/schemas/wallet';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import {
  MarketContractError,
  ProviderRegistryClient,
  providerRegistryInterface,
  toMarketError,
  type Offer,
} from '../market';
import { DEVNET_ID, type Connection } from '../networks/network-service';
import { createRpcProviders } from '../networks/rpc-providers';
import type { Signer } from '../wallet/key-vault';
import {
  buildOffer,
  decidePublication,
  settleAvailability,
  type AvailabilityDebounce,
  type OfferGpu,
  type PublicationStep,
  type WantedOffer,
} from './decide-publication';
import { offerFromSettings } from './provider-offer';

export interface OfferPublisherOptions {
  networks: { selected(): Network; connect(id?: string): Promise<Connection> };
  /** The provider node's status: the offer is published while it is online. */
  node: () => ProviderNodeStatus;
  /** Availability's decision now (raw; the publisher debounces it). */
  available: () => boolean;
  settings: () => Settings;
  gpus: () => readonly GpuView[];
  wallet: { status(): WalletStatus; signer(): Signer };
  clock: Clock;
  logger: Logger;
  onChange: (status: OfferPublication) => void;
  /** How long availability must hold before its flag is written (default 60 s). */
  debounceMs?: number;
  /** Other changes (price, addresses, an unlock) are gathered this long before the chain is read (default 1 s). */
  settleMs?: number;
  /** First retry after a failure, doubling up to maxRetryMs (defaults 5 s and 5 min). */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long to wait for a transaction to be mined before trying again (default 10 min). */
  receiptTimeoutMs?: number;
}

/** What the publisher aims at on one network, and the key that says whether that changed. */
interface Target {
  network: Network;
  registry: string;
  address: string;
  wanted: WantedOffer;
  /** Why the chain should say "unavailable" (renting off, nothing to offer), for the status. */
  offReason: string | null;
  /** Something the owner should know even when published (no address renters can dial). */
  note: string | null;
  /** Read the chain even when nothing is wanted (the node is online, or we listed an offer there). */
  mustRead: boolean;
  key: string;
}

type Outcome = 'done' | 'locked' | 'refused' | 'retrying';

/** No chain work now: nothing can be published (no wallet, no registry), or the node is between states. */
interface Skip {
  skip: 'none' | 'wait';
  reason: string;
  network: string;
}

class NeedsGas extends Error {}

/** The reason a node gives, without ethers' long diagnostic tail. */
function shortReason(error: unknown): string {
  const e = error as { shortMessage?: string; reason?: string; message?: string };
  return (e.reason ?? e.shortMessage ?? e.message ?? String(error)).replace(/[.\s]+$/, '');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function toView(offer: Offer): PublishedOffer {
  return {
    peerId: offer.peerId,
    multiaddrs: [...offer.multiaddrs],
    gpuModel: offer.gpuModel,
    vramMiB: offer.vramMiB,
    gflops: offer.gflops,
    pricePerHour: offer.pricePerHour.toString(),
    token: offer.token,
    available: offer.available,
  };
}

/** The latest benchmark worth publishing: validated, and not a software adapter's figure. */
function gpuOf(view: GpuView): OfferGpu {
  const result = view.benchmark?.result;
  const trusted = result && result.validation.passed && !result.adapter.isFallbackAdapter;
  return {
    model: view.info.name,
    vramMiB: view.info.memoryTotalMiB,
    gflops: trusted ? result.matmul.gflops : null,
  };
}

/**
 * Keeps this machine's offer in ProviderRegistry equal to what it is, on the selected network: register
 * the first time, update when a term changes (peer id, addresses, GPU, benchmark, price, token),
 * setAvailable when only availability changes, and that only once it has held for `debounceMs`; going
 * offline marks the offer unavailable (it is never retired). The chain is read first, so nothing is sent
 * when it already agrees. One sync runs at a time, so transactions never race for a nonce; failures are
 * logged, shown in the status and retried with back-off. Nothing here throws into its callers.
 */
export function createOfferPublisher(options: OfferPublisherOptions) {
  const { logger, clock } = options;
  const debounceMs = options.debounceMs ?? 60_000;
  const settleMs = options.settleMs ?? 1000;
  const retryMs = options.retryMs ?? 5000;
  const maxRetryMs = options.maxRetryMs ?? 300_000;
  const receiptTimeoutMs = options.receiptTimeoutMs ?? 600_000;

  const rpcProviders = createRpcProviders({ pollingIntervalMs: 1000 });
  /** Networks where this session saw or wrote a registered offer: offline, only those are read. */
  const listedOn = new Set<string>();
  let debounce: AvailabilityDebounce | null = null;
  let debounceTimer: NodeJS.Timeout | null = null;
  let syncTimer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let dirty = false;
  let stopped = false;
  let last: { key: string; outcome: Outcome; onChain?: Offer | undefined } | null = null;
  let failures = 0;
  let lastLogged = '';
  let gpusSeen = '';
  let status: OfferPublication = {
    network: null,
    state: 'not-published',
    reason: 'Renting is off.',
    txHash: null,
    offer: null,
    updatedAt: clock.now().toISOString(),
  };

  function set(patch: Partial<Omit<OfferPublication, 'updatedAt'>>): void {
    const next = { ...status, ...patch };
    const same = (Object.keys(next) as (keyof OfferPublication)[]).every(
      (k) => k === 'updatedAt' || JSON.stringify(next[k]) === JSON.stringify(status[k]),
    );
    if (same) return;
    status = { ...next, updatedAt: clock.now().toISOString() };
    options.onChange(status);
  }

  function warnOnce(message: string, error?: unknown): void {
    if (message === lastLogged) return;
    lastLogged = message;
    if (error === undefined) logger.warn(message);
    else logger.error(message, error);
  }

  const providerFor = (connection: Connection): JsonRpcProvider => rpcProviders.for(connection);

  /** The availability flag as it may be published now; arms the wake-up of a pending flip. */
  function settledAvailable(): boolean {
    const now = clock.now().getTime();
    const { state, wakeAt } = settleAvailability(debounce, options.available(), now, debounceMs);
    debounce = state;
    if (debounceTimer) clearTimeout(debounceTimer);
    debounceTimer = null;
    if (wakeAt !== null && !stopped) {
      debounceTimer = setTimeout(refresh, Math.max(0, wakeAt - now) + 5);
      debounceTimer.unref();
    }
    return state.settled;
  }

  function resetDebounce(): void {
    debounce = null;
    if (debounceTimer) clearTimeout(debounceTimer);
    debounceTimer = null;
  }

  /** What the chain should say now, from the node, availability, settings, the GPUs and the wallet. */
  function target(): Target | Skip {
    const network = options.networks.selected();
    const wallet = options.wallet.status();
    const none = (reason: string): Skip => ({ skip: 'none', reason, network: network.id });
    if (!wallet.address) return none('Create or import a wallet: the offer is published from its address.');
    const registry = network.contracts.ProviderRegistry;
    if (!registry) return none(`${network.name} has no ProviderRegistry contract to publish an offer in.`);
    const node = options.node();
    // Between two states (a restart passes offline, starting, online): wait rather than publish a flip
    // the node is about to undo.
    if (node.state === 'starting')
      return { skip: 'wait', reason: 'The peer-to-peer node is starting.', network: network.id };
    let wanted: WantedOffer = { kind: 'unavailable' };
    let offReason: string | null = null;
    let note: string | null = null;
    if (node.state !== 'online' || !node.peerId) {
      // The flag is not published while offline, so there is nothing to batch: going online publishes
      // availability as it is then.
      resetDebounce();
      offReason =
        node.state === 'error' ? (node.reason ?? 'The peer-to-peer node failed.') : 'Renting is off.';
    } else {
      const price = offerFromSettings(options.settings(), network)[0];
      const built = buildOffer({
        peerId: node.peerId,
        addresses: node.addresses,
        loopbackDialable: network.id === DEVNET_ID,
        gpus: options.gpus().map(gpuOf),
        pricePerHour: price ? price.pricePerSecond * 3600n : null,
        token: network.token?.address ?? null,
        available: settledAvailable(),
        networkName: network.name,
      });
      if (built.ok) {
        wanted = { kind: 'offer', offer: built.offer };
        if (built.offer.multiaddrs.length === 0)
          note = 'No address renters elsewhere can dial was found yet (only loopback or link-local ones).';
      } else offReason = built.reason;
    }
    const mustRead = node.state === 'online' || listedOn.has(network.id);
    const key = JSON.stringify(
      { n: network.id, c: network.chainId, r: registry, a: wallet.address, w: wanted, read: mustRead },
      (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
    );
    return { network, registry, address: wallet.address, wanted, offReason, note, mustRead, key };
  }

  /** Looks at what changed; schedules a sync only when the chain may need to change. Never throws. */
  function refresh(): void {
    if (stopped) return;
    try {
      const t = target();
      if ('skip' in t) {
        if (t.skip === 'wait') return;
        last = null;
        set({ network: t.network, state: 'not-published', reason: t.reason, offer: null });
        return;
      }
      if (last && last.key === t.key) {
        if (last.outcome === 'done') return show(t, last.onChain); // a flip pending, or undone
        if (last.outcome === 'refused' || last.outcome === 'retrying') return;
        if (last.outcome === 'locked' && options.wallet.status().locked) return;
      }
      schedule(settleMs);
    } catch (error) {
      warnOnce(`Offer publisher: ${String(error)}`, error);
    }
  }

  function pendingFlipReason(): string {
    if (!debounce) return '';
    const at = new Date(debounce.since + debounceMs).toISOString().slice(11, 19);
    return `Will be marked ${debounce.raw ? 'available' : 'unavailable'} at ${at} UTC if that holds (changes are batched to save gas).`;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (running) {
      dirty = true;
      return;
    }
    if (syncTimer) clearTimeout(syncTimer);
    syncTimer = setTimeout(() => {
      syncTimer = null;
      running = sync().finally(() => {
        running = null;
        if (dirty && !stopped) {
          dirty = false;
          refresh();
        }
      });
    }, delayMs);
    syncTimer.unref();
  }

  async function sync(): Promise<void> {
    dirty = false;
    let t: Target | Skip;
    try {
      t = target();
    } catch (error) {
      warnOnce(`Offer publisher: ${String(error)}`, error);
      return;
    }
    if ('skip' in t) {
      if (t.skip === 'none')
        set({ network: t.network, state: 'not-published', reason: t.reason, offer: null });
      return;
    }
    const { network } = t;
    if (status.network !== network.id) set({ network: network.id, offer: null, txHash: null });
    if (!t.mustRead) {
      finished(t, undefined);
      return;
    }
    try {
      const connection = await options.networks.connect(network.id);
      const provider = providerFor(connection);
      // The devnet's row learns where its contracts really are when it starts.
      t.registry = connection.network.contracts.ProviderRegistry ?? t.registry;
      const reader = new ProviderRegistryClient(t.registry, provider);
      for (let step = 0; step < 4 && !stopped; step += 1) {
        const onChain = await reader.offerOf(t.address);
        if (onChain) listedOn.add(network.id);
        const action = decidePublication(t.wanted, onChain);
        if (action.kind === 'none') {
          finished(t, onChain);
          return;
        }
        if (options.wallet.status().locked) {
          last = { key: t.key, outcome: 'locked' };
          set({
            state: 'pending',
            reason: `Unlock the wallet to ${describe(action)} on ${network.name}.`,
            offer: onChain ? toView(onChain) : null,
          });
          return;
        }
        set({
          state: 'pending',
          reason: `${capitalised(describe(action))} on ${network.name}…`,
          offer: onChain ? toView(onChain) : null,
        });
        await send(connection, provider, t, action);
      }
      if (!stopped) throw new Error('the chain still differs after several transactions');
    } catch (error) {
      failed(t, error);
    }
  }

  function finished(t: Target, onChain: Offer | undefined): void {
    failures = 0;
    lastLogged = '';
    last = { key: t.key, outcome: 'done', onChain };
    show(t, onChain);
  }

  /** The status once the chain agrees with the target (a debounced flip may still wait). */
  function show(t: Target, onChain: Offer | undefined): void {
    const flipping = debounce !== null && debounce.raw !== debounce.settled && t.wanted.kind === 'offer';
    if (!onChain) {
      set({ state: 'not-published', reason: t.offReason ?? 'Nothing is published.', offer: null });
      return;
    }
    set({
      state: flipping ? 'pending' : 'published',
      reason: flipping
        ? pendingFlipReason()
        : t.wanted.kind === 'unavailable'
          ? `Listed as unavailable: ${lowerFirst(t.offReason ?? 'renting is off.')}`
          : t.note,
      offer: toView(onChain),
    });
  }

  function failed(t: Target, error: unknown): void {
    if (stopped) return;
    const { network } = t;
    if (error instanceof NeedsGas || isError(error, 'INSUFFICIENT_FUNDS')) {
      const message =
        error instanceof NeedsGas
          ? error.message
          : `Your offer needs ${network.nativeSymbol} for gas on ${network.name}: the wallet has too little to pay the fee.`;
      retry(t, message);
      return;
    }
    if (error instanceof MarketContractError) {
      // The contract said no: trying again changes nothing until the offer does.
      last = { key: t.key, outcome: 'refused' };
      const message = `${network.name} refused the offer: ${shortReason(error)}.`;
      warnOnce(`Offer publisher: ${message}`);
      set({ state: 'error', reason: message });
      return;
    }
    retry(t, `Could not publish the offer on ${network.name}: ${shortReason(error)}.`);
  }

  function retry(t: Target, message: string): void {
    const delay = Math.min(maxRetryMs, retryMs * 2 ** failures);
    failures += 1;
    last = { key: t.key, outcome: 'retrying' };
    warnOnce(`Offer publisher: ${message}`);
    set({ state: 'error', reason: `${message} Trying again in ${seconds(delay)}.` });
    if (syncTimer) clearTimeout(syncTimer);
    syncTimer = setTimeout(() => {
      syncTimer = null;
      last = null;
      refresh();
    }, delay);
    syncTimer.unref();
  }

  /** Prices, checks the gas money, sends and waits for one transaction. */
  async function send(
    connection: Connection,
    provider: JsonRpcProvider,
    t: Target,
    action: Exclude<PublicationStep, { kind: 'none' }>,
  ): Promise<void> {
    const { network } = connection;
    const data =
      action.kind === 'setAvailable'
        ? providerRegistryInterface.encodeFunctionData('setAvailable', [action.available])
        : providerRegistryInterface.encodeFunctionData(action.kind, [action.offer]);
    const request = { from: t.address, to: t.registry, data };
    let gasLimit: bigint;
    try {
      // A margin over the estimate: the strings' storage may differ by a slot from what was estimated.
      gasLimit = ((await provider.estimateGas(request)) * 12n) / 10n;
    } catch (error) {
      if (isError(error, 'INSUFFICIENT_FUNDS')) throw error;
      throw toMarketError(error, 'ProviderRegistry', providerRegistryInterface);
    }
    const [fees, balance] = await Promise.all([provider.getFeeData(), provider.getBalance(t.address)]);
    const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
    const cost = gasLimit * price;
    if (balance === 0n || balance < cost) {
      const faucet = network.builtin ? ' (test ETH: Wallet → Faucet, or nocturne wallet faucet)' : '';
      throw new NeedsGas(
        `Your offer needs ${network.nativeSymbol} for gas on ${network.name}: publishing may cost up to ` +
          `${formatEther(cost)} ${network.nativeSymbol} and the wallet has ${formatEther(balance)}${faucet}.`,
      );
    }
    const signer = options.wallet.signer().connect(provider);
    let receipt: TransactionReceipt | null;
    try {
      const tx = await signer.sendTransaction({
        to: t.registry,
        data,
        gasLimit,
        chainId: network.chainId,
      });
      set({ txHash: tx.hash });
      receipt = await tx.wait(1, receiptTimeoutMs);
    } catch (error) {
      throw toMarketError(error, 'ProviderRegistry', providerRegistryInterface);
    }
    if (!receipt) throw new Error('the transaction was dropped');
    logger.info(
      `Offer: ${action.kind}${action.kind === 'setAvailable' ? `(${action.available})` : ''} on ${network.name} ` +
        `in ${receipt.hash} (gas ${receipt.gasUsed})`,
    );
    listedOn.add(network.id);
  }

  return {
    status: (): OfferPublication => status,
    /** Call on any change that may matter (node, availability, settings, wallet, network, GPUs). Never throws. */
    refresh,
    /** For telemetry (every few seconds): refreshes only when the card, its memory or its benchmark changed. */
    gpusMaybeChanged(): void {
      const seen = JSON.stringify(options.gpus().slice(0, 1).map(gpuOf));
      if (seen === gpusSeen) return;
      gpusSeen = seen;
      refresh();
    },
    /** Stops timers; waits briefly for a sync in flight, then drops the RPC connections. */
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of [debounceTimer, syncTimer]) if (timer) clearTimeout(timer);
      debounceTimer = syncTimer = null;
      const inFlight = running;
      if (inFlight)
        await Promise.race([inFlight, new Promise((r) => setTimeout(r, 2000).unref())]).catch(
          () => undefined,
        );
      rpcProviders.destroyAll();
    },
  };
}

function describe(action: Exclude<PublicationStep, { kind: 'none' }>): string {
  switch (action.kind) {
    case 'register':
      return 'publish your offer';
    case 'update':
      return 'update your offer';
    case 'setAvailable':
      return action.available ? 'mark your offer available' : 'mark your offer unavailable';
  }
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export type OfferPublisher = ReturnType<typeof createOfferPublisher>;
