import { keccak256, toUtf8Bytes } from 'ethers';
import type { JobSpec } from '../../shared/schemas/job';

/** The bundle's name in the spec as it travels (docs/protocol.md, `/nocturne/job/1`). */
export const WIRE_BUNDLE_PATH = 'bundle.tar.gz';

/** JSON with object keys sorted at every level, no spaces: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The spec as it travels: its bundle named WIRE_BUNDLE_PATH, with the bundle's sha256 kept. */
export function wireSpec(spec: JobSpec): JobSpec {
  return { ...spec, bundle: { path: WIRE_BUNDLE_PATH, sha256: spec.bundle.sha256 } };
}

/**
 * The terms' specHash: keccak256 of the wire spec's canonical JSON. The spec holds the bundle's sha256, so
 * the hash binds both the spec and the bundle's bytes.
 */
export function jobSpecHash(spec: JobSpec): string {
  return keccak256(toUtf8Bytes(canonicalJson(wireSpec(spec))));
}
