import { channels } from '../../shared/contract';
import type { Envelope } from '../../shared/envelope';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Router } from '../core/router';

/** The part of Electron's IpcMainInvokeEvent we rely on; keeps this module free of `electron`. */
export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

/** The part of Electron's `ipcMain` we use, injected so the bridge is tested without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  send(channel: string, payload: unknown): void;
}

/**
 * Serves every contract entry over IPC. Each call is refused unless it comes from a window we
 * created showing our own page; the payload is then validated by the router like any other.
 */
export function registerIpc(deps: {
  ipcMain: IpcMainLike;
  router: Router;
  /** Whether this sender may call this channel (the benchmark window may only report its result). */
  isTrustedSender: (event: IpcEventLike, channel: string) => boolean;
  logger: Logger;
}): () => void {
  for (const channel of channels) {
    deps.ipcMain.handle(channel, async (event, payload): Promise<Envelope<unknown>> => {
      if (!deps.isTrustedSender(event, channel)) {
        deps.logger.warn(
          `Refused ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`,
        );
        return { ok: false, error: { code: 'unauthorized', message: 'This window may not call Nocturne.' } };
      }
      return deps.router.call(channel, payload);
    });
  }
  return () => {
    for (const channel of channels) deps.ipcMain.removeHandler(channel);
  };
}

/** Pushes contract events to every open window; a window that is gone is skipped by the caller's list. */
export function forwardEvents(bus: EventBus, targets: () => EventTarget[]): () => void {
  return bus.subscribe((event, payload) => {
    for (const target of targets()) target.send(event, payload);
  });
}
