import type { Libp2p } from '@libp2p/interface';
import type { P2pNode } from '../p2p/create-node';
import { resetStream } from '../p2p/framing';
import { JOB_PROTOCOL } from '../p2p/job-messages';
import { createJobSession } from './job-session';
import type { JobSession, JobSessionDeps, JobSessionResult } from './job-session-types';

/**
 * `/nocturne/job/1` on the provider's node: one session per stream (job-session.ts), one rental at a time.
 * Like the quote protocol it runs over limited (relayed) connections too; a relay's limits then bound the
 * job (docs/protocol.md, "Reaching a provider behind NAT").
 */

type NodeLike = P2pNode | Libp2p;

const libp2pOf = (node: NodeLike): Libp2p => ('libp2p' in node ? node.libp2p : node);

export interface JobServiceOptions extends JobSessionDeps {
  /** How long `stop()` waits for live sessions to end (their jobs cancelled) before it resets them. */
  stopTimeoutMs?: number;
  /** Each session's result, once it ends (tests; the log has it too). */
  onSessionEnd?(result: JobSessionResult): void;
}

export interface JobService {
  /** Sessions with a live stream now. */
  sessions(): number;
  /** Whether a rental holds the provider (accepted, its job not ended yet). */
  busy(): boolean;
  /** Takes no more hellos; ends the live sessions (their jobs are cancelled), waiting up to stopTimeoutMs. */
  stop(): Promise<void>;
}

export async function startJobService(node: NodeLike, options: JobServiceOptions): Promise<JobService> {
  const libp2p = libp2pOf(node);
  const { logger } = options;
  const peerId = libp2p.peerId.toString();
  const live = new Map<JobSession, Promise<JobSessionResult>>();
  let holder: JobSession | null = null;
  let stopped = false;

  await libp2p.handle(
    JOB_PROTOCOL,
    async (stream, connection) => {
      if (stopped) {
        resetStream(stream, new Error('The provider is going offline.'));
        return;
      }
      const session: JobSession = createJobSession({
        ...options,
        stream,
        peerId,
        remotePeer: connection.remotePeer.toString(),
        // The session reads the inputs at its hello; a rental in its bundle or start counts as a job.
        admission: () => {
          const inputs = options.admission();
          return { ...inputs, runningJobs: inputs.runningJobs + (holder !== null ? 1 : 0) };
        },
        claim: () => {
          if (holder !== null || stopped) return false;
          holder = session;
          return true;
        },
        release: () => {
          if (holder === session) holder = null;
        },
      });
      const running = session.run();
      live.set(session, running);
      try {
        const result = await running;
        options.onSessionEnd?.(result);
      } catch (error) {
        // run() catches everything; this is only a guard for the node.
        logger.error(`Job session from ${connection.remotePeer.toString()} failed`, error);
      } finally {
        live.delete(session);
        if (holder === session) holder = null;
      }
    },
    { runOnLimitedConnection: true, maxInboundStreams: 4 },
  );

  return {
    sessions: () => live.size,
    busy: () => holder !== null,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (libp2p.status === 'started') await libp2p.unhandle(JOB_PROTOCOL).catch(() => undefined);
      if (live.size === 0) return;
      logger.info(`Ending ${live.size} job session(s): the provider goes offline`);
      for (const session of live.keys()) session.stop('The provider went offline');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(live.values()),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, options.stopTimeoutMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      for (const session of live.keys()) session.abort('The provider went offline');
    },
  };
}
