import { describe, expect, it } from 'vitest';
import { detectGames, type ProcessInfo } from '../../../src/main/availability/signals/detect-games';
import { GPU_APPS, KNOWN_GAMES } from '../../../src/main/availability/signals/known-games';

/** A process; args default to the name alone. */
const p = (pid: number, ppid: number, name: string, args: string[] = [name]): ProcessInfo => ({
  pid,
  ppid,
  name,
  args,
});

const linuxDesktop: ProcessInfo[] = [
  p(1, 0, 'systemd', ['/sbin/init']),
  p(900, 1, 'gnome-shell', ['/usr/bin/gnome-shell']),
  p(1000, 900, 'steam', ['/home/u/.local/share/Steam/ubuntu12_32/steam', '-srt-logger-opened']),
  p(1001, 1000, 'steamwebhelper', ['./steamwebhelper', '-lang=en_US']),
  p(1002, 1001, 'steamwebhelper', ['./steamwebhelper', '--type=zygote']),
  p(1003, 1000, 'pressure-vessel', ['/home/u/.local/share/Steam/ubuntu12_64/steam-runtime-sniper/pv-adverb']),
];

const linux = { platform: 'linux' };
const windows = { platform: 'win32' };

describe('detectGames', () => {
  it('finds nothing on a desktop where Steam only sits in the tray', () => {
    expect(detectGames(linuxDesktop, [], linux)).toEqual([]);
  });

  it('names a Steam game on Linux by the AppId of its reaper', () => {
    const list = [
      ...linuxDesktop,
      p(2000, 1000, 'reaper', [
        '/home/u/.local/share/Steam/ubuntu12_32/reaper',
        'SteamLaunch',
        'AppId=1245620',
        '--',
        '/home/u/.local/share/Steam/ubuntu12_32/steam-launch-wrapper',
        '--',
        '/games/SomeIndie/run.sh',
      ]),
      p(2001, 2000, 'steam-launch-wr', ['/home/u/.local/share/Steam/ubuntu12_32/steam-launch-wrapper']),
      p(2002, 2001, 'SomeIndie', ['/games/SomeIndie/SomeIndie']),
    ];
    expect(detectGames(list, [], linux)).toEqual(['Steam game (AppId 1245620)']);
  });

  it('names a Proton game by its known name rather than by its AppId', () => {
    const list = [
      ...linuxDesktop,
      p(2000, 1000, 'reaper', [
        '/x/reaper',
        'SteamLaunch',
        'AppId=1245620',
        '--',
        '/x/proton',
        'waitforexitandrun',
      ]),
      p(2001, 2000, 'python3', [
        'python3',
        '/x/Proton 9.0/proton',
        'waitforexitandrun',
        '/games/ELDEN RING/Game/start_protected_game.exe',
      ]),
      p(2002, 2001, 'wineserver', ['/x/files/bin/wineserver']),
      p(2003, 2001, 'steam.exe', [
        'c:\\windows\\system32\\steam.exe',
        'Z:\\games\\ELDEN RING\\Game\\eldenring.exe',
      ]),
      p(2004, 2003, 'eldenring.exe', ['Z:\\games\\ELDEN RING\\Game\\eldenring.exe']),
      p(2005, 1, 'services.exe', ['C:\\windows\\system32\\services.exe']),
      p(2006, 2005, 'winedevice.exe', ['C:\\windows\\system32\\winedevice.exe']),
    ];
    expect(detectGames(list, [], linux)).toEqual(['Elden Ring']);
  });

  it('finds an unknown Windows game under Wine/Proton outside Steam, and not Wine’s own processes', () => {
    const list = [
      p(1, 0, 'systemd'),
      p(3000, 1, 'wineserver', ['/usr/bin/wineserver']),
      p(3001, 1, 'services.exe', ['C:\\windows\\system32\\services.exe']),
      p(3002, 3001, 'winedevice.exe', ['C:\\windows\\system32\\winedevice.exe']),
      p(3003, 1, 'explorer.exe', ['C:\\windows\\system32\\explorer.exe', '/desktop']),
      p(3004, 1, 'start.exe', ['C:\\windows\\system32\\start.exe', '/unix', '/games/indie/Hades.exe']),
      p(3005, 3004, 'Hades.exe', ['Z:\\games\\indie\\Hades.exe']),
      p(3006, 3005, 'UnityCrashHand', ['Z:\\games\\indie\\UnityCrashHandler64.exe']),
    ];
    expect(detectGames(list, [], linux)).toEqual(['Hades.exe (Wine/Proton)']);
  });

  it('undoes the 15-character cut of a Linux name from argv[0], and matches a cut known name', () => {
    const list = [
      p(10, 1, 'VeryLongGameNam', ['C:\\Games\\VeryLongGameName.exe']),
      p(11, 1, 'FortniteClient-', []), // no argv to read: only the cut name
    ];
    expect(detectGames(list, [], linux)).toEqual(['Fortnite', 'VeryLongGameName.exe (Wine/Proton)']);
  });

  it('finds a Windows game as a child of steam.exe, skipping Steam’s helpers and console hosts', () => {
    const list = [
      p(4, 0, 'System', []),
      p(500, 4, 'explorer.exe', []),
      p(600, 500, 'steam.exe', []),
      p(601, 600, 'steamwebhelper.exe', []),
      p(602, 601, 'steamwebhelper.exe', []),
      p(603, 600, 'steamservice.exe', []),
      p(604, 600, 'cmd.exe', []),
      p(605, 604, 'conhost.exe', []),
      p(606, 604, 'IndieGame.exe', []),
      p(607, 606, 'UnityCrashHandler64.exe', []),
      p(700, 500, 'svchost.exe', []),
      p(701, 500, 'notepad.exe', []),
    ];
    expect(detectGames(list, [], windows)).toEqual(['IndieGame.exe (from Steam)']);
  });

  it('treats launchers on their own as no game at all', () => {
    const windowsTray = [
      p(500, 4, 'explorer.exe', []),
      p(600, 500, 'steam.exe', []),
      p(601, 600, 'steamwebhelper.exe', []),
      p(610, 500, 'EpicGamesLauncher.exe', []),
      p(611, 610, 'EpicWebHelper.exe', []),
      p(612, 610, 'UnrealCEFSubProcess.exe', []),
      p(620, 500, 'Battle.net.exe', []),
      p(621, 620, 'Battle.net Helper.exe', []),
      p(622, 1, 'Agent.exe', []),
      p(630, 500, 'GalaxyClient.exe', []),
      p(631, 630, 'GalaxyClient Helper.exe', []),
      p(632, 630, 'GalaxyCommunication.exe', []),
      p(640, 500, 'EADesktop.exe', []),
      p(641, 640, 'EABackgroundService.exe', []),
      p(642, 640, 'EACefSubProcess.exe', []),
      p(650, 500, 'UbisoftConnect.exe', []),
      p(651, 650, 'UplayWebCore.exe', []),
      p(660, 500, 'RiotClientServices.exe', []),
      p(661, 660, 'RiotClientUx.exe', []),
      p(662, 661, 'RiotClientUxRender.exe', []),
      p(663, 660, 'RiotClientCrashHandler.exe', []),
    ];
    expect(detectGames(windowsTray, [], windows)).toEqual([]);
    const linuxTray = [
      ...linuxDesktop,
      p(1100, 900, 'lutris', ['/usr/bin/python3', '/usr/bin/lutris']),
      p(1200, 900, 'heroic', ['/opt/Heroic/heroic']),
      p(1201, 1200, 'heroic', ['/opt/Heroic/heroic', '--type=gpu-process']),
      // Heroic's Epic launcher run under Wine is a launcher too, not a Windows game.
      p(1300, 1, 'EpicGamesLaunch', ['C:\\Program Files\\Epic Games\\Launcher\\EpicGamesLauncher.exe']),
      p(1301, 1300, 'EpicWebHelper.e', ['C:\\Program Files\\Epic Games\\Launcher\\EpicWebHelper.exe']),
    ];
    expect(detectGames(linuxTray, [], linux)).toEqual([]);
  });

  it('names a game a launcher started through its game stub, and prefers the known name once it runs', () => {
    const list = [
      p(500, 4, 'explorer.exe', []),
      p(660, 500, 'RiotClientServices.exe', []),
      p(661, 660, 'VALORANT.exe', []),
    ];
    expect(detectGames(list, [], windows)).toEqual(['VALORANT.exe (from Riot Client)']);
    list.push(p(662, 661, 'VALORANT-Win64-Shipping.exe', []));
    expect(detectGames(list, [], windows)).toEqual(['VALORANT']);
  });

  it('matches the owner’s list with or without .exe, ahead of the built-in name', () => {
    const list = [
      p(10, 1, 'eldenring.exe', []),
      p(11, 1, 'myindie', ['/opt/myindie/myindie']),
      p(12, 1, 'Other.EXE', []),
    ];
    expect(detectGames(list, ['eldenring.exe', 'MyIndie.exe', ' other ', ''], windows)).toEqual([
      'eldenring.exe (your list)',
      'MyIndie.exe (your list)',
      'other (your list)',
    ]);
  });

  it('compares names without regard to case', () => {
    const list = [
      p(10, 1, 'CS2.EXE', []),
      p(11, 1, 'DOTA2', ['/games/dota 2 beta/game/bin/linuxsteamrt64/DOTA2']),
      p(12, 1, 'Blender', ['/opt/blender/Blender']),
    ];
    expect(detectGames(list, [], windows)).toEqual(['Blender', 'Counter-Strike 2', 'Dota 2']);
  });

  it('tells Minecraft from any other JVM by its arguments', () => {
    const jvm = p(10, 1, 'java', ['/usr/bin/java', '-jar', 'server-tools.jar']);
    expect(detectGames([jvm], [], linux)).toEqual([]);
    const minecraft = p(11, 1, 'java', [
      '/usr/lib/jvm/java-21/bin/java',
      '-Xmx4G',
      'net.minecraft.client.main.Main',
      '--version',
      '1.21',
    ]);
    expect(detectGames([jvm, minecraft], [], linux)).toEqual(['Minecraft']);
  });

  it('names a Lutris game by the wrapper’s title, and a Heroic game by its app name', () => {
    expect(
      detectGames(
        [
          p(10, 1, 'lutris-wrapper', ['lutris-wrapper: Portal 2']),
          p(11, 10, 'portal2_linux', ['./portal2_linux']),
        ],
        [],
        linux,
      ),
    ).toEqual(['Portal 2 (Lutris)']);
    expect(
      detectGames(
        [
          p(10, 1, 'python3', [
            '/usr/bin/python3',
            '-u',
            '/usr/share/lutris/bin/lutris-wrapper',
            'Celeste',
            '0',
            '0',
            '/games/celeste/Celeste',
          ]),
        ],
        [],
        linux,
      ),
    ).toEqual(['Celeste (Lutris)']);
    expect(
      detectGames(
        [p(20, 1, 'legendary', ['/opt/Heroic/legendary', 'launch', 'Sugar', '--wine', '/usr/bin/wine'])],
        [],
        linux,
      ),
    ).toEqual(['Sugar (Heroic)']);
  });

  it('does not call a Windows process a Wine game on Windows', () => {
    expect(detectGames([p(10, 1, 'RandomTool.exe', [])], [], windows)).toEqual([]);
  });

  it('de-duplicates and keeps one order whatever the input order', () => {
    const list = [
      p(10, 1, 'cs2.exe', []),
      p(11, 1, 'cs2.exe', []),
      p(12, 1, 'obs64.exe', []),
      p(13, 1, 'RocketLeague.exe', []),
    ];
    const once = detectGames(list, [], windows);
    expect(once).toEqual(['Counter-Strike 2', 'OBS Studio', 'Rocket League']);
    expect(detectGames([...list].reverse(), [], windows)).toEqual(once);
  });

  it('survives a parent loop and a missing parent', () => {
    const list = [p(10, 11, 'a.exe', []), p(11, 10, 'steam.exe', []), p(12, 999, 'cs2', [])];
    expect(detectGames(list, [], windows)).toEqual(['a.exe (from Steam)', 'Counter-Strike 2']);
  });

  it('has more than 30 games, each with a reason, and the creative apps', () => {
    expect(KNOWN_GAMES.length).toBeGreaterThan(30);
    for (const g of [...KNOWN_GAMES, ...GPU_APPS]) {
      expect(g.why.length).toBeGreaterThan(5);
      for (const exe of g.exe) expect(exe).toBe(exe.toLowerCase());
    }
    expect(GPU_APPS.map((a) => a.name)).toEqual(['Blender', 'DaVinci Resolve', 'OBS Studio']);
  });
});
