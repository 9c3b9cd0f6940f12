import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export const FIXTURES = resolve(process.cwd(), '..', 'shared', 'fixtures', 'gpu');
const FAKE_BIN = resolve(process.cwd(), 'test', 'fakes', 'bin');

/** The code block that follows the line starting with `label` inside the `## heading` section. */
function blockAfter(section: string, label: string): string {
  const at = section.indexOf(`\n${label}`);
  if (at < 0) throw new Error(`no "${label}" in section`);
  const open = section.indexOf('```', at);
  const close = section.indexOf('```', open + 3);
  return section.slice(section.indexOf('\n', open) + 1, close).trim();
}

/**
 * Writes a recorded nvidia-smi output (header + rows, from the fixture section whose heading starts
 * with `heading`) where the fake nvidia-smi reads it, and returns the environment that puts the fake
 * first on PATH. Node stays reachable for the fake's own shebang.
 */
export function fakeNvidiaEnv(
  dir: string,
  heading: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const text = readFileSync(join(FIXTURES, 'nvidia-query-gpu.md'), 'utf8');
  const start = text.indexOf(`## ${heading}`);
  const end = text.indexOf('\n## ', start + 3);
  const section = text.slice(start, end < 0 ? undefined : end);
  const header = section.includes('\nHeader') ? blockAfter(section, 'Header') : null;
  const output = blockAfter(section, 'Output');
  const csv = join(dir, 'recording.csv');
  writeFileSync(csv, header ? `${header}\n${output}\n` : `${output}\n`);
  return { PATH: [FAKE_BIN, dirname(process.execPath)].join(delimiter), FAKE_NVIDIA_SMI_CSV: csv, ...extra };
}

/** PATH with no GPU tool on it at all (only Node). */
export function noGpuToolsEnv(): NodeJS.ProcessEnv {
  return { PATH: dirname(process.execPath) };
}
