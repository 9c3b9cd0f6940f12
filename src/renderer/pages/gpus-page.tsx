import { api } from '../api';
import type { Settings } from '../../shared/schemas/settings';
import { DataView } from '../components/data-view';
import { GpuCard } from '../components/gpu/gpu-card';
import { GpuProbeErrors } from '../components/gpu/gpu-probe-errors';
import { NoGpusPanel } from '../components/gpu/no-gpus-panel';
import { PageHeader } from '../components/page-header';
import { useApiData } from '../hooks/use-api-data';
import { useLiveGpuList } from '../hooks/use-live-gpu-list';

const loadSettings = () => api.settingsGet();
const pushSettings = (listener: (settings: Settings) => void) => api.onSettingsChanged(listener);

export function GpusPage() {
  const gpus = useLiveGpuList();
  // Only the temperature unit is needed; until the settings arrive (or if they cannot be read),
  // Celsius is what main itself speaks.
  const unit = useApiData(loadSettings, pushSettings).data?.temperatureUnit ?? 'celsius';

  return (
    <>
      <PageHeader title="GPUs">
        The graphics cards Nocturne can rent out, their live readings and the limits that protect them.
      </PageHeader>
      <DataView source={gpus.source} what="your GPUs">
        {(fetched) => {
          const list = gpus.withLiveReadings(fetched);
          if (list.gpus.length === 0) {
            return (
              <>
                <NoGpusPanel probes={list.probes} onLookAgain={gpus.source.reload} />
                <GpuProbeErrors errors={list.errors} />
              </>
            );
          }
          return (
            <div className="gpu-list">
              {/* A broken tool beside a working one: the cards it would have found are missing. */}
              <GpuProbeErrors errors={list.errors} />
              {list.gpus.map((view) => (
                <GpuCard
                  key={view.info.id}
                  view={view}
                  unit={unit}
                  lastGuardAction={gpus.lastGuardActions[view.info.id]}
                  onLimitsApplied={gpus.applyView}
                />
              ))}
            </div>
          );
        }}
      </DataView>
    </>
  );
}
