import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { SelfTestReport } from '../../shared/schemas/job';
import { toError } from './use-api-data';

export interface SelfTest {
  report: SelfTestReport | null;
  error: string | null;
  running: boolean;
  start: () => void;
}

/** Starts the self-test job and follows its report until the job ends (each change of the job re-reads it). */
export function useSelfTest(): SelfTest {
  const [jobId, setJobId] = useState<string | null>(null);
  const [report, setReport] = useState<SelfTestReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);

  const read = useCallback((id: string) => {
    api.jobSelfTestReport({ id }).then(
      (next) => live.current && setReport(next),
      (e: unknown) => live.current && setError(toError(e).message),
    );
  }, []);

  useEffect(() => {
    if (!jobId) return;
    read(jobId);
    return api.onJobChanged((job) => {
      if (job.id === jobId) read(jobId);
    });
  }, [jobId, read]);

  const start = useCallback(() => {
    setStarting(true);
    setError(null);
    setReport(null);
    api.jobSelfTest().then(
      ({ id }) => {
        if (!live.current) return;
        setStarting(false);
        setJobId(id);
      },
      (e: unknown) => {
        if (!live.current) return;
        setStarting(false);
        setError(toError(e).message);
      },
    );
  }, []);

  return {
    report,
    error,
    running: starting || report?.state === 'running' || (jobId !== null && report === null),
    start,
  };
}
