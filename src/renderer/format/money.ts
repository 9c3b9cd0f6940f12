/**
 * Money and energy in the owner's words: their currency by its code (EUR -> "€1.38" in their locale),
 * with more digits for the small amounts a short job earns, and the owner's local days.
 */

export function formatMoney(value: number, currency: string, locale?: string): string {
  const abs = Math.abs(value);
  const digits = abs !== 0 && abs < 0.01 ? 4 : 2;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    // A code Intl does not know still reads plainly.
    return `${value.toFixed(digits)} ${currency}`;
  }
}

export function formatKWh(kwh: number, locale?: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: kwh < 10 ? 3 : 1 }).format(kwh)} kWh`;
}

/** "Sun, 6 Dec" for a local date written YYYY-MM-DD (already the owner's date: no zone shift). */
export function formatDay(date: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}
