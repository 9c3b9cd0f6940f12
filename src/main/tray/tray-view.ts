import type { AppStatus } from '../../shared/schemas/app-status';
import type { ProviderNodeStatus } from '../../shared/schemas/market';

/**
 * What the tray shows, pure: one state with its icon, the status line, today's earnings and a tooltip.
 * The states, most urgent first: something is wrong (the node failed, or renting is on with no wallet to
 * sign with); a card is too hot; renting is paused (by the owner, or because the machine is not for rent
 * now: a game, the schedule); offline; earning (a renter's job runs); available and waiting.
 */
export type TrayState = 'error' | 'hot' | 'paused' | 'offline' | 'earning' | 'waiting';

export interface TrayInput {
  status: Pick<AppStatus, 'state' | 'sentence' | 'available'>;
  node: Pick<ProviderNodeStatus, 'state' | 'reason'>;
  providerOnline: boolean;
  wallet: { exists: boolean; locked: boolean };
  /** Cards the thermal guard holds paused or stopped, each in a sentence. */
  thermalHolds: readonly string[];
  /** Renters' jobs running now. */
  runningRentals: number;
  /** "1.25 tUSD" (or several, joined), null when nothing was earned today. */
  earnedToday: string | null;
}

export interface TrayView {
  state: TrayState;
  /** The menu's first line. */
  statusLine: string;
  earningsLine: string;
  /** Short: Windows cuts a tooltip at 127 characters. */
  tooltip: string;
  /** Pause 1 h / until tomorrow while not paused by the owner; Resume while paused. */
  canPause: boolean;
  canResume: boolean;
}

const TOOLTIP_MAX = 127;

function stateOf(input: TrayInput): { state: TrayState; line: string } {
  if (input.providerOnline && input.node.state === 'error')
    return { state: 'error', line: `Could not go online: ${input.node.reason ?? 'the node failed'}` };
  if (input.providerOnline && !input.wallet.exists)
    return { state: 'error', line: 'Renting is on, but there is no wallet to be paid into.' };
  if (input.providerOnline && input.wallet.locked)
    return { state: 'error', line: 'The wallet is locked: renters cannot be quoted until you unlock it.' };
  if (input.thermalHolds.length > 0) return { state: 'hot', line: input.thermalHolds[0]! };
  if (input.status.state === 'paused') return { state: 'paused', line: input.status.sentence };
  if (!input.providerOnline || input.node.state === 'offline')
    return { state: 'offline', line: 'Offline: renting is off. Turn it on in Settings.' };
  if (input.runningRentals > 0)
    return {
      state: 'earning',
      line:
        input.runningRentals === 1
          ? 'Earning: a renter’s job is running.'
          : `Earning: ${input.runningRentals} renters’ jobs are running.`,
    };
  if (!input.status.available) return { state: 'paused', line: input.status.sentence };
  if (input.node.state === 'starting') return { state: 'waiting', line: 'Going online…' };
  return { state: 'waiting', line: 'Available: waiting for a renter.' };
}

export function trayView(input: TrayInput): TrayView {
  const { state, line } = stateOf(input);
  const earningsLine = input.earnedToday ? `Today: ${input.earnedToday}` : 'Nothing earned today yet';
  const full = `Nocturne: ${line}${input.earnedToday ? ` (${input.earnedToday} today)` : ''}`;
  return {
    state,
    statusLine: line,
    earningsLine,
    tooltip: full.length <= TOOLTIP_MAX ? full : `${full.slice(0, TOOLTIP_MAX - 1)}…`,
    canPause: input.status.state !== 'paused',
    canResume: input.status.state === 'paused',
  };
}
