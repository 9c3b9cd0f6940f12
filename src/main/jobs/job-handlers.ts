import { join } from 'node:path';
import type { Handlers } from '../core/router';
import { UserFacingError } from '../core/router';
import type { JobRunner } from './job-runner';
import { prepareSelfTest } from './self-test';
import { selfTestReport } from './self-test-report';

export function jobHandlers(deps: {
  runner: JobRunner;
  jobsDir: string;
  sandboxStatus: () => Promise<{ available: boolean; description: string }>;
  readLog: (id: string, tailBytes: number) => string | null;
  /** Whether this machine has a GPU a job can be given (the self-test then checks it is visible inside). */
  hasGpu: () => boolean;
}): Pick<
  Handlers,
  'job:list' | 'job:logs' | 'job:cancel' | 'job:pause' | 'job:resume' | 'job:selfTest' | 'job:selfTestReport'
> {
  const known = (id: string) => {
    const job = deps.runner.get(id);
    if (!job) throw new UserFacingError(`No job with id "${id}".`, 'id');
    return job;
  };
  const live = (id: string, verb: string) => {
    const job = known(id);
    if (deps.runner.isTerminal(job.status))
      throw new UserFacingError(`Job ${id} has already ended (${job.status}); it cannot be ${verb}.`, 'id');
  };
  return {
    'job:list': async () => ({ jobs: deps.runner.list(), sandbox: await deps.sandboxStatus() }),
    'job:logs': ({ id, tailBytes }) => {
      known(id);
      return { text: deps.readLog(id, tailBytes ?? 256 * 1024) ?? '' };
    },
    'job:cancel': ({ id }) => {
      live(id, 'cancelled');
      deps.runner.cancel(id);
      return known(id);
    },
    'job:pause': ({ id }) => {
      live(id, 'paused');
      return deps.runner.pause(id, 'Paused by the owner').summary ?? known(id);
    },
    'job:resume': async ({ id }) => {
      live(id, 'resumed');
      return (await deps.runner.resume(id)) ?? known(id);
    },
    'job:selfTest': async () => {
      const { spec, bundlePath } = await prepareSelfTest(join(deps.jobsDir, 'self-test'), {
        hasGpu: deps.hasGpu(),
      });
      return { id: deps.runner.start(spec, bundlePath).id };
    },
    'job:selfTestReport': ({ id }) => {
      const job = known(id);
      if (job.name !== 'Self-test')
        throw new UserFacingError(`Job ${id} is not a self-test (it is "${job.name}").`, 'id');
      return selfTestReport(deps.readLog(id, 64 * 1024) ?? '', job.status, job.reason);
    },
  };
}
