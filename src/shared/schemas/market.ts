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
