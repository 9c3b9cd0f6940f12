import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { JobSpec } from '../../shared/schemas/job';
import { sha256File } from '../jobs/bundle/verify-sha256';
import { JobSpecError, loadJobSpec } from '../jobs/spec/load-job-spec';
import { MAX_WIRE_BUNDLE_BYTES } from '../p2p/job-messages';
import { RentError } from './rent-error';

/** A spec ready to rent: validated, its bundle checked, its outputs folder free. */
export interface PreparedJob {
  spec: JobSpec;
  specFile: string;
  bundlePath: string;
  bundleBytes: number;
  outputsDir: string;
}

/** The default outputs folder's name: `<spec name>-outputs`, with anything odd in the name made a dash. */
export function defaultOutputsName(spec: Pick<JobSpec, 'name'>): string {
  const slug = spec.name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 100);
  return `${slug || 'job'}-outputs`;
}

/**
 * Loads and checks everything that can be checked before money moves: the spec, the bundle (a local file,
 * its sha256 the spec's, within the wire's and the spec's disk limit) and the outputs folder (missing or
 * empty; default `./<spec name>-outputs` under `cwd`). Throws RentError 'invalid'.
 */
export async function prepareJob(
  specFile: string,
  options: { outDir?: string; cwd?: string } = {},
): Promise<PreparedJob> {
  const cwd = options.cwd ?? process.cwd();
  let loaded;
  try {
    loaded = await loadJobSpec(resolve(cwd, specFile));
  } catch (error) {
    if (error instanceof JobSpecError) throw new RentError('invalid', error.message, { cause: error });
    throw error;
  }
  const { spec, dir } = loaded;
  if (!('path' in spec.bundle))
    throw new RentError(
      'invalid',
      `${specFile}: bundle.url: rent sends the bundle to the provider itself; download it and name the file ` +
        'with bundle.path.',
    );
  const bundlePath = resolve(dir, spec.bundle.path);
  let info;
  try {
    info = await stat(bundlePath);
  } catch {
    throw new RentError('invalid', `${specFile}: bundle.path: ${bundlePath} does not exist.`);
  }
  if (!info.isFile())
    throw new RentError('invalid', `${specFile}: bundle.path: ${bundlePath} is not a file.`);
  if (info.size === 0) throw new RentError('invalid', `${specFile}: bundle.path: ${bundlePath} is empty.`);
  const diskBytes = spec.resources.diskMiB * 1024 * 1024;
  if (info.size > MAX_WIRE_BUNDLE_BYTES || info.size > diskBytes)
    throw new RentError(
      'invalid',
      `${specFile}: the bundle is ${info.size} bytes, above ${info.size > diskBytes ? `the spec's disk limit (resources.diskMiB ${spec.resources.diskMiB})` : 'the 1 GiB a provider takes'}.`,
    );
  const sha256 = await sha256File(bundlePath);
  if (sha256 !== spec.bundle.sha256)
    throw new RentError(
      'invalid',
      `${specFile}: bundle.sha256: the bundle's sha256 is ${sha256}, not the ${spec.bundle.sha256} the spec names.`,
    );
  const outputsDir = resolve(cwd, options.outDir ?? defaultOutputsName(spec));
  const existing = await stat(outputsDir).catch(() => null);
  if (existing) {
    if (!existing.isDirectory())
      throw new RentError(
        'invalid',
        `The outputs folder ${outputsDir} is a file; choose another with --out.`,
      );
    if ((await readdir(outputsDir)).length > 0)
      throw new RentError(
        'invalid',
        `The outputs folder ${outputsDir} is not empty; empty it or choose another with --out.`,
      );
  }
  return { spec, specFile, bundlePath, bundleBytes: info.size, outputsDir };
}
