/**
 * A weekly schedule is a grid of 7 days x 96 quarter-hours of the owner's local wall-clock time, Monday
 * first, stored as a string of 672 '0'/'1' characters. The grid is what the Schedule page paints; windows
 * ("mon-fri 01:00-08:00") are a way of writing it.
 */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const SLOT_MINUTES = 15;
export const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
export const SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY;

export const EMPTY_WEEK = '0'.repeat(SLOTS_PER_WEEK);
export const FULL_WEEK = '1'.repeat(SLOTS_PER_WEEK);

export function slotIndex(day: number, slot: number): number {
  return day * SLOTS_PER_DAY + slot;
}

export function isSlotOn(slots: string, day: number, slot: number): boolean {
  return slots.charCodeAt(slotIndex(day, slot)) === 49; // '1'
}

/** Sets a run of quarter-hours on one day (end exclusive, in slots). */
export function withSlots(slots: string, day: number, from: number, to: number, on: boolean): string {
  const chars = slots.split('');
  for (let s = from; s < to; s++) chars[slotIndex(day, s)] = on ? '1' : '0';
  return chars.join('');
}

/** Runs of set quarter-hours per day: [day, startSlot, endSlot) in wall-clock order. */
export function dayRuns(slots: string): { day: number; start: number; end: number }[] {
  const runs: { day: number; start: number; end: number }[] = [];
  for (let day = 0; day < 7; day++) {
    let start = -1;
    for (let s = 0; s <= SLOTS_PER_DAY; s++) {
      const on = s < SLOTS_PER_DAY && isSlotOn(slots, day, s);
      if (on && start < 0) start = s;
      if (!on && start >= 0) {
        runs.push({ day, start, end: s });
        start = -1;
      }
    }
  }
  return runs;
}

export function countSlots(slots: string): number {
  let n = 0;
  for (let i = 0; i < slots.length; i++) if (slots.charCodeAt(i) === 49) n++;
  return n;
}
