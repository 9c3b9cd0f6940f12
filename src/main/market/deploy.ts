import { getAddress, getCreateAddress, Interface, type Signer } from 'ethers';
import { loadArtifact } from '../contracts/artifacts';

/** One creation transaction: where the contract will be, and the data to send (no `to`). */
export interface CreationTx {
  address: string;
  data: string;
}

export interface MarketDeploymentPlan {
  /** At the deployer's `nonce`. */
  registry: CreationTx;
  /** At `nonce + 1`; the registry is built with this address as its escrow, and the escrow checks it. */
  escrow: CreationTx;
}

function creationData(name: string, args: unknown[], contractsDir?: string): string {
  const artifact = loadArtifact(name, contractsDir);
  return artifact.bytecode + new Interface(artifact.abi as never).encodeDeploy(args).slice(2);
}

/**
 * The two creation transactions of a market: ProviderRegistry sent by `deployer` at `nonce`, then JobEscrow
 * at `nonce + 1`. Each knows the other's address in advance, so both are immutable; sending them in
 * another order, or with another transaction between them, makes JobEscrow's constructor revert
 * (RegistryMismatch). Bytecode comes from build/contracts (see loadArtifact).
 */
export function marketDeploymentPlan(
  deployer: string,
  nonce: number,
  contractsDir?: string,
): MarketDeploymentPlan {
  const from = getAddress(deployer);
  const registry = getCreateAddress({ from, nonce });
  const escrow = getCreateAddress({ from, nonce: nonce + 1 });
  return {
    registry: { address: registry, data: creationData('ProviderRegistry', [escrow], contractsDir) },
    escrow: { address: escrow, data: creationData('JobEscrow', [registry], contractsDir) },
  };
}

/** Deploys a ProviderRegistry and its JobEscrow with `signer` (two transactions, the next two nonces). */
export async function deployMarketContracts(
  signer: Signer,
  options: { contractsDir?: string } = {},
): Promise<{ registry: string; escrow: string }> {
  const from = await signer.getAddress();
  const nonce = await signer.getNonce('pending');
  const plan = marketDeploymentPlan(from, nonce, options.contractsDir);
  for (const [index, step] of [plan.registry, plan.escrow].entries()) {
    const tx = await signer.sendTransaction({ data: step.data, nonce: nonce + index });
    const receipt = await tx.wait();
    if (receipt?.status !== 1 || getAddress(receipt.contractAddress ?? '') !== step.address)
      throw new Error(
        `Deploying the market contracts failed at ${step.address} (status ${receipt?.status}).`,
      );
  }
  return { registry: plan.registry.address, escrow: plan.escrow.address };
}
