import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { killAndRemove } from './cgroup-files';
import { prepareCgroupV1 } from './cgroup-v1';
import { prepareCgroupV2 } from './cgroup-v2';
import { detectLimitMechanism, type LimitMechanismInfo } from './detect-limit-mechanism';
import { prepareRlimits } from './rlimits';
import type { LimitRequest, PreparedLimits } from './types';

/**
 * Sets up the limits for one job with the mechanism found (detected now when not given). A cgroup
 * mechanism that fails at this point (a controller taken away, a read-only mount) throws, in words: it
 * does not quietly fall back to rlimits, which would run the job without its memory limit.
 */
export async function prepareLimits(
  request: LimitRequest,
  mechanism?: LimitMechanismInfo,
): Promise<PreparedLimits> {
  const info = mechanism ?? (await detectLimitMechanism());
  if (info.mechanism === 'cgroup-v2') return prepareCgroupV2(info, request);
  if (info.mechanism === 'cgroup-v1') return prepareCgroupV1(info.controllers, request);
  return prepareRlimits(request, { reason: info.reason });
}

/**
 * At start-up, after the runner has reconciled its jobs: kills what is left in the cgroups of `endedJobIds`
 * (a crash of Nocturne leaves them) and removes them. Only jobs this data directory knows have ended are
 * touched: another Nocturne on the same machine (another data directory) has live jobs in cgroups of the
 * same shape, and they are not ours to kill. Returns the cgroups removed.
 */
export async function releaseStaleCgroups(
  info: LimitMechanismInfo,
  endedJobIds: string[],
): Promise<string[]> {
  const ended = new Set(endedJobIds);
  const stale: string[] = [];
  const scan = (parent: string | null, prefix: string) => {
    if (!parent) return;
    let names: string[];
    try {
      names = readdirSync(parent, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name.startsWith(prefix))
        .map((e) => e.name);
    } catch {
      return;
    }
    for (const name of names) if (ended.has(name.slice(prefix.length))) stale.push(join(parent, name));
  };
  if (info.mechanism === 'cgroup-v1') for (const parent of Object.values(info.controllers)) scan(parent, '');
  if (info.mechanism === 'cgroup-v2') scan(info.base, 'nocturne-job-');
  if (stale.length > 0) await killAndRemove(stale);
  return stale;
}

export type { AppliedLimits, LimitMechanism, LimitRequest, PreparedLimits, RlimitValues } from './types';
export { detectLimitMechanism, type LimitMechanismInfo } from './detect-limit-mechanism';
