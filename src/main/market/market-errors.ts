import { Interface, isCallException, isError, type InterfaceAbi } from 'ethers';

/** Errors a token may bubble up through the escrow (OpenZeppelin's ERC-20 errors). */
const TOKEN_ERRORS = [
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
];
const tokenErrors = new Interface(TOKEN_ERRORS);

/**
 * A market contract refused a call with a custom error (JobEscrow's NothingToRedeem, ProviderRegistry's
 * NotRegistered...), or a token it called did. `errorName` and `args` are the decoded error; the message
 * says the same in words.
 */
export class MarketContractError extends Error {
  constructor(
    readonly contract: string,
    readonly errorName: string,
    readonly args: readonly unknown[],
    options?: { cause?: unknown },
  ) {
    super(
      `${contract} refused the call: ${errorName}(${args.map((a) => (typeof a === 'bigint' ? a.toString() : String(a))).join(', ')})`,
      options,
    );
    this.name = 'MarketContractError';
  }
}

/** The revert data in an ethers error (estimateGas, staticCall, call), if there is any. */
function revertData(error: unknown): string | undefined {
  if (isCallException(error) && typeof error.data === 'string') return error.data;
  const nested = error as {
    data?: unknown;
    error?: { data?: unknown };
    info?: { error?: { data?: unknown } };
  };
  for (const candidate of [nested?.data, nested?.error?.data, nested?.info?.error?.data])
    if (typeof candidate === 'string' && candidate.startsWith('0x') && candidate.length >= 10)
      return candidate;
  return undefined;
}

/**
 * Decodes a custom error from an ethers error with the contract's ABI (and the standard ERC-20 errors);
 * undefined when the error carries no revert data this ABI knows.
 */
export function decodeMarketError(
  error: unknown,
  abi: InterfaceAbi | Interface,
): { name: string; args: unknown[] } | undefined {
  const data = revertData(error);
  if (!data) return undefined;
  for (const iface of [abi instanceof Interface ? abi : new Interface(abi), tokenErrors]) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return { name: parsed.name, args: [...parsed.args] };
    } catch {
      // not this ABI's error
    }
  }
  return undefined;
}

/** `error` as a MarketContractError when it carries a known custom error; otherwise `error` itself. */
export function toMarketError(error: unknown, contract: string, abi: InterfaceAbi | Interface): unknown {
  if (error instanceof MarketContractError) return error;
  const decoded = decodeMarketError(error, abi);
  if (decoded) return new MarketContractError(contract, decoded.name, decoded.args, { cause: error });
  if (isError(error, 'CALL_EXCEPTION') && error.reason)
    return new MarketContractError(contract, 'Error', [error.reason], { cause: error });
  return error;
}
