import { Menu, Tray, nativeImage } from 'electron';
import type { AppStatus } from '../../shared/schemas/app-status';

export interface TrayActions {
  open(): void;
  pause(): void;
  resume(): void;
  quit(): void;
}

/** The tray is how a gamer lives with Nocturne: status line, Open, Pause/Resume, Quit. */
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
        status.state === 'paused'
          ? { label: 'Resume', click: () => actions.resume() }
          : { label: 'Pause', click: () => actions.pause() },
        { type: 'separator' },
        { label: 'Quit Nocturne', click: () => actions.quit() },
      ]),
    );
  };

  return { render, destroy: () => tray.destroy() };
}
