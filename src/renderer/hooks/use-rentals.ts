import { useCallback, useEffect, useRef, useState } from 'react';
import { api, connection } from '../api';
import type { RentalView } from '../../shared/schemas/earnings';
import type { ApiData } from './use-api-data';
import { toError } from './use-api-data';
import { entriesOf, withRental, type RentalEntry } from './rental-entries';

/** How many rentals the page asks for: the live ones and the recent past. */
const LIMIT = 200;

interface State {
  data: RentalEntry[] | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * This machine's rentals: fetched from `market:rentals`, kept live by `market:rentalChanged` (a changed
 * rental replaces the one of the same key; a new one goes on top), and fetched again when the event
 * connection (re)opens, since changes pushed while it was down are lost.
 *
 * As in useJobList, changes heard while a fetch is in flight are laid over its answer in order: main
 * pushes every change, so the last one heard is at least as new as what the answer says.
 */
export function useRentals(): ApiData<RentalEntry[]> {
  const [state, setState] = useState<State>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  // Changes heard since the newest fetch was sent; null when none is in flight.
  const heardDuringFetch = useRef<RentalEntry[] | null>(null);

  const upsert = useCallback((rental: RentalView) => {
    const entry = { rental, syncedAt: Date.now() };
    heardDuringFetch.current?.push(entry);
    setState((s) => (s.data ? { ...s, data: withRental(s.data, entry) } : s));
  }, []);

  const fetchNow = useCallback(() => {
    const mine = ++generation.current;
    heardDuringFetch.current = [];
    api.marketRentals({ limit: LIMIT }).then(
      ({ rentals }) => {
        if (mine !== generation.current) return;
        const heard = heardDuringFetch.current ?? [];
        heardDuringFetch.current = null;
        setState({
          data: heard.reduce(withRental, entriesOf(rentals, Date.now())),
          error: undefined,
          loading: false,
        });
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        heardDuringFetch.current = null;
        setState((s) => ({ data: s.data, error: toError(error), loading: false }));
      },
    );
  }, []);

  const reload = useCallback(() => {
    setState((s) => ({ ...s, error: undefined, loading: true }));
    fetchNow();
  }, [fetchNow]);

  const setData = useCallback((data: RentalEntry[]) => {
    generation.current++;
    heardDuringFetch.current = null;
    setState({ data, error: undefined, loading: false });
  }, []);

  useEffect(() => {
    const stopPush = api.onMarketRentalChanged(upsert);
    const stopWatching = connection.subscribe((next) => {
      if (next === 'open') fetchNow();
    });
    fetchNow();
    return () => {
      stopPush();
      stopWatching();
    };
  }, [fetchNow, upsert]);

  return { ...state, reload, setData };
}
