import {
  GPU_APPS,
  HELPER_PATTERN,
  KNOWN_GAMES,
  LAUNCHERS,
  WINE_SYSTEM_PROCESSES,
  type KnownProgram,
} from './known-games';

/** One running process, as every lister reports it. */
export interface ProcessInfo {
  pid: number;
  /** -1 where the platform's lister cannot tell (Windows through tasklist). */
  ppid: number;
  /** The executable's name ("cs2", "eldenring.exe"); Linux's 15-character cut is undone where args allow. */
  name: string;
  /** The command line, argv[0] first; [] where unknown (kernel threads, Windows through tasklist). */
  args: string[];
}

export interface DetectOptions {
  /**
   * The platform the list came from. On Windows every process is an `.exe`, so "an `.exe` runs under
   * Wine" applies only elsewhere. Defaults to this machine's.
   */
  platform?: string;
}

/** The last path segment, for `/` and `\` alike (Wine's argv[0] is a Windows path). */
export const baseName = (path: string): string =>
  path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** Linux keeps 15 characters of a name (TASK_COMM_LEN 16, less the NUL). */
const COMM_CUT = 15;

const knownByExe = new Map<string, KnownProgram[]>();
for (const program of [...KNOWN_GAMES, ...GPU_APPS]) {
  for (const exe of program.exe) knownByExe.set(exe, [...(knownByExe.get(exe) ?? []), program]);
}
const allKnownExes = [...knownByExe.keys()];
const launcherProcesses = new Set(LAUNCHERS.flatMap((l) => l.processes));
const gameParents = new Map(LAUNCHERS.flatMap((l) => l.gameParents.map((p) => [p, l.name] as const)));
const wineSystem = new Set(WINE_SYSTEM_PROCESSES);

/** The names a process goes by, lower case: its name, and argv[0]'s base name where that differs. */
function namesOf(p: ProcessInfo): string[] {
  const names = [p.name.toLowerCase()];
  const first = p.args[0] ? baseName(p.args[0]).toLowerCase() : '';
  if (first && first !== names[0]) names.push(first);
  return names;
}

/** The name to show: argv[0]'s base name when it is the uncut form of `name`, else `name`. */
function displayName(p: ProcessInfo): string {
  const first = p.args[0] ? baseName(p.args[0]) : '';
  return first.length > p.name.length && first.toLowerCase().startsWith(p.name.toLowerCase())
    ? first
    : p.name;
}

/** `name` equals `key`, or is Linux's 15-character cut of it. */
const sameExe = (name: string, key: string) =>
  name === key || (name.length === COMM_CUT && key.length > COMM_CUT && key.startsWith(name));

function matchKnown(p: ProcessInfo, names: string[]): KnownProgram | null {
  for (const name of names) {
    const exes = name.length === COMM_CUT ? allKnownExes.filter((e) => sameExe(name, e)) : [name];
    for (const exe of exes) {
      for (const program of knownByExe.get(exe) ?? []) {
        if (!program.argsInclude) return program;
        const needle = program.argsInclude.toLowerCase();
        if (p.args.some((a) => a.toLowerCase().includes(needle))) return program;
      }
    }
  }
  return null;
}

interface OwnEntry {
  label: string;
  keys: string[];
}

/** The owner's entries: base name, compared with and without `.exe`. */
function ownEntries(ownGames: string[]): OwnEntry[] {
  const entries: OwnEntry[] = [];
  for (const raw of ownGames) {
    const label = raw.trim();
    const key = baseName(label).toLowerCase();
    if (!key) continue;
    const bare = key.endsWith('.exe') ? key.slice(0, -4) : key;
    entries.push({ label, keys: bare ? [bare, `${bare}.exe`] : [key] });
  }
  return entries;
}

/** A launcher, one of its helpers, or Wine's plumbing: present beside games, never a game. */
function isNotAGame(names: string[]): boolean {
  return names.some((n) => launcherProcesses.has(n) || wineSystem.has(n) || HELPER_PATTERN.test(n));
}

/** A launcher's marker on this process itself (the process whose subtree is the game), or null. */
function launchMarker(p: ProcessInfo, names: string[]): string | null {
  const args = p.args;
  if (names.includes('reaper') && args.includes('SteamLaunch')) {
    const id = args.map((a) => /^AppId=(\d+)$/i.exec(a)?.[1]).find(Boolean);
    return id ? `Steam game (AppId ${id})` : 'Steam game';
  }
  // lutris-wrapper retitles itself "lutris-wrapper: <title>" (setproctitle); without that module it is
  // `python3 .../lutris-wrapper <title> <counts> ... <command>`.
  const retitled = /^lutris-wrapper: (.+)$/.exec(args[0] ?? '');
  if (retitled) return `${retitled[1]!.trim()} (Lutris)`;
  const wrapperAt = args.findIndex((a) => baseName(a) === 'lutris-wrapper');
  if (wrapperAt >= 0) return args[wrapperAt + 1] ? `${args[wrapperAt + 1]} (Lutris)` : 'Lutris game';
  // Heroic's back ends (legendary for Epic, gogdl for GOG, nile for Amazon) wait on the game they launch.
  if (names.some((n) => n === 'legendary' || n === 'gogdl' || n === 'nile')) {
    const at = args.indexOf('launch');
    if (at >= 0) return args[at + 1] ? `${baseName(args[at + 1]!)} (Heroic)` : 'Heroic game';
  }
  return null;
}

/**
 * The games and GPU-heavy apps running, by the names the owner knows them: pure, over a process list.
 *
 * Each process tree yields one name. A known game or an entry of the owner's list names itself (the
 * owner's list first, so they see their entry work); otherwise the topmost launcher marker of the tree
 * ("Steam game (AppId 1245620)", "X.exe (from Epic Games)", "X.exe (Wine/Proton)") names it. A launcher
 * on its own, with only its helpers, yields nothing. The result is de-duplicated and sorted, so the same
 * set of programs always gives the same array.
 */
export function detectGames(
  processes: ProcessInfo[],
  ownGames: string[],
  options: DetectOptions = {},
): string[] {
  const platform = options.platform ?? process.platform;
  const own = ownEntries(ownGames);
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const parentOf = (p: ProcessInfo) => (p.ppid !== p.pid ? byPid.get(p.ppid) : undefined);
  const namesByPid = new Map(processes.map((p) => [p.pid, namesOf(p)]));
  const names = (p: ProcessInfo) => namesByPid.get(p.pid)!;

  // 1. Processes that name themselves.
  const direct = new Map<number, string>();
  for (const p of processes) {
    const n = names(p);
    const mine = own.find((e) => n.some((name) => e.keys.some((k) => sameExe(name, k))));
    if (mine) {
      direct.set(p.pid, `${mine.label} (your list)`);
      continue;
    }
    const known = matchKnown(p, n);
    if (known) direct.set(p.pid, known.name);
  }

  // 2. Launcher markers, and game processes found by their ancestry.
  const markers = new Map<number, string>();
  for (const p of processes) {
    const n = names(p);
    const marker = launchMarker(p, n);
    if (marker) {
      markers.set(p.pid, marker);
      continue;
    }
    if (isNotAGame(n)) continue;
    // A child of a launcher's game parent, perhaps through the launcher's own helpers.
    let steps = 0;
    for (let a = parentOf(p); a && steps < processes.length; a = parentOf(a), steps++) {
      const an = names(a);
      const launcher = an.map((x) => gameParents.get(x)).find(Boolean);
      if (launcher) {
        markers.set(p.pid, `${displayName(p)} (from ${launcher})`);
        break;
      }
      if (!isNotAGame(an)) break;
    }
    if (!markers.has(p.pid) && platform !== 'win32' && n.some((x) => x.endsWith('.exe'))) {
      markers.set(p.pid, `${displayName(p)} (Wine/Proton)`);
    }
  }

  // 3. One name per tree: a marker under another marker, or above a process that names itself, is dropped.
  const children = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    const parent = parentOf(p);
    if (!parent) continue;
    const siblings = children.get(parent.pid);
    if (siblings) siblings.push(p);
    else children.set(parent.pid, [p]);
  }
  const subtreeHasDirect = (root: ProcessInfo): boolean => {
    const seen = new Set<number>();
    const stack = [root];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p.pid)) continue;
      seen.add(p.pid);
      if (direct.has(p.pid)) return true;
      stack.push(...(children.get(p.pid) ?? []));
    }
    return false;
  };
  const hasMarkedAncestor = (p: ProcessInfo): boolean => {
    let steps = 0;
    for (let a = parentOf(p); a && a !== p && steps < processes.length; a = parentOf(a), steps++) {
      if (markers.has(a.pid)) return true;
    }
    return false;
  };

  const labels = new Set(direct.values());
  for (const [pid, marker] of markers) {
    const p = byPid.get(pid)!;
    if (!hasMarkedAncestor(p) && !subtreeHasDirect(p)) labels.add(marker);
  }
  return [...labels].sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}
