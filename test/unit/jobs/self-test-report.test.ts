import { describe, expect, it } from 'vitest';
import { selfTestReport } from '../../../src/main/jobs/self-test-report';

const good = [
  'Nocturne self-test, inside the sandbox as uid 1000',
  'PASS  runs as an unprivileged user',
  'PASS  cannot read /etc/shadow',
  'PASS  the GPU is visible inside: /dev/nvidia0 /dev/nvidiactl ',
  'INFO  something seen',
  'log line 1',
  'log line 2',
  'log line 3',
  '3 passed, 0 failed',
].join('\r\n');

describe('the self-test report', () => {
  it('turns each check into a sentence and passes when all did, the log streamed and the job succeeded', () => {
    const report = selfTestReport(good, 'succeeded', null);
    expect(report.state).toBe('passed');
    expect(report.checks).toEqual([
      { passed: true, text: 'Runs as an unprivileged user.' },
      { passed: true, text: 'Cannot read /etc/shadow.' },
      { passed: true, text: 'The GPU is visible inside: /dev/nvidia0 /dev/nvidiactl.' },
      { passed: true, text: 'Its log reached Nocturne, line by line.' },
    ]);
    expect(report.notes).toEqual(['something seen']);
    expect(report.sentence).toBe(
      'All 4 checks passed: jobs run sealed off in the sandbox, see the GPU and report back.',
    );
  });

  it('fails on a failed check, a log cut short or out of order, or a job that did not succeed', () => {
    const failing = good.replace('PASS  cannot read', 'FAIL  can read');
    expect(selfTestReport(failing, 'failed', 'exit code 1')).toMatchObject({
      state: 'failed',
      sentence: '2 of 5 checks failed: renters’ jobs are not safe to run here until they pass.',
    });
    const cut = good.replace('log line 3', '');
    expect(selfTestReport(cut, 'succeeded', null).checks.at(-1)).toEqual({
      passed: false,
      text: 'Its log did not reach Nocturne in full.',
    });
    const shuffled = good.replace('log line 1', 'x').replace('log line 3', 'log line 1\nlog line 3');
    expect(selfTestReport(shuffled, 'succeeded', null).state).toBe('failed');
    expect(selfTestReport(good, 'cancelled', 'cancelled by the owner').checks.at(-1)).toEqual({
      passed: false,
      text: 'The job ended as cancelled: cancelled by the owner.',
    });
    expect(selfTestReport('', 'failed', 'the sandbox could not start').state).toBe('failed');
  });

  it('says it is running until the job ends', () => {
    expect(selfTestReport('PASS  x', 'running', null)).toMatchObject({
      state: 'running',
      checks: [{ passed: true }],
    });
  });
});

describe('the self-test job', () => {
  it('asks for a GPU, and insists on seeing it, only on a machine that has one', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { prepareSelfTest } = await import('../../../src/main/jobs/self-test');
    const dir = mkdtempSync(join(tmpdir(), 'nocturne-selftest-'));
    try {
      const withGpu = await prepareSelfTest(dir, { hasGpu: true });
      expect(withGpu.spec.resources.gpus).toBe(1);
      expect(withGpu.spec.env).toEqual({ EXPECT_GPU: '1' });
      const without = await prepareSelfTest(dir, { hasGpu: false });
      expect(without.spec.resources.gpus).toBe(0);
      expect(without.spec.env).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
