import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { SelfTestReport } from '../../shared/schemas/job';
import { toError } from './use-api-data';

/** A self-test job's report, read again at each change of the job until it ends; null without a job. */
export function useSelfTestReport(jobId: string | null): {
  report: SelfTestReport | null;
  error: string | null;
} {
  const [state, setState] = useState<{
    id: string | null;
    report: SelfTestReport | null;
    error: string | null;
  }>({
    id: null,
    report: null,
    error: null,
  });
  useEffect(() => {
    if (!jobId) return;
    let live = true;
    const read = () =>
      api.jobSelfTestReport({ id: jobId }).then(
        (report) => live && setState({ id: jobId, report, error: null }),
        (e: unknown) => live && setState({ id: jobId, report: null, error: toError(e).message }),
      );
    void read();
    const stop = api.onJobChanged((job) => {
      if (job.id === jobId) void read();
    });
    return () => {
      live = false;
      stop();
    };
  }, [jobId]);
  return state.id === jobId ? { report: state.report, error: state.error } : { report: null, error: null };
}

export interface SelfTest {
  report: SelfTestReport | null;
  error: string | null;
  running: boolean;
  start: () => void;
}

/** Starts the self-test job and follows its report until the job ends. */
export function useSelfTest(): SelfTest {
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);
  const { report, error } = useSelfTestReport(jobId);

  const start = useCallback(() => {
    setStarting(true);
    setStartError(null);
    setJobId(null);
    api.jobSelfTest().then(
      ({ id }) => {
        if (!live.current) return;
        setStarting(false);
        setJobId(id);
      },
      (e: unknown) => {
        if (!live.current) return;
        setStarting(false);
        setStartError(toError(e).message);
      },
    );
  }, []);

  return {
    report,
    error: startError ?? error,
    running: starting || report?.state === 'running' || (jobId !== null && report === null && error === null),
    start,
  };
}
