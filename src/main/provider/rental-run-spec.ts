import type { JobSpec } from '../../shared/schemas/job';
import type { JobTerms } from '../market/job-terms';
import { wireSpec } from '../market/spec-hash';

/**
 * The spec the runner gets for a rental: the one the renter sent, with its running time capped by the
 * terms, since the deposit pays for no more than `maxSeconds`.
 */
export function rentalRunSpec(spec: JobSpec, terms: Pick<JobTerms, 'maxSeconds'>): JobSpec {
  return {
    ...wireSpec(spec),
    resources: {
      ...spec.resources,
      maxSeconds: Math.min(spec.resources.maxSeconds, Number(terms.maxSeconds)),
    },
  };
}
