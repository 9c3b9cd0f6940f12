import {
  Contract,
  getAddress,
  Interface,
  type ContractRunner,
  type Overrides,
  type TransactionReceipt,
} from 'ethers';
import { PROVIDER_REGISTRY_ABI } from './abi/provider-registry-abi';
import { readContract, sendContract } from './contract-calls';

export const providerRegistryInterface = new Interface(PROVIDER_REGISTRY_ABI);

/** Limits ProviderRegistry enforces on an offer (InvalidOffer names the field otherwise). */
export const OFFER_LIMITS = {
  peerIdBytes: 128,
  multiaddrs: 8,
  multiaddrBytes: 256,
  gpuModelBytes: 64,
} as const;

/** A provider's offer as it is written and read. */
export interface Offer {
  /** libp2p peer id, 1 to 128 bytes. */
  peerId: string;
  /** Where to dial it, at most 8, each 1 to 256 bytes. */
  multiaddrs: string[];
  /** 1 to 64 bytes. */
  gpuModel: string;
  /** Above zero, below 2^32. */
  vramMiB: number;
  /** Benchmark GFLOP/s, below 2^32. */
  gflops: number;
  /** Token base units per hour, above zero, below 2^128. */
  pricePerHour: bigint;
  token: string;
  available: boolean;
}

export interface ProviderListing {
  provider: string;
  offer: Offer;
  /** False for a provider that retired (its offer is then empty). */
  registered: boolean;
}

export interface Reputation {
  jobsSettled: bigint;
  jobsRefunded: bigint;
  secondsPaid: bigint;
}

/** Why an offer would be refused, checked here the way the contract checks it; undefined when it is fine. */
export function offerProblem(offer: Offer): string | undefined {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  const peerId = bytes(offer.peerId);
  if (peerId === 0 || peerId > OFFER_LIMITS.peerIdBytes) return 'peerId';
  if (offer.multiaddrs.length > OFFER_LIMITS.multiaddrs) return 'multiaddrs';
  if (offer.multiaddrs.some((m) => bytes(m) === 0 || bytes(m) > OFFER_LIMITS.multiaddrBytes))
    return 'multiaddr';
  const model = bytes(offer.gpuModel);
  if (model === 0 || model > OFFER_LIMITS.gpuModelBytes) return 'gpuModel';
  if (!Number.isInteger(offer.vramMiB) || offer.vramMiB <= 0 || offer.vramMiB >= 2 ** 32) return 'vramMiB';
  if (!Number.isInteger(offer.gflops) || offer.gflops < 0 || offer.gflops >= 2 ** 32) return 'gflops';
  if (offer.pricePerHour <= 0n || offer.pricePerHour >= 1n << 128n) return 'pricePerHour';
  if (!/^0x[0-9a-fA-F]{40}$/.test(offer.token) || BigInt(offer.token) === 0n) return 'token';
  return undefined;
}

function offerTuple(offer: Offer) {
  return [
    offer.peerId,
    offer.multiaddrs,
    offer.gpuModel,
    offer.vramMiB,
    offer.gflops,
    offer.pricePerHour,
    offer.token,
    offer.available,
  ];
}

function offerFrom(value: Record<string, unknown> & ArrayLike<unknown>): Offer {
  return {
    peerId: String(value.peerId ?? value[0]),
    multiaddrs: Array.from((value.multiaddrs ?? value[1]) as ArrayLike<unknown>, String),
    gpuModel: String(value.gpuModel ?? value[2]),
    vramMiB: Number(value.vramMiB ?? value[3]),
    gflops: Number(value.gflops ?? value[4]),
    pricePerHour: BigInt((value.pricePerHour ?? value[5]) as bigint),
    token: getAddress(String(value.token ?? value[6])),
    available: Boolean(value.available ?? value[7]),
  };
}

/**
 * Typed calls to a ProviderRegistry. `runner` is an ethers Signer for transactions (the provider's own
 * offer), or a Provider for reads. A refusal throws MarketContractError (e.g. InvalidOffer("peerId")).
 */
export class ProviderRegistryClient {
  readonly address: string;
  readonly contract: Contract;

  constructor(
    address: string,
    readonly runner: ContractRunner,
  ) {
    this.address = getAddress(address);
    this.contract = new Contract(this.address, providerRegistryInterface, runner);
  }

  connect(runner: ContractRunner): ProviderRegistryClient {
    return new ProviderRegistryClient(this.address, runner);
  }

  register(offer: Offer, overrides: Overrides = {}): Promise<TransactionReceipt> {
    return this.send('register', [offerTuple(offer)], overrides);
  }

  update(offer: Offer, overrides: Overrides = {}): Promise<TransactionReceipt> {
    return this.send('update', [offerTuple(offer)], overrides);
  }

  setAvailable(available: boolean, overrides: Overrides = {}): Promise<TransactionReceipt> {
    return this.send('setAvailable', [available], overrides);
  }

  retire(overrides: Overrides = {}): Promise<TransactionReceipt> {
    return this.send('retire', [], overrides);
  }

  /** The provider's offer, or undefined when it never registered or has retired. */
  async offerOf(provider: string): Promise<(Offer & { updatedAt: bigint }) | undefined> {
    const [offer, registered, updatedAt] = (await this.read('offerOf', [provider])) as [
      Record<string, unknown> & ArrayLike<unknown>,
      boolean,
      bigint,
    ];
    return registered ? { ...offerFrom(offer), updatedAt } : undefined;
  }

  async providerCount(): Promise<bigint> {
    return (await this.read('providerCount', [])) as bigint;
  }

  /** Every provider ever registered, `pageSize` at a time; retired ones have registered false. */
  async listProviders(pageSize = 50): Promise<ProviderListing[]> {
    const total = await this.providerCount();
    const listings: ProviderListing[] = [];
    for (let start = 0n; start < total; start += BigInt(pageSize)) {
      const [providers, offers, registered] = (await this.read('providersPage', [start, pageSize])) as [
        string[],
        (Record<string, unknown> & ArrayLike<unknown>)[],
        boolean[],
      ];
      providers.forEach((provider, i) =>
        listings.push({
          provider: getAddress(provider),
          offer: offerFrom(offers[i]!),
          registered: registered[i]!,
        }),
      );
    }
    return listings;
  }

  async reputationOf(provider: string): Promise<Reputation> {
    const r = (await this.read('reputationOf', [provider])) as Record<string, bigint> & ArrayLike<bigint>;
    return {
      jobsSettled: BigInt(r.jobsSettled ?? r[0]!),
      jobsRefunded: BigInt(r.jobsRefunded ?? r[1]!),
      secondsPaid: BigInt(r.secondsPaid ?? r[2]!),
    };
  }

  async earned(provider: string, token: string): Promise<bigint> {
    return (await this.read('earned', [provider, token])) as bigint;
  }

  async escrow(): Promise<string> {
    return getAddress((await this.read('escrow', [])) as string);
  }

  private read(method: string, args: unknown[]): Promise<unknown> {
    return readContract(this.contract, 'ProviderRegistry', providerRegistryInterface, method, args);
  }

  private send(method: string, args: unknown[], overrides: Overrides): Promise<TransactionReceipt> {
    return sendContract(
      this.contract,
      'ProviderRegistry',
      providerRegistryInterface,
      method,
      args,
      overrides,
    );
  }
}
