import { describe, expect, it } from 'vitest';
import { decideQuote, type QuoteDecisionInput } from '../../../src/main/p2p/decide-quote';
import type { QuoteRequest } from '../../../src/main/p2p/messages';

const now = new Date('2026-03-02T10:00:00.000Z');
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const OTHER_TOKEN = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';

function request(requirements: Partial<QuoteRequest['requirements']> = {}, rest: Partial<QuoteRequest> = {}) {
  return {
    v: 1,
    chainId: 31337,
    token: TOKEN,
    renter: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    requirements: { vramMiB: 8192, seconds: 1800, gpuCount: 1, runtime: 'host', ...requirements },
    ...rest,
  } as QuoteRequest;
}

function input(overrides: Partial<QuoteDecisionInput> = {}): QuoteDecisionInput {
  return {
    request: request(),
    offer: { chainId: 31337, token: TOKEN, pricePerSecond: 10n, maxSeconds: 3600 },
    availability: { available: true, sentence: 'For rent now.', nextChange: null },
    gpus: [{ vramMiB: 24576 }],
    runningJobs: 0,
    now,
    ...overrides,
  };
}

describe('decideQuote', () => {
  it('quotes the requested seconds when nothing limits them', () => {
    expect(decideQuote(input())).toEqual({ ok: true, maxSeconds: 1800 });
  });

  describe('maxSeconds = min(requested, offer max, until availability ends)', () => {
    it('is capped by the offer', () => {
      expect(decideQuote(input({ request: request({ seconds: 7200 }) }))).toEqual({
        ok: true,
        maxSeconds: 3600,
      });
    });

    it('is capped by the end of the rental window', () => {
      const availability = {
        available: true,
        sentence: 'For rent now, until 10:20.',
        nextChange: '2026-03-02T10:20:00.000Z',
      };
      expect(decideQuote(input({ availability }))).toEqual({ ok: true, maxSeconds: 1200 });
    });

    it('rounds a partial second down', () => {
      const availability = {
        available: true,
        sentence: 'For rent now.',
        nextChange: '2026-03-02T10:00:59.999Z',
      };
      expect(decideQuote(input({ availability }))).toEqual({ ok: true, maxSeconds: 59 });
    });

    it('is the request when the window ends later than both', () => {
      const availability = {
        available: true,
        sentence: 'For rent now.',
        nextChange: '2026-03-03T08:00:00.000Z',
      };
      expect(decideQuote(input({ availability, request: request({ seconds: 60 }) }))).toEqual({
        ok: true,
        maxSeconds: 60,
      });
    });

    it('a window ending within the second refuses as unavailable', () => {
      for (const nextChange of [
        '2026-03-02T10:00:00.500Z',
        '2026-03-02T10:00:00.000Z',
        '2026-03-02T09:59:00.000Z',
      ]) {
        const availability = { available: true, sentence: 'For rent now.', nextChange };
        expect(decideQuote(input({ availability }))).toEqual({
          ok: false,
          code: 'unavailable',
          reason: 'This provider’s rental window is ending now.',
        });
      }
    });

    it('an offer of no seconds refuses as unavailable', () => {
      const offer = { chainId: 31337, token: TOKEN, pricePerSecond: 10n, maxSeconds: 0 };
      expect(decideQuote(input({ offer }))).toMatchObject({ ok: false, code: 'unavailable' });
    });

    it('ignores a nextChange it cannot read', () => {
      const availability = { available: true, sentence: 'For rent now.', nextChange: 'soon' };
      expect(decideQuote(input({ availability }))).toEqual({ ok: true, maxSeconds: 1800 });
    });
  });

  describe('wrong-network', () => {
    it('another chain', () => {
      expect(decideQuote(input({ request: request({}, { chainId: 1 }) }))).toEqual({
        ok: false,
        code: 'wrong-network',
        reason: 'This provider takes jobs on chain 31337, not 1.',
      });
    });

    it('another token on the same chain', () => {
      expect(decideQuote(input({ request: request({}, { token: OTHER_TOKEN }) }))).toEqual({
        ok: false,
        code: 'wrong-network',
        reason: `This provider is paid in token ${TOKEN} on chain 31337, not ${OTHER_TOKEN}.`,
      });
    });

    it('the same token in another case is the same token', () => {
      expect(decideQuote(input({ request: request({}, { token: TOKEN.toLowerCase() }) })).ok).toBe(true);
    });
  });

  it("unsupported-runtime: the 'image' runtime", () => {
    expect(
      decideQuote(input({ request: request({ runtime: 'image', image: 'docker.io/library/python:3' }) })),
    ).toEqual({
      ok: false,
      code: 'unsupported-runtime',
      reason: "This provider runs jobs on the host runtime only; the 'image' runtime is not supported yet.",
    });
  });

  describe('insufficient-gpu', () => {
    it('no GPU at all', () => {
      expect(decideQuote(input({ gpus: [] }))).toEqual({
        ok: false,
        code: 'insufficient-gpu',
        reason: 'This provider has no GPU it can rent out.',
      });
    });

    it('no GPU with the memory', () => {
      expect(decideQuote(input({ gpus: [{ vramMiB: 4096 }, { vramMiB: 6144 }] }))).toEqual({
        ok: false,
        code: 'insufficient-gpu',
        reason: 'No GPU here has 8192 MiB of memory; the largest has 6144 MiB.',
      });
    });

    it('fewer fitting GPUs than asked', () => {
      const gpus = [{ vramMiB: 24576 }, { vramMiB: 4096 }, { vramMiB: 8192 }];
      expect(decideQuote(input({ gpus, request: request({ gpuCount: 3 }) }))).toEqual({
        ok: false,
        code: 'insufficient-gpu',
        reason: 'This provider has 2 GPUs with at least 8192 MiB of memory; the job asks for 3.',
      });
      expect(
        decideQuote(input({ gpus: [{ vramMiB: 8192 }], request: request({ gpuCount: 2 }) })),
      ).toMatchObject({
        reason: 'This provider has 1 GPU with at least 8192 MiB of memory; the job asks for 2.',
      });
    });

    it('exactly enough memory and GPUs is enough', () => {
      const gpus = [{ vramMiB: 8192 }, { vramMiB: 8192 }];
      expect(decideQuote(input({ gpus, request: request({ gpuCount: 2 }) }))).toEqual({
        ok: true,
        maxSeconds: 1800,
      });
      expect(decideQuote(input({ request: request({ vramMiB: 0 }) })).ok).toBe(true);
    });
  });

  describe('unavailable', () => {
    it("says when that may change, but never why (the owner's activity stays private)", () => {
      const availability = {
        available: false,
        sentence: 'Not for rent: a game is running. For rent from 14:00.',
        nextChange: '2026-03-02T13:00:00.000Z',
      };
      expect(decideQuote(input({ availability }))).toEqual({
        ok: false,
        code: 'unavailable',
        reason: 'This provider is not for rent right now (this may change at 2026-03-02T13:00:00.000Z).',
      });
    });

    it('without a next change', () => {
      const availability = {
        available: false,
        sentence: 'Not for rent: paused by the owner.',
        nextChange: null,
      };
      expect(decideQuote(input({ availability }))).toEqual({
        ok: false,
        code: 'unavailable',
        reason: 'This provider is not for rent right now.',
      });
    });

    it('with an empty sentence', () => {
      const availability = { available: false, sentence: '', nextChange: null };
      expect(decideQuote(input({ availability }))).toMatchObject({
        reason: 'This provider is not for rent right now.',
      });
    });
  });

  it('busy: a job is running', () => {
    expect(decideQuote(input({ runningJobs: 1 }))).toEqual({
      ok: false,
      code: 'busy',
      reason: 'This provider is running another job.',
    });
    expect(decideQuote(input({ runningJobs: 2 }))).toMatchObject({
      code: 'busy',
      reason: 'This provider is running 2 jobs.',
    });
  });

  it('gives permanent reasons before passing ones', () => {
    const everythingWrong = input({
      request: request({ runtime: 'image', image: 'x', gpuCount: 4 }, { chainId: 1 }),
      availability: { available: false, sentence: 'Not for rent.', nextChange: null },
      gpus: [],
      runningJobs: 1,
    });
    const order: string[] = [];
    let current = everythingWrong;
    for (;;) {
      const decision = decideQuote(current);
      if (decision.ok) break;
      order.push(decision.code);
      if (decision.code === 'wrong-network')
        current = { ...current, request: { ...current.request, chainId: 31337 } };
      else if (decision.code === 'unsupported-runtime')
        current = {
          ...current,
          request: {
            ...current.request,
            requirements: { ...current.request.requirements, runtime: 'host', image: undefined },
          },
        };
      else if (decision.code === 'insufficient-gpu')
        current = { ...current, gpus: Array(4).fill({ vramMiB: 8192 }) };
      else if (decision.code === 'unavailable')
        current = {
          ...current,
          availability: { available: true, sentence: 'For rent now.', nextChange: null },
        };
      else if (decision.code === 'busy') current = { ...current, runningJobs: 0 };
      else throw new Error(`unexpected ${decision.code}`);
    }
    expect(order).toEqual([
      'wrong-network',
      'unsupported-runtime',
      'insufficient-gpu',
      'unavailable',
      'busy',
    ]);
  });

  it('is pure: the same input gives the same answer and nothing is changed', () => {
    const frozen = input({
      availability: { available: true, sentence: 'x', nextChange: '2026-03-02T10:30:00.000Z' },
    });
    const copy = structuredClone(frozen);
    expect(decideQuote(frozen)).toEqual(decideQuote(frozen));
    expect(frozen).toEqual(copy);
  });
});
