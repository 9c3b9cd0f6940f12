import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { desktopEntry, setXdgAutostart, xdgAutostartFile } from '../../../src/main/autostart/xdg-autostart';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

describe('XDG autostart', () => {
  it('writes a desktop entry that starts Nocturne hidden, and removes it when turned off', () => {
    const configHome = tempDir();
    setXdgAutostart({ enabled: true, configHome, command: ['/opt/Nocturne/nocturne', '--hidden'] });
    const text = readFileSync(xdgAutostartFile(configHome), 'utf8');
    expect(text).toContain('[Desktop Entry]');
    expect(text).toContain('Exec=/opt/Nocturne/nocturne --hidden');
    setXdgAutostart({ enabled: false, configHome, command: [] });
    expect(existsSync(xdgAutostartFile(configHome))).toBe(false);
    setXdgAutostart({ enabled: false, configHome, command: [] }); // turning off twice is fine
  });

  it('quotes paths with spaces and special characters as the spec asks', () => {
    expect(desktopEntry(['/home/ada/My Apps/Nocturne "beta".AppImage', '--hidden'])).toContain(
      'Exec="/home/ada/My Apps/Nocturne \\"beta\\".AppImage" --hidden',
    );
  });
});
