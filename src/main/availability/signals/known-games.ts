/**
 * What Nocturne recognises in the process list as "the owner is playing" (or is busy on the GPU).
 *
 * A launcher sitting in the tray is NOT a game: Steam, Epic, Battle.net and friends run all day.
 * What counts is a game they launched, found three ways (see detect-games.ts):
 *   1. a well-known game executable (this file's KNOWN_GAMES), or one on the owner's own list;
 *   2. a launcher's game marker: Steam on Linux runs every game under `reaper SteamLaunch AppId=N`,
 *      Lutris under `lutris-wrapper <title>`, Heroic through `legendary|gogdl|nile launch <app>`;
 *   3. a game process by ancestry: a descendant of a Windows launcher (steam.exe, EpicGamesLauncher.exe,
 *      ...) that is not one of the launcher's own helpers, and on Linux/macOS any `*.exe` process, which
 *      can only be a Windows program under Wine/Proton, unless it is Wine's own plumbing.
 * Names are compared in lower case. Entries keep `.exe` for Windows and bare names for Linux/macOS
 * binaries; the owner's list matches with or without `.exe`.
 */

export interface KnownProgram {
  /** The name the owner knows it by, shown in the availability reasons. */
  name: string;
  /** Executable names, Windows `.exe` and Linux/macOS binaries, compared case-insensitively. */
  exe: readonly string[];
  /** Only a match when the command line also holds this text (a JVM is not always Minecraft). */
  argsInclude?: string;
  why: string;
}

export interface Launcher {
  name: string;
  /** The launcher's own processes: the client, its tray agent, its web helpers. Never a game. */
  processes: readonly string[];
  /** Windows executables whose non-helper descendants are games the launcher started. */
  gameParents: readonly string[];
  why: string;
}

export const LAUNCHERS: readonly Launcher[] = [
  {
    name: 'Steam',
    processes: [
      'steam',
      'steam.exe',
      'steam_osx',
      'steamwebhelper',
      'steamwebhelper.exe',
      'steamservice.exe',
      'steamerrorreporter.exe',
      'steamerrorreporter64.exe',
      'gameoverlayui.exe',
      'gameoverlayui64.exe',
      'streaming_client.exe',
      'steamsysinfo.exe',
      'x64launcher.exe',
    ],
    // On Windows every Steam game is a child of steam.exe; under Proton, Proton's own steam.exe stub
    // (inside the Wine prefix) is the parent of the game's .exe, so the same rule holds on Linux.
    gameParents: ['steam.exe'],
    why: 'The most used PC store. On Linux, games run under `reaper SteamLaunch AppId=N` instead.',
  },
  {
    name: 'Epic Games',
    processes: [
      'epicgameslauncher.exe',
      'epicgameslauncher',
      'epicwebhelper.exe',
      'epiconlineserviceshost.exe',
      'epiconlineservicesuserhelper.exe',
      'unrealcefsubprocess.exe',
      'crashreportclient.exe',
    ],
    gameParents: ['epicgameslauncher.exe'],
    why: 'Fortnite and the weekly free games; games are children of EpicGamesLauncher.exe.',
  },
  {
    name: 'Battle.net',
    processes: ['battle.net.exe', 'battle.net helper.exe', 'agent.exe', 'blizzarderror.exe', 'battle.net'],
    gameParents: ['battle.net.exe'],
    why: 'Blizzard and Activision titles (Overwatch, Diablo, WoW, Call of Duty).',
  },
  {
    name: 'GOG Galaxy',
    processes: [
      'galaxyclient.exe',
      'galaxyclient helper.exe',
      'galaxyclientservice.exe',
      'galaxycommunication.exe',
      'gog galaxy notifications renderer.exe',
      'galaxyclient',
    ],
    gameParents: ['galaxyclient.exe'],
    why: 'GOG games started from Galaxy are its children.',
  },
  {
    name: 'EA app',
    processes: [
      'eadesktop.exe',
      'eabackgroundservice.exe',
      'ealocalhostsvc.exe',
      'eacefsubprocess.exe',
      'eacrashreporter.exe',
      'eaconnect_microsoft.exe',
      'origin.exe',
      'originwebhelperservice.exe',
      'igo64.exe',
      'igoproxy64.exe',
      'igoproxy32.exe',
    ],
    gameParents: ['eadesktop.exe', 'ealaunchhelper.exe', 'origin.exe'],
    why: 'EA titles (Battlefield, Apex via EA, The Sims); EALaunchHelper.exe starts some of them.',
  },
  {
    name: 'Ubisoft Connect',
    processes: [
      'ubisoftconnect.exe',
      'upc.exe',
      'uplaywebcore.exe',
      'uplayservice.exe',
      'uplaycrashreporter.exe',
      'ubisoftgamelauncher.exe',
      'ubisoftgamelauncher64.exe',
    ],
    gameParents: ['ubisoftconnect.exe', 'upc.exe', 'ubisoftgamelauncher.exe', 'ubisoftgamelauncher64.exe'],
    why: 'Ubisoft titles; UbisoftGameLauncher is the stub that starts a game, not the game.',
  },
  {
    name: 'Riot Client',
    processes: [
      'riotclientservices.exe',
      'riotclientux.exe',
      'riotclientuxrender.exe',
      'riotclientcrashhandler.exe',
      'riot client.exe',
      'leagueclient.exe',
      'leagueclientux.exe',
      'leagueclientuxrender.exe',
    ],
    // LeagueClient is League's lobby (a web UI); the match itself is "League of Legends.exe".
    gameParents: ['riotclientservices.exe', 'leagueclient.exe'],
    why: 'League of Legends and VALORANT; the client and lobby idle in the tray for hours.',
  },
  {
    name: 'Lutris',
    processes: ['lutris'],
    gameParents: [],
    why: 'Linux game manager; its games run under `lutris-wrapper <title>` (a marker, see detect-games).',
  },
  {
    name: 'Heroic',
    processes: ['heroic', 'heroic.exe'],
    gameParents: [],
    why: 'Epic/GOG/Amazon on Linux; games are started through `legendary|gogdl|nile launch <app>`.',
  },
  {
    name: 'Xbox app',
    processes: ['xboxpcapp.exe', 'gamingservices.exe', 'gamingservicesnet.exe'],
    gameParents: [],
    why: 'Game Pass games are sandboxed UWP/MSIX processes with no launcher parent: only the built-in list finds them.',
  },
];

/**
 * Processes that run beside or under a launcher and are not games: web and crash helpers, overlays,
 * installers. Matched on the lower-cased name, for descendants of a launcher and for Wine `.exe`s.
 */
export const HELPER_PATTERN =
  /crash|reporter|webhelper|cefsubprocess|overlay|updater|update\.exe|setup|install|redist|unins\d*|dxsetup|helper|service|launcherpatcher|socialclub|easyanticheat|beservice|battleye|unitycrashhandler/;

/**
 * Wine's own plumbing, running in every prefix beside the game (and Proton's accessibility helper).
 * On Linux/macOS any other `.exe` is a Windows program the owner started.
 */
export const WINE_SYSTEM_PROCESSES: readonly string[] = [
  'services.exe',
  'winedevice.exe',
  'plugplay.exe',
  'svchost.exe',
  'explorer.exe',
  'rpcss.exe',
  'conhost.exe',
  'start.exe',
  'winemenubuilder.exe',
  'wineboot.exe',
  'winecfg.exe',
  'wineconsole.exe',
  'tabtip.exe',
  'rundll32.exe',
  'cmd.exe',
  'xalia.exe',
  'mscorsvw.exe',
  'msiexec.exe',
  'iexplore.exe',
  'regedit.exe',
  'reg.exe',
  'regsvr32.exe',
  'notepad.exe',
  'control.exe',
  'taskmgr.exe',
  'dllhost.exe',
  'ngen.exe',
  'uninstaller.exe',
  'winebrowser.exe',
];

/** Popular games by their executable, with why each is worth a line. */
export const KNOWN_GAMES: readonly KnownProgram[] = [
  {
    name: 'Counter-Strike 2',
    exe: ['cs2.exe', 'cs2'],
    why: "Steam's most played game; native Linux build is `cs2`.",
  },
  { name: 'Dota 2', exe: ['dota2.exe', 'dota2'], why: 'Top-10 on Steam for a decade; native Linux build.' },
  {
    name: 'Team Fortress 2',
    exe: ['tf_win64.exe', 'tf_linux64'],
    why: 'Still a top Steam title; 64-bit builds since 2024 (not tf.exe: that is also the TFVC command line).',
  },
  {
    name: 'Source engine game',
    exe: ['hl2.exe', 'hl2_linux'],
    why: 'Older Source games (Half-Life 2, Garry’s Mod 32-bit, Portal) share this launcher binary.',
  },
  {
    name: 'Fortnite',
    exe: ['fortniteclient-win64-shipping.exe', 'fortniteclient-win64-shipping_eac_eos.exe'],
    why: 'The Epic launcher’s main game; the Shipping binary is the match, the launcher stub is not.',
  },
  {
    name: 'VALORANT',
    exe: ['valorant-win64-shipping.exe'],
    why: "Riot's shooter; VALORANT.exe is only its bootstrap, the Shipping binary renders.",
  },
  {
    name: 'League of Legends',
    exe: ['league of legends.exe'],
    why: 'The match process; LeagueClient.exe (lobby) is a launcher, not listed here.',
  },
  { name: 'Elden Ring', exe: ['eldenring.exe'], why: 'Best-selling FromSoftware title, GPU-heavy.' },
  { name: 'Cyberpunk 2077', exe: ['cyberpunk2077.exe'], why: 'A standard GPU benchmark game.' },
  {
    name: 'Grand Theft Auto V',
    exe: ['gta5.exe', 'gta5_enhanced.exe', 'playgtav.exe'],
    why: 'Perennial top seller; PlayGTAV.exe is its Steam bootstrap, the Enhanced edition has its own binary.',
  },
  { name: 'Red Dead Redemption 2', exe: ['rdr2.exe'], why: 'GPU-heavy Rockstar title.' },
  { name: "Baldur's Gate 3", exe: ['bg3.exe', 'bg3_dx11.exe'], why: 'Vulkan and DX11 builds.' },
  {
    name: 'Apex Legends',
    exe: ['r5apex.exe', 'r5apex_dx12.exe'],
    why: 'Top free-to-play shooter on Steam and EA; DX12 build since 2024.',
  },
  { name: 'Overwatch 2', exe: ['overwatch.exe'], why: 'Battle.net and Steam.' },
  {
    name: 'Rocket League',
    exe: ['rocketleague.exe'],
    why: 'Epic free-to-play; still on many Steam libraries.',
  },
  {
    name: 'Minecraft',
    exe: ['java', 'javaw', 'java.exe', 'javaw.exe'],
    argsInclude: 'net.minecraft',
    why: 'Java edition runs in a plain JVM: only the main class in its arguments tells it apart.',
  },
  { name: 'Minecraft (Bedrock)', exe: ['minecraft.windows.exe'], why: 'The Microsoft Store edition.' },
  { name: 'PUBG: Battlegrounds', exe: ['tslgame.exe'], why: 'Top-5 on Steam by players.' },
  { name: 'Destiny 2', exe: ['destiny2.exe'], why: 'Popular Steam shooter.' },
  {
    name: 'Call of Duty',
    exe: ['cod.exe', 'modernwarfare.exe', 'blackops6.exe'],
    why: 'The COD HQ binary (cod.exe) plus standalone MW2019/Warzone and BO6 builds.',
  },
  {
    name: 'Rainbow Six Siege',
    exe: ['rainbowsix.exe', 'rainbowsix_vulkan.exe', 'rainbowsix_be.exe'],
    why: 'Ubisoft shooter; DX11, Vulkan and BattlEye builds.',
  },
  { name: 'Rust', exe: ['rustclient.exe'], why: 'Top-10 on Steam.' },
  { name: 'HELLDIVERS 2', exe: ['helldivers2.exe'], why: 'Large Steam hit of 2024.' },
  { name: 'Palworld', exe: ['palworld-win64-shipping.exe'], why: 'Large Steam hit of 2024.' },
  { name: 'Black Myth: Wukong', exe: ['b1-win64-shipping.exe'], why: 'UE5 title, very GPU-heavy.' },
  { name: 'Starfield', exe: ['starfield.exe'], why: 'GPU-heavy Bethesda title.' },
  { name: 'Fallout 4', exe: ['fallout4.exe'], why: 'Bethesda; Fallout4Launcher.exe starts it.' },
  { name: 'Skyrim Special Edition', exe: ['skyrimse.exe'], why: 'Bethesda; heavily modded, GPU-heavy.' },
  { name: 'Hogwarts Legacy', exe: ['hogwartslegacy.exe'], why: 'GPU-heavy UE4 title.' },
  { name: 'The Witcher 3', exe: ['witcher3.exe'], why: 'Next-gen update is GPU-heavy.' },
  { name: 'Diablo IV', exe: ['diablo iv.exe'], why: 'Battle.net and Steam.' },
  {
    name: 'World of Warcraft',
    exe: ['wow.exe', 'wowclassic.exe', 'world of warcraft'],
    why: 'Battle.net; retail and Classic have separate binaries (the macOS app is named in full).',
  },
  {
    name: 'Genshin Impact',
    exe: ['genshinimpact.exe', 'yuanshen.exe'],
    why: 'Huge free-to-play title; the Chinese build is YuanShen.exe.',
  },
  { name: 'Monster Hunter Wilds', exe: ['monsterhunterwilds.exe'], why: 'GPU-heavy 2025 Steam hit.' },
  { name: 'Monster Hunter: World', exe: ['monsterhunterworld.exe'], why: 'Long-running Steam top title.' },
  {
    name: 'Path of Exile',
    exe: ['pathofexile.exe', 'pathofexile_x64.exe', 'pathofexilesteam.exe', 'pathofexile_x64steam.exe'],
    why: 'Standalone and Steam builds (Path of Exile 2 uses the same names).',
  },
  { name: 'Escape from Tarkov', exe: ['escapefromtarkov.exe'], why: 'Popular, GPU-heavy Unity shooter.' },
  { name: 'Warframe', exe: ['warframe.x64.exe'], why: 'Long-running Steam top title.' },
  {
    name: 'Dead by Daylight',
    exe: ['deadbydaylight-win64-shipping.exe'],
    why: 'Long-running Steam top title.',
  },
  { name: 'Sea of Thieves', exe: ['sotgame.exe'], why: 'Steam and Xbox.' },
  { name: 'Forza Horizon 5', exe: ['forzahorizon5.exe'], why: 'GPU-heavy; Steam and Xbox.' },
  { name: 'StarCraft II', exe: ['sc2_x64.exe', 'sc2.exe'], why: 'Battle.net.' },
  {
    name: 'Hearthstone',
    exe: ['hearthstone.exe'],
    why: 'Battle.net; light, but the owner is at the machine.',
  },
  {
    name: 'Roblox',
    exe: ['robloxplayerbeta.exe'],
    why: 'The Roblox player (the launcher is RobloxPlayerLauncher.exe).',
  },
  { name: 'Age of Empires II: DE', exe: ['aoe2de_s.exe'], why: 'Steam top strategy title.' },
  {
    name: 'Civilization VI',
    exe: ['civilizationvi.exe', 'civilizationvi_dx12.exe'],
    why: 'Steam top strategy title.',
  },
  { name: 'Euro Truck Simulator 2', exe: ['eurotrucks2.exe', 'eurotrucks2'], why: 'Native Linux build too.' },
  { name: 'Factorio', exe: ['factorio.exe', 'factorio'], why: 'Native Linux build.' },
  { name: 'Terraria', exe: ['terraria.exe'], why: 'Steam evergreen.' },
  {
    name: 'Stardew Valley',
    exe: ['stardew valley.exe', 'stardewvalley'],
    why: 'Steam evergreen; native Linux build.',
  },
  { name: 'Valheim', exe: ['valheim.exe', 'valheim.x86_64'], why: 'Native Linux build is valheim.x86_64.' },
  {
    name: 'Satisfactory',
    exe: ['factorygame-win64-shipping.exe', 'factorygamesteam-win64-shipping.exe'],
    why: 'UE5, GPU-heavy; Epic and Steam builds.',
  },
  { name: "No Man's Sky", exe: ['nms.exe'], why: 'GPU-heavy Steam title.' },
];

/**
 * GPU-heavy creative programs the owner would not want to share a GPU with. Whether OBS is recording
 * cannot be told from outside, so it counts whenever it runs.
 */
export const GPU_APPS: readonly KnownProgram[] = [
  { name: 'Blender', exe: ['blender', 'blender.exe'], why: 'Cycles/EEVEE render on the GPU.' },
  {
    name: 'DaVinci Resolve',
    exe: ['resolve', 'resolve.exe'],
    why: 'GPU-accelerated editing and grading; needs most of the VRAM.',
  },
  {
    name: 'OBS Studio',
    exe: ['obs64.exe', 'obs32.exe', 'obs'],
    why: 'GPU encoding while streaming or recording; NVENC sessions are limited.',
  },
];
