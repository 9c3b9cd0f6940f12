import { api } from '../api';
import type { AvailabilityView } from '../../shared/schemas/availability';
import type { Settings } from '../../shared/schemas/settings';
import { DataView } from '../components/data-view';
import { PageHeader } from '../components/page-header';
import { AvailabilityBanner } from '../components/schedule/availability-banner';
import { AvailabilityForm } from '../components/schedule/availability-form';
import { PausePanel } from '../components/schedule/pause-panel';
import { ScheduleEditor } from '../components/schedule/schedule-editor';
import { useApiData } from '../hooks/use-api-data';

const loadAvailability = () => api.availabilityGet();
const pushAvailability = (listener: (view: AvailabilityView) => void) => api.onAvailabilityChanged(listener);
const loadSchedule = () => api.scheduleGet();
const loadSettings = () => api.settingsGet();
const pushSettings = (listener: (settings: Settings) => void) => api.onSettingsChanged(listener);

export function SchedulePage() {
  const availability = useApiData(loadAvailability, pushAvailability);
  const schedule = useApiData(loadSchedule);
  const settings = useApiData(loadSettings, pushSettings);

  return (
    <>
      <PageHeader title="Schedule">When your GPU is up for rent.</PageHeader>
      <DataView source={availability} what="whether your GPU is for rent">
        {(view) => (
          <div className="availability-now">
            <AvailabilityBanner view={view} />
            <PausePanel view={view} onChanged={availability.setData} />
          </div>
        )}
      </DataView>
      <DataView source={schedule} what="your schedule">
        {(saved) => <ScheduleEditor saved={saved} onSaved={schedule.setData} />}
      </DataView>
      <DataView source={settings} what="your availability settings">
        {(saved) => <AvailabilityForm saved={saved} onSaved={settings.setData} />}
      </DataView>
    </>
  );
}
