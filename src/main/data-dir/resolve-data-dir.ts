import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface DataDirInputs {
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home?: string;
  cwd?: string;
}

/**
 * `--data-dir`, else NOCTURNE_HOME, else the folder Electron would call appData/Nocturne, so the
 * desktop app and `nocturne serve` share one data directory by default.
 */
export function resolveDataDir({
  flag,
  env,
  platform,
  home = homedir(),
  cwd = process.cwd(),
}: DataDirInputs): string {
  const chosen = flag?.trim() || env.NOCTURNE_HOME?.trim();
  if (chosen) return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
  switch (platform) {
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Nocturne');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Nocturne');
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Nocturne');
  }
}

/** Where each thing lives inside the data directory; the only place that knows these names. */
export function dataPaths(dataDir: string) {
  return {
    database: join(dataDir, 'nocturne.sqlite'),
    lock: join(dataDir, 'nocturne.lock'),
    log: join(dataDir, 'logs', 'nocturne.log'),
    electronProfile: join(dataDir, 'electron'),
  };
}
