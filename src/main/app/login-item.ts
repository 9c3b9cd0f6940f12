import { homedir } from 'node:os';
import { join } from 'node:path';
import { app } from 'electron';
import { setXdgAutostart } from '../autostart/xdg-autostart';

/** Started at login, Nocturne goes straight to the tray: the owner did not ask for a window. */
export const HIDDEN_FLAG = '--hidden';

export function applyStartOnLogin(enabled: boolean): void {
  if (process.platform === 'linux') {
    // Inside an AppImage, execPath points into a temporary mount; APPIMAGE is the file to launch.
    const executable = process.env.APPIMAGE ?? process.execPath;
    setXdgAutostart({
      enabled,
      configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'),
      command: [executable, HIDDEN_FLAG],
    });
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}
