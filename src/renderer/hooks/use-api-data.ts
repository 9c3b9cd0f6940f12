import { useCallback, useEffect, useRef, useState } from 'react';
import type { Unsubscribe } from '../../shared/api';
import { connection } from '../api';

export interface ApiData<T> {
  /** The last value that arrived, kept through later failed refetches so the page does not go blank. */
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetch again, showing "Loading…" until it settles (for a Retry button). */
  reload: () => void;
  /** Replace the value with a fresher one, e.g. the answer to a mutation. */
  setData: (value: T) => void;
}

export type PushSource<T> = (listener: (value: T) => void) => Unsubscribe;

/**
 * Loads one value from the API and keeps it fresh: `push` delivers live updates, and the value is
 * fetched again whenever the event connection (re)opens, because events sent while it was down are lost.
 *
 * `load` and `push` must be stable (module-level functions), or the value is refetched every render.
 */
export function useApiData<T>(load: () => Promise<T>, push?: PushSource<T>): ApiData<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  // Every fetch and every pushed value takes a new number; an answer that returns after a newer value
  // arrived is dropped, so a slow fetch never overwrites a live update.
  const generation = useRef(0);

  const fetchNow = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (data) => {
        if (mine === generation.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current)
          setState((s) => ({ data: s.data, error: toError(error), loading: false }));
      },
    );
  }, [load]);

  const setData = useCallback((data: T) => {
    generation.current++;
    setState({ data, error: undefined, loading: false });
  }, []);

  const reload = useCallback(() => {
    setState((s) => ({ ...s, error: undefined, loading: true }));
    fetchNow();
  }, [fetchNow]);

  useEffect(() => {
    const stopPush = push?.(setData);
    const stopWatching = connection.subscribe((next) => {
      if (next === 'open') fetchNow();
    });
    fetchNow();
    return () => {
      stopPush?.();
      stopWatching();
    };
  }, [fetchNow, push, setData]);

  return { ...state, reload, setData };
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
