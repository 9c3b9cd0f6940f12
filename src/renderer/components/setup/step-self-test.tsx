import { useSelfTest } from '../../hooks/use-self-test';

/** A real job through the real sandbox, whose checks from the inside are reported here in words. */
export function StepSelfTest() {
  const { report, error, running, start } = useSelfTest();
  return (
    <div>
      <p>
        Before a stranger’s job runs here, a short job of Nocturne’s own checks from the inside that the
        sandbox holds: no root, none of your files, no other process, the GPU visible, and its log reaching
        you.
      </p>
      <div className="setup-actions">
        <button type="button" className="button button--primary" disabled={running} onClick={start}>
          {report && !running ? 'Run it again' : 'Run the self-test'}
        </button>
        <p role="status" className="gpu-bench__status">
          {running ? 'The self-test is running…' : ''}
        </p>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          Couldn’t run the self-test: {error}
        </p>
      ) : null}
      {report && report.state !== 'running' ? (
        <div className="setup-report" data-testid="self-test-report" data-state={report.state}>
          <p
            className={
              report.state === 'passed'
                ? 'setup-report__verdict'
                : 'setup-report__verdict setup-report__verdict--failed'
            }
          >
            {report.sentence}
          </p>
          <ul className="setup-report__checks">
            {report.checks.map((check) => (
              <li
                key={check.text}
                className={check.passed ? 'setup-check' : 'setup-check setup-check--failed'}
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
      ) : null}
    </div>
  );
}
