import { useEffect } from 'react';
import { api } from '../api';
import type { EarningsOverview } from '../../shared/schemas/earnings';
import { useApiData, type ApiData } from './use-api-data';

/** Without changes, the figures are read again this often (the day and the live estimates move on). */
const REFRESH_MS = 60_000;
/** A busy rental changes every 2 s (each voucher); the figures are re-read at most this often. */
const CHANGE_DELAY_MS = 1_500;

const load = () => api.earningsOverview();

/**
 * The earnings overview, kept fresh: read again soon after a rental changes (a voucher, an end, a
 * settlement) or the settings do (currency, rate, tariff), and every minute besides.
 */
export function useEarningsOverview(): ApiData<EarningsOverview> {
  const source = useApiData(load);
  const { reload, setData } = source;
  useEffect(() => {
    let soon: ReturnType<typeof setTimeout> | null = null;
    let live = true;
    const refetch = () =>
      void load().then(
        (next) => live && setData(next),
        () => undefined, // the last figures stay; the next change or tick tries again
      );
    const refetchSoon = () => {
      soon ??= setTimeout(() => {
        soon = null;
        refetch();
      }, CHANGE_DELAY_MS);
    };
    const timer = setInterval(refetch, REFRESH_MS);
    const stops = [api.onMarketRentalChanged(refetchSoon), api.onSettingsChanged(refetchSoon)];
    return () => {
      live = false;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      for (const stop of stops) stop();
    };
  }, [reload, setData]);
  return source;
}
