/**
 * The names of every API entry and event, without their schemas: the preload needs only these, and
 * keeping zod out of it keeps the sandboxed preload small. `contract.ts` must cover exactly this list.
 */
export const channels = [
  'app:status',
  'app:pause',
  'app:resume',
  'settings:get',
  'settings:update',
  'gpu:list',
  'gpu:history',
  'gpu:setLimits',
  'gpu:benchmark',
  'gpu:benchReport',
  'schedule:get',
  'schedule:set',
  'availability:get',
  'job:list',
  'job:logs',
  'job:cancel',
  'job:pause',
  'job:resume',
  'job:selfTest',
] as const;
export const eventNames = [
  'app:statusChanged',
  'settings:changed',
  'gpu:telemetry',
  'gpu:guardAction',
  'gpu:benchProgress',
  'gpu:benchFinished',
  'availability:changed',
  'job:changed',
  'job:output',
] as const;

export type Channel = (typeof channels)[number];
export type EventName = (typeof eventNames)[number];
