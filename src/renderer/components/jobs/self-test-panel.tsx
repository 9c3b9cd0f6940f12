import { useSelfTestReport } from '../../hooks/use-self-test';
import { SelfTestReportView } from './self-test-report';

/** A self-test job's verdict above its log, once it has ended. */
export function SelfTestPanel({ jobId }: { jobId: string }) {
  const { report, error } = useSelfTestReport(jobId);
  if (error)
    return (
      <p className="panel inline-error" role="alert">
        Couldn’t read the self-test’s report: {error}
      </p>
    );
  if (!report || report.state === 'running') return null;
  return (
    <section className="panel" aria-label="Self-test report">
      <SelfTestReportView report={report} />
    </section>
  );
}
