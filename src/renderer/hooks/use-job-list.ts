import { useCallback, useEffect, useRef, useState } from 'react';
import { api, connection } from '../api';
import type { ResponseOf } from '../../shared/contract';
import type { JobSummary } from '../../shared/schemas/job';
import type { ApiData } from './use-api-data';
import { toError } from './use-api-data';

export type JobListView = ResponseOf<'job:list'>;

export interface LiveJobList {
  /** Loading, error and Retry for the first fetch; feed it to DataView. */
  source: ApiData<JobListView>;
  /** Puts a job's newest summary into the list: a pushed change, or the answer to Pause, Resume or Cancel. */
  upsert: (job: JobSummary) => void;
  /** Fetches the list again without showing "Loading…" (after starting a job the list may not hold yet). */
  refresh: () => void;
}

interface State {
  data: JobListView | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * The Jobs page's list: fetched once, then kept live by `job:changed`, and fetched again when the event
 * connection (re)opens because changes pushed while it was down are lost.
 *
 * Unlike useApiData, a fetch does not simply win or lose against pushed changes: the changes heard while
 * it is in flight are laid over its answer, in order. Main pushes every change, so the last one heard for
 * a job is at least as new as what the answer says, and no update is dropped either way round.
 */
export function useJobList(): LiveJobList {
  const [state, setState] = useState<State>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  // Changes heard since the newest fetch was sent; null when none is in flight.
  const heardDuringFetch = useRef<JobSummary[] | null>(null);

  const upsert = useCallback((job: JobSummary) => {
    heardDuringFetch.current?.push(job);
    setState((s) => (s.data ? { ...s, data: { ...s.data, jobs: withJob(s.data.jobs, job) } } : s));
  }, []);

  const fetchNow = useCallback(() => {
    const mine = ++generation.current;
    heardDuringFetch.current = [];
    api.jobList().then(
      (list) => {
        if (mine !== generation.current) return;
        const heard = heardDuringFetch.current ?? [];
        heardDuringFetch.current = null;
        setState({
          data: { ...list, jobs: heard.reduce(withJob, list.jobs) },
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

  const setData = useCallback((data: JobListView) => {
    generation.current++;
    heardDuringFetch.current = null;
    setState({ data, error: undefined, loading: false });
  }, []);

  useEffect(() => {
    const stopPush = api.onJobChanged(upsert);
    const stopWatching = connection.subscribe((next) => {
      if (next === 'open') fetchNow();
    });
    fetchNow();
    return () => {
      stopPush();
      stopWatching();
    };
  }, [fetchNow, upsert]);

  return { source: { ...state, reload, setData }, upsert, refresh: fetchNow };
}

/** The list with `job` replacing the summary of the same id, or added to it. */
function withJob(jobs: readonly JobSummary[], job: JobSummary): JobSummary[] {
  const at = jobs.findIndex((j) => j.id === job.id);
  if (at < 0) return [...jobs, job];
  const next = [...jobs];
  next[at] = job;
  return next;
}

/** Newest first, by when main created them; the id breaks ties between jobs made in the same millisecond. */
export function newestFirst(jobs: readonly JobSummary[]): JobSummary[] {
  return [...jobs].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id),
  );
}
