// decideQuote with the owner's costs and the admission engine's learnt demand (issue 9): floors, electricity
// by the hour of the day, and holding the GPU for better-paid work; and createQuoteFor feeding the demand.
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decideQuote, type QuoteDecisionInput, type QuoteOffer } from '../../../src/main/p2p/decide-quote';
import type { QuoteRequest } from '../../../src/main/p2p/messages';
import { createQuoteFor } from '../../../src/main/p2p/quote-protocol';
import { createDemandTracker } from '../../../src/main/pricing/demand-tracker';
import { EMPTY_DEMAND } from '../../../src/main/pricing/demand-model';
import type { MarketSetup, Tariff } from '../../../src/main/pricing/market-stream';
import { createFakeClock } from '../../fakes/fake-clock';
import { createMemoryLogger } from '../../fakes/memory-logger';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const RENTER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const HOUR = 3_600_000;

/** 0.5004 tUSD an hour: 139 base units (6 decimals) a second. */
const offer: QuoteOffer = {
  chainId: 31337,
  token: TOKEN,
  pricePerSecond: 139n,
  maxSeconds: 8 * 3600,
  decimals: 6,
};

function request(requirements: Partial<QuoteRequest['requirements']> = {}): QuoteRequest {
  return {
    v: 1,
    chainId: 31337,
    token: TOKEN,
    renter: RENTER,
    requirements: { vramMiB: 8192, seconds: 3600, gpuCount: 1, runtime: 'host', ...requirements },
  } as QuoteRequest;
}

/** One 24 GiB card drawing 250 W, for rent all week in UTC, no floor, free electricity unless told. */
function setup(overrides: Partial<MarketSetup> = {}): MarketSetup {
  return {
    timezone: 'UTC',
    windows: ['mon-sun 00:00-24:00'],
    gpus: [{ memoryTotalMiB: 24_576, powerW: 250 }],
    electricityPerKWh: 0,
    floorPerHour: 0,
    ...overrides,
  };
}

function input(
  economics: Partial<MarketSetup>,
  overrides: Partial<QuoteDecisionInput> = {},
): QuoteDecisionInput {
  return {
    request: request(),
    offer,
    availability: { available: true, sentence: 'For rent now.', nextChange: null },
    gpus: [{ vramMiB: 24_576 }],
    runningJobs: 0,
    now: new Date('2026-03-02T10:00:00.000Z'),
    economics: { setup: setup(economics), demand: EMPTY_DEMAND },
    ...overrides,
  };
}

/** A refusal must not tell the renter the owner's costs: no figures besides the job's own hours. */
function expectNoCosts(reason: string) {
  expect(reason).not.toMatch(/\d+\.\d{2,}|kWh|tariff|electricity price|floor/i);
}

describe('decideQuote weighs the price against the owner’s costs', () => {
  it('quotes a price that covers its electricity', () => {
    // 250 W at 0.3 a kWh is 0.075 an hour, well under 0.5.
    const decision = decideQuote(input({ electricityPerKWh: 0.3 }));
    expect(decision).toMatchObject({ ok: true, maxSeconds: 3600 });
  });

  it('refuses, as unprofitable, a price that does not cover its electricity', () => {
    // 250 W at 3 a kWh is 0.75 an hour, more than the 0.5 the offer asks.
    const decision = decideQuote(input({ electricityPerKWh: 3 }));
    expect(decision).toMatchObject({ ok: false, code: 'unprofitable' });
    if (decision.ok) return;
    expect(decision.reason).toBe('The price does not cover electricity for a job of 1 hour at this time.');
    expectNoCosts(decision.reason);
    expect(decision.detail).toMatch(/electricity/); // the figures go to the owner's log only
  });

  it('refuses below the owner’s floor, without naming it', () => {
    const decision = decideQuote(input({ floorPerHour: 0.6 }));
    expect(decision).toMatchObject({ ok: false, code: 'unprofitable' });
    if (!decision.ok) {
      expect(decision.reason).toBe('This provider is not taking jobs at its listed price for now.');
      expectNoCosts(decision.reason);
    }
    expect(decideQuote(input({ floorPerHour: 0.5 }))).toMatchObject({ ok: true }); // 0.5004 is above it
  });

  it('with no electricity price set, quotes above the floor as before (no cost known)', () => {
    expect(decideQuote(input({ electricityPerKWh: 0 }))).toMatchObject({ ok: true, maxSeconds: 3600 });
    expect(decideQuote(input({ electricityPerKWh: Array(24).fill(0) }))).toMatchObject({ ok: true });
  });

  it('prices a time-of-use tariff by the hour on the schedule’s clock, across hours', () => {
    // Berlin is UTC+1 on 2 March: 04:00 UTC is 05:00 there. Cheap until 07:00 local, dear after.
    const tariff: Tariff = Array.from({ length: 24 }, (_, hour) => (hour < 7 ? 0.1 : 4));
    const now = new Date('2026-03-02T04:00:00.000Z');
    const at = (seconds: number) =>
      decideQuote(
        input(
          { timezone: 'Europe/Berlin', electricityPerKWh: tariff },
          { now, request: request({ seconds }) },
        ),
      );
    // 05:00-06:00 local at 0.1: 0.025 of electricity for 0.5 of revenue.
    expect(at(3600)).toMatchObject({ ok: true, maxSeconds: 3600 });
    // 05:00-07:00 local: still cheap.
    expect(at(2 * 3600)).toMatchObject({ ok: true });
    // 05:00-09:00 local: two cheap hours and two at 4 a kWh (1.0 an hour): 2.05 for 2.0.
    expect(at(4 * 3600)).toMatchObject({ ok: false, code: 'unprofitable' });
    // The same four hours read in UTC (05:00-09:00 UTC would start an hour later) are not what counts:
    const utc = decideQuote(
      input(
        { timezone: 'UTC', electricityPerKWh: tariff },
        { now: new Date('2026-03-02T03:00:00.000Z'), request: request({ seconds: 4 * 3600 }) },
      ),
    );
    expect(utc).toMatchObject({ ok: true }); // 03:00-07:00 UTC: all cheap
  });

  it('weighs the time the quote allows, not the time asked: a window that ends soon shortens the job', () => {
    const tariff: Tariff = Array.from({ length: 24 }, (_, hour) => (hour < 12 ? 0.1 : 4));
    // 10:00 UTC, eight hours asked, the window ends at 11:30: only 1.5 cheap hours are quoted and weighed.
    const decision = decideQuote(
      input(
        { electricityPerKWh: tariff },
        {
          request: request({ seconds: 8 * 3600 }),
          availability: {
            available: true,
            sentence: 'For rent now.',
            nextChange: '2026-03-02T11:30:00.000Z',
          },
        },
      ),
    );
    expect(decision).toMatchObject({ ok: true, maxSeconds: 5400 });
  });

  it('counts a job on several GPUs as several GPUs’ electricity for the one price', () => {
    // 250 W at 1.5 a kWh: 0.375 an hour per GPU; one GPU pays, two do not.
    const twoCards = { gpus: [{ vramMiB: 24_576 }, { vramMiB: 24_576 }] };
    expect(decideQuote(input({ electricityPerKWh: 1.5 }, twoCards))).toMatchObject({ ok: true });
    expect(
      decideQuote(input({ electricityPerKWh: 1.5 }, { ...twoCards, request: request({ gpuCount: 2 }) })),
    ).toMatchObject({ ok: false, code: 'unprofitable' });
  });

  it('checks availability and a running job first: those refusals stay as they were', () => {
    expect(
      decideQuote(
        input(
          { electricityPerKWh: 3 },
          { availability: { available: false, sentence: 'Not for rent: gaming.', nextChange: null } },
        ),
      ),
    ).toMatchObject({ ok: false, code: 'unavailable' });
    expect(decideQuote(input({ electricityPerKWh: 3 }, { runningJobs: 1 }))).toMatchObject({
      ok: false,
      code: 'busy',
    });
  });

  it('without the token’s decimals, or without economics, quotes as before pricing', () => {
    const { decimals: _drop, ...bare } = offer;
    expect(decideQuote(input({ electricityPerKWh: 3 }, { offer: bare }))).toEqual({
      ok: true,
      maxSeconds: 3600,
    });
    expect(decideQuote(input({}, { economics: undefined }))).toEqual({ ok: true, maxSeconds: 3600 });
  });
});

describe('the admission engine in the quote path (createQuoteFor with the demand tracker)', () => {
  const provider = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
  const peerId = '12D3KooWEWwxekJ4PEWyg2LzutWqVA9EsTgSW6nGxLXCbLRxw6LW';
  // Night windows in UTC, cheap electricity: the engine is on, and electricity alone refuses nothing.
  const nights = setup({ windows: ['mon-sun 01:00-08:00'], electricityPerKWh: 0.1 });
  // 0.3 tUSD an hour: 84 base units a second (0.3024).
  const cheapOffer: QuoteOffer = { ...offer, pricePerSecond: 84n };

  async function harness(offers: () => QuoteOffer[], owner: () => MarketSetup = () => nights) {
    const clock = createFakeClock('2025-06-02T00:00:00.000Z'); // a Monday
    const logger = createMemoryLogger();
    const demand = createDemandTracker({ file: null, clock, logger });
    const remote = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const quoteFor = createQuoteFor({
      peerId,
      offers,
      availability: () => {
        // For rent inside the night window, until 08:00.
        const now = clock.now();
        const end = new Date(now);
        end.setUTCHours(8, 0, 0, 0);
        return { available: true, sentence: 'For rent now.', nextChange: end.toISOString() };
      },
      gpus: () => [{ vramMiB: 24_576 }],
      runningJobs: () => 0,
      signer: () => provider,
      clock,
      logger,
      pricing: { setup: owner, demand },
    });
    return { clock, demand, logger, ask: (r: QuoteRequest) => quoteFor(r, remote) };
  }

  it('acts greedily while its history is short', async () => {
    const { clock, ask } = await harness(() => [cheapOffer]);
    clock.set('2025-06-02T01:00:00.000Z');
    const response = await ask(request({ seconds: 5 * 3600 }));
    expect(response).toMatchObject({ ok: true, quote: { maxSeconds: 5 * 3600 } });
  });

  it('holds the GPU for better-paid work after nights of high-priced requests, and says so', async () => {
    // Two nights at 2 tUSD an hour: short jobs, every quarter of an hour from 01:00.
    let price: QuoteOffer = { ...offer, pricePerSecond: 556n }; // 2.0016 an hour
    let owner = nights;
    const { clock, demand, ask } = await harness(
      () => [price],
      () => owner,
    );
    for (let night = 0; night < 2; night++)
      for (let k = 0; k < 24; k++) {
        clock.set(new Date(Date.UTC(2025, 5, 2 + night, 1) + k * 0.25 * HOUR).toISOString());
        await ask(request({ seconds: 720 }));
      }
    expect(demand.state().samples).toHaveLength(48);

    // Night three: the owner has lowered the price to 0.3; a five-hour job would hold the GPU all night.
    price = cheapOffer;
    clock.set('2025-06-04T01:00:00.000Z');
    const long = await ask(request({ seconds: 5 * 3600 }));
    expect(long).toMatchObject({
      ok: false,
      code: 'unprofitable',
      reason: 'This provider is holding its GPU for better-paid work; a shorter job may be quoted.',
    });
    expect(demand.state().samples).toHaveLength(49); // refused, and still learnt from

    clock.set('2025-06-04T01:01:00.000Z');
    // With no electricity price set (no cost known) the same history does not hold the GPU: greedy.
    owner = { ...nights, electricityPerKWh: 0 };
    expect(await ask(request({ seconds: 5 * 3600 }))).toMatchObject({ ok: true });
  });

  it('learns only from requests it could serve: another network, runtime or too little memory is not demand', async () => {
    const { clock, demand, ask } = await harness(() => [offer]);
    clock.set('2025-06-02T02:00:00.000Z');
    await ask({ ...request(), chainId: 1 });
    await ask(request({ runtime: 'image', image: 'docker.io/library/python:3' }));
    await ask(request({ vramMiB: 80_000 }));
    expect(demand.state().samples).toHaveLength(0);
    await ask(request());
    expect(demand.state().samples).toMatchObject([{ durationMs: 3600_000, vramMiB: 8192 }]);
  });
});
