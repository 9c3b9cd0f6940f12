import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'nocturne/layers').map((m) => m.message);
}

describe('layer lint rule', () => {
  it('fails the renderer importing main, by relative path or from src/', async () => {
    expect(
      await layerErrors(
        'src/renderer/pages/x.ts',
        "import { createCore } from '../../main/core/create-core';\nvoid createCore;\n",
      ),
    ).toEqual([expect.stringContaining('src/renderer (browser) may not import src/main/<domain>')]);
    expect(await layerErrors('src/renderer/x.ts', "export * from '../main/app/main';\n")).toHaveLength(1);
    expect(await layerErrors('src/renderer/x.ts', "import '../preload/preload';\n")).toHaveLength(1);
  });

  it('fails a domain module importing electron, and the renderer or shared importing Node', async () => {
    expect(await layerErrors('src/main/store/x.ts', "import { app } from 'electron';\nvoid app;\n")).toEqual([
      expect.stringContaining('may not import electron'),
    ]);
    expect(
      await layerErrors('src/renderer/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n"),
    ).toHaveLength(1);
    expect(await layerErrors('src/shared/x.ts', "import { join } from 'path';\nvoid join;\n")).toHaveLength(
      1,
    );
  });

  it('fails shared importing anything of ours but itself, and a domain module importing the Electron shell', async () => {
    expect(await layerErrors('src/shared/x.ts', "import '../main/core/router';\n")).toHaveLength(1);
    expect(await layerErrors('src/shared/x.ts', "import '../renderer/app';\n")).toHaveLength(1);
    expect(await layerErrors('src/main/core/x.ts', "import '../app/main';\n")).toHaveLength(1);
  });

  it('allows what the layers permit', async () => {
    expect(
      await layerErrors(
        'src/renderer/x.ts',
        "import { contract } from '../shared/contract';\nvoid contract;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/main/app/x.ts',
        "import { app } from 'electron';\nimport '../core/router';\nvoid app;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/preload/x.ts',
        "import { ipcRenderer } from 'electron';\nimport '../shared/api';\nvoid ipcRenderer;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/main/store/x.ts',
        "import { join } from 'node:path';\nimport '../../shared/contract';\nvoid join;\n",
      ),
    ).toEqual([]);
  });
});
