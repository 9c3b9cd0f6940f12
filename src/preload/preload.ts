import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { listenerName, methodName } from '../shared/api';
import { channels, eventNames } from '../shared/channel-names';

/**
 * Exposes exactly the contract: one method per `domain:verb` and one listener per event, each bound to
 * its own channel. There is no generic invoke, so the page can reach nothing the contract does not name,
 * and the raw `ipcRenderer` never crosses into the page.
 */
const bridge: Record<string, unknown> = {};

for (const channel of channels) {
  bridge[methodName(channel)] = (request: unknown) => ipcRenderer.invoke(channel, request);
}

for (const event of eventNames) {
  bridge[listenerName(event)] = (listener: (payload: unknown) => void) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  };
}

contextBridge.exposeInMainWorld('nocturneBridge', Object.freeze(bridge));
