import { describe, expect, it } from 'vitest';
import { countSlots, isSlotOn } from '../../../src/shared/schedule/week-slots';
import { presetSlots, slotsToWindows, windowsToSlots } from '../../../src/shared/schedule/windows';

describe('schedule windows as text', () => {
  it('reads day lists, ranges and ranges over the week end', () => {
    expect(slotsToWindows(windowsToSlots(['mon-fri 01:00-08:00']))).toEqual(['mon-fri 01:00-08:00']);
    expect(slotsToWindows(windowsToSlots(['sat,sun 00:00-10:00']))).toEqual(['sat,sun 00:00-10:00']);
    expect(slotsToWindows(windowsToSlots(['fri-mon 12:00-13:00']))).toEqual(['mon,fri-sun 12:00-13:00']);
    const wrap = windowsToSlots(['fri-mon 12:00-13:00']);
    expect([0, 4, 5, 6].every((d) => isSlotOn(wrap, d, 48))).toBe(true);
    expect([1, 2, 3].some((d) => isSlotOn(wrap, d, 48))).toBe(false);
  });

  it('runs an end at or before the start past midnight, Sunday into Monday', () => {
    const slots = windowsToSlots(['sun 22:00-02:00']);
    expect(isSlotOn(slots, 6, 95)).toBe(true);
    expect(isSlotOn(slots, 0, 7)).toBe(true);
    expect(isSlotOn(slots, 0, 8)).toBe(false);
    expect(countSlots(slots)).toBe(16);
  });

  it('presets', () => {
    expect(countSlots(presetSlots('always'))).toBe(672);
    expect(countSlots(presetSlots('never'))).toBe(0);
    expect(slotsToWindows(presetSlots('overnight'))).toEqual(['mon-sun 01:00-08:00']);
    expect(slotsToWindows(presetSlots('workdays'))).toEqual(['mon-fri 09:00-17:00']);
  });

  it.each([
    ['mon 25:00-26:00', '"25:00"'],
    ['funday 01:00-02:00', 'Unknown day "funday"'],
    ['mon 01:10-02:00', '"01:10" in "mon 01:10-02:00" is not on a quarter hour'],
    ['mon 01:00-01:00', 'is empty'],
    ['mon 1am-2am', '"1am"'],
    ['monday', 'is not a window'],
    ['mon-fri-sat 01:00-02:00', '"mon-fri-sat"'],
  ])('refuses %s, naming the bad part', (window, message) => {
    expect(() => windowsToSlots([window])).toThrow(message);
  });
});
