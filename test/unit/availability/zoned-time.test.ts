import { describe, expect, it } from 'vitest';
import { wallMs, wallToInstant } from '../../../src/main/availability/zoned-time';

const wall = (iso: string) => Date.parse(`${iso}Z`);
const utc = (iso: string) => new Date(Date.parse(iso)).toISOString();

describe('wall-clock time in a zone', () => {
  it('reads the clock across a spring-forward change (Europe/Berlin, 2026-03-29)', () => {
    expect(new Date(wallMs('Europe/Berlin', Date.parse('2026-03-29T00:59:00Z'))).toISOString()).toBe(
      '2026-03-29T01:59:00.000Z',
    );
    expect(new Date(wallMs('Europe/Berlin', Date.parse('2026-03-29T01:00:00Z'))).toISOString()).toBe(
      '2026-03-29T03:00:00.000Z',
    );
  });

  it('resolves a skipped wall time to the moment of the jump', () => {
    expect(new Date(wallToInstant('Europe/Berlin', wall('2026-03-29T02:30'))).toISOString()).toBe(
      utc('2026-03-29T01:00:00Z'),
    );
    expect(new Date(wallToInstant('America/New_York', wall('2026-03-08T02:15'))).toISOString()).toBe(
      utc('2026-03-08T07:00:00Z'),
    );
    expect(new Date(wallToInstant('Australia/Sydney', wall('2026-10-04T02:45'))).toISOString()).toBe(
      utc('2026-10-03T16:00:00Z'),
    );
  });

  it('resolves a repeated wall time to its first showing', () => {
    expect(new Date(wallToInstant('Europe/Berlin', wall('2026-10-25T02:30'))).toISOString()).toBe(
      utc('2026-10-25T00:30:00Z'),
    );
    expect(new Date(wallToInstant('America/New_York', wall('2026-11-01T01:30'))).toISOString()).toBe(
      utc('2026-11-01T05:30:00Z'),
    );
    expect(new Date(wallToInstant('Australia/Sydney', wall('2026-04-05T02:30'))).toISOString()).toBe(
      utc('2026-04-04T15:30:00Z'),
    );
  });

  it('maps an ordinary wall time exactly', () => {
    expect(new Date(wallToInstant('Australia/Sydney', wall('2026-07-01T09:00'))).toISOString()).toBe(
      utc('2026-06-30T23:00:00Z'),
    );
    expect(new Date(wallToInstant('UTC', wall('2026-07-01T09:00'))).toISOString()).toBe(
      utc('2026-07-01T09:00:00Z'),
    );
  });
});
