import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../core/event-bus';

/**
 * Pushes every contract event to each connected browser as `{ event, payload }`. Authentication
 * happens before `accept` is called; this module only fans out and keeps connections alive.
 */
export function createEventSocket(bus: EventBus) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

  const unsubscribe = bus.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message);
  });

  // Browsers that vanish without a close frame (sleep, killed tab) are dropped after a missed ping.
  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (alive.get(client) === false) {
        client.terminate();
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, 30_000);
  heartbeat.unref();

  return {
    accept(request: IncomingMessage, socket: Duplex, head: Buffer) {
      wss.handleUpgrade(request, socket, head, (client) => {
        alive.set(client, true);
        client.on('pong', () => alive.set(client, true));
        // The UI only listens; anything it sends is ignored rather than parsed.
        client.on('message', () => {});
        wss.emit('connection', client, request);
      });
    },
    close() {
      unsubscribe();
      clearInterval(heartbeat);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
