import { useSelfTest } from '../../hooks/use-self-test';
import { SelfTestReportView } from '../jobs/self-test-report';

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
      {report && report.state !== 'running' ? <SelfTestReportView report={report} /> : null}
    </div>
  );
}
