import { z } from 'zod';

/** The provider's peer-to-peer node: whether renters can reach this machine, and at which addresses. */
export const ProviderNodeStatusSchema = z.strictObject({
  state: z.enum(['offline', 'starting', 'online', 'error']),
  /** The libp2p peer id, stable across restarts (its key is in the data directory). */
  peerId: z.string().nullable(),
  /** Where renters dial it (multiaddrs, /p2p/<peer id> included). */
  addresses: z.array(z.string()),
  /** Why it is offline or failed, in words. */
  reason: z.string().nullable(),
});
export type ProviderNodeStatus = z.infer<typeof ProviderNodeStatusSchema>;

/** A suggested price for the offer (`market:suggestPrice`), with the reasoning in words. */
export const PriceSuggestionSchema = z.strictObject({
  /** Whole tokens per hour, as the price setting takes it ("0.48"). */
  price: z.string(),
  /** The same in the token's base units per hour (a decimal string). */
  units: z.string().regex(/^\d+$/),
  /** The payment token's symbol and the network whose market was read. */
  symbol: z.string(),
  network: z.string(),
  /** What it rests on: prices renters paid, prices asked, price per GFLOP/s, costs only, or nothing. */
  basis: z.enum(['paid', 'asked', 'per-gflops', 'costs', 'current']),
  reasons: z.array(z.string()),
});
export type PriceSuggestionView = z.infer<typeof PriceSuggestionSchema>;
