import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProtocolError, readMessage, writeMessage } from '../../../src/main/p2p/framing';
import { useNodes } from './p2p-helpers';

const Message = z.object({ n: z.number() });

describe('framing on a real stream', () => {
  const startNode = useNodes();

  async function pair(handler: Parameters<Awaited<ReturnType<typeof startNode>>['libp2p']['handle']>[1]) {
    const server = await startNode();
    const client = await startNode({ listen: [] });
    await server.libp2p.handle('/nocturne/test/1', handler);
    return client.libp2p.dialProtocol(server.multiaddrs()[0]!, '/nocturne/test/1');
  }

  it('reads several messages in turn, then reports the end at once, also when it arrived before the read', async () => {
    const stream = await pair(async (s) => {
      await writeMessage(s, { n: 1 });
      await writeMessage(s, { n: 2 });
      await s.close();
    });
    await stream.close();
    await new Promise((resolve) => setTimeout(resolve, 100)); // both messages and the close are in by now
    expect(await readMessage(stream, Message)).toEqual({ n: 1 });
    expect(await readMessage(stream, Message)).toEqual({ n: 2 });
    const started = Date.now();
    await expect(readMessage(stream, Message, { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'closed',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a message split across many writes is read whole', async () => {
    const stream = await pair(async (s) => {
      const body = new TextEncoder().encode(JSON.stringify({ n: 7, pad: 'x'.repeat(300_000) }));
      const frame = new Uint8Array([
        0x80 | (body.length & 0x7f),
        0x80 | ((body.length >> 7) & 0x7f),
        body.length >> 14,
      ]);
      s.send(frame);
      for (let i = 0; i < body.length; i += 10_000) {
        if (!s.send(body.subarray(i, i + 10_000))) await s.onDrain();
      }
      await s.close();
    });
    await stream.close();
    expect(await readMessage(stream, Message.extend({ pad: z.string() }))).toMatchObject({ n: 7 });
  });

  it('a second read while one is waiting is a programming error', async () => {
    const stream = await pair(() => new Promise<void>(() => undefined));
    const first = readMessage(stream, Message, { timeoutMs: 200 });
    await expect(readMessage(stream, Message)).rejects.toThrow(/already in progress/);
    await expect(first).rejects.toBeInstanceOf(ProtocolError);
  });
});
