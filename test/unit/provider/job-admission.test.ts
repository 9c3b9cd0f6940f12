// The provider's admission of a hello on /nocturne/job/1, a pure function: every refusal code of the
// protocol's table, in its order, and the wire terms' conversion to bigints.
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema, type JobSpec } from '../../../src/shared/schemas/job';
import type { Rental } from '../../../src/main/earnings/ledger-repository';
import { computeJobId, type JobTerms } from '../../../src/main/market/job-terms';
import { jobSpecHash } from '../../../src/main/market/spec-hash';
import type { Hello, WireJobTerms } from '../../../src/main/p2p/job-messages';
import { signJobSession } from '../../../src/main/p2p/job-proof';
import {
  decideJobAdmission,
  jobTermsFromWire,
  rentalKeyOf,
  type AdmissionContext,
} from '../../../src/main/provider/job-admission';
import { DOMAIN, otherWallet, renterWallet } from './fixtures/vouchers';

const PEER_ID = '12D3KooWEWwxekJ4PEWyg2LzutWqVA9EsTgSW6nGxLXCbLRxw6LW';
const OTHER_PEER = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo';
const CHAIN_ID = Number(DOMAIN.chainId);
const ESCROW = DOMAIN.verifyingContract;
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const provider = new Wallet(`0x${'11'.repeat(32)}`);

const spec: JobSpec = JobSpecSchema.parse({
  version: 1,
  name: 'train',
  bundle: { path: 'bundle.tar.gz', sha256: 'ab'.repeat(32) },
  command: ['/bin/sh', './run.sh'],
  resources: { gpus: 1, memoryMiB: 1024, cpus: 2, diskMiB: 10, maxSeconds: 600 },
  network: 'none',
  outputs: ['out'],
});

function termsFor(overrides: Partial<JobTerms> = {}): JobTerms {
  return {
    renter: renterWallet.address,
    provider: provider.address,
    token: TOKEN,
    deposit: 10_000_000n,
    pricePerSecond: 200n,
    maxSeconds: 3_600n,
    specHash: jobSpecHash(spec),
    startDeadline: 1_900_000_000n,
    nonce: 4n,
    ...overrides,
  };
}

const toWire = (terms: JobTerms): WireJobTerms => ({
  renter: terms.renter,
  provider: terms.provider,
  token: terms.token,
  deposit: terms.deposit.toString(),
  pricePerSecond: terms.pricePerSecond.toString(),
  maxSeconds: terms.maxSeconds.toString(),
  specHash: terms.specHash,
  startDeadline: terms.startDeadline.toString(),
  nonce: terms.nonce.toString(),
});

async function helloFor(
  options: {
    terms?: JobTerms;
    jobId?: string;
    signer?: Wallet;
    proofPeer?: string;
    proofEscrow?: string;
    spec?: JobSpec;
    bundleBytes?: number;
  } = {},
): Promise<Hello> {
  const terms = options.terms ?? termsFor();
  const jobId = options.jobId ?? computeJobId(CHAIN_ID, ESCROW, terms);
  const proof = await signJobSession(options.signer ?? renterWallet, {
    chainId: CHAIN_ID,
    escrow: options.proofEscrow ?? ESCROW,
    jobId,
    provider: options.proofPeer ?? PEER_ID,
  });
  return {
    v: 1,
    type: 'hello',
    chainId: CHAIN_ID,
    escrow: ESCROW,
    jobId,
    terms: toWire(terms),
    spec: options.spec ?? spec,
    bundleBytes: options.bundleBytes ?? 4096,
    proof,
  };
}

function context(overrides: Partial<AdmissionContext> = {}): AdmissionContext {
  return {
    networks: [{ id: 'devnet', chainId: CHAIN_ID, escrow: ESCROW }],
    providerAddress: provider.address,
    canSign: true,
    peerId: PEER_ID,
    offers: [{ chainId: CHAIN_ID, token: TOKEN, pricePerSecond: 200n, maxSeconds: 4 * 3600 }],
    availability: { available: true, nextChange: null },
    gpus: [{ vramMiB: 24576 }],
    imageRuntime: false,
    runningJobs: 0,
    existing: null,
    ...overrides,
  };
}

const refusal = (hello: Hello, ctx: AdmissionContext) => {
  const decision = decideJobAdmission(hello, ctx);
  return decision.ok ? 'ok' : decision.code;
};

describe('job admission', () => {
  it('accepts a good hello: the network, the terms as bigints and the rental key', async () => {
    const hello = await helloFor();
    const decision = decideJobAdmission(hello, context());
    expect(decision).toEqual({
      ok: true,
      network: { id: 'devnet', chainId: CHAIN_ID, escrow: ESCROW },
      terms: termsFor(),
      key: { chainId: CHAIN_ID, escrow: ESCROW, escrowJobId: hello.jobId },
    });
    expect(rentalKeyOf(hello)).toEqual({ chainId: CHAIN_ID, escrow: ESCROW, escrowJobId: hello.jobId });
    // A price above the provider's is fine, and the escrow's address in any case.
    const dearer = await helloFor({ terms: termsFor({ pricePerSecond: 500n }) });
    expect(refusal({ ...dearer, escrow: ESCROW.toLowerCase() }, context())).toBe('ok');
  });

  it('converts wire terms to bigints in one place', () => {
    const wire = toWire(termsFor({ deposit: (1n << 127n) + 5n, specHash: `0x${'AB'.repeat(32)}` }));
    expect(jobTermsFromWire({ ...wire, renter: renterWallet.address.toLowerCase() })).toEqual(
      termsFor({ deposit: (1n << 127n) + 5n, specHash: `0x${'ab'.repeat(32)}` }),
    );
  });

  it('refuses another chain or escrow: wrong-network', async () => {
    const hello = await helloFor();
    expect(refusal({ ...hello, chainId: 1 }, context())).toBe('wrong-network');
    expect(refusal(hello, context({ networks: [{ id: 'x', chainId: CHAIN_ID, escrow: TOKEN }] }))).toBe(
      'wrong-network',
    );
    expect(refusal(hello, context({ networks: [] }))).toBe('wrong-network');
  });

  it('refuses terms that do not hash to the job id, name another provider, or overflow: bad-terms', async () => {
    const hello = await helloFor();
    expect(refusal({ ...hello, jobId: `0x${'12'.repeat(32)}` }, context())).toBe('bad-terms');
    expect(refusal({ ...hello, terms: { ...hello.terms, deposit: '1' } }, context())).toBe('bad-terms');
    const forSomeoneElse = await helloFor({ terms: termsFor({ provider: otherWallet.address }) });
    const decision = decideJobAdmission(forSomeoneElse, context());
    expect(decision).toMatchObject({ ok: false, code: 'bad-terms' });
    expect(decision.ok || decision.reason).toContain(otherWallet.address);
    const overflow = { ...hello, terms: { ...hello.terms, nonce: (1n << 64n).toString() } };
    expect(refusal(overflow, context())).toBe('bad-terms');
  });

  it('refuses a proof by anyone but the renter, or for another provider or escrow: bad-proof', async () => {
    expect(refusal(await helloFor({ signer: otherWallet }), context())).toBe('bad-proof');
    expect(refusal(await helloFor({ proofPeer: OTHER_PEER }), context())).toBe('bad-proof');
    expect(refusal(await helloFor({ proofEscrow: TOKEN }), context())).toBe('bad-proof');
    const hello = await helloFor();
    expect(refusal({ ...hello, proof: `0x${'00'.repeat(65)}` }, context())).toBe('bad-proof');
  });

  it('refuses a spec that is not the one hashed, or a bundle above its disk: bad-spec', async () => {
    const other = { ...spec, command: ['/bin/sh', './other.sh'] };
    expect(refusal(await helloFor({ spec: other }), context())).toBe('bad-spec');
    expect(refusal(await helloFor({ bundleBytes: 10 * 1024 * 1024 }), context())).toBe('ok');
    expect(refusal(await helloFor({ bundleBytes: 10 * 1024 * 1024 + 1 }), context())).toBe('bad-spec');
  });

  it('refuses a price below the offer, or a token it does not take: price', async () => {
    expect(refusal(await helloFor({ terms: termsFor({ pricePerSecond: 199n }) }), context())).toBe('price');
    const otherToken = await helloFor({ terms: termsFor({ token: otherWallet.address }) });
    expect(refusal(otherToken, context())).toBe('price');
    expect(refusal(await helloFor(), context({ offers: [] }))).toBe('price');
  });

  it('refuses when not for rent, no wallet to sign, no image runtime or too few GPUs: unavailable', async () => {
    const hello = await helloFor();
    const paused = decideJobAdmission(
      hello,
      context({ availability: { available: false, nextChange: '2030-01-01T08:00:00.000Z' } }),
    );
    expect(paused).toEqual({
      ok: false,
      code: 'unavailable',
      reason: 'This provider is not for rent right now (this may change at 2030-01-01T08:00:00.000Z).',
    });
    expect(refusal(hello, context({ canSign: false }))).toBe('unavailable');
    expect(refusal(hello, context({ providerAddress: null }))).toBe('unavailable');
    expect(refusal(hello, context({ gpus: [] }))).toBe('unavailable');
    const image = { ...spec, image: 'docker.io/library/python:3.12' };
    const imageHello = await helloFor({ spec: image, terms: termsFor({ specHash: jobSpecHash(image) }) });
    expect(refusal(imageHello, context())).toBe('unavailable');
    expect(refusal(imageHello, context({ imageRuntime: true }))).toBe('ok');
  });

  it('refuses while another job runs (busy), and a job that already had its session (already-run)', async () => {
    const hello = await helloFor();
    expect(refusal(hello, context({ runningJobs: 1 }))).toBe('busy');
    const existing = { status: 'ended' } as Rental;
    expect(refusal(hello, context({ existing }))).toBe('already-run');
  });

  it('checks in the table order: the first failing check is the one reported', async () => {
    const everythingWrong = context({
      providerAddress: otherWallet.address,
      offers: [],
      availability: { available: false, nextChange: null },
      runningJobs: 1,
      existing: { status: 'ended' } as Rental,
    });
    const bad = await helloFor({ signer: otherWallet, spec: { ...spec, name: 'other' } });
    let ctx: AdmissionContext = { ...everythingWrong, networks: [] };
    expect(refusal(bad, ctx)).toBe('wrong-network');
    ctx = { ...ctx, networks: context().networks };
    expect(refusal(bad, ctx)).toBe('bad-terms');
    ctx = { ...ctx, providerAddress: provider.address };
    expect(refusal(bad, ctx)).toBe('bad-proof');
    const goodProofBadSpec = await helloFor({ spec: { ...spec, name: 'other' } });
    expect(refusal(goodProofBadSpec, ctx)).toBe('bad-spec');
    const good = await helloFor();
    expect(refusal(good, ctx)).toBe('price');
    ctx = { ...ctx, offers: context().offers };
    expect(refusal(good, ctx)).toBe('unavailable');
    ctx = { ...ctx, availability: { available: true, nextChange: null } };
    expect(refusal(good, ctx)).toBe('busy');
    ctx = { ...ctx, runningJobs: 0 };
    expect(refusal(good, ctx)).toBe('already-run');
    ctx = { ...ctx, existing: null };
    expect(refusal(good, ctx)).toBe('ok');
  });
});
