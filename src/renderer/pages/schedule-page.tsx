import { NotAvailablePanel } from '../components/not-available-panel';
import { PageHeader } from '../components/page-header';

export function SchedulePage() {
  return (
    <>
      <PageHeader title="Schedule">When your GPU is up for rent.</PageHeader>
      <NotAvailablePanel>
        Here you will mark the hours of the week when your computer sits idle, and Nocturne will rent out your
        GPU only during those hours.
      </NotAvailablePanel>
    </>
  );
}
