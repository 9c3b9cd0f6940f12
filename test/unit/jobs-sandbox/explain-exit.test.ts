import { describe, expect, it } from 'vitest';
import { explainExit, type ExitFacts } from '../../../src/main/jobs/sandbox/explain-exit';

const base: ExitFacts = { exitCode: 0, signal: null, oomKilled: false, diskExceeded: false, timedOut: false };
const limits = { memoryMiB: 64, diskMiB: 8, maxProcesses: 64, maxSeconds: 3_600 };

describe('explainExit', () => {
  it('says what ended the job, limits first', () => {
    expect(explainExit(base)).toBe('Finished: the job exited successfully.');
    expect(explainExit({ ...base, exitCode: 2 })).toBe("Failed: the job's program exited with code 2.");
    expect(explainExit({ ...base, exitCode: 137, oomKilled: true, limits })).toBe(
      'Stopped: the job used more memory than its 64 MiB.',
    );
    expect(explainExit({ ...base, exitCode: null, signal: 'SIGKILL', diskExceeded: true, limits })).toBe(
      'Stopped: the job wrote more than its 8 MiB of disk.',
    );
    expect(explainExit({ ...base, exitCode: null, signal: 'SIGKILL', timedOut: true, limits })).toBe(
      'Stopped: the job ran past its 60 min time limit.',
    );
    expect(explainExit({ ...base, exitCode: 1, pidsLimitHit: true, limits })).toBe(
      'Stopped: too many processes (limit 64).',
    );
    expect(
      explainExit({ ...base, exitCode: null, signal: 9, timedOut: true, pidsLimitHit: true, limits }),
    ).toBe('Stopped: too many processes (limit 64); it was then stopped at its 60 min time limit.');
    expect(explainExit({ ...base, exitCode: null, signal: 'SIGTERM', cancelled: true })).toBe(
      'Stopped: the job was cancelled.',
    );
  });

  it("reads bwrap's 128 + N codes and the launcher's own signal", () => {
    expect(explainExit({ ...base, exitCode: 153, limits })).toBe(
      'Stopped: the job wrote more than its 8 MiB of disk.',
    );
    expect(explainExit({ ...base, exitCode: 152 })).toBe('Stopped: the job used up its CPU-time budget.');
    expect(explainExit({ ...base, exitCode: 139 })).toBe(
      'Crashed: the program hit a segmentation fault (SIGSEGV).',
    );
    expect(explainExit({ ...base, exitCode: 137 })).toBe(
      "Failed: the job's program was killed by SIGKILL (exit code 137).",
    );
    expect(explainExit({ ...base, exitCode: null, signal: 'SIGKILL' })).toBe(
      'Stopped: the job was killed by SIGKILL.',
    );
    expect(explainExit({ ...base, exitCode: null, signal: 15 })).toBe(
      'Stopped: the job was killed by SIGTERM.',
    );
    expect(explainExit({ ...base, exitCode: null })).toBe('Stopped: the job ended without an exit status.');
  });

  it('names limits without numbers when they are not given', () => {
    expect(explainExit({ ...base, oomKilled: true })).toBe(
      'Stopped: the job used more memory than its limit.',
    );
    expect(explainExit({ ...base, timedOut: true, limits: { maxSeconds: 90 } })).toBe(
      'Stopped: the job ran past its 90 s time limit.',
    );
    expect(explainExit({ ...base, timedOut: true, limits: { maxSeconds: 36_000 } })).toBe(
      'Stopped: the job ran past its 10 h time limit.',
    );
  });
});
