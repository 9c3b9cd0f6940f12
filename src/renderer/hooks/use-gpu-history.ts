import { useCallback, useEffect, useState } from 'react';
import { api, connection } from '../api';
import type { GpuHistory, HistoryRange } from '../../shared/schemas/gpu';
import { toError } from './use-api-data';

export type HistoryPoint = GpuHistory['points'][number];

export const RANGE_MS: Record<HistoryRange, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  month: 30 * 86_400_000,
};

export interface GpuHistoryData {
  range: HistoryRange;
  /**
   * Which store tier answered; decides how far apart two points may be before the line breaks. Live
   * samples are closer together than any tier, so they do not change it.
   */
  tier: GpuHistory['tier'];
  points: readonly HistoryPoint[];
  /** The right edge of the chart: when the answer arrived, or the newest live sample. */
  endMs: number;
}

export interface GpuHistoryState {
  /** The history for the range asked for, or undefined while it loads (the old range is not shown). */
  data: GpuHistoryData | undefined;
  error: Error | undefined;
  reload: () => void;
}

interface Fetched {
  gpuId: string;
  range: HistoryRange;
  history?: GpuHistory;
  error?: Error;
  endMs: number;
}

/**
 * A GPU's telemetry history for one range. While the range is the last hour, samples pushed by
 * `gpu:telemetry` are appended, so the chart moves without asking main again every few seconds.
 */
export function useGpuHistory(gpuId: string, range: HistoryRange): GpuHistoryState {
  const [fetched, setFetched] = useState<Fetched | null>(null);
  // Samples since this card mounted, kept for an hour whatever range is shown: switching back to
  // "Last hour" then shows them without a gap while the history is fetched again.
  const [live, setLive] = useState<readonly HistoryPoint[]>([]);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    const fetchNow = () => {
      api.gpuHistory({ gpuId, range }).then(
        (history) => {
          if (current) setFetched({ gpuId, range, history, endMs: endOf(history, Date.now()) });
        },
        (error: unknown) => {
          if (current) setFetched({ gpuId, range, error: toError(error), endMs: Date.now() });
        },
      );
    };
    fetchNow();
    // Samples pushed while the event connection was down are lost; the store still has them.
    const stopWatching = connection.subscribe((state) => {
      if (state === 'open') fetchNow();
    });
    return () => {
      current = false;
      stopWatching();
    };
  }, [gpuId, range, attempt]);

  useEffect(
    () =>
      api.onGpuTelemetry(({ at, gpus }) => {
        const info = gpus.find((g) => g.id === gpuId);
        if (!info) return;
        const atMs = Date.parse(at);
        const point: HistoryPoint = {
          atMs,
          temperatureC: info.temperatureC,
          // A single sample's peak is the sample, as the raw tier reports it.
          temperatureMaxC: info.temperatureC,
          powerW: info.powerDrawW,
          utilizationPct: info.utilizationPct,
          memoryUsedMiB: info.memoryUsedMiB,
          fanPct: info.fanPct,
        };
        setLive((points) => [...points.filter((p) => p.atMs >= atMs - RANGE_MS.hour), point]);
      }),
    [gpuId],
  );

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const fresh = fetched && fetched.gpuId === gpuId && fetched.range === range ? fetched : null;
  if (!fresh) return { data: undefined, error: undefined, reload };
  if (!fresh.history) return { data: undefined, error: fresh.error, reload };
  return { data: withLive(fresh.history, range, live, fresh.endMs), error: undefined, reload };
}

/** The chart ends now, or at the newest point if the server's clock runs ahead of this one. */
function endOf(history: GpuHistory, nowMs: number): number {
  return Math.max(nowMs, history.points.at(-1)?.atMs ?? 0);
}

function withLive(
  history: GpuHistory,
  range: HistoryRange,
  live: readonly HistoryPoint[],
  fetchedEndMs: number,
): GpuHistoryData {
  if (range !== 'hour') return { range, tier: history.tier, points: history.points, endMs: fetchedEndMs };
  const lastStored = history.points.at(-1)?.atMs ?? -Infinity;
  const newer = live.filter((p) => p.atMs > lastStored);
  if (newer.length === 0) return { range, tier: history.tier, points: history.points, endMs: fetchedEndMs };
  const endMs = Math.max(fetchedEndMs, newer.at(-1)!.atMs);
  const points = [...history.points, ...newer].filter((p) => p.atMs >= endMs - RANGE_MS.hour);
  return { range, tier: history.tier, points, endMs };
}
