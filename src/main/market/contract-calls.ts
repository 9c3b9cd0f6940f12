import type { Contract, Interface, Overrides, TransactionReceipt } from 'ethers';
import { toMarketError } from './market-errors';

/** A view call whose revert comes back as a MarketContractError naming the contract's custom error. */
export async function readContract(
  contract: Contract,
  name: string,
  abi: Interface,
  method: string,
  args: unknown[],
): Promise<unknown> {
  try {
    return await contract.getFunction(method).staticCall(...args);
  } catch (error) {
    throw toMarketError(error, name, abi);
  }
}

/** Sends a transaction and waits for its receipt; a revert becomes a MarketContractError. */
export async function sendContract(
  contract: Contract,
  name: string,
  abi: Interface,
  method: string,
  args: unknown[],
  overrides: Overrides,
): Promise<TransactionReceipt> {
  let receipt: TransactionReceipt | null;
  try {
    const tx = await contract.getFunction(method).send(...args, overrides);
    receipt = await tx.wait();
  } catch (error) {
    throw toMarketError(error, name, abi);
  }
  if (!receipt) throw new Error(`${name}.${method}: the transaction was dropped`);
  return receipt;
}
