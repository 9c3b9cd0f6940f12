import { relayPeerId } from '../../shared/relay-address';
import type { Logger } from '../core/logger';
import { ListenFailedError, type P2pNode } from '../p2p/create-node';

/**
 * The provider's relays (the p2pRelays setting): it listens on `<relay>/p2p-circuit` for each, which makes a
 * reservation there, so renters who cannot dial this machine reach it through the relay. A relay that cannot
 * be reached never stops the node: it is logged, said in the node's status, and tried again with back-off
 * (30 s doubling to 10 min), as is a relay whose reservation was lost (the relay restarted, the connection
 * dropped). libp2p does not retry a relay named by address on its own.
 */

export interface RelayProblem {
  relay: string;
  /** Why there is no reservation on it, in words. */
  reason: string;
}

export interface RelayRetry {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_RELAY_RETRY: RelayRetry = { firstMs: 30_000, maxMs: 10 * 60_000 };

export interface RelayReservations {
  /** Tries every relay once, together; resolves when each has a reservation or has failed (a few seconds). */
  start(): Promise<void>;
  /** The relays without a reservation now, and why. */
  problems(): RelayProblem[];
  /** Looks again after the node's addresses changed: a reservation lost is retried. */
  check(): void;
  stop(): void;
}

interface RelayState {
  relay: string;
  peerId: string | null;
  failures: number;
  reason: string | null;
  reserved: boolean;
  attempting: boolean;
  timer: NodeJS.Timeout | null;
}

export function keepRelayReservations(options: {
  node: P2pNode;
  relays: readonly string[];
  logger: Logger;
  retry?: RelayRetry;
  /** A reservation was made or lost, or a relay failed: the status may have changed. */
  onChange(): void;
}): RelayReservations {
  const { node, logger } = options;
  const retry = options.retry ?? DEFAULT_RELAY_RETRY;
  let stopped = false;
  const states: RelayState[] = [...new Set(options.relays)].map((relay) => ({
    relay,
    peerId: relayPeerId(relay),
    failures: 0,
    reason: null,
    reserved: false,
    attempting: false,
    timer: null,
  }));

  /** Whether the node has an address through this relay now (a reservation on it). */
  const hasReservation = (state: RelayState) =>
    state.peerId !== null &&
    node.multiaddrs().some((a) => a.toString().includes(`/p2p/${state.peerId}/p2p-circuit`));

  const schedule = (state: RelayState) => {
    if (stopped || state.timer !== null || state.attempting) return;
    const wait = Math.min(retry.firstMs * 2 ** Math.max(0, state.failures - 1), retry.maxMs);
    state.timer = setTimeout(() => {
      state.timer = null;
      void attempt(state);
    }, wait);
    state.timer.unref();
  };

  async function attempt(state: RelayState): Promise<void> {
    if (stopped || state.attempting) return;
    state.attempting = true;
    try {
      await node.listen(`${state.relay}/p2p-circuit`);
      if (stopped) return;
      state.reserved = hasReservation(state);
      if (state.reserved) {
        state.failures = 0;
        state.reason = null;
        logger.info(`Listening through relay ${state.relay}`);
      } else throw new ListenFailedError(state.relay, 'the relay gave no address to listen on');
    } catch (error) {
      if (stopped) return;
      state.failures += 1;
      state.reserved = false;
      const words = error instanceof ListenFailedError ? relayWords(error.reason) : (error as Error).message;
      // libp2p refuses, for the node's life, a relay that failed to dial or to serve reservations; its first
      // failure said more about why.
      state.reason = words === REFUSED_BEFORE && state.reason !== null ? state.reason : words;
      const wait = Math.min(retry.firstMs * 2 ** (state.failures - 1), retry.maxMs);
      logger.warn(
        `Relay ${state.relay} could not be used: ${state.reason}; trying again in ${Math.round(wait / 1000)} s`,
      );
    } finally {
      state.attempting = false;
    }
    if (!state.reserved) schedule(state);
    options.onChange();
  }

  return {
    async start() {
      await Promise.all(states.map((state) => attempt(state)));
    },
    problems: () =>
      states
        .filter((state) => !state.reserved)
        .map((state) => ({ relay: state.relay, reason: state.reason ?? 'making a reservation' })),
    check() {
      if (stopped) return;
      for (const state of states) {
        if (state.attempting || !state.reserved || hasReservation(state)) continue;
        state.reserved = false;
        state.failures = 0;
        state.reason = 'the reservation was lost (the connection to the relay closed)';
        logger.warn(`Relay ${state.relay}: ${state.reason}; trying again`);
        schedule(state);
      }
    },
    stop() {
      stopped = true;
      for (const state of states) {
        if (state.timer !== null) clearTimeout(state.timer);
        state.timer = null;
      }
    },
  };
}

const REFUSED_BEFORE =
  'it failed before, and is not tried again until the node restarts (go offline and online again)';

/** libp2p's reasons, said for an owner who typed a relay address. */
export function relayWords(reason: string): string {
  if (/ECONNREFUSED/.test(reason)) return 'nothing answers at that address (connection refused)';
  if (/ENOTFOUND|EAI_AGAIN/.test(reason)) return 'its host name could not be resolved';
  if (/does not match expected remote identity key/.test(reason))
    return 'another peer answers at that address: check the peer id after /p2p/';
  if (/could not negotiate \/libp2p\/circuit\/relay/.test(reason))
    return 'that peer is not a circuit relay (v2): it does not take reservations';
  if (/Cannot use self as relay/.test(reason)) return 'that is this machine itself';
  if (/previously invalid/.test(reason)) return REFUSED_BEFORE;
  if (/abort|timed? ?out/i.test(reason)) return 'no answer in time';
  return reason;
}
