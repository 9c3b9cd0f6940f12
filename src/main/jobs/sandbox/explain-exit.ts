import { constants } from 'node:os';

/** What the runner knows when a job has ended. */
export interface ExitFacts {
  /** The sandbox's exit code. bwrap reports a command killed by signal N as 128 + N. */
  exitCode: number | null;
  /** The signal that ended the launcher itself (node-pty gives a number, child_process a name). */
  signal: string | number | null;
  oomKilled: boolean;
  diskExceeded: boolean;
  timedOut: boolean;
  /** The job tried to start more processes than allowed (the limit's `pidsLimitHit()`). */
  pidsLimitHit?: boolean;
  /** Stopped by the owner or the renter. */
  cancelled?: boolean;
  /** The limits, so the words can name them. */
  limits?: { memoryMiB?: number; diskMiB?: number; maxProcesses?: number; maxSeconds?: number };
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name] as [number, string]),
);

function signalName(signal: string | number | null): string | null {
  if (signal === null || signal === 0) return null;
  if (typeof signal === 'string') return signal;
  return SIGNAL_NAMES.get(signal) ?? `signal ${signal}`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  const hours = seconds / 3_600;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

const CRASHES: Record<string, string> = {
  SIGSEGV: 'a segmentation fault',
  SIGBUS: 'a bus error',
  SIGILL: 'an illegal instruction',
  SIGFPE: 'an arithmetic error',
  SIGABRT: 'an abort',
  SIGSYS: 'a forbidden system call',
};

/**
 * One sentence for the owner and the renter on why a job ended. The limit facts come first (a job
 * killed for memory also ends "by SIGKILL", which says nothing), then the signal, then the exit code.
 */
export function explainExit(facts: ExitFacts): string {
  const l = facts.limits ?? {};
  const pidsNote = facts.pidsLimitHit
    ? `too many processes${l.maxProcesses !== undefined ? ` (limit ${l.maxProcesses})` : ''}`
    : null;

  if (facts.oomKilled)
    return `Stopped: the job used more memory than its ${l.memoryMiB !== undefined ? `${l.memoryMiB} MiB` : 'limit'}.`;

  // With bwrap the launcher exits 128 + N when the job's command died of signal N.
  const fromCode =
    facts.exitCode !== null && facts.exitCode > 128 && facts.exitCode <= 128 + 64
      ? signalName(facts.exitCode - 128)
      : null;
  const signal = signalName(facts.signal) ?? fromCode;

  if (facts.diskExceeded || signal === 'SIGXFSZ')
    return `Stopped: the job wrote more than its ${l.diskMiB !== undefined ? `${l.diskMiB} MiB` : 'limit'} of disk.`;
  if (facts.timedOut) {
    const limit = l.maxSeconds !== undefined ? `its ${duration(l.maxSeconds)} time limit` : 'its time limit';
    return pidsNote
      ? `Stopped: ${pidsNote}; it was then stopped at ${limit}.`
      : `Stopped: the job ran past ${limit}.`;
  }
  if (pidsNote && facts.exitCode !== 0) return `Stopped: ${pidsNote}.`;
  if (facts.cancelled) return 'Stopped: the job was cancelled.';
  if (signal === 'SIGXCPU') return 'Stopped: the job used up its CPU-time budget.';
  if (signal !== null && CRASHES[signal]) return `Crashed: the program hit ${CRASHES[signal]} (${signal}).`;
  if (signal !== null && facts.signal !== null && facts.signal !== 0)
    return `Stopped: the job was killed by ${signal}.`;
  if (facts.exitCode === 0) return 'Finished: the job exited successfully.';
  if (signal !== null)
    return `Failed: the job's program was killed by ${signal} (exit code ${facts.exitCode}).`;
  if (facts.exitCode === null) return 'Stopped: the job ended without an exit status.';
  return `Failed: the job's program exited with code ${facts.exitCode}.`;
}
