import type { NotificationKind } from '../../shared/schemas/settings';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { PayloadOf } from '../../shared/contract';
import {
  guardNotice,
  markOf,
  rentalNotices,
  updateNotice,
  type Notice,
  type RentalMark,
} from './notification-rules';

export interface NotifierDeps {
  events: Pick<EventBus, 'subscribe'>;
  /** The owner's switches (setting `notifications`). */
  enabled(): Record<NotificationKind, boolean>;
  gpuName(gpuId: string): string;
  /** Shows one notice (the OS's notification in the desktop app; the UI's in headless mode). */
  show(notice: Notice): void;
  logger: Logger;
}

/**
 * Turns the core's events into notifications: a rental's start, end, payout and stall; a pause for heat;
 * an update ready. Each kind is shown only while the owner has it on, and a rental's change only once.
 */
export function createNotifier(deps: NotifierDeps) {
  const marks = new Map<string, RentalMark>();
  const started = Date.now();

  const show = (notice: Notice | null) => {
    if (!notice || !deps.enabled()[notice.kind]) return;
    try {
      deps.show(notice);
    } catch (error) {
      deps.logger.warn(`Could not show a notification (${notice.kind}): ${(error as Error).message}`);
    }
  };

  const unsubscribe = deps.events.subscribe((event, payload) => {
    if (event === 'market:rentalChanged') {
      const rental = payload as PayloadOf<'market:rentalChanged'>;
      const before = marks.get(rental.key);
      // A rental created before this process started and first heard of now was already going.
      const firstSight = !before && Date.parse(rental.createdAt) < started;
      for (const notice of rentalNotices(before, rental, firstSight)) show(notice);
      marks.set(rental.key, markOf(rental));
    } else if (event === 'gpu:guardAction') {
      const action = payload as PayloadOf<'gpu:guardAction'>;
      show(guardNotice(action, deps.gpuName(action.gpuId)));
    }
  });

  return {
    updateReady: (version: string) => show(updateNotice(version)),
    stop: unsubscribe,
  };
}
