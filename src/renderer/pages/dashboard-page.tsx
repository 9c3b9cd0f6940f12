import { api } from '../api';
import type { AppStatus, RunMode } from '../../shared/schemas/app-status';
import { DashboardEarningsCard } from '../components/dashboard-earnings-card';
import { DashboardGpusCard } from '../components/dashboard-gpus-card';
import { DashboardMarketCard } from '../components/dashboard-market-card';
import { DataView } from '../components/data-view';
import { PageHeader } from '../components/page-header';
import { PauseResumeButton } from '../components/pause-resume-button';
import { RentBadge } from '../components/rent-badge';
import { StateBadge } from '../components/state-badge';
import { Uptime } from '../components/uptime';
import { useApiData } from '../hooks/use-api-data';

const loadStatus = () => api.appStatus();
const pushStatus = (listener: (status: AppStatus) => void) => api.onAppStatusChanged(listener);

const modeLabels: Record<RunMode, string> = {
  electron: 'Desktop app',
  headless: 'Headless (nocturne serve)',
};

export function DashboardPage() {
  const status = useApiData(loadStatus, pushStatus);
  return (
    <>
      <PageHeader title="Dashboard" />
      <DataView source={status} what="Nocturne’s status">
        {(s) => <StatusPanel status={s} onChanged={status.setData} />}
      </DataView>
      <div className="card-grid">
        <DashboardEarningsCard />
        <DashboardMarketCard />
        <DashboardGpusCard />
        <section className="card" aria-labelledby="card-availability">
          <h2 id="card-availability" className="card__title">
            Availability
          </h2>
          <p className="card__text">
            Choose the hours your GPU is up for rent, and whether it waits until you are away, on the Schedule
            page.
          </p>
        </section>
      </div>
    </>
  );
}

function StatusPanel({ status, onChanged }: { status: AppStatus; onChanged: (status: AppStatus) => void }) {
  return (
    <section className="panel status-panel" aria-label="Status">
      <div className="status-panel__head">
        <div className="status-panel__badges">
          <StateBadge state={status.state} />
          <RentBadge available={status.available} />
        </div>
        <PauseResumeButton state={status.state} onChanged={onChanged} />
      </div>
      {/* Polite live region: the sentence changes when renting pauses or resumes, also from the tray. */}
      <p className="status-sentence" data-testid="status-sentence" aria-live="polite">
        {status.sentence}
      </p>
      <dl className="facts">
        <div className="facts__item">
          <dt>Uptime</dt>
          <dd>
            <Uptime since={status.startedAt} />
          </dd>
        </div>
        <div className="facts__item">
          <dt>Mode</dt>
          <dd>{modeLabels[status.mode]}</dd>
        </div>
        <div className="facts__item">
          <dt>Version</dt>
          <dd>{status.version}</dd>
        </div>
        <div className="facts__item facts__item--wide">
          <dt>Data directory</dt>
          <dd>
            <code className="path">{status.dataDir}</code>
          </dd>
        </div>
      </dl>
    </section>
  );
}
