import type { RentalKey } from '../earnings/ledger-repository';
import type { JobTerms } from '../market/job-terms';
import { ProtocolError, readMessage } from '../p2p/framing';
import { HelloSchema, type Hello, type JobRefusalCode } from '../p2p/job-messages';
import { clip, messageOf } from './error-text';
import { decideJobAdmission, rentalKeyOf, type AdmissionNetwork } from './job-admission';
import type { JobSessionOptions, SessionEscrow } from './job-session-types';
import type { SessionWriter } from './session-writer';

export type Admission =
  | {
      admitted: true;
      hello: Hello;
      key: RentalKey;
      terms: JobTerms;
      network: AdmissionNetwork;
      escrow: SessionEscrow;
    }
  /** Refused and answered (the stream closed); `refusal` is null when no valid hello came. */
  | { admitted: false; refusal: JobRefusalCode | null };

/**
 * Steps 1 and 2 of a session: the hello, then admission, cheapest check first so that a renter who cannot
 * be served costs no slot and no RPC: the pure checks (`decideJobAdmission`), the provider's one rental
 * slot (`claim`), the job Open on-chain, and its start deadline still ahead. A refusal is sent and the
 * stream closed here. Reading anything but a protocol error throws (the session fails).
 */
export async function admitRenter(
  session: Pick<
    JobSessionOptions,
    'stream' | 'logger' | 'remotePeer' | 'peerId' | 'admission' | 'ledger' | 'escrowFor'
  >,
  io: { writer: SessionWriter; readIdleMs: number; now(): number; claim(): boolean },
): Promise<Admission> {
  const { logger, remotePeer: peer } = session;
  const { writer } = io;
  const refuse = async (code: JobRefusalCode, reason: string): Promise<Admission> => {
    logger.info(`Job session from ${peer} refused (${code}): ${reason}`);
    await writer.enqueue(() => ({ v: 1, type: 'refuse', code, reason: clip(reason) }));
    await writer.closeAfterWrites();
    return { admitted: false, refusal: code };
  };

  let hello: Hello;
  try {
    hello = await readMessage(session.stream, HelloSchema, { timeoutMs: io.readIdleMs });
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    logger.warn(`Job session from ${peer}: no valid hello: ${error.message}`);
    if (error.streamOpen) {
      await writer.sendError('protocol', `The hello broke the protocol: ${error.message}`);
      await writer.closeAfterWrites();
    }
    return { admitted: false, refusal: null };
  }

  const decision = decideJobAdmission(hello, {
    ...session.admission(),
    peerId: session.peerId,
    existing: session.ledger.get(rentalKeyOf(hello)),
  });
  if (!decision.ok) return refuse(decision.code, decision.reason);
  if (!io.claim()) return refuse('busy', 'This provider is running another job.');
  const { network, terms, key } = decision;
  let escrow: SessionEscrow;
  let notOpen: string | null = null;
  try {
    escrow = await session.escrowFor(network.id);
    const state = await escrow.jobState(key.escrowJobId);
    if (state.status !== 'Open') notOpen = `The job is ${state.status} on-chain, not Open.`;
  } catch (error) {
    logger.warn(`Job session from ${peer}: could not read job ${hello.jobId}: ${messageOf(error)}`);
    return refuse('internal', 'This provider could not read the job on-chain just now; try again.');
  }
  if (notOpen !== null) return refuse('not-open', notOpen);
  if (BigInt(Math.floor(io.now() / 1000)) > terms.startDeadline)
    return refuse('not-open', `The job's start deadline (${terms.startDeadline}) has passed.`);
  return { admitted: true, hello, key, terms, network, escrow };
}
