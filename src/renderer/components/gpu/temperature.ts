import type { Settings } from '../../../shared/schemas/settings';

export type TemperatureUnit = Settings['temperatureUnit'];

/** The guard and the API speak Celsius; only what the owner reads and types is in their unit. */
export function toDisplayUnit(celsius: number, unit: TemperatureUnit): number {
  return unit === 'fahrenheit' ? (celsius * 9) / 5 + 32 : celsius;
}

/**
 * Back to Celsius, to one decimal: 180 °F is 82.2 C, not 82.2222 C, so the guard's sentence stays
 * readable and the value survives the round trip to the form unchanged.
 */
export function fromDisplayUnit(value: number, unit: TemperatureUnit): number {
  const celsius = unit === 'fahrenheit' ? ((value - 32) * 5) / 9 : value;
  return Math.round(celsius * 10) / 10;
}

/** "°C" or "°F", for what sighted owners read. */
export function unitSymbol(unit: TemperatureUnit): string {
  return unit === 'fahrenheit' ? '°F' : '°C';
}

/** "C" or "F", matching the guard's own sentences ("limit 80 C"). */
export function unitLetter(unit: TemperatureUnit): string {
  return unit === 'fahrenheit' ? 'F' : 'C';
}

/** At most one decimal, none when it is .0: "82.2", "176". */
export function formatDecimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** "64 °C", or "—" when the card did not report a temperature (unknown is never 0). */
export function formatTemperature(celsius: number | null, unit: TemperatureUnit): string {
  if (celsius === null) return '—';
  return `${Math.round(toDisplayUnit(celsius, unit))} ${unitSymbol(unit)}`;
}
