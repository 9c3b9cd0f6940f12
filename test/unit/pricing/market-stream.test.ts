import { describe, expect, it } from 'vitest';
import {
  MarketStreamError,
  parseMarketStream,
  parseIsoInstant,
} from '../../../src/main/pricing/market-stream';

const valid = () => ({
  timezone: 'Europe/Berlin',
  windows: ['mon-fri 01:00-08:00', 'sat,sun 00:00-24:00'],
  gpus: [{ memoryTotalMiB: 24_576, powerW: 320 }],
  electricityPerKWh: 0.3,
  floorPerHour: 0.1,
  requests: [
    { id: 'a', arrival: '2025-06-02T01:00:00Z', durationSeconds: 3600, pricePerHour: 0.5, vramMiB: 8192 },
    { id: 'b', arrival: '2025-06-02T00:30:00+02:00', durationSeconds: 60, pricePerHour: 1, vramMiB: 0 },
    { id: 'c', arrival: '2025-06-02T01:00:00.000Z', durationSeconds: 90.5, pricePerHour: 0, vramMiB: 1 },
    { id: 'd', arrival: '2025-06-03T03:04:05Z', durationSeconds: 1, pricePerHour: 2, vramMiB: 4096 },
  ],
});

function issues(mutate: (s: ReturnType<typeof valid> & Record<string, unknown>) => void): string {
  const stream = valid() as ReturnType<typeof valid> & Record<string, unknown>;
  mutate(stream);
  try {
    parseMarketStream(stream);
  } catch (error) {
    expect(error).toBeInstanceOf(MarketStreamError);
    return (error as Error).message;
  }
  throw new Error('the stream was accepted');
}

describe('market stream schema', () => {
  it('reads a valid stream, requests in order of arrival (the file order among equals)', () => {
    const stream = parseMarketStream(valid());
    expect(stream.requests.map((r) => r.id)).toEqual(['b', 'a', 'c', 'd']);
    expect(stream.requests[0]!.arrivalMs).toBe(Date.UTC(2025, 5, 1, 22, 30));
    expect(stream.electricityPerKWh).toBe(0.3);
    const tou = parseMarketStream({ ...valid(), electricityPerKWh: Array.from({ length: 24 }, () => 0.2) });
    expect(tou.electricityPerKWh).toHaveLength(24);
  });

  it('names the bad field of a request', () => {
    expect(issues((s) => (s.requests[3]!.arrival = 'yesterday'))).toMatch(
      /^requests\.3\.arrival: must be an ISO-8601 date/,
    );
    expect(issues((s) => (s.requests[3]!.arrival = '2025-02-30T01:00:00Z'))).toMatch(
      /^requests\.3\.arrival: must be an ISO-8601 date/,
    );
    expect(issues((s) => (s.requests[0]!.arrival = '2025-06-02T01:00:00'))).toMatch(
      /^requests\.0\.arrival: .*with an offset/,
    );
    expect(issues((s) => (s.requests[1]!.durationSeconds = 0))).toBe(
      'requests.1.durationSeconds: must be more than 0',
    );
    expect(issues((s) => (s.requests[1]!.durationSeconds = 40 * 86_400))).toMatch(
      /^requests\.1\.durationSeconds: must be at most/,
    );
    expect(issues((s) => (s.requests[2]!.pricePerHour = -1))).toBe(
      'requests.2.pricePerHour: must be 0 or more',
    );
    expect(issues((s) => ((s.requests[2] as Record<string, unknown>).pricePerHour = '1'))).toMatch(
      /^requests\.2\.pricePerHour: must be a number/,
    );
    expect(issues((s) => delete (s.requests[0] as Record<string, unknown>).vramMiB)).toBe(
      'requests.0.vramMiB: is required',
    );
    expect(issues((s) => ((s.requests[0] as Record<string, unknown>).priceperhour = 1))).toBe(
      'requests.0.priceperhour: is not a known field',
    );
    expect(issues((s) => (s.requests[2]!.id = 'a'))).toBe('requests.2.id: repeats the id of requests.0');
    expect(issues((s) => (s.requests[2]!.id = ''))).toBe('requests.2.id: must not be empty');
  });

  it('names the bad field of the setup', () => {
    expect(issues((s) => (s.timezone = 'Mars/Olympus'))).toBe(
      'timezone: must be an IANA time zone such as Europe/Berlin',
    );
    expect(issues((s) => (s.windows = ['mon-fri 01:00-08:00', 'mox 01:00-02:00']))).toMatch(
      /^windows\.1: Unknown day "mox"/,
    );
    expect(issues((s) => (s.windows = ['mon 01:10-02:00']))).toMatch(/^windows\.0: .*quarter hour/);
    expect(issues((s) => (s.gpus = []))).toBe('gpus: must list at least one GPU');
    expect(issues((s) => (s.gpus[0]!.memoryTotalMiB = 0))).toBe('gpus.0.memoryTotalMiB: must be more than 0');
    expect(issues((s) => (s.gpus[0]!.powerW = -5))).toBe('gpus.0.powerW: must be 0 or more');
    expect(issues((s) => (s.electricityPerKWh = [0.1, 0.2] as unknown as number))).toBe(
      'electricityPerKWh: must hold 24 prices, one per local hour',
    );
    const tou = Array.from({ length: 24 }, () => 0.2);
    tou[7] = -0.1;
    expect(issues((s) => (s.electricityPerKWh = tou as unknown as number))).toBe(
      'electricityPerKWh.7: must be 0 or more',
    );
    expect(issues((s) => (s.electricityPerKWh = 'cheap' as unknown as number))).toBe(
      'electricityPerKWh: must be a price per kWh, or a list of 24 prices (one per local hour)',
    );
    expect(issues((s) => delete (s as Record<string, unknown>).floorPerHour)).toBe(
      'floorPerHour: is required',
    );
    expect(issues((s) => (s.requests = {} as never))).toBe('requests: must be a list of requests');
    expect(issues((s) => (s.extra = 1))).toBe('extra: is not a known field');
  });

  it('lists every problem at once, and refuses what is not an object', () => {
    const message = issues((s) => {
      s.floorPerHour = -1;
      s.requests[1]!.vramMiB = -2;
    });
    expect(message).toBe('floorPerHour: must be 0 or more; requests.1.vramMiB: must be 0 or more');
    expect(() => parseMarketStream([])).toThrow('a stream must be a JSON object');
  });

  it('parses ISO-8601 instants with offsets only, and real calendar dates only', () => {
    expect(parseIsoInstant('2025-06-02T01:00Z')).toBe(Date.UTC(2025, 5, 2, 1));
    expect(parseIsoInstant('2025-06-02T01:00:00+0530')).toBe(Date.UTC(2025, 5, 1, 19, 30));
    for (const bad of [
      '2025-06-02',
      '2025-06-02 01:00Z',
      '2025-13-01T00:00Z',
      '2025-06-31T00:00Z',
      '2025-06-02T24:00Z',
    ])
      expect(parseIsoInstant(bad), bad).toBeNaN();
  });
});
