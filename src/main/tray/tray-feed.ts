import type { EventName } from '../../shared/contract';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { trayView, type TrayInput, type TrayView } from './tray-view';

/** Today's earnings are re-read at most this often (a voucher comes every 2 s while a job runs). */
const EARNINGS_EVERY_MS = 5_000;

/** What moves the tray: each of these re-renders it. */
const INPUTS = new Set<EventName>([
  'app:statusChanged',
  'market:statusChanged',
  'settings:changed',
  'wallet:changed',
  'gpu:guardAction',
  'market:rentalChanged',
]);

export interface TrayFeedDeps {
  events: Pick<EventBus, 'subscribe'>;
  /** Everything but today's earnings, read now. */
  read(): Omit<TrayInput, 'earnedToday'>;
  /** Today's earnings in words ("1.25 tUSD"), null for nothing. */
  earnedToday(): Promise<string | null>;
  onView(view: TrayView): void;
  logger: Logger;
  /** Tests shorten it. */
  earningsEveryMs?: number;
}

/**
 * Keeps the tray's view current: it re-renders on every change of what it shows (only when the view
 * differs), and reads today's earnings again after a rental changes, at most every 5 s. Plain Node: the
 * Electron tray (src/main/app/tray-menu.ts) only draws what it gets.
 */
export function createTrayFeed(deps: TrayFeedDeps) {
  let earned: string | null = null;
  let last = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const render = () => {
    if (stopped) return;
    const view = trayView({ ...deps.read(), earnedToday: earned });
    const key = JSON.stringify(view);
    if (key === last) return;
    last = key;
    deps.onView(view);
  };

  const refreshEarnings = () => {
    timer = null;
    deps.earnedToday().then(
      (next) => {
        earned = next;
        render();
      },
      (error: unknown) =>
        deps.logger.warn(`Tray: could not read today's earnings: ${(error as Error).message}`),
    );
  };

  const unsubscribe = deps.events.subscribe((event) => {
    if (!INPUTS.has(event)) return;
    render();
    if ((event === 'market:rentalChanged' || event === 'settings:changed') && timer === null) {
      timer = setTimeout(refreshEarnings, deps.earningsEveryMs ?? EARNINGS_EVERY_MS);
      timer.unref?.();
    }
  });
  // The day turns over at midnight: yesterday's earnings leave the tray within the hour.
  const hourly = setInterval(refreshEarnings, 3_600_000);
  hourly.unref?.();
  render();
  refreshEarnings();

  return {
    stop() {
      stopped = true;
      unsubscribe();
      clearInterval(hourly);
      if (timer) clearTimeout(timer);
    },
  };
}
