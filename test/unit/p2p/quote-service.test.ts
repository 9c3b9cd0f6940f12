import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Stream } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import * as lp from 'it-length-prefixed';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { P2pNode } from '../../../src/main/p2p/create-node';
import { ProtocolError, readMessage, writeMessage } from '../../../src/main/p2p/framing';
import { QuoteResponseSchema, type QuoteResponse } from '../../../src/main/p2p/messages';
import { isQuoteExpired, QUOTE_PROTOCOL, verifyQuote } from '../../../src/main/p2p/quote-protocol';
import { requestQuote, startQuoteService } from '../../../src/main/p2p/quote-service';
import { createMemoryLogger } from '../../fakes/memory-logger';
import { LOOPBACK_TCP, LOOPBACK_WS, providerQuoteFor, sampleRequest, TOKEN, useNodes } from './p2p-helpers';

const renter = Wallet.createRandom().address;

describe('/nocturne/quote/1 end to end', () => {
  const startNode = useNodes();

  async function startProvider(listen: string[], readTimeoutMs?: number) {
    const logger = createMemoryLogger();
    const node = await startNode({ listen, logger });
    const provider = providerQuoteFor(node.peerId.toString());
    const service = await startQuoteService(node, { quoteFor: provider.quoteFor, logger, readTimeoutMs });
    return { node, logger, service, ...provider };
  }

  for (const [transport, listen, marker] of [
    ['TCP', LOOPBACK_TCP, '/tcp/'],
    ['WebSockets', LOOPBACK_WS, '/ws'],
  ] as const) {
    it(`gives a signed quote over ${transport} that the renter verifies`, async () => {
      const provider = await startProvider([listen]);
      const renterNode = await startNode({ listen: [] });
      const address = provider.node.multiaddrs().find((a) => a.toString().includes(marker));
      expect(address).toBeDefined();

      const response = await requestQuote(renterNode, address!.toString(), sampleRequest(renter));

      expect(response.ok).toBe(true);
      if (!response.ok) return;
      const { quote } = response;
      expect(quote.provider).toBe(provider.node.peerId.toString());
      expect(quote.providerAddress).toBe(provider.wallet.address);
      expect(quote).toMatchObject({ chainId: 31337, token: TOKEN, pricePerSecond: '25', maxSeconds: 600 });
      expect(verifyQuote(quote, renter)).toBe(provider.wallet.address);
      expect(isQuoteExpired(quote, new Date())).toBe(false);
      // The signature binds the renter: another renter cannot hold the provider to it.
      expect(() => verifyQuote(quote, Wallet.createRandom().address)).toThrow(/not signed by/);
      const remote = renterNode.libp2p.getConnections(provider.node.peerId)[0]!.remoteAddr.toString();
      expect(remote).toContain(marker);
    });
  }

  it('answers a refusal with its code and reason, and quotes again when things change', async () => {
    const provider = await startProvider([LOOPBACK_TCP]);
    const renterNode = await startNode({ listen: [] });
    const target = provider.node.multiaddrs()[0]!;

    provider.state.availability = {
      available: false,
      sentence: 'Not for rent: a game is running.',
      nextChange: null,
    };
    expect(await requestQuote(renterNode, target, sampleRequest(renter))).toEqual({
      v: 1,
      ok: false,
      code: 'unavailable',
      reason: 'This provider is not for rent right now.', // not the owner's game: that stays private
    });
    expect(await requestQuote(renterNode, target, sampleRequest(renter, { gpuCount: 2 }))).toMatchObject({
      ok: false,
      code: 'insufficient-gpu',
    });

    provider.state.availability = { available: true, sentence: 'For rent now.', nextChange: null };
    provider.state.runningJobs = 1;
    expect(await requestQuote(renterNode, target, sampleRequest(renter))).toMatchObject({ code: 'busy' });
    provider.state.runningJobs = 0;
    expect((await requestQuote(renterNode, target, sampleRequest(renter))).ok).toBe(true);
  });

  it('answers unavailable when quoteFor throws, logs it, and keeps serving', async () => {
    const logger = createMemoryLogger();
    const node = await startNode({ logger });
    const { quoteFor } = providerQuoteFor(node.peerId.toString());
    await startQuoteService(node, {
      logger,
      quoteFor: async (request, peer) => {
        if (request.requirements.seconds === 13) throw new Error('boom');
        return quoteFor(request, peer);
      },
    });
    const renterNode = await startNode({ listen: [] });
    const target = node.multiaddrs()[0]!;
    expect(await requestQuote(renterNode, target, sampleRequest(renter, { seconds: 13 }))).toMatchObject({
      ok: false,
      code: 'unavailable',
    });
    expect(logger.lines.some((l) => l.level === 'error' && /Could not make a quote/.test(l.message))).toBe(
      true,
    );
    expect((await requestQuote(renterNode, target, sampleRequest(renter))).ok).toBe(true);
  });

  describe('malformed input', () => {
    async function rawExchange(
      renterNode: P2pNode,
      provider: Awaited<ReturnType<typeof startProvider>>,
      send: (s: Stream) => void,
    ) {
      const stream = await renterNode.libp2p.dialProtocol(provider.node.multiaddrs()[0]!, QUOTE_PROTOCOL);
      send(stream);
      return readMessage(stream, QuoteResponseSchema, { timeoutMs: 5_000 }).then(
        (response): QuoteResponse | ProtocolError => response,
        (error: unknown) => {
          if (error instanceof ProtocolError) return error;
          throw error;
        },
      );
    }

    const frame = (text: string | Uint8Array) =>
      lp.encode.single(typeof text === 'string' ? new TextEncoder().encode(text) : text).subarray();

    it('each bad request gets a clear refusal or a reset, and the provider keeps serving', async () => {
      const provider = await startProvider([LOOPBACK_TCP], 1_000);
      // One renter node and so one connection: libp2p refuses more than 5 new connections a second from
      // one host (connectionManager.inboundConnectionThreshold), which a test dialling afresh each time hits.
      const renterNode = await startNode({ listen: [] });

      // Not JSON: the framing is sound, so the provider says what is wrong.
      const notJson = await rawExchange(renterNode, provider, (s) => {
        s.send(frame('{"v": 1, oops'));
        void s.close();
      });
      expect(notJson).toMatchObject({
        ok: false,
        code: 'bad-request',
        reason: expect.stringMatching(/not JSON/),
      });

      // Not UTF-8.
      const notUtf8 = await rawExchange(renterNode, provider, (s) => {
        s.send(frame(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
        void s.close();
      });
      expect(notUtf8).toMatchObject({ code: 'bad-request', reason: expect.stringMatching(/UTF-8/) });

      // JSON that breaks the schema: the reason names the fields.
      const wrongSchema = await rawExchange(renterNode, provider, (s) => {
        const bad = { ...sampleRequest(renter), chainId: 'one', requirements: { runtime: 'gpu' } };
        void writeMessage(s, bad).then(() => s.close());
      });
      expect(wrongSchema).toMatchObject({ code: 'bad-request' });
      if (!('code' in wrongSchema) || wrongSchema.code !== 'bad-request') throw new Error('unexpected');
      expect(wrongSchema.reason).toMatch(/chainId/);
      expect(wrongSchema.reason).toMatch(/requirements\.runtime/);

      // A frame announcing 2 MiB: refused at the length prefix, before the body arrives; the stream is reset.
      const oversize = await rawExchange(renterNode, provider, (s) => {
        s.send(new Uint8Array([0x80, 0x80, 0x80, 0x01])); // varint 2_097_152
        s.send(new Uint8Array(1024).fill(0x20));
      });
      expect(oversize).toBeInstanceOf(ProtocolError);

      // A length prefix that never ends.
      const badPrefix = await rawExchange(renterNode, provider, (s) => {
        s.send(new Uint8Array(12).fill(0xff));
      });
      expect(badPrefix).toBeInstanceOf(ProtocolError);

      // A peer that opens the stream and never sends: the provider gives up after its read timeout.
      const silent = await rawExchange(renterNode, provider, () => undefined);
      expect(silent).toBeInstanceOf(ProtocolError);

      // A peer that sends half a message and stops.
      const truncated = await rawExchange(renterNode, provider, (s) => {
        s.send(frame(JSON.stringify(sampleRequest(renter))).subarray(0, 20));
      });
      expect(truncated).toBeInstanceOf(ProtocolError);

      const warnings = provider.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warnings).toEqual([
        expect.stringMatching(/not JSON/),
        expect.stringMatching(/not valid UTF-8/),
        expect.stringMatching(/does not fit the protocol/),
        expect.stringMatching(/larger than the 1 MiB limit/),
        expect.stringMatching(/invalid length prefix/),
        expect.stringMatching(/No whole message arrived within 1000 ms/),
        expect.stringMatching(/No whole message arrived within 1000 ms/),
      ]);
      expect(provider.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
      expect(provider.service.inFlight()).toBe(0);

      // Still serving, on the same connection.
      expect((await requestQuote(renterNode, provider.node.multiaddrs()[0]!, sampleRequest(renter))).ok).toBe(
        true,
      );
    });
  });

  describe('the renter side refuses bad answers', () => {
    async function fakeProvider(answer: (stream: Stream) => Promise<void>) {
      const node = await startNode();
      await node.libp2p.handle(QUOTE_PROTOCOL, async (stream) => {
        await readMessage(stream, z.unknown()).catch(() => undefined);
        await answer(stream);
      });
      return node;
    }

    it('a quote signed for a different peer id, or with a forged signature, is invalid-quote', async () => {
      // A real provider's quote, replayed by another node.
      const real = await startProvider([LOOPBACK_TCP]);
      const renterNode = await startNode({ listen: [] });
      const genuine = await requestQuote(renterNode, real.node.multiaddrs()[0]!, sampleRequest(renter));
      if (!genuine.ok) throw new Error('expected a quote');

      const replayer = await fakeProvider(async (stream) => {
        await writeMessage(stream, genuine);
        await stream.close();
      });
      await expect(
        requestQuote(renterNode, replayer.multiaddrs()[0]!, sampleRequest(renter)),
      ).rejects.toMatchObject({ code: 'invalid-quote', message: expect.stringMatching(/names peer/) });

      const forger = await fakeProvider(async (stream) => {
        const quote = { ...genuine.quote, provider: forger.peerId.toString(), pricePerSecond: '1' };
        await writeMessage(stream, { ...genuine, quote });
        await stream.close();
      });
      await expect(
        requestQuote(renterNode, forger.multiaddrs()[0]!, sampleRequest(renter)),
      ).rejects.toMatchObject({
        code: 'invalid-quote',
        message: expect.stringMatching(/bad signature/),
      });
    });

    it('an answer that breaks the schema, or none in time, is a ProtocolError', async () => {
      const renterNode = await startNode({ listen: [] });
      const garbage = await fakeProvider(async (stream) => {
        await writeMessage(stream, { v: 1, ok: true, quote: { price: 'free' } });
        await stream.close();
      });
      await expect(
        requestQuote(renterNode, garbage.multiaddrs()[0]!, sampleRequest(renter)),
      ).rejects.toMatchObject({
        code: 'schema',
      });

      const mute = await fakeProvider(() => new Promise<void>(() => undefined));
      await expect(
        requestQuote(renterNode, mute.multiaddrs()[0]!, sampleRequest(renter), { timeoutMs: 500 }),
      ).rejects.toMatchObject({ code: 'timeout' });

      const plain = await startNode(); // speaks no quote protocol
      await expect(
        requestQuote(renterNode, plain.multiaddrs()[0]!, sampleRequest(renter)),
      ).rejects.toMatchObject({
        code: 'unreachable',
      });
      const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
      await expect(
        requestQuote(renterNode, `/ip4/127.0.0.1/tcp/1/p2p/${nobody}`, sampleRequest(renter)),
      ).rejects.toMatchObject({ code: 'unreachable' });
    });
  });
});
