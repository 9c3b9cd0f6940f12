import { Menu, Tray, nativeImage } from 'electron';
import type { AppStatus } from '../../shared/schemas/app-status';
import type { PauseFor } from '../../shared/schemas/availability';

export interface TrayActions {
  open(): void;
  pause(duration: PauseFor): void;
  resume(): void;
  quit(): void;
}

/** The tray is how a gamer lives with Nocturne: status line, Open, Pause 1 h / until tomorrow, Resume, Quit. */
export function createTray(iconPath: string, actions: TrayActions) {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  tray.on('click', () => actions.open());

  const render = (status: AppStatus) => {
    tray.setToolTip(`Nocturne: ${status.sentence}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: status.sentence, enabled: false },
        { type: 'separator' },
        { label: 'Open Nocturne', click: () => actions.open() },
        { label: 'Pause for 1 hour', click: () => actions.pause('hour') },
        { label: 'Pause until tomorrow', click: () => actions.pause('tomorrow') },
        { label: 'Resume', enabled: status.state === 'paused', click: () => actions.resume() },
        { type: 'separator' },
        { label: 'Quit Nocturne', click: () => actions.quit() },
      ]),
    );
  };

  return { render, destroy: () => tray.destroy() };
}
