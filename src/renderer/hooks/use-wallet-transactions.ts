import { useCallback, useEffect, useRef, useState } from 'react';
import { api, connection } from '../api';
import type { WalletTransaction } from '../../shared/schemas/wallet';
import { toError } from './use-api-data';

export interface WalletTransactions {
  /** Newest first; undefined until the first answer for this network. */
  transactions: WalletTransaction[] | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  /** Puts a transaction's newest state into the list (the answer to Send, before its event arrives). */
  upsert: (tx: WalletTransaction) => void;
}

interface State {
  networkId: string | undefined;
  transactions: WalletTransaction[] | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * The wallet's transactions on one network, kept live by `wallet:transaction` (upsert by hash). As in
 * useJobList, the events heard while a fetch is in flight are laid over its answer, so neither a slow
 * fetch nor an early event loses an update.
 */
export function useWalletTransactions(networkId: string | undefined): WalletTransactions {
  const [state, setState] = useState<State>({
    networkId,
    transactions: undefined,
    error: undefined,
    loading: true,
  });
  const generation = useRef(0);
  const heardDuringFetch = useRef<WalletTransaction[] | null>(null);

  const upsert = useCallback(
    (tx: WalletTransaction) => {
      if (networkId !== undefined && tx.networkId !== networkId) return;
      heardDuringFetch.current?.push(tx);
      setState((s) =>
        s.transactions && s.networkId === networkId
          ? { ...s, transactions: withTransaction(s.transactions, tx) }
          : s,
      );
    },
    [networkId],
  );

  const fetchNow = useCallback(() => {
    const mine = ++generation.current;
    heardDuringFetch.current = [];
    api.walletTransactions(networkId ? { networkId } : {}).then(
      ({ transactions }) => {
        if (mine !== generation.current) return;
        const heard = heardDuringFetch.current ?? [];
        heardDuringFetch.current = null;
        setState({
          networkId,
          transactions: heard.reduce(withTransaction, newestFirst(transactions)),
          error: undefined,
          loading: false,
        });
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        heardDuringFetch.current = null;
        setState((s) => ({
          networkId,
          transactions: s.networkId === networkId ? s.transactions : undefined,
          error: toError(error),
          loading: false,
        }));
      },
    );
  }, [networkId]);

  const reload = useCallback(() => {
    setState((s) => ({ ...s, error: undefined, loading: true }));
    fetchNow();
  }, [fetchNow]);

  useEffect(() => {
    const stopPush = api.onWalletTransaction(upsert);
    const stopWatching = connection.subscribe((next) => {
      if (next === 'open') fetchNow();
    });
    fetchNow();
    return () => {
      stopPush();
      stopWatching();
    };
  }, [fetchNow, upsert]);

  const current = state.networkId === networkId;
  return {
    transactions: current ? state.transactions : undefined,
    error: current ? state.error : undefined,
    loading: current ? state.loading : true,
    reload,
    upsert,
  };
}

/** The list with `tx` replacing the one of the same hash, or added; kept newest first. */
/**
 * Adds or replaces by hash, but never with an older state: the send's own answer (pending) can arrive
 * after the tracker's event that it was mined, and must not undo it.
 */
export function withTransaction(
  list: readonly WalletTransaction[],
  tx: WalletTransaction,
): WalletTransaction[] {
  const known = list.find((t) => t.hash === tx.hash);
  if (known && (known.updatedAt > tx.updatedAt || (known.status !== 'pending' && tx.status === 'pending')))
    return [...list];
  return newestFirst([...list.filter((t) => t.hash !== tx.hash), tx]);
}

function newestFirst(list: readonly WalletTransaction[]): WalletTransaction[] {
  return [...list].sort((a, b) => b.createdAt - a.createdAt || b.nonce - a.nonce);
}
