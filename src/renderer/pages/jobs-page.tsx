import { NotAvailablePanel } from '../components/not-available-panel';
import { PageHeader } from '../components/page-header';

export function JobsPage() {
  return (
    <>
      <PageHeader title="Jobs">What renters run on your GPU.</PageHeader>
      <NotAvailablePanel>
        This page will list the jobs renters run on your GPU, with their live logs as they run.
      </NotAvailablePanel>
    </>
  );
}
