import { describe, expect, it } from 'vitest';
import { runningIntervals, totalMs } from '../../../src/main/earnings/running-intervals';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const ms = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);

describe('running intervals from a job’s state history', () => {
  it('counts running spans and leaves out the pauses', () => {
    const intervals = runningIntervals(
      [
        { at: at(0), status: 'queued' },
        { at: at(1), status: 'preparing' },
        { at: at(2), status: 'running' },
        { at: at(10), status: 'paused' },
        { at: at(30), status: 'running' },
        { at: at(35), status: 'succeeded' },
      ],
      ms(100),
    );
    expect(intervals).toEqual([
      { fromMs: ms(2), toMs: ms(10) },
      { fromMs: ms(30), toMs: ms(35) },
    ]);
    expect(totalMs(intervals)).toBe(13_000);
  });

  it('runs a live job up to now, and ignores repeated or unreadable changes', () => {
    expect(
      runningIntervals(
        [
          { at: at(5), status: 'running' },
          { at: at(6), status: 'running' },
          { at: 'not a date', status: 'paused' },
        ],
        ms(20),
      ),
    ).toEqual([{ fromMs: ms(5), toMs: ms(20) }]);
    expect(runningIntervals([{ at: at(5), status: 'failed' }], ms(20))).toEqual([]);
    expect(runningIntervals([], ms(20))).toEqual([]);
  });
});
