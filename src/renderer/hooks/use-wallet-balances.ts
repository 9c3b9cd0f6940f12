import { useCallback, useEffect, useRef, useState } from 'react';
import { api, connection } from '../api';
import type { Balances } from '../../shared/schemas/wallet';
import { toError } from './use-api-data';

export interface WalletBalances {
  /** The balances of the network asked for; undefined until they arrive (or after switching networks). */
  data: Balances | undefined;
  /** Why the last read failed (the devnet is down, an RPC refused): shown in the card, never thrown. */
  error: Error | undefined;
  loading: boolean;
  refresh: () => void;
}

interface State {
  networkId: string | undefined;
  data: Balances | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * The wallet's balances on one network, read again after each of its transactions changes (a payment
 * sent or confirmed moves them) and whenever the event connection (re)opens.
 */
export function useWalletBalances(networkId: string | undefined): WalletBalances {
  const [state, setState] = useState<State>({
    networkId,
    data: undefined,
    error: undefined,
    loading: true,
  });
  const generation = useRef(0);

  const fetchNow = useCallback(() => {
    const mine = ++generation.current;
    api.walletBalances(networkId ? { networkId } : {}).then(
      (data) => {
        if (mine === generation.current) setState({ networkId, data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current)
          setState((s) => ({
            networkId,
            data: s.networkId === networkId ? s.data : undefined,
            error: toError(error),
            loading: false,
          }));
      },
    );
  }, [networkId]);

  const refresh = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    fetchNow();
  }, [fetchNow]);

  useEffect(() => {
    const stopTransactions = api.onWalletTransaction((tx) => {
      if (networkId === undefined || tx.networkId === networkId) fetchNow();
    });
    const stopWatching = connection.subscribe((next) => {
      if (next === 'open') fetchNow();
    });
    fetchNow();
    return () => {
      stopTransactions();
      stopWatching();
    };
  }, [fetchNow, networkId]);

  // Another network's answer is not this one's: say "Loading…" until this one's arrives.
  const current = state.networkId === networkId;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: current ? state.loading : true,
    refresh,
  };
}
