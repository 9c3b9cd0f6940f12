import { SLOTS_PER_DAY, slotIndex } from '../../../shared/schedule/week-slots';

export interface Cell {
  day: number;
  slot: number;
}

/** Sets every listed cell on or off in one pass over the 672-character week. */
export function paintCells(slots: string, cells: readonly Cell[], on: boolean): string {
  const chars = slots.split('');
  for (const { day, slot } of cells) chars[slotIndex(day, slot)] = on ? '1' : '0';
  return chars.join('');
}

/**
 * The cells on a straight line from `from` to `to`, both included. A fast pointer skips cells between
 * two events; painting the line between them keeps the stroke unbroken.
 */
export function cellsBetween(from: Cell, to: Cell): Cell[] {
  const dDay = to.day - from.day;
  const dSlot = to.slot - from.slot;
  const steps = Math.max(Math.abs(dDay), Math.abs(dSlot));
  if (steps === 0) return [to];
  const cells: Cell[] = [];
  for (let i = 0; i <= steps; i++) {
    cells.push({
      day: Math.round(from.day + (dDay * i) / steps),
      slot: Math.round(from.slot + (dSlot * i) / steps),
    });
  }
  return cells;
}

/** Keeps a cell inside the 7 x 96 grid. */
export function clampCell(cell: Cell): Cell {
  return {
    day: Math.min(6, Math.max(0, cell.day)),
    slot: Math.min(SLOTS_PER_DAY - 1, Math.max(0, cell.slot)),
  };
}
