import { unwrap } from '../../../shared/envelope';
import { SettingsSchema, type Settings } from '../../../shared/schemas/settings';
import { createCore } from '../../core/create-core';
import { resolveDataDir } from '../../data-dir/resolve-data-dir';
import { printData, UsageError, type CliIo } from '../cli-io';

export const settingsHelp = `nocturne settings [get] [--json] [--data-dir DIR]
nocturne settings set KEY VALUE [--data-dir DIR]

Shows or changes settings. KEY is one of: ${Object.keys(SettingsSchema.shape).join(', ')}.
VALUE is read as JSON when it parses (true, 42), else as text.`;

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(settings: Settings): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k.padEnd(16)} ${JSON.stringify(v)}`)
    .join('\n');
}

/** Goes through the same router as the UI, so the CLI gets the same validation and messages. */
export async function settingsCommand(
  positionals: string[],
  values: { json?: boolean; 'data-dir'?: string },
  io: CliIo,
): Promise<number> {
  const [verb = 'get', key, value, ...rest] = positionals;
  if (verb !== 'get' && verb !== 'set')
    throw new UsageError(`Unknown settings command "${verb}". Use get or set.`);
  if (verb === 'set' && (key === undefined || value === undefined || rest.length > 0)) {
    throw new UsageError('Usage: nocturne settings set KEY VALUE');
  }
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env, platform: process.platform });
  const core = createCore({ dataDir, mode: 'headless' });
  try {
    const result =
      verb === 'get'
        ? await core.router.call('settings:get', {})
        : await core.router.call('settings:update', { [key!]: parseValue(value!) });
    const settings = unwrap(result) as Settings;
    printData(io, values.json === true, settings, () => describe(settings));
    return 0;
  } finally {
    core.close();
  }
}
