export const SOLC_VERSION: string;
export const COMPILER_SETTINGS: Readonly<Record<string, unknown>>;
export class ContractBuildError extends Error {}
export function buildContracts(options?: {
  root?: string;
  log?: (line: string) => void;
}): Promise<{ compiled: boolean; artifacts: string[]; outDir: string }>;
