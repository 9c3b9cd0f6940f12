import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildContracts } from '../../../scripts/build-contracts.js';
import { contractsDir, loadArtifact } from '../../../src/main/contracts/artifacts';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();
const repoRoot = resolve(import.meta.dirname, '../../..');

beforeAll(async () => {
  await buildContracts({ log: () => {} });
});

describe('contract build and artifacts', () => {
  it('builds TestUSD with the pinned compiler, and skips a build with nothing changed', async () => {
    const artifact = loadArtifact('TestUSD');
    expect(artifact.contractName).toBe('TestUSD');
    expect(artifact.bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
    expect(artifact.compiler?.version).toMatch(/^0\.8\.30\+/);
    expect(artifact.compiler?.settings).toMatchObject({
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 1_000_000 },
      viaIR: true,
    });
    expect(artifact.abi.map((item) => item.name)).toEqual(expect.arrayContaining(['transfer', 'decimals']));
    expect(contractsDir({})).toBe(join(repoRoot, 'build', 'contracts'));

    const started = performance.now();
    const again = await buildContracts({ log: () => {} });
    expect(again).toMatchObject({ compiled: false });
    expect(again.artifacts).toEqual(expect.arrayContaining(['JobEscrow', 'ProviderRegistry', 'TestUSD']));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('says to build when artifacts are missing or malformed (NOCTURNE_CONTRACTS_DIR)', () => {
    const dir = tempDir();
    expect(contractsDir({ NOCTURNE_CONTRACTS_DIR: dir })).toBe(dir);
    expect(() => loadArtifact('TestUSD', dir)).toThrow(/Contract artifacts missing: run npm run build/);
    writeFileSync(join(dir, 'TestUSD.json'), '{"abi": [], "bytecode": "0xzz", "deployedBytecode": "0x"}');
    expect(() => loadArtifact('TestUSD', dir)).toThrow(/run npm run build .*no 0x bytecode/);
    writeFileSync(join(dir, 'TestUSD.json'), '{"abi":');
    expect(() => loadArtifact('TestUSD', dir)).toThrow(/run npm run build .*not JSON/);
  });

  it('prints compiler errors with file and line', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'contracts'));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'junction');
    writeFileSync(
      join(root, 'contracts', 'Broken.sol'),
      'pragma solidity ^0.8.24;\ncontract Broken {\n  function f() public { uint x = ; }\n}\n',
    );
    await expect(buildContracts({ root, log: () => {} })).rejects.toThrow(/contracts\/Broken\.sol:3:\d+/);
  });
});
