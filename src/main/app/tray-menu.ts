import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { PauseFor } from '../../shared/schemas/availability';
import type { TrayView } from '../tray/tray-view';

export interface TrayActions {
  open(): void;
  pause(duration: PauseFor): void;
  resume(): void;
  /** Present once an update is downloaded: restart into it. */
  installUpdate?(): void;
  quit(): void;
}

/**
 * The tray is how a gamer lives with Nocturne: an icon per state (resources/tray/<state>.png), the status
 * line and today's earnings, Pause 1 h / until tomorrow, Resume, Open, Quit. It draws what the tray feed
 * (src/main/tray) decides.
 */
export function createTray(iconDir: string, actions: TrayActions) {
  const icon = (state: TrayView['state']) => nativeImage.createFromPath(join(iconDir, `${state}.png`));
  const tray = new Tray(icon('offline'));
  tray.on('click', () => actions.open());
  let updateReady = false;
  let last: TrayView | null = null;

  const render = (view: TrayView) => {
    last = view;
    tray.setImage(icon(view.state));
    tray.setToolTip(view.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: view.statusLine, enabled: false },
        { label: view.earningsLine, enabled: false },
        { type: 'separator' },
        { label: 'Open Nocturne', click: () => actions.open() },
        { label: 'Pause for 1 hour', enabled: view.canPause, click: () => actions.pause('hour') },
        { label: 'Pause until tomorrow', enabled: view.canPause, click: () => actions.pause('tomorrow') },
        { label: 'Resume', enabled: view.canResume, click: () => actions.resume() },
        { type: 'separator' },
        ...(updateReady && actions.installUpdate
          ? [{ label: 'Restart to update', click: () => actions.installUpdate?.() }]
          : []),
        { label: 'Quit Nocturne', click: () => actions.quit() },
      ]),
    );
  };

  return {
    render,
    updateReady() {
      updateReady = true;
      if (last) render(last);
    },
    destroy: () => tray.destroy(),
  };
}
