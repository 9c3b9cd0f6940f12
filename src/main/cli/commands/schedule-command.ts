import { unwrap } from '../../../shared/envelope';
import type { ScheduleView } from '../../../shared/schemas/availability';
import { isKnownTimeZone } from '../../../shared/schedule/time-zones';
import {
  PRESETS,
  WindowSyntaxError,
  windowsToSlots,
  type PresetName,
} from '../../../shared/schedule/windows';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { printData, UsageError, type CliIo } from '../cli-io';

export const scheduleHelp = `nocturne schedule show [--json]
nocturne schedule set [--tz ZONE] (--window "DAYS HH:MM-HH:MM" ... | --preset NAME | --clear)

The weekly hours your GPU is for rent, in wall-clock time of ZONE (an IANA name, e.g. Europe/Berlin).
  --window  DAYS is mon..sun, comma lists and ranges (mon-fri, sat,sun, fri-mon); times are in
            15-minute steps; an end at or before the start runs past midnight. Repeat for more windows.
  --preset  ${Object.keys(PRESETS).join(', ')}
  --clear   no hours at all (same as --preset never)`;

function describe(view: ScheduleView): string {
  return [
    `Time zone: ${view.timezone}`,
    ...(view.windows.length > 0 ? view.windows.map((w) => `  ${w}`) : ['  (no hours: never for rent)']),
  ].join('\n');
}

export interface ScheduleValues {
  json?: boolean;
  'data-dir'?: string;
  tz?: string;
  window?: string[];
  preset?: string;
  clear?: boolean;
}

export async function scheduleCommand(
  positionals: string[],
  values: ScheduleValues,
  io: CliIo,
): Promise<number> {
  const [verb = 'show', ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`schedule ${verb} takes no arguments, got "${rest.join(' ')}".`);
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });

  if (verb === 'show') {
    const core = createCore({ dataDir, mode: 'headless', lock: false });
    try {
      const view = unwrap(await core.router.call('schedule:get', {})) as ScheduleView;
      printData(io, values.json === true, view, () => describe(view));
      return 0;
    } finally {
      core.close();
    }
  }

  if (verb !== 'set') throw new UsageError(`Unknown schedule command "${verb}". Use show or set.`);
  const sources = [values.window !== undefined, values.preset !== undefined, values.clear === true].filter(
    Boolean,
  ).length;
  if (sources > 1) throw new UsageError('Give --window, --preset or --clear, not several.');
  if (sources === 0 && values.tz === undefined)
    throw new UsageError('Nothing to set: give --tz, --window, --preset or --clear.');
  // Everything is checked before anything is stored, so a bad part leaves the schedule as it was.
  if (values.tz !== undefined && !isKnownTimeZone(values.tz)) {
    throw new UsageError(
      `Unknown time zone "${values.tz}": use an IANA name such as Europe/Berlin or America/New_York.`,
    );
  }
  let slots: string | undefined;
  if (values.preset !== undefined) {
    if (!Object.hasOwn(PRESETS, values.preset)) {
      throw new UsageError(`Unknown preset "${values.preset}": use ${Object.keys(PRESETS).join(', ')}.`);
    }
    slots = windowsToSlots(PRESETS[values.preset as PresetName].windows);
  } else if (values.clear) {
    slots = windowsToSlots([]);
  } else if (values.window !== undefined) {
    try {
      slots = windowsToSlots(values.window);
    } catch (error) {
      if (error instanceof WindowSyntaxError) throw new UsageError(error.message);
      throw error;
    }
  }

  const core = createCore({ dataDir, mode: 'headless' });
  try {
    const current = unwrap(await core.router.call('schedule:get', {})) as ScheduleView;
    const view = unwrap(
      await core.router.call('schedule:set', {
        timezone: values.tz ?? current.timezone,
        slots: slots ?? current.slots,
      }),
    ) as ScheduleView;
    printData(io, values.json === true, view, () => describe(view));
    return 0;
  } finally {
    core.close();
  }
}
