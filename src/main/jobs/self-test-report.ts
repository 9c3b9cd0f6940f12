import type { JobStatus } from '../../shared/schemas/job';
import type { SelfTestReport } from '../../shared/schemas/job';

/**
 * The self-test's verdict in words, from its log and its end: each PASS/FAIL line the script printed
 * inside the sandbox, one check that its log reached Nocturne in order while it ran, and one that the
 * job itself ended well. Pure.
 */
export function selfTestReport(log: string, status: JobStatus, reason: string | null): SelfTestReport {
  const checks: SelfTestReport['checks'] = [];
  const notes: string[] = [];
  for (const raw of log.split(/\r?\n/)) {
    const line = raw.trim();
    const match = /^(PASS|FAIL|INFO)\s+(.+)$/.exec(line);
    if (!match) continue;
    if (match[1] === 'INFO') notes.push(match[2]!);
    else checks.push({ passed: match[1] === 'PASS', text: sentence(match[2]!) });
  }
  const running =
    status === 'queued' || status === 'preparing' || status === 'running' || status === 'paused';
  if (running) return { state: 'running', checks, notes, sentence: 'The self-test is running…' };

  const streamed = [1, 2, 3].map((i) => log.indexOf(`log line ${i}`));
  const inOrder = streamed.every((at, i) => at >= 0 && (i === 0 || at > streamed[i - 1]!));
  checks.push({
    passed: inOrder,
    text: inOrder ? 'Its log reached Nocturne, line by line.' : 'Its log did not reach Nocturne in full.',
  });
  if (status !== 'succeeded')
    checks.push({
      passed: false,
      text: `The job ${status === 'failed' ? 'failed' : 'ended as ' + status}${reason ? `: ${reason}` : ''}.`,
    });
  const failed = checks.filter((c) => !c.passed).length;
  const passed = failed === 0 && checks.length > 1;
  return {
    state: passed ? 'passed' : 'failed',
    checks,
    notes,
    sentence: passed
      ? `All ${checks.length} checks passed: jobs run sealed off in the sandbox${
          checks.some((c) => c.text.startsWith('The GPU is visible')) ? ', see the GPU' : ''
        } and report back.`
      : `${failed} of ${checks.length} checks failed: renters’ jobs are not safe to run here until they pass.`,
  };
}

/** "cannot read /etc/shadow" -> "Cannot read /etc/shadow." */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}
