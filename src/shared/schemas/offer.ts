import { z } from 'zod';

/** An offer as ProviderRegistry holds it, for the UI: amounts as decimal strings of base units. */
export const PublishedOfferSchema = z.strictObject({
  peerId: z.string(),
  multiaddrs: z.array(z.string()),
  gpuModel: z.string(),
  vramMiB: z.number().int(),
  /** Benchmark GFLOP/s; 0 when the card was never measured. */
  gflops: z.number().int(),
  /** Token base units per hour (the quoted price per second x 3600). */
  pricePerHour: z.string().regex(/^\d+$/),
  token: z.string(),
  available: z.boolean(),
});
export type PublishedOffer = z.infer<typeof PublishedOfferSchema>;

/**
 * Whether this machine's offer in ProviderRegistry matches what it is (peer id, addresses, GPU, price,
 * availability): published (it does), pending (a change waits: the debounce, an unlock, a transaction in
 * flight), error (the last attempt failed; the reason says why and whether it is tried again),
 * not-published (renting is off, or nothing to publish yet).
 */
export const OfferPublicationSchema = z.strictObject({
  /** The network id the offer is published on (the selected network), or null before the first try. */
  network: z.string().nullable(),
  state: z.enum(['published', 'pending', 'error', 'not-published']),
  /** In words: what waits, what failed, or what the owner can do. Null when all is well. */
  reason: z.string().nullable(),
  /** The last transaction sent for the offer. */
  txHash: z.string().nullable(),
  /** The offer as the chain last said it was; null when not registered, or not read yet. */
  offer: PublishedOfferSchema.nullable(),
  updatedAt: z.iso.datetime(),
});
export type OfferPublication = z.infer<typeof OfferPublicationSchema>;
