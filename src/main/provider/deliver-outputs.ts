import { open } from 'node:fs/promises';
import type { JobSummary } from '../../shared/schemas/job';
import type { Logger } from '../core/logger';
import { JOB_CHUNK_BYTES } from '../p2p/job-messages';
import { clip, messageOf } from './error-text';
import { packOutputs } from './pack-outputs';
import type { SessionWriter } from './session-writer';

export interface OutputsDelivery {
  /** Every byte of the archive went out, and `outputs-end` after it. */
  outputsSent: boolean;
  /** No voucher covered what the job owes in time: the outputs were withheld. */
  unpaid: boolean;
}

/**
 * Steps 6 and 7 of a session, after the job ended: `ended` with the outputs archive's size and sha256, a
 * wait for a voucher that covers what is owed, then the archive, or an `error` in its place when the wait
 * runs out. The renter pays before it gets the outputs, and can check them against what `ended` announced.
 * Nothing is sent to a renter that is already gone; a provider going offline does not wait.
 */
export async function deliverOutputs(
  deps: {
    writer: SessionWriter;
    logger: Logger;
    escrowJobId: string;
    finalVoucherWaitMs: number;
    /** Why the renter is gone, or null while it is there. */
    gone(): string | null;
    /** The node is going offline. */
    stopping(): boolean;
    signed(): bigint;
    waitForNews(ms: number): Promise<void>;
    /** The last message is about to go: the end of the renter's reading is no longer news. */
    markFinished(): void;
  },
  job: { summary: JobSummary; billedMs: number; owed: bigint; archivePath: string },
): Promise<OutputsDelivery> {
  const { writer, signed } = deps;
  const { summary, owed, archivePath } = job;
  let outputsSent = false;
  let unpaid = false;
  if (deps.gone() !== null) return { outputsSent, unpaid };
  let archive = { bytes: 0, sha256: '' };
  try {
    archive = await packOutputs(summary.outputDir, archivePath);
  } catch (error) {
    deps.logger.warn(`Rental ${deps.escrowJobId}: could not pack the outputs: ${messageOf(error)}`);
  }
  await writer.enqueue(() => ({
    v: 1,
    type: 'ended',
    status: summary.status,
    reason: summary.reason === null ? null : clip(summary.reason),
    exitCode: summary.exitCode,
    billedMs: job.billedMs,
    owed: owed.toString(),
    outputBytes: archive.bytes,
    outputSha256: archive.sha256,
  }));
  const deadline = Date.now() + (deps.stopping() ? 0 : deps.finalVoucherWaitMs);
  while (signed() < owed && deps.gone() === null && Date.now() < deadline)
    await deps.waitForNews(deadline - Date.now());
  if (deps.gone() !== null) return { outputsSent, unpaid };
  if (signed() >= owed) {
    await sendArchive(deps, archivePath, archive.bytes);
    outputsSent = deps.gone() === null && !writer.failed();
  } else {
    unpaid = true;
    const stopping = deps.stopping();
    await writer.sendError(
      stopping ? 'internal' : 'unpaid',
      stopping
        ? `The provider went offline before the job was paid (${signed()} of ${owed} signed).`
        : `No voucher covered the ${owed} the job owes within ${deps.finalVoucherWaitMs / 1000} s ` +
            `(${signed()} signed): the outputs are withheld.`,
    );
  }
  deps.markFinished();
  await writer.closeAfterWrites();
  return { outputsSent, unpaid };
}

/** The archive in `output` messages, then `outputs-end`; stops early once the renter is gone. */
async function sendArchive(
  deps: { writer: SessionWriter; gone(): string | null },
  path: string,
  bytes: number,
): Promise<void> {
  const { writer } = deps;
  if (bytes > 0) {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(JOB_CHUNK_BYTES);
      for (let offset = 0; offset < bytes && deps.gone() === null && !writer.failed();) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(JOB_CHUNK_BYTES, bytes - offset), offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        const data = buffer.subarray(0, bytesRead).toString('base64');
        await writer.enqueue(() => ({ v: 1, type: 'output', data }));
      }
    } finally {
      await file.close();
    }
  }
  await writer.enqueue(() => ({ v: 1, type: 'outputs-end' }));
}
