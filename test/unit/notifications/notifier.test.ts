import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../src/main/core/event-bus';
import { createNotifier } from '../../../src/main/notifications/notifier';
import { guardNotice, rentalNotices, type Notice } from '../../../src/main/notifications/notification-rules';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import type { RentalView } from '../../../src/shared/schemas/earnings';
import { sampleRentalView, tusdAmount as amount } from '../../fakes/rental-view';
import { createMemoryLogger } from '../../fakes/memory-logger';

/** A rental just opened (created after the notifier started), changed by `patch`. */
function rental(patch: Partial<RentalView> = {}): RentalView {
  return sampleRentalView({
    key: '31337:0xe:0x1',
    status: 'opened',
    pricePerHour: amount('0.36'),
    deposit: amount('10'),
    earned: amount('0'),
    redeemed: amount('0'),
    createdAt: new Date(Date.now() + 1000).toISOString(),
    ...patch,
  });
}

function setup() {
  const events = createEventBus();
  const shown: Notice[] = [];
  let enabled = { ...DEFAULT_SETTINGS.notifications };
  const notifier = createNotifier({
    events,
    enabled: () => enabled,
    gpuName: () => 'NVIDIA GeForce RTX 3090',
    show: (n) => shown.push(n),
    logger: createMemoryLogger(),
  });
  return {
    events,
    shown,
    notifier,
    set: (patch: Partial<typeof enabled>) => (enabled = { ...enabled, ...patch }),
  };
}

describe('notifications', () => {
  it('tells a rental’s start, end, stall and payout once each', () => {
    const { events, shown } = setup();
    const steps: Partial<RentalView>[] = [
      {},
      { status: 'running' },
      { status: 'running', earned: amount('0.1') }, // a voucher: nothing to tell
      { status: 'paused', stalledSince: new Date().toISOString() },
      { status: 'paused', stalledSince: new Date().toISOString() }, // still stalled: said once
      { status: 'ended', secondsRun: 2520, earned: amount('0.25'), stalledSince: null },
      { status: 'settled', redeemed: amount('0.25') },
      { status: 'settled', redeemed: amount('0.25') }, // booked afterwards: the same state again
    ];
    for (const patch of steps) events.emit('market:rentalChanged', rental(patch));
    expect(shown.map((n) => [n.kind, n.title, n.body])).toEqual([
      ['jobStarted', 'A renter’s job started', '0x7099…79C8 rents your GPU at 0.36 tUSD an hour.'],
      [
        'vouchersStalled',
        'A renter stopped paying',
        '0x7099…79C8’s job is paused and stops in 2 minutes unless they pay. What they signed is yours.',
      ],
      ['jobFinished', 'A renter’s job finished', 'It ran 42 min and earned 0.25 tUSD.'],
      ['paymentSettled', 'Payment received', '0.25 tUSD from 0x7099…79C8 is in your wallet.'],
    ]);
  });

  it('shows only the kinds the owner keeps on, and a pause for heat with the card and temperature', () => {
    const { events, shown, set, notifier } = setup();
    set({ jobStarted: false });
    events.emit('market:rentalChanged', rental());
    events.emit('market:rentalChanged', rental({ status: 'running' }));
    expect(shown).toEqual([]);
    const guard = {
      gpuId: 'g',
      at: new Date().toISOString(),
      reason: 'above the limit of 83 °C',
      temperatureC: 86.4,
    };
    events.emit('gpu:guardAction', { ...guard, action: 'cap-power' });
    events.emit('gpu:guardAction', { ...guard, action: 'pause-job' });
    expect(shown.map((n) => [n.title, n.body])).toEqual([
      ['Paused for heat', 'NVIDIA GeForce RTX 3090 is too hot at 86 °C: above the limit of 83 °C'],
    ]);
    notifier.updateReady('0.2.0');
    expect(shown.at(-1)).toMatchObject({
      kind: 'updateReady',
      body: expect.stringContaining('Nocturne 0.2.0'),
    });
    set({ updateReady: false });
    notifier.updateReady('0.2.1');
    expect(shown).toHaveLength(2);
  });

  it('announces nothing for rentals from before a restart but their new changes', () => {
    const old = rental({ status: 'ended', createdAt: '2020-01-01T00:00:00.000Z' });
    expect(rentalNotices(undefined, old, true)).toEqual([]);
    expect(
      rentalNotices({ status: 'ended', stalled: false }, { ...old, status: 'settled' }, false)[0]?.kind,
    ).toBe('paymentSettled');
    expect(rentalNotices(undefined, rental({ status: 'failed', reason: 'x' }), false)).toEqual([]);
    expect(
      guardNotice({ gpuId: 'g', at: '', action: 'stop-job', reason: 'r', temperatureC: null }, 'GPU')?.title,
    ).toBe('Stopped for heat');
  });
});
