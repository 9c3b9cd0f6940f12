// The app's bindings use ABIs committed as TypeScript (src/main/market/abi/); they must be the built ones.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { loadArtifact } from '../../../src/main/contracts/artifacts';
import { JOB_ESCROW_ABI } from '../../../src/main/market/abi/job-escrow-abi';
import { PROVIDER_REGISTRY_ABI } from '../../../src/main/market/abi/provider-registry-abi';

beforeAll(async () => {
  await buildContracts({ log: () => {} });
});

describe('committed market ABIs', () => {
  it.each([
    ['JobEscrow', JOB_ESCROW_ABI],
    ['ProviderRegistry', PROVIDER_REGISTRY_ABI],
  ] as const)('%s matches build/contracts (else run node scripts/generate-market-abis.js)', (name, abi) => {
    expect(
      JSON.parse(JSON.stringify(abi)),
      `src/main/market/abi is stale for ${name}: run node scripts/generate-market-abis.js`,
    ).toEqual(loadArtifact(name).abi);
  });
});
