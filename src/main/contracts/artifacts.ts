import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One compiled contract as scripts/build-contracts.js writes it to build/contracts/<Name>.json. */
export interface ContractArtifact {
  contractName: string;
  sourceName?: string;
  abi: readonly Record<string, unknown>[];
  /** Creation code, 0x-prefixed. */
  bytecode: string;
  deployedBytecode: string;
  compiler?: { version: string; settings: Record<string, unknown> };
  sourceHash?: string;
}

/** The artifacts are missing or unreadable: the contracts were not built. */
export class ContractArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractArtifactError';
  }
}

/**
 * The folder holding our package.json, walking up from `from` (this module's file: src/main/contracts/
 * under vitest, out/main/ in the bundles).
 */
export function findPackageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new ContractArtifactError(`No package.json above ${from}.`);
    dir = parent;
  }
}

/** `NOCTURNE_CONTRACTS_DIR` when set, else `<package root>/build/contracts`. */
export function contractsDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.NOCTURNE_CONTRACTS_DIR?.trim();
  return override ? resolve(override) : join(findPackageRoot(), 'build', 'contracts');
}

const HEX = /^0x[0-9a-fA-F]*$/;

/** Reads `<contracts dir>/<name>.json`; a missing or malformed artifact is a ContractArtifactError. */
export function loadArtifact(name: string, dir: string = contractsDir()): ContractArtifact {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name))
    throw new ContractArtifactError(`"${name}" is not a contract name.`);
  const file = join(dir, `${name}.json`);
  const missing = `Contract artifacts missing: run npm run build (no usable ${file})`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ContractArtifactError(missing);
  }
  let artifact: Partial<ContractArtifact>;
  try {
    artifact = JSON.parse(text) as Partial<ContractArtifact>;
  } catch {
    throw new ContractArtifactError(`${missing}: it is not JSON.`);
  }
  const problem = !Array.isArray(artifact.abi)
    ? 'no abi'
    : typeof artifact.bytecode !== 'string' || !HEX.test(artifact.bytecode)
      ? 'no 0x bytecode'
      : typeof artifact.deployedBytecode !== 'string' || !HEX.test(artifact.deployedBytecode)
        ? 'no 0x deployedBytecode'
        : undefined;
  if (problem) throw new ContractArtifactError(`${missing}: ${problem}.`);
  return { ...artifact, contractName: artifact.contractName ?? name } as ContractArtifact;
}
