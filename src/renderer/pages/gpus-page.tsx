import { NotAvailablePanel } from '../components/not-available-panel';
import { PageHeader } from '../components/page-header';

export function GpusPage() {
  return (
    <>
      <PageHeader title="GPUs">The graphics cards Nocturne can rent out.</PageHeader>
      <NotAvailablePanel>
        This page will detect your graphics cards and show their live temperature, power draw and utilization.
        You will be able to set temperature limits and run a benchmark that tells renters what each card can
        do.
      </NotAvailablePanel>
    </>
  );
}
