import { Contract, Interface, type ContractRunner } from 'ethers';

/**
 * The part of ERC-20 the wallet and the renter's deposit (allowance, approve) use; the market's own contracts
 * have generated bindings.
 */
export const erc20Interface = new Interface([
  'function balanceOf(address owner) view returns (uint256)',
  'function decimals() view returns (uint8)',
  'function symbol() view returns (string)',
  'function transfer(address to, uint256 amount) returns (bool)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function approve(address spender, uint256 amount) returns (bool)',
]);

export function erc20(address: string, runner: ContractRunner): Contract {
  return new Contract(address, erc20Interface, runner);
}
