import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../shared/schemas/settings';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { SettingsRepository } from './settings-repository';

/**
 * Current settings = defaults overlaid with what is stored. A stored value that no longer validates
 * (hand-edited, or from an older build) falls back to its default instead of failing start-up.
 */
export function createSettingsService(deps: {
  repository: SettingsRepository;
  clock: Clock;
  logger: Logger;
  onChange: (settings: Settings) => void;
}) {
  const { repository, clock, logger, onChange } = deps;

  const load = (): Settings => {
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    const stored = repository.readAll((key) =>
      logger.warn(`Setting "${key}" holds unreadable JSON; using its default.`),
    );
    for (const { key, value } of stored) {
      const field = SettingsSchema.shape[key as keyof Settings];
      if (!field) continue; // A key from a newer build or a removed setting: keep the row, ignore it.
      const parsed = field.safeParse(value);
      if (parsed.success) merged[key] = parsed.data;
      else logger.warn(`Setting "${key}" holds an invalid value; using its default.`);
    }
    return SettingsSchema.parse(merged);
  };

  let current = load();

  return {
    get: (): Settings => current,
    /** The patch is already validated by the contract; only changed keys are written. */
    update(patch: SettingsPatch): Settings {
      const next = SettingsSchema.parse({ ...current, ...patch });
      const changed = (Object.keys(patch) as (keyof Settings)[]).filter((k) => next[k] !== current[k]);
      if (changed.length === 0) return current;
      repository.writeMany(
        changed.map((k) => [k, next[k]]),
        clock.now(),
      );
      current = next;
      onChange(current);
      return current;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
