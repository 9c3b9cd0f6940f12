import { describe, expect, it } from 'vitest';
import { channels } from '../../../src/shared/contract';
import { DEFAULT_SETTINGS } from '../../../src/shared/schemas/settings';
import { createEventBus } from '../../../src/main/core/event-bus';
import type { Router } from '../../../src/main/core/router';
import {
  forwardEvents,
  registerIpc,
  type IpcEventLike,
  type IpcMainLike,
} from '../../../src/main/ipc/ipc-bridge';
import { createMemoryLogger } from '../../fakes/memory-logger';

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

const ownPage: IpcEventLike = {
  sender: { id: 1 },
  senderFrame: { url: 'file:///app/out/renderer/index.html' },
};
const strangerPage: IpcEventLike = { sender: { id: 2 }, senderFrame: { url: 'https://evil.example/' } };

describe('IPC bridge', () => {
  it('registers exactly one handler per contract entry and removes them all', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const router: Router = { call: async () => ({ ok: true, data: null }) };
    const dispose = registerIpc({
      ipcMain,
      router,
      isTrustedSender: () => true,
      logger: createMemoryLogger(),
    });
    expect([...handlers.keys()].sort()).toEqual([...channels].sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('refuses a call from a sender that is not our window, before the router sees it', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const seen: string[] = [];
    const router: Router = {
      call: async (channel) => {
        seen.push(channel);
        return { ok: true, data: 'ran' };
      },
    };
    const logger = createMemoryLogger();
    registerIpc({ ipcMain, router, isTrustedSender: (e) => e.sender.id === 1, logger });

    expect(await handlers.get('settings:update')!(strangerPage, { deviceName: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(seen).toEqual([]);
    expect(logger.lines[0]?.message).toContain('https://evil.example/');

    expect(await handlers.get('settings:update')!(ownPage, { deviceName: 'x' })).toEqual({
      ok: true,
      data: 'ran',
    });
    expect(seen).toEqual(['settings:update']);
  });

  it('forwards events to every current window on the event channel', () => {
    const bus = createEventBus();
    const sent: [string, unknown][] = [];
    let windows = [{ send: (c: string, p: unknown) => sent.push([c, p]) }];
    forwardEvents(bus, () => windows);
    bus.emit('settings:changed', { ...DEFAULT_SETTINGS, deviceName: 'a' });
    windows = [];
    bus.emit('settings:changed', { ...DEFAULT_SETTINGS, deviceName: 'b' });
    expect(sent).toHaveLength(1);
    expect(sent[0]![0]).toBe('settings:changed');
  });
});
