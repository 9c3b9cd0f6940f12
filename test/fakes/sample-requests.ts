import type { Channel, RequestOf } from '../../src/shared/contract';

/** One valid request per API entry, for tests that then break it in one place. */
export const sampleRequests: { [C in Channel]: RequestOf<C> } = {
  'app:status': {},
  'app:pause': {},
  'app:resume': {},
  'settings:get': {},
  'settings:update': { deviceName: 'Rig' },
  'gpu:list': {},
  'gpu:history': { gpuId: 'GPU-1', range: 'hour' },
  'gpu:setLimits': {
    gpuId: 'GPU-1',
    limits: { temperatureLimitC: 80, powerCapW: null, stopAfterSeconds: 300 },
  },
  'gpu:benchmark': { gpuId: 'GPU-1' },
  'gpu:benchReport': { runId: 'r1', kind: 'error', message: 'no WebGPU' },
  'schedule:get': {},
  'schedule:set': { timezone: 'Europe/Berlin', slots: '0'.repeat(672) },
  'availability:get': {},
  'job:list': {},
  'job:logs': { id: 'job-20260105-0123abcd', tailBytes: 1024 },
  'job:cancel': { id: 'job-20260105-0123abcd' },
  'job:pause': { id: 'job-20260105-0123abcd' },
  'job:resume': { id: 'job-20260105-0123abcd' },
  'job:selfTest': {},
};
