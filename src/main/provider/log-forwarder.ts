import type { ProviderMessage } from '../p2p/job-messages';
import type { SessionWriter } from './session-writer';

const MIB = 1024 * 1024;
/** Characters of terminal output per `log` message: JSON escapes (\u001b is 6 bytes) stay below 1 MiB. */
const LOG_CHUNK_CHARS = 64 * 1024;
/** Output kept for a renter that reads slowly; older output is dropped (the job's log file has it all). */
const MAX_PENDING_LOG_CHARS = 2 * MIB;

/**
 * The job's terminal output on its way to the renter, coalesced while the renter reads: one write is queued
 * at a time and takes everything that came in by its turn. Returns the function to push output to.
 */
export function createLogForwarder(enqueue: SessionWriter['enqueue']): (data: string) => void {
  let pendingLog = '';
  let droppedLog = 0;
  let logQueued = false;
  return (data: string) => {
    pendingLog += data;
    if (pendingLog.length > MAX_PENDING_LOG_CHARS) {
      droppedLog += pendingLog.length - MAX_PENDING_LOG_CHARS;
      pendingLog = pendingLog.slice(pendingLog.length - MAX_PENDING_LOG_CHARS);
    }
    if (logQueued) return;
    logQueued = true;
    void enqueue(() => {
      logQueued = false;
      let text = pendingLog;
      pendingLog = '';
      if (droppedLog > 0) {
        text = `\r\n[nocturne] ${droppedLog} characters of output skipped (the renter reads slowly)\r\n${text}`;
        droppedLog = 0;
      }
      const messages: ProviderMessage[] = [];
      for (let at = 0; at < text.length; at += LOG_CHUNK_CHARS)
        messages.push({ v: 1, type: 'log', data: text.slice(at, at + LOG_CHUNK_CHARS) });
      return messages.length > 0 ? messages : null;
    });
  };
}
