import type { JsonRpcProvider } from 'ethers';
import { formatEther, formatUnits, parseEther, type BaseWallet, type TransactionRequest } from 'ethers';
import type { Balances, SendEstimate, SendRequest, WalletTransaction } from '../../shared/schemas/wallet';
import type { Network } from '../../shared/schemas/network';
import type { Clock } from '../core/clock';
import { UserFacingError } from '../core/router';
import { createRpcProviders } from '../networks/rpc-providers';
import type { Connection, NetworkService } from '../networks/network-service';
import { parseAmount, parseRecipient } from './amounts';
import { sendDevnetFunds } from '../networks/devnet-faucet';
import { erc20 } from './erc20';
import type { StoredTransaction, TransactionRepository } from './transaction-repository';

interface Prepared {
  estimate: SendEstimate;
  request: TransactionRequest;
  maxFeeWei: bigint;
  maxPriorityFeePerGas: bigint | null;
  connection: Connection;
}

/** The reason a node gives for refusing a call, without ethers' long diagnostic tail. */
function shortReason(error: unknown): string {
  const e = error as { shortMessage?: string; reason?: string; message?: string };
  return e.reason ?? e.shortMessage ?? e.message ?? String(error);
}

export function explorerLink(network: Network | null, hash: string): string | null {
  return network?.explorerUrl ? `${network.explorerUrl.replace(/\/+$/, '')}/tx/${hash}` : null;
}

/** Balances and payments on the owner's networks, signed in main by the unlocked wallet. */
export function createPayments(options: {
  networks: NetworkService;
  signer: () => BaseWallet;
  address: () => string | null;
  transactions: TransactionRepository;
  clock: Clock;
  onSent: (tx: StoredTransaction) => void;
}) {
  const rpcProviders = createRpcProviders();
  let sending: Promise<unknown> = Promise.resolve();

  const providerFor = (connection: Connection): JsonRpcProvider => rpcProviders.for(connection);

  async function rpc<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new UserFacingError(`Could not ${what}: ${shortReason(error)}`);
    }
  }

  async function prepare(request: SendRequest): Promise<Prepared> {
    const signer = options.signer();
    const connection = await options.networks.connect(request.networkId);
    const { network } = connection;
    const to = parseRecipient(request.to);
    const token = request.asset === 'token' ? network.token : null;
    if (request.asset === 'token' && !token)
      throw new UserFacingError(`${network.name} has no payment token configured.`, 'asset');
    const symbol = token ? token.symbol : network.nativeSymbol;
    const decimals = token ? token.decimals : 18;
    const units = parseAmount(request.amount, decimals, symbol);
    const provider = providerFor(connection);
    const from = signer.address;

    const nativeBalance = await rpc('read the balance', () => provider.getBalance(from));
    const assetBalance = token
      ? await rpc(
          'read the token balance',
          () => erc20(token.address, provider).getFunction('balanceOf')(from) as Promise<bigint>,
        )
      : nativeBalance;
    if (units > assetBalance)
      throw new UserFacingError(
        `The amount is more than your balance (${formatUnits(assetBalance, decimals)} ${symbol}).`,
        'amount',
      );
    const txRequest: TransactionRequest = token
      ? {
          to: token.address,
          data: erc20(token.address, provider).interface.encodeFunctionData('transfer', [to, units]),
        }
      : { to, value: units };

    let gasLimit: bigint;
    try {
      gasLimit = await provider.estimateGas({ ...txRequest, from });
    } catch (error) {
      throw new UserFacingError(`The network would refuse this payment: ${shortReason(error)}`);
    }
    const feeData = await rpc('read the network fee', () => provider.getFeeData());
    const maxFeePerGas = feeData.maxFeePerGas ?? feeData.gasPrice;
    if (maxFeePerGas === null) throw new UserFacingError(`${network.name} did not report a gas price.`);
    const maxFeeWei = gasLimit * maxFeePerGas;
    const nativeNeeded = maxFeeWei + (token ? 0n : units);
    if (nativeNeeded > nativeBalance)
      throw new UserFacingError(
        token
          ? `Not enough ${network.nativeSymbol} for the fee: it may cost up to ${formatEther(maxFeeWei)} ${network.nativeSymbol} and you have ${formatEther(nativeBalance)}.`
          : `The amount plus the fee (up to ${formatEther(maxFeeWei)} ${network.nativeSymbol}) is more than your balance (${formatEther(nativeBalance)} ${network.nativeSymbol}).`,
        'amount',
      );
    return {
      estimate: {
        networkId: network.id,
        asset: request.asset,
        symbol,
        to,
        amount: formatUnits(units, decimals),
        amountUnits: units.toString(),
        gasLimit: gasLimit.toString(),
        maxFeePerGas: maxFeePerGas.toString(),
        maxFee: formatEther(maxFeeWei),
        nativeSymbol: network.nativeSymbol,
      },
      request: {
        ...txRequest,
        gasLimit,
        ...(feeData.maxFeePerGas !== null
          ? { maxFeePerGas, maxPriorityFeePerGas: feeData.maxPriorityFeePerGas ?? 0n, type: 2 }
          : { gasPrice: maxFeePerGas }),
      },
      maxFeeWei,
      maxPriorityFeePerGas: feeData.maxPriorityFeePerGas,
      connection,
    };
  }

  async function send(request: SendRequest & { maxFee: string }): Promise<StoredTransaction> {
    const prepared = await prepare(request);
    let confirmed: bigint;
    try {
      confirmed = parseEther(request.maxFee);
    } catch {
      throw new UserFacingError('The confirmed fee is not a number.', 'maxFee');
    }
    if (prepared.maxFeeWei > confirmed)
      throw new UserFacingError(
        `The fee has risen to up to ${prepared.estimate.maxFee} ${prepared.estimate.nativeSymbol} since you confirmed; review it and confirm again.`,
        'maxFee',
      );
    const { network } = prepared.connection;
    const provider = providerFor(prepared.connection);
    const signer = options.signer().connect(provider);
    const nonce = await rpc('read the account nonce', () =>
      provider.getTransactionCount(signer.address, 'pending'),
    );
    let hash: string;
    try {
      const response = await signer.sendTransaction({ ...prepared.request, nonce, chainId: network.chainId });
      hash = response.hash;
    } catch (error) {
      throw new UserFacingError(`The network refused the payment: ${shortReason(error)}`);
    }
    const now = options.clock.now().getTime();
    const stored: StoredTransaction = {
      hash,
      networkId: network.id,
      chainId: network.chainId,
      from: signer.address,
      to: prepared.estimate.to,
      asset: prepared.estimate.asset,
      symbol: prepared.estimate.symbol,
      amount: prepared.estimate.amount,
      nonce,
      status: 'pending',
      blockNumber: null,
      fee: null,
      replacedBy: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    options.transactions.insert(stored);
    options.onSent(stored);
    return stored;
  }

  return {
    async balances(networkId?: string): Promise<Balances> {
      const address = options.address();
      if (!address) throw new UserFacingError('There is no wallet yet: create or import one.');
      const connection = await options.networks.connect(networkId);
      const { network } = connection;
      const provider = providerFor(connection);
      const [blockNumber, native] = await rpc('read the balance', () =>
        Promise.all([provider.getBlockNumber(), provider.getBalance(address)]),
      );
      const balances: Balances['balances'] = [
        {
          asset: 'native',
          symbol: network.nativeSymbol,
          decimals: 18,
          units: native.toString(),
          formatted: formatEther(native),
          contract: null,
        },
      ];
      const token = network.token;
      if (token) {
        const units = await rpc(
          `read the ${token.symbol} balance`,
          () => erc20(token.address, provider).getFunction('balanceOf')(address) as Promise<bigint>,
        );
        balances.push({
          asset: 'token',
          symbol: token.symbol,
          decimals: token.decimals,
          units: units.toString(),
          formatted: formatUnits(units, token.decimals),
          contract: token.address,
        });
      }
      return { networkId: network.id, address, blockNumber, balances };
    },

    /** Local devnet only: test funds for the wallet, then its new balances. */
    async faucet(networkId?: string): Promise<Balances> {
      const address = options.address();
      if (!address) throw new UserFacingError('There is no wallet yet: create or import one.');
      const connection = await options.networks.connect(networkId);
      await sendDevnetFunds(connection, address);
      return this.balances(connection.network.id);
    },

    estimate: async (request: SendRequest): Promise<SendEstimate> => (await prepare(request)).estimate,

    /** One payment at a time, so two quick sends never take the same nonce. */
    send(request: SendRequest & { maxFee: string }): Promise<StoredTransaction> {
      const next = sending.then(() => send(request));
      sending = next.catch(() => undefined);
      return next;
    },

    /** The provider for a stored transaction's network (the tracker's view). */
    async provider(networkId: string): Promise<JsonRpcProvider> {
      return providerFor(await options.networks.connect(networkId));
    },

    /** `networks`: pass the registry once when converting a whole history (one query, not one per row). */
    toView(tx: StoredTransaction, networks: readonly Network[] = options.networks.list()): WalletTransaction {
      const { chainId: _chainId, ...rest } = tx;
      // A network removed since keeps its history, without explorer links.
      const network = networks.find((n) => n.id === tx.networkId) ?? null;
      return { ...rest, explorerUrl: explorerLink(network, tx.hash) };
    },

    close(): void {
      rpcProviders.destroyAll();
    },
  };
}

export type Payments = ReturnType<typeof createPayments>;
