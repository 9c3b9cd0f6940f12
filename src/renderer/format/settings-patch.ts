import type { Settings, SettingsPatch } from '../../shared/schemas/settings';

export type SettingsField = keyof Settings;

/** Settings hold lists and records too (a tariff, the notification switches): equal by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** The edits that still differ from what main holds: exactly what Save sends. */
export function changedFields(saved: Settings, edits: SettingsPatch): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(edits)) {
    if (value !== undefined && !sameValue(value, saved[field as SettingsField])) patch[field] = value;
  }
  return patch as SettingsPatch;
}

/**
 * Records one edit. An edit back to the saved value is forgotten, so a later change from elsewhere
 * (the tray, another tab) shows up in that field instead of being masked by a stale copy.
 */
export function withEdit<K extends SettingsField>(
  edits: SettingsPatch,
  saved: Settings,
  field: K,
  value: Settings[K],
): SettingsPatch {
  const next: SettingsPatch = { ...edits };
  if (sameValue(value, saved[field])) delete next[field];
  else next[field] = value;
  return next;
}

/** Forgets the edits a save just sent, keeping any the owner made while it was in flight. */
export function withoutSent(edits: SettingsPatch, sent: SettingsPatch): SettingsPatch {
  const next: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(edits)) {
    if (!sameValue(value, sent[field as SettingsField])) next[field] = value;
  }
  return next as SettingsPatch;
}

/** A list typed one entry per line (relays): lines trimmed, blank ones and repeats dropped. */
export function parseLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}
