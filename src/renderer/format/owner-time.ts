/**
 * Times as the owner's clock shows them (their zone: the schedule's) in the format of their browser's
 * language. Where the browser itself is in another zone (a rig's UI opened from afar), the zone is named.
 */
export type TimeStyle = 'moment' | 'when' | 'time' | 'until';

const STYLES: Record<TimeStyle, Intl.DateTimeFormatOptions> = {
  /** "6 Dec 2026, 14:02:11": when something happened, to the second. */
  moment: { dateStyle: 'medium', timeStyle: 'medium' },
  /** "6 Dec 2026, 14:02". */
  when: { dateStyle: 'medium', timeStyle: 'short' },
  /** "14:02:11". */
  time: { timeStyle: 'medium' },
  /** "Mon 14:00": the end of a pause. */
  until: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
};

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatOwnerTime(
  at: string | number | Date,
  zone: string | undefined,
  style: TimeStyle,
  locale?: string,
): string {
  const date = at instanceof Date ? at : new Date(at);
  const options: Intl.DateTimeFormatOptions = { ...STYLES[style], timeZone: zone };
  if (zone && zone !== browserZone()) {
    // dateStyle/timeStyle cannot be combined with timeZoneName: spell the parts out instead.
    const { dateStyle, timeStyle, ...rest } = options;
    const parts: Intl.DateTimeFormatOptions = {
      ...rest,
      ...(dateStyle ? { day: 'numeric', month: 'short', year: 'numeric' } : {}),
      ...(timeStyle
        ? { hour: '2-digit', minute: '2-digit', ...(timeStyle === 'medium' ? { second: '2-digit' } : {}) }
        : {}),
      timeZoneName: 'short',
    };
    try {
      return new Intl.DateTimeFormat(locale, parts).format(date);
    } catch {
      // an unknown zone falls through to the browser's
    }
  }
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, STYLES[style]).format(date);
  }
}
