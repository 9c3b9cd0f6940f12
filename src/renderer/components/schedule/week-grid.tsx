import {
  memo,
  useEffect,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { SLOTS_PER_DAY, isSlotOn } from '../../../shared/schedule/week-slots';
import { DAY_NAMES, DAY_SHORT, HOUR_LABELS, slotLabel } from '../../format/schedule-format';
import { cellsBetween, clampCell, paintCells, type Cell } from './paint';

/** The grid hands edits up as functions of the latest week, so quick strokes never paint on a stale copy. */
export type SlotsUpdate = (update: (slots: string) => string) => void;

const DAY_INDEXES = [0, 1, 2, 3, 4, 5, 6] as const;
const SLOT_INDEXES = Array.from({ length: SLOTS_PER_DAY }, (_, i) => i);
// 672 accessible names, worked out once rather than on every paint.
const LABELS = DAY_INDEXES.map((day) => SLOT_INDEXES.map((slot) => slotLabel(day, slot)));

function cellOf(target: EventTarget | null, grid: HTMLElement | null): Cell | null {
  if (!(target instanceof Element) || !grid) return null;
  const cell = target.closest<HTMLElement>('[data-slot]');
  if (!cell || !grid.contains(cell)) return null;
  return { day: Number(cell.dataset.day), slot: Number(cell.dataset.slot) };
}

const sameCell = (a: Cell, b: Cell) => a.day === b.day && a.slot === b.slot;

/**
 * The week as 7 rows of 96 quarter-hours. Painting: press on a cell to flip it, and the stroke sets every
 * cell the pointer then crosses (any row) to that same state until the button or finger lifts. The grid
 * never captures the pointer (it releases the implicit touch capture), and it looks up the cell under
 * the pointer itself, so strokes cross rows with a mouse, a pen or a finger alike.
 *
 * Keyboard: one cell is in the tab order (roving tabindex); arrows move it, Home/End go to the start or
 * end of the day, Space or Enter flips the cell, Shift+arrow carries the cell's state to the next one.
 */
export function WeekGrid({
  slots,
  onChange,
  labelledBy,
  describedBy,
}: {
  slots: string;
  onChange: SlotsUpdate;
  labelledBy: string;
  describedBy?: string;
}) {
  const gridRef = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState<Cell>({ day: 0, slot: 0 });
  /** The stroke in progress: what it paints, and the last cell it painted. */
  const stroke = useRef<{ on: boolean; last: Cell; pointerId: number } | null>(null);

  useEffect(() => {
    const end = (event: globalThis.PointerEvent) => {
      if (stroke.current?.pointerId === event.pointerId) stroke.current = null;
    };
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
    return () => {
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
    };
  }, []);

  const paint = (cells: readonly Cell[], on: boolean) =>
    onChange((current) => paintCells(current, cells, on));

  const focusCell = (cell: Cell) => {
    gridRef.current
      ?.querySelector<HTMLElement>(`[data-day="${cell.day}"][data-slot="${cell.slot}"]`)
      ?.focus();
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || !event.isPrimary) return;
    const cell = cellOf(event.target, gridRef.current);
    if (!cell) return;
    // A touch captures the pointer to the first cell; without capture, the cells under the finger get
    // the events, so the stroke can cross rows.
    if (event.target instanceof Element && event.target.hasPointerCapture(event.pointerId)) {
      event.target.releasePointerCapture(event.pointerId);
    }
    const on = !isSlotOn(slots, cell.day, cell.slot);
    stroke.current = { on, last: cell, pointerId: event.pointerId };
    setCursor(cell);
    paint([cell], on);
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const current = stroke.current;
    if (!current || current.pointerId !== event.pointerId) return;
    // The button came up outside the window, where no pointerup reached us.
    if (event.pointerType === 'mouse' && event.buttons === 0) {
      stroke.current = null;
      return;
    }
    const cell =
      cellOf(document.elementFromPoint(event.clientX, event.clientY), gridRef.current) ??
      cellOf(event.target, gridRef.current);
    if (!cell || sameCell(cell, current.last)) return;
    paint(cellsBetween(current.last, cell), current.on);
    current.last = cell;
  };

  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const cell = cellOf(event.target, gridRef.current);
    if (cell && !sameCell(cell, cursor)) setCursor(cell);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!cellOf(event.target, gridRef.current)) return;
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (!event.repeat) paint([cursor], !isSlotOn(slots, cursor.day, cursor.slot));
      return;
    }
    const moves: Record<string, Cell> = {
      ArrowLeft: { day: cursor.day, slot: cursor.slot - 1 },
      ArrowRight: { day: cursor.day, slot: cursor.slot + 1 },
      ArrowUp: { day: cursor.day - 1, slot: cursor.slot },
      ArrowDown: { day: cursor.day + 1, slot: cursor.slot },
      Home: event.ctrlKey ? { day: 0, slot: 0 } : { day: cursor.day, slot: 0 },
      End: event.ctrlKey ? { day: 6, slot: SLOTS_PER_DAY - 1 } : { day: cursor.day, slot: SLOTS_PER_DAY - 1 },
    };
    const target = moves[event.key];
    if (!target) return;
    event.preventDefault();
    const next = clampCell(target);
    if (sameCell(next, cursor)) return;
    if (event.shiftKey && event.key.startsWith('Arrow')) {
      paint([next], isSlotOn(slots, cursor.day, cursor.slot));
    }
    setCursor(next);
    focusCell(next);
  };

  return (
    <div
      ref={gridRef}
      className="week-grid"
      role="grid"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-multiselectable="true"
      data-testid="schedule-grid"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onFocus={onFocus}
      onKeyDown={onKeyDown}
    >
      {/* Every cell names its own day and time, so the hour ruler is for the eye only. */}
      <div className="week-grid__hours" aria-hidden="true">
        <span className="week-grid__corner" />
        {HOUR_LABELS.map((label) => (
          <span key={label} className="week-grid__hour">
            {label}
          </span>
        ))}
      </div>
      {DAY_INDEXES.map((day) => (
        <WeekRow
          key={day}
          day={day}
          daySlots={slots.slice(day * SLOTS_PER_DAY, (day + 1) * SLOTS_PER_DAY)}
          cursorSlot={cursor.day === day ? cursor.slot : -1}
        />
      ))}
    </div>
  );
}

/** One day; memoised on its own 96 characters, so a stroke re-renders only the rows it touches. */
const WeekRow = memo(function WeekRow({
  day,
  daySlots,
  cursorSlot,
}: {
  day: number;
  daySlots: string;
  cursorSlot: number;
}) {
  return (
    <div className="week-grid__row" role="row">
      <span className="week-grid__day" role="rowheader" aria-label={DAY_NAMES[day]}>
        {DAY_SHORT[day]}
      </span>
      {SLOT_INDEXES.map((slot) => {
        const on = daySlots.charCodeAt(slot) === 49;
        return (
          <span
            key={slot}
            role="gridcell"
            className={`week-grid__cell${on ? ' week-grid__cell--on' : ''}${slot % 4 === 0 ? ' week-grid__cell--hour' : ''}`}
            aria-selected={on}
            aria-label={LABELS[day]?.[slot]}
            tabIndex={slot === cursorSlot ? 0 : -1}
            data-day={day}
            data-slot={slot}
          />
        );
      })}
    </div>
  );
});
