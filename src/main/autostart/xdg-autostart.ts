import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Linux desktops start programs listed in ~/.config/autostart (XDG Autostart spec); Electron's
 * setLoginItemSettings does nothing there, so we write the entry ourselves.
 */
export function xdgAutostartFile(configHome: string): string {
  return join(configHome, 'autostart', 'nocturne.desktop');
}

function quoteExec(arg: string): string {
  // The Desktop Entry spec quotes arguments with double quotes and escapes ", `, $ and \ inside them.
  return /[\s"`$\\]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg;
}

export function desktopEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Nocturne',
    'Comment=Rent out your idle GPU',
    `Exec=${command.map(quoteExec).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function setXdgAutostart(options: { enabled: boolean; configHome: string; command: string[] }): void {
  const file = xdgAutostartFile(options.configHome);
  if (!options.enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(join(options.configHome, 'autostart'), { recursive: true });
  writeFileSync(file, desktopEntry(options.command));
}
