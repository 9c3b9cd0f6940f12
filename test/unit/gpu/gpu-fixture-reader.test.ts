import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, gpuFixtureFiles, queryFields, readGpuFixture, sampleId } from '../../fakes/gpu-fixtures';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

describe('GPU fixture reader', () => {
  it('finds the fixture files, each with its own test file', () => {
    // A new fixture file fails here until a test routes its samples.
    expect(gpuFixtureFiles()).toEqual([
      'amd.md',
      'lspci.md',
      'nvidia-L.md',
      'nvidia-compute-apps.md',
      'nvidia-errors.md',
      'nvidia-query-gpu.md',
    ]);
  });

  it('splits samples, commands, prompt lines and output runs', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'x.md'),
      [
        '# Title',
        'intro',
        '## A1. One',
        'Command:',
        '```',
        'nvidia-smi --query-gpu=name --format=csv',
        '```',
        'Output:',
        '```',
        'name',
        'T4',
        '```',
        '## A2. Two',
        'Quoted: `inline`.',
        '```',
        '$ nvidia-smi -L',
        'GPU 0: T4 (UUID: GPU-1)',
        '',
        'root@host:~# nvidia-smi -L',
        '# Output',
        'GPU 1: T4 (UUID: GPU-2)',
        '## not a heading inside a fence',
        '```',
        '# Part B',
        'prose outside any sample',
      ].join('\n'),
    );
    const [one, two] = readGpuFixture('x.md', dir);
    expect(one).toMatchObject({
      heading: 'A1. One',
      command: 'nvidia-smi --query-gpu=name --format=csv',
      outputs: ['name\nT4'],
    });
    expect(two?.runs).toEqual([
      { command: 'nvidia-smi -L', output: 'GPU 0: T4 (UUID: GPU-1)' },
      { command: 'nvidia-smi -L', output: 'GPU 1: T4 (UUID: GPU-2)\n## not a heading inside a fence' },
    ]);
    expect(two?.inlineCode).toEqual(['inline']);
    expect(sampleId(two?.heading ?? '')).toBe('A2');
  });

  it('recognises prompts and tool paths, not data lines', () => {
    expect(commandOf('[root@bh174 chenyang]# nvidia-smi ')).toBe('nvidia-smi');
    expect(commandOf('$nvidia-smi -L')).toBe('nvidia-smi -L');
    expect(commandOf('> amd-smi metric -u --json')).toBe('amd-smi metric -u --json');
    expect(commandOf('/usr/bin/nvidia-smi -i 0')).toBe('/usr/bin/nvidia-smi -i 0');
    expect(commandOf("ERROR: Option and is not recognized. Please run 'nvidia-smi -h'.")).toBeNull();
    expect(commandOf('# gpu         pid   type')).toBeNull();
  });

  it('reads the field list of a query', () => {
    expect(queryFields('nvidia-smi --query-gpu=a,b --format=csv', 'gpu')).toEqual(['a', 'b']);
    expect(queryFields('nvidia-smi --query-compute-apps pid,name', 'compute-apps')).toEqual(['pid', 'name']);
    expect(queryFields('nvidia-smi -L', 'gpu')).toBeNull();
  });
});
