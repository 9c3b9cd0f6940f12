import type { Core } from '../core/create-core';
import { thermalHolds } from '../gpu/thermal-holds';
import { createTrayFeed } from './tray-feed';
import type { TrayView } from './tray-view';

/** The tray's feed over a running core: what the tray shows, from the services that know it. */
export function createCoreTrayFeed(core: Core, onView: (view: TrayView) => void) {
  return createTrayFeed({
    events: core.events,
    read: () => ({
      status: core.status.get(),
      node: core.provider.status(),
      providerOnline: core.settings.get().providerOnline,
      wallet: core.vault.status(),
      thermalHolds: thermalHolds(core.gpus.currentViews()),
      runningRentals: core.ledger.withStatus('running').length,
    }),
    earnedToday: async () => {
      const today = (await core.earnings.overview()).periods.find((p) => p.id === 'today');
      const amounts = today?.earned.map((e) => `${e.amount.formatted} ${e.amount.symbol}`) ?? [];
      return amounts.length > 0 ? amounts.join(' + ') : null;
    },
    onView,
    logger: core.logger,
  });
}
