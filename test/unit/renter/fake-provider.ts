import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Connection, Stream } from '@libp2p/interface';
import tar from 'tar-stream';
import type { z } from 'zod';
import type { P2pNode } from '../../../src/main/p2p/create-node';
import { closeStream, readMessage, resetStream, writeMessage } from '../../../src/main/p2p/framing';
import {
  HelloSchema,
  JOB_CHUNK_BYTES,
  JOB_PROTOCOL,
  RenterMessageSchema,
  type Hello,
  type ProviderMessage,
  type RenterMessage,
} from '../../../src/main/p2p/job-messages';

/**
 * A provider whose side of `/nocturne/job/1` is a script written in the test: it reads and writes the wire
 * messages by hand, so the renter is tested against the protocol rather than against our own provider.
 */

export interface ScriptedSession {
  stream: Stream;
  connection: Connection;
  /** Every renter message read so far (the hello first). */
  received: (Hello | RenterMessage)[];
  hello(): Promise<Hello>;
  read(timeoutMs?: number): Promise<RenterMessage>;
  /** Reads until `type` comes, keeping what came before in `received`; pings are skipped. */
  readUntil<T extends RenterMessage['type']>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<RenterMessage, { type: T }>>;
  /** Reads the bundle's chunks up to bundle-end and returns its bytes. */
  bundle(): Promise<Buffer>;
  send(message: ProviderMessage | Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
  reset(): void;
}

export type Script = (session: ScriptedSession) => Promise<void>;

export interface ScriptedProvider {
  node: P2pNode;
  peerId: string;
  addresses(): string[];
  /** Resolves when every session the script ran is over; rejects with the script's first failure. */
  finished(): Promise<void>;
  sessions: ScriptedSession[];
}

export async function startScriptedProvider(node: P2pNode, script: Script): Promise<ScriptedProvider> {
  const runs: Promise<void>[] = [];
  const sessions: ScriptedSession[] = [];
  await node.libp2p.handle(
    JOB_PROTOCOL,
    (stream, connection) => {
      const session = scriptedSession(stream, connection);
      sessions.push(session);
      const run = script(session).catch((error: unknown) => {
        resetStream(stream, error instanceof Error ? error : new Error(String(error)));
        throw error;
      });
      runs.push(run);
      run.catch(() => undefined);
    },
    { runOnLimitedConnection: true },
  );
  return {
    node,
    peerId: node.peerId.toString(),
    addresses: () => node.multiaddrs().map((a) => a.toString()),
    finished: async () => {
      await Promise.all(runs);
    },
    sessions,
  };
}

function scriptedSession(stream: Stream, connection: Connection): ScriptedSession {
  const received: (Hello | RenterMessage)[] = [];
  const read = async <S extends z.ZodType>(schema: S, timeoutMs = 10_000): Promise<z.output<S>> => {
    const message = await readMessage(stream, schema, { timeoutMs });
    received.push(message as Hello | RenterMessage);
    return message;
  };
  const session: ScriptedSession = {
    stream,
    connection,
    received,
    hello: () => read(HelloSchema),
    read: (timeoutMs) => read(RenterMessageSchema, timeoutMs),
    async readUntil(type, timeoutMs) {
      for (;;) {
        const message = await read(RenterMessageSchema, timeoutMs);
        if (message.type === type) return message as never;
        if (message.type !== 'ping')
          throw new Error(`The renter sent "${message.type}" while "${type}" was expected`);
      }
    },
    async bundle() {
      const parts: Buffer[] = [];
      for (;;) {
        const message = await read(RenterMessageSchema);
        if (message.type === 'bundle-end') return Buffer.concat(parts);
        if (message.type !== 'chunk') throw new Error(`"${message.type}" in the middle of the bundle`);
        const data = Buffer.from(message.data, 'base64');
        if (data.length > JOB_CHUNK_BYTES) throw new Error(`a chunk of ${data.length} bytes`);
        parts.push(data);
      }
    },
    send: (message) => writeMessage(stream, message),
    close: () => closeStream(stream),
    reset: () => resetStream(stream, new Error('reset by the scripted provider')),
  };
  return session;
}

/** A .tar.gz of `files` (name -> content), and its size and sha256. */
export async function tarGz(files: Record<string, string>): Promise<{ bytes: Buffer; sha256: string }> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const bytes = gzipSync(Buffer.concat(chunks));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Sends `archive` as output chunks (of `chunkBytes`) and outputs-end. */
export async function sendOutputs(session: ScriptedSession, archive: Buffer, chunkBytes = JOB_CHUNK_BYTES) {
  for (let at = 0; at < archive.length; at += chunkBytes)
    await session.send({
      v: 1,
      type: 'output',
      data: archive.subarray(at, at + chunkBytes).toString('base64'),
    });
  await session.send({ v: 1, type: 'outputs-end' });
}

/** An `ended` message; outputs from `archive` (none when omitted). */
export function endedMessage(fields: {
  owed: bigint;
  billedMs: number;
  status?: string;
  archive?: { bytes: Buffer; sha256: string };
}): Record<string, unknown> {
  return {
    v: 1,
    type: 'ended',
    status: fields.status ?? 'succeeded',
    reason: null,
    exitCode: fields.status === undefined || fields.status === 'succeeded' ? 0 : null,
    billedMs: fields.billedMs,
    owed: fields.owed.toString(),
    outputBytes: fields.archive?.bytes.length ?? 0,
    outputSha256: fields.archive?.sha256 ?? '',
  };
}

export function statusMessage(owed: bigint, billedMs: number, signed = 0n): Record<string, unknown> {
  return {
    v: 1,
    type: 'status',
    state: 'running',
    billedMs,
    owed: owed.toString(),
    signed: signed.toString(),
    reason: null,
  };
}
