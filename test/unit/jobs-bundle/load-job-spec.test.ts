import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobSpecError, loadJobSpec, parseJobSpec } from '../../../src/main/jobs/spec/load-job-spec';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

const validSpec = {
  version: 1,
  name: 'render frames',
  bundle: { path: 'bundle.tar.gz', sha256: 'a'.repeat(64) },
  command: ['./run.sh', '--frames', '1-10'],
  env: { FRAMES: '10' },
  resources: { gpus: 1, memoryMiB: 4096, cpus: 2, diskMiB: 1024, maxSeconds: 3600 },
  network: 'none',
  outputs: ['out/'],
};

function writeSpec(content: unknown): string {
  const file = join(tempDir(), 'job.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function loadError(file: string): Promise<JobSpecError> {
  const error = await loadJobSpec(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(JobSpecError);
  return error as JobSpecError;
}

describe('loadJobSpec', () => {
  it('loads a valid spec and gives the folder its bundle path is relative to', async () => {
    const file = writeSpec(validSpec);
    const { spec, dir } = await loadJobSpec(file);
    expect(spec).toEqual(validSpec);
    expect(dir).toBe(join(file, '..'));
  });

  it('fills defaults (env, outputs)', async () => {
    const { env: _env, outputs: _outputs, ...rest } = validSpec;
    const { spec } = await loadJobSpec(writeSpec(rest));
    expect(spec.env).toEqual({});
    expect(spec.outputs).toEqual([]);
  });

  it('names version 2', async () => {
    const file = writeSpec({ ...validSpec, version: 2 });
    const error = await loadError(file);
    expect(error.message).toBe(`${file}: version: must be 1 (the only job spec version this Nocturne knows)`);
    expect(error.field).toBe('version');
  });

  it('names a missing command', async () => {
    const { command: _command, ...rest } = validSpec;
    const error = await loadError(writeSpec(rest));
    expect(error.message).toMatch(/job\.json: command: is required$/);
    expect(error.field).toBe('command');
  });

  it('names memoryMiB 0', async () => {
    const error = await loadError(
      writeSpec({ ...validSpec, resources: { ...validSpec.resources, memoryMiB: 0 } }),
    );
    expect(error.message).toMatch(/job\.json: resources\.memoryMiB: must be at least 16$/);
    expect(error.field).toBe('resources.memoryMiB');
  });

  it('names a bundle path with ..', async () => {
    const error = await loadError(
      writeSpec({ ...validSpec, bundle: { ...validSpec.bundle, path: '../x.tar.gz' } }),
    );
    expect(error.message).toMatch(/job\.json: bundle\.path: must be a relative path inside the job folder/);
    expect(error.field).toBe('bundle.path');
  });

  it('says what a bundle needs when it has neither path nor url', async () => {
    const error = await loadError(writeSpec({ ...validSpec, bundle: { sha256: 'a'.repeat(64) } }));
    expect(error.message).toMatch(/job\.json: bundle: path: is required, or url: must be an http\(s\) URL$/);
  });

  it('names an unknown key "comand"', async () => {
    const { command, ...rest } = validSpec;
    const error = await loadError(writeSpec({ ...rest, comand: command }));
    expect(error.message).toContain('comand: is not a known field');
    expect(error.issues).toContainEqual({ field: 'comand', message: 'is not a known field' });
    expect(error.issues).toContainEqual({ field: 'command', message: 'is required' });
  });

  it('names a nested unknown key', async () => {
    const error = await loadError(
      writeSpec({ ...validSpec, resources: { ...validSpec.resources, vram: 8 } }),
    );
    expect(error.message).toMatch(/job\.json: resources\.vram: is not a known field$/);
  });

  it('says where the JSON breaks', async () => {
    const error = await loadError(writeSpec('{\n  "version": 1,\n  "name" "x"\n}\n'));
    expect(error.message).toMatch(
      /job\.json: is not valid JSON \(line 3, column 10\): Expected ':' after property name$/,
    );
  });

  it('finds the line of an unexpected token deep in a long file', async () => {
    const text = JSON.stringify(validSpec, null, 2).replace('"1-10"', '"1-10",');
    const error = await loadError(writeSpec(text));
    const line = text.split('\n').findIndex((l) => l.includes('"1-10",')) + 2; // the ] after it
    expect(error.message).toMatch(new RegExp(`is not valid JSON \\(line ${line}, `));
  });

  it('says a truncated file ends too soon', async () => {
    const error = await loadError(writeSpec('{\n  "version": 1,\n'));
    expect(error.message).toMatch(/job\.json: is not valid JSON \(line 3, column 1\): it ends too soon$/);
  });

  it('says a missing file does not exist', async () => {
    const file = join(tempDir(), 'job.json');
    const error = await loadError(file);
    expect(error.message).toBe(`${file}: does not exist`);
  });

  it('says a folder is not a spec file', async () => {
    const dir = join(tempDir(), 'job.json');
    mkdirSync(dir);
    expect((await loadError(dir)).message).toBe(`${dir}: is a folder, not a job spec file`);
  });

  it('accepts a byte-order mark', async () => {
    const file = writeSpec(`\uFEFF${JSON.stringify(validSpec)}`);
    await expect(loadJobSpec(file)).resolves.toMatchObject({ spec: { name: 'render frames' } });
  });
});

describe('parseJobSpec', () => {
  it('validates a spec from elsewhere, naming its source', () => {
    expect(parseJobSpec(validSpec, 'peer 12D3KooW')).toEqual(validSpec);
    expect(() => parseJobSpec({ ...validSpec, network: 'any' }, 'peer 12D3KooW')).toThrow(
      /^peer 12D3KooW: network: /,
    );
  });

  it('refuses what is not an object', () => {
    expect(() => parseJobSpec([], 'job.json')).toThrow(
      'job.json: must be a JSON object (a job spec), not an array',
    );
    expect(() => parseJobSpec(null, 'job.json')).toThrow(JobSpecError);
  });
});
