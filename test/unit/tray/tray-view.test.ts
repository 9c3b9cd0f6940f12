import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../src/main/core/event-bus';
import { createTrayFeed } from '../../../src/main/tray/tray-feed';
import { trayView, type TrayInput, type TrayView } from '../../../src/main/tray/tray-view';
import { createMemoryLogger } from '../../fakes/memory-logger';

const base: TrayInput = {
  status: { state: 'active', sentence: 'For rent: inside your schedule.', available: true },
  node: { state: 'online', reason: null },
  providerOnline: true,
  wallet: { exists: true, locked: false },
  thermalHolds: [],
  runningRentals: 0,
  earnedToday: null,
};
const view = (patch: Partial<TrayInput>) => trayView({ ...base, ...patch });

describe('the tray view', () => {
  it('names one state, most urgent first', () => {
    expect(view({}).state).toBe('waiting');
    expect(view({ runningRentals: 1 }).state).toBe('earning');
    expect(
      view({ status: { ...base.status, available: false, sentence: 'Not for rent: a game is running.' } }),
    ).toMatchObject({
      state: 'paused',
      statusLine: 'Not for rent: a game is running.',
    });
    expect(
      view({ status: { state: 'paused', sentence: 'Paused by you until 14:00.', available: false } }),
    ).toMatchObject({
      state: 'paused',
      canPause: false,
      canResume: true,
    });
    expect(view({ providerOnline: false, node: { state: 'offline', reason: null } }).state).toBe('offline');
    expect(
      view({ thermalHolds: ['RTX 3090 is above 83 °C: the job is paused.'], runningRentals: 1 }),
    ).toMatchObject({
      state: 'hot',
      statusLine: 'RTX 3090 is above 83 °C: the job is paused.',
    });
    expect(
      view({ node: { state: 'error', reason: 'port 4747 is taken' }, thermalHolds: ['hot'] }),
    ).toMatchObject({
      state: 'error',
      statusLine: 'Could not go online: port 4747 is taken',
    });
    expect(view({ wallet: { exists: true, locked: true } }).statusLine).toContain('The wallet is locked');
    expect(view({ wallet: { exists: false, locked: true } }).statusLine).toContain('no wallet');
    // A locked wallet is no error while renting is off.
    expect(view({ providerOnline: false, wallet: { exists: true, locked: true } }).state).toBe('offline');
  });

  it('says today’s earnings, and keeps the tooltip within what Windows shows', () => {
    expect(view({ earnedToday: '1.25 tUSD', runningRentals: 2 })).toMatchObject({
      earningsLine: 'Today: 1.25 tUSD',
      tooltip: 'Nocturne: Earning: 2 renters’ jobs are running. (1.25 tUSD today)',
    });
    expect(view({}).earningsLine).toBe('Nothing earned today yet');
    const long = view({ status: { state: 'paused', sentence: 'x'.repeat(300), available: false } }).tooltip;
    expect(long).toHaveLength(127);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('the tray feed', () => {
  it('re-renders on what the tray shows, only when the view changes, and reads today’s earnings after a rental changes', async () => {
    const events = createEventBus();
    let input = base;
    let earned: string | null = null;
    let reads = 0;
    const views: TrayView[] = [];
    const feed = createTrayFeed({
      events,
      read: () => input,
      earnedToday: async () => {
        reads++;
        return earned;
      },
      onView: (v) => views.push(v),
      logger: createMemoryLogger(),
      earningsEveryMs: 10,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(views.map((v) => v.state)).toEqual(['waiting']);
    events.emit('job:output', { id: 'x', data: 'y' }); // not the tray's business
    events.emit('wallet:changed', {} as never); // nothing it shows changed
    expect(views).toHaveLength(1);

    input = { ...base, runningRentals: 1 };
    earned = '0.5 tUSD';
    const rental = {} as never;
    events.emit('market:rentalChanged', rental);
    events.emit('market:rentalChanged', rental); // a burst of vouchers: one read
    expect(views.at(-1)!.state).toBe('earning');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(reads).toBe(2);
    expect(views.at(-1)!.earningsLine).toBe('Today: 0.5 tUSD');
    feed.stop();
    events.emit('app:statusChanged', {} as never);
    expect(views.at(-1)!.earningsLine).toBe('Today: 0.5 tUSD');
  });
});
