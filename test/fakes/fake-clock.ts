import type { Clock } from '../../src/main/core/clock';

/** A clock that moves only when a test says so. */
export function createFakeClock(start = '2026-01-05T12:00:00.000Z') {
  let now = new Date(start).getTime();
  const clock: Clock & { advance(ms: number): void; set(iso: string): void } = {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (iso) => {
      now = new Date(iso).getTime();
    },
  };
  return clock;
}
