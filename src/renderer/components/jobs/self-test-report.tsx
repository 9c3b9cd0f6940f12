import type { SelfTestReport } from '../../../shared/schemas/job';

/** The self-test's verdict: a sentence, each check passed or failed in words, and what it only saw. */
export function SelfTestReportView({ report }: { report: SelfTestReport }) {
  return (
    <div className="self-test-report" data-testid="self-test-report" data-state={report.state}>
      <p
        className={
          report.state === 'passed'
            ? 'self-test-report__verdict'
            : 'self-test-report__verdict self-test-report__verdict--failed'
        }
      >
        {report.sentence}
      </p>
      <ul className="self-test-report__checks">
        {report.checks.map((check) => (
          <li
            key={check.text}
            className={
              check.passed
                ? 'self-test-report__check'
                : 'self-test-report__check self-test-report__check--failed'
            }
          >
            <span className="visually-hidden">{check.passed ? 'Passed: ' : 'Failed: '}</span>
            <span aria-hidden="true">{check.passed ? '✓' : '✗'} </span>
            {check.text}
          </li>
        ))}
      </ul>
      {report.notes.map((note) => (
        <p key={note} className="field-hint">
          {note.charAt(0).toUpperCase() + note.slice(1)}.
        </p>
      ))}
    </div>
  );
}
