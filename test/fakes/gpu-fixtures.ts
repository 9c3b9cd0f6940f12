import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reader for the recorded GPU tool outputs in shared/fixtures/gpu/*.md. Each `## ` heading (outside a
 * code fence) starts a sample; a `# ` heading ends one. In a sample:
 *   - a code block right after a `Command:` line is the command;
 *   - a code block holding nothing but one command line (`nvidia-smi --query-gpu=...`) is a command too;
 *   - every other code block is output. Inside it, a shell-prompt line that runs a GPU tool
 *     (`$ nvidia-smi -L`, `root@node1:~# nvidia-smi -L`, `> amd-smi ...`) starts a new run with that
 *     command, and a bare `# Output` marker line is dropped;
 *   - a run without its own prompt line takes the latest command seen in the sample.
 */
export interface FixtureRun {
  command: string | null;
  output: string;
}

export interface FixtureSample {
  file: string;
  heading: string;
  /** The `Command:` block, else the first command seen in an output block, else null. */
  command: string | null;
  /** Each run's output text; parallel to `runs`. */
  outputs: string[];
  runs: FixtureRun[];
  /** `inline code` spans in the sample's prose (some messages are only quoted inline). */
  inlineCode: string[];
  /** The prose outside code blocks: source notes such as "truncated in source excerpt". */
  notes: string;
}

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** shared/ sits beside the checkout here and inside it on some machines; NOCTURNE_GPU_FIXTURES overrides. */
export const GPU_FIXTURE_DIR =
  [
    process.env['NOCTURNE_GPU_FIXTURES'],
    join(REPO_ROOT, 'shared/fixtures/gpu'),
    join(REPO_ROOT, '../shared/fixtures/gpu'),
  ].find((dir): dir is string => dir !== undefined && existsSync(dir)) ??
  join(REPO_ROOT, '../shared/fixtures/gpu');

const TOOL = String.raw`(?:sudo\s+)?(?:\S*[\\/])?(?:nvidia-smi(?:\.exe)?|rocm-smi|amd-smi|lspci)\b`;
// No prompt, `$`, `#`, `>`, `user@host:~/dir$`, or `[user@host dir]#`, then the tool.
const COMMAND_LINE = new RegExp(String.raw`^(?:\[[^\]]*\][$#]|[^\s$#>]*[$#>])?\s*(${TOOL}.*?)\s*$`);

/** The command a line runs, without its prompt; null when the line is not a GPU-tool invocation. */
export function commandOf(line: string): string | null {
  return COMMAND_LINE.exec(line)?.[1] ?? null;
}

function trimBlankEdges(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === '') start++;
  while (end > start && lines[end - 1]?.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

interface RawSample {
  heading: string;
  prose: string[];
  blocks: { lines: string[]; afterCommandMarker: boolean }[];
}

function splitMarkdown(markdown: string): RawSample[] {
  const samples: RawSample[] = [];
  let current: RawSample | null = null;
  let block: string[] | null = null;
  let lastProse = '';
  for (const line of markdown.split(/\r?\n/)) {
    if (block) {
      if (/^```/.test(line)) {
        current?.blocks.push({ lines: block, afterCommandMarker: /^Command:\s*$/i.test(lastProse.trim()) });
        block = null;
        lastProse = '';
      } else {
        block.push(line);
      }
      continue;
    }
    if (/^```/.test(line)) {
      block = [];
    } else if (/^## /.test(line)) {
      current = { heading: line.slice(3).trim(), prose: [], blocks: [] };
      samples.push(current);
    } else if (/^# /.test(line)) {
      current = null;
    } else {
      current?.prose.push(line);
      if (line.trim() !== '') lastProse = line;
    }
  }
  if (block) throw new Error('Unclosed code fence in a GPU fixture file.');
  return samples;
}

function toSample(file: string, raw: RawSample): FixtureSample {
  let command: string | null = null;
  let current: string | null = null;
  const runs: FixtureRun[] = [];
  for (const { lines, afterCommandMarker } of raw.blocks) {
    const nonBlank = lines.filter((line) => line.trim() !== '');
    const only = nonBlank.length === 1 ? commandOf(nonBlank[0] ?? '') : null;
    if (afterCommandMarker || only !== null) {
      current = afterCommandMarker ? nonBlank.join(' ').trim() : only;
      command ??= current;
      continue;
    }
    let run: string[] | null = null;
    const flush = () => {
      if (run) runs.push({ command: current, output: trimBlankEdges(run) });
    };
    for (const line of lines) {
      const inline = commandOf(line);
      if (inline !== null) {
        flush();
        current = inline;
        command ??= inline;
        run = [];
      } else if (!/^#\s*Output\s*$/i.test(line.trim())) {
        (run ??= []).push(line);
      }
    }
    flush();
  }
  const notes = raw.prose.join('\n').trim();
  const inlineCode = [...notes.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? '');
  return {
    file,
    heading: raw.heading,
    command,
    outputs: runs.map((run) => run.output),
    runs,
    inlineCode,
    notes,
  };
}

/** Every sample of one fixture file, e.g. `readGpuFixture('nvidia-L.md')`. */
export function readGpuFixture(file: string, dir = GPU_FIXTURE_DIR): FixtureSample[] {
  const name = basename(file);
  return splitMarkdown(readFileSync(join(dir, name), 'utf8')).map((raw) => toSample(name, raw));
}

/** The fixture files (README excluded). */
export function gpuFixtureFiles(dir = GPU_FIXTURE_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort();
}

/** The field list of `--query-gpu=a,b` / `--query-compute-apps a,b` in a command, or null. */
export function queryFields(command: string | null, kind: 'gpu' | 'compute-apps'): string[] | null {
  const list = command ? new RegExp(String.raw`--query-${kind}[=\s]+(\S+)`).exec(command)?.[1] : undefined;
  return list ? list.split(',').filter((field) => field !== '') : null;
}

/** The short id a heading starts with (`A1`, `C1-idle`, `P9+`), or the whole heading for unnumbered ones. */
export function sampleId(heading: string): string {
  return /^([A-Z]\d+\+?(?:-[a-z]+)?)\.\s/.exec(heading)?.[1] ?? heading;
}

/** it.each title: `file — heading`, so each sample shows by name in the test report. */
export function sampleTitle(sample: FixtureSample): string {
  return `${sample.file} — ${sample.heading}`;
}

/** Lines an author put in to mark elided output (`...`, `... (GPUs 2–7 identical)`): not tool output. */
export function dropElisions(output: string): string {
  return output
    .split('\n')
    .filter((line) => !/^\s*\.\.\./.test(line))
    .join('\n');
}
