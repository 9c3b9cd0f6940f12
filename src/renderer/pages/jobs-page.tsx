import { useState } from 'react';
import { DataView } from '../components/data-view';
import { JobList } from '../components/jobs/job-list';
import { JobLogPanel } from '../components/jobs/job-log-panel';
import { SandboxLine } from '../components/jobs/sandbox-line';
import { SelfTestButton } from '../components/jobs/self-test-button';
import { PageHeader } from '../components/page-header';
import { RentalDetail } from '../components/rentals/rental-detail';
import { RentalsSection } from '../components/rentals/rentals-section';
import { useJobList } from '../hooks/use-job-list';
import { useRentals } from '../hooks/use-rentals';
import { SelfTestPanel } from '../components/jobs/self-test-panel';

export function JobsPage() {
  const { source, upsert, refresh } = useJobList();
  const rentals = useRentals();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedRental, setSelectedRental] = useState<string | null>(null);
  const rental = selectedRental ? rentals.data?.find((e) => e.rental.key === selectedRental) : undefined;

  const onSelfTestStarted = (id: string) => {
    setSelectedId(id);
    // Its first change is pushed too; fetching covers a push lost to a reconnect.
    refresh();
  };

  return (
    <>
      <PageHeader title="Jobs">What renters run on your GPU, each in a sandbox.</PageHeader>
      <RentalsSection source={rentals} selectedKey={selectedRental} onSelect={setSelectedRental} />
      {rental ? <RentalDetail entry={rental} /> : null}
      <DataView source={source} what="the jobs">
        {(view) => {
          const selected = selectedId ? view.jobs.find((job) => job.id === selectedId) : undefined;
          return (
            <>
              <div className="jobs-toolbar">
                <SandboxLine sandbox={view.sandbox} />
                <SelfTestButton onStarted={onSelfTestStarted} />
              </div>
              <JobList jobs={view.jobs} selectedId={selectedId} onSelect={setSelectedId} onChanged={upsert} />
              {selectedId && selected?.name === 'Self-test' ? <SelfTestPanel jobId={selectedId} /> : null}
              {selectedId ? (
                <JobLogPanel jobId={selectedId} name={selected?.name ?? selectedId} />
              ) : (
                <p className="panel job-log-empty">Choose a job above to see its log.</p>
              )}
            </>
          );
        }}
      </DataView>
    </>
  );
}
