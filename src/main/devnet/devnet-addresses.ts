import { getCreateAddress } from 'ethers';

/**
 * Where the embedded devnet's contracts are. Hardhat's first test account deploys them at its first
 * nonces when a devnet starts for the first time, so every fresh devnet has them at the same addresses and
 * the network registry can hold them before the chain runs. (A devnet created before a contract existed
 * deploys it later, at another address: Devnet.contracts always says where they really are.)
 */
export const DEVNET_DEPLOYER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

/** Nonce 0: TestUSD (tUSD). */
export const DEVNET_TEST_USD_ADDRESS = getCreateAddress({ from: DEVNET_DEPLOYER, nonce: 0 });
/** Nonce 1: ProviderRegistry, whose escrow is the JobEscrow at nonce 2. */
export const DEVNET_PROVIDER_REGISTRY_ADDRESS = getCreateAddress({ from: DEVNET_DEPLOYER, nonce: 1 });
/** Nonce 2: JobEscrow, recording reputation in the ProviderRegistry at nonce 1. */
export const DEVNET_JOB_ESCROW_ADDRESS = getCreateAddress({ from: DEVNET_DEPLOYER, nonce: 2 });

/** The market contracts of a fresh devnet, as the network registry stores them. */
export const DEVNET_MARKET_CONTRACTS = Object.freeze({
  ProviderRegistry: DEVNET_PROVIDER_REGISTRY_ADDRESS,
  JobEscrow: DEVNET_JOB_ESCROW_ADDRESS,
});
