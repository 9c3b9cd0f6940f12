import type { RentalView } from '../../shared/schemas/earnings';

export type RentalStatus = RentalView['status'];

/** One rental as the page holds it: main's view and when it arrived, so elapsed time can tick on from it. */
export interface RentalEntry {
  rental: RentalView;
  /** Date.now() when this view arrived (a fetch or a pushed change): `secondsRun` was true then. */
  syncedAt: number;
}

const LIVE: ReadonlySet<RentalStatus> = new Set<RentalStatus>(['opened', 'running', 'paused']);

/** Opened, running or paused: the renter is still on this machine (or about to be). */
export function isLive(status: RentalStatus): boolean {
  return LIVE.has(status);
}

export function entriesOf(rentals: readonly RentalView[], syncedAt: number): RentalEntry[] {
  return rentals.map((rental) => ({ rental, syncedAt }));
}

/** The list with `entry` replacing the rental of the same key where it was, or added on top. */
export function withRental(entries: readonly RentalEntry[], entry: RentalEntry): RentalEntry[] {
  const at = entries.findIndex((e) => e.rental.key === entry.rental.key);
  if (at < 0) return [entry, ...entries];
  const next = [...entries];
  next[at] = entry;
  return next;
}

const newestFirst = (a: RentalEntry, b: RentalEntry) =>
  Date.parse(b.rental.createdAt) - Date.parse(a.rental.createdAt) || b.rental.key.localeCompare(a.rental.key);

/** Live rentals, then past ones; each newest first (the key breaks ties between same-millisecond ones). */
export function groupRentals(entries: readonly RentalEntry[]): { live: RentalEntry[]; past: RentalEntry[] } {
  const sorted = [...entries].sort(newestFirst);
  return {
    live: sorted.filter((e) => isLive(e.rental.status)),
    past: sorted.filter((e) => !isLive(e.rental.status)),
  };
}

/**
 * Billed seconds now: what main said, plus the whole seconds since, while it runs. Main's next change
 * re-syncs it, so a tick that ran ahead of a pause lasts only until the pause arrives.
 */
export function elapsedSeconds(entry: RentalEntry, nowMs: number): number {
  const { secondsRun, status } = entry.rental;
  if (status !== 'running') return secondsRun;
  return secondsRun + Math.max(0, Math.floor((nowMs - entry.syncedAt) / 1000));
}
