import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { GpuInfo, GpuList, GpuView, GuardActionEvent } from '../../shared/schemas/gpu';
import { useApiData, type ApiData } from './use-api-data';

/** A list as fetched, stamped with when it arrived relative to telemetry (see `arrival`). */
export interface FetchedGpuList {
  list: GpuList;
  arrival: number;
}

interface LiveReading {
  info: GpuInfo;
  arrival: number;
}

/**
 * Counts arrivals of lists and telemetry in this window. Whichever arrived last holds the newest
 * reading, so a list fetched after a sample replaces it and a sample after the list replaces that;
 * comparing server timestamps instead would mix two clocks when the UI talks to a remote `nocturne serve`.
 */
let arrivals = 0;
const nextArrival = () => ++arrivals;

const loadGpuList = async (): Promise<FetchedGpuList> => {
  const list = await api.gpuList();
  return { list, arrival: nextArrival() };
};

export interface LiveGpuList {
  /** Loading, error and Retry for the first fetch; feed it to DataView. */
  source: ApiData<FetchedGpuList>;
  /** The fetched list with each card's newest telemetry laid over it. */
  withLiveReadings: (fetched: FetchedGpuList) => GpuList;
  /** The last thing the thermal guard did to each card since this page opened, by GPU id. */
  lastGuardActions: Readonly<Record<string, GuardActionEvent>>;
  /** Puts the view main answered a change of limits with into the list, so the card updates at once. */
  applyView: (view: GpuView) => void;
}

/**
 * The GPUs page's data: one gpuList fetch, kept live by `gpu:telemetry` without refetching, and
 * refetched when the guard acts (its phase and sentence only come with the list). A finished benchmark
 * carries the record main stored: it is shown at once, whether or not the refetch after it succeeds.
 */
export function useLiveGpuList(): LiveGpuList {
  const source = useApiData(loadGpuList);
  const { reload, setData } = source;
  const [live, setLive] = useState<Readonly<Record<string, LiveReading>>>({});
  const [lastGuardActions, setLastGuardActions] = useState<Readonly<Record<string, GuardActionEvent>>>({});
  // The ids the last list held, read by the telemetry listener to notice a card that appeared since.
  const knownIds = useRef<ReadonlySet<string> | null>(null);
  const askedForIds = useRef('');

  // The list as last rendered, for event listeners that patch it (useApiData has no updater form).
  const latest = useRef<FetchedGpuList | undefined>(undefined);

  useEffect(() => {
    knownIds.current = source.data ? new Set(source.data.list.gpus.map((g) => g.info.id)) : null;
    latest.current = source.data;
  }, [source.data]);

  useEffect(
    () =>
      api.onGpuTelemetry(({ gpus }) => {
        const arrival = nextArrival();
        setLive((current) => {
          const next = { ...current };
          for (const info of gpus) next[info.id] = { info, arrival };
          return next;
        });
        // A card plugged in (or a tool that recovered) after the list was fetched has no limits or
        // guard state here yet: fetch the list once for that set of cards.
        const known = knownIds.current;
        const ids = gpus.map((g) => g.id).sort();
        if (known && ids.some((id) => !known.has(id)) && askedForIds.current !== ids.join()) {
          askedForIds.current = ids.join();
          reload();
        }
      }),
    [reload],
  );

  useEffect(
    () =>
      api.onGpuGuardAction((event) => {
        setLastGuardActions((current) => ({ ...current, [event.gpuId]: event }));
        reload();
      }),
    [reload],
  );

  useEffect(
    () =>
      api.onGpuBenchFinished(({ gpuId, record }) => {
        const current = latest.current;
        if (!record || !current) return;
        setData({
          list: {
            ...current.list,
            gpus: current.list.gpus.map((g) => (g.info.id === gpuId ? { ...g, benchmark: record } : g)),
          },
          // Only the benchmark changed: keep the list's arrival so newer live readings still win over it.
          arrival: current.arrival,
        });
        // Patching drops a refetch already in flight (a guard action's); fetch again so none is lost.
        reload();
      }),
    [reload, setData],
  );

  const withLiveReadings = ({ list, arrival }: FetchedGpuList): GpuList => ({
    ...list,
    gpus: list.gpus.map((view) => {
      const reading = live[view.info.id];
      return reading && reading.arrival > arrival ? { ...view, info: reading.info } : view;
    }),
  });

  const applyView = (view: GpuView) => {
    const current = source.data;
    if (!current) return;
    setData({
      list: { ...current.list, gpus: current.list.gpus.map((g) => (g.info.id === view.info.id ? view : g)) },
      arrival: nextArrival(),
    });
  };

  return { source, withLiveReadings, lastGuardActions, applyView };
}
