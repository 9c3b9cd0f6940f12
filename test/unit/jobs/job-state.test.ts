import { describe, expect, it } from 'vitest';
import { nextJobState, TERMINAL, type JobEvent } from '../../../src/main/jobs/job-state';
import { JobStatusSchema, type JobStatus } from '../../../src/shared/schemas/job';

function run(events: JobEvent[], from: JobStatus = 'queued') {
  let status = from;
  const seen: (JobStatus | null)[] = [];
  for (const e of events) {
    const next = nextJobState(status, e);
    seen.push(next?.status ?? null);
    if (next) status = next.status;
  }
  return { status, seen };
}

describe('job state machine', () => {
  it('runs the happy path', () => {
    expect(
      run([
        { type: 'prepare' },
        { type: 'start' },
        { type: 'exit', succeeded: true, reason: 'Exited with code 0' },
      ]).seen,
    ).toEqual(['preparing', 'running', 'succeeded']);
  });

  it('pauses and resumes only a running job', () => {
    expect(
      run([
        { type: 'prepare' },
        { type: 'start' },
        { type: 'pause', reason: 'A game started' },
        { type: 'resume' },
      ]).status,
    ).toBe('running');
    expect(nextJobState('queued', { type: 'pause', reason: 'x' })).toBeNull();
    expect(nextJobState('preparing', { type: 'resume' })).toBeNull();
  });

  it('ignores a late exit after a cancel, and any event after the end', () => {
    const { seen, status } = run([
      { type: 'prepare' },
      { type: 'start' },
      { type: 'cancel', reason: 'Cancelled by the owner' },
      { type: 'exit', succeeded: false, reason: 'Killed by SIGKILL' },
    ]);
    expect(seen.at(-1)).toBeNull();
    expect(status).toBe('cancelled');
  });

  it('every terminal state accepts nothing; every live state can be lost', () => {
    for (const status of JobStatusSchema.options) {
      const events: JobEvent[] = [
        { type: 'prepare' },
        { type: 'start' },
        { type: 'resume' },
        { type: 'cancel', reason: '' },
        { type: 'lose', reason: '' },
      ];
      const accepted = events.filter((e) => nextJobState(status, e) !== null);
      if (TERMINAL.has(status)) expect(accepted).toEqual([]);
      else
        expect(nextJobState(status, { type: 'lose', reason: 'crash' })).toEqual({
          status: 'lost',
          reason: 'crash',
        });
    }
  });
});
