import { api } from '../api';
import type { Settings } from '../../shared/schemas/settings';
import { DataView } from '../components/data-view';
import { PageHeader } from '../components/page-header';
import { SettingsForm } from '../components/settings-form';
import { useApiData } from '../hooks/use-api-data';

const loadSettings = () => api.settingsGet();
const pushSettings = (listener: (settings: Settings) => void) => api.onSettingsChanged(listener);

export function SettingsPage() {
  const settings = useApiData(loadSettings, pushSettings);
  return (
    <>
      <PageHeader title="Settings">How Nocturne behaves on this computer.</PageHeader>
      <DataView source={settings} what="your settings">
        {(saved) => <SettingsForm saved={saved} onSaved={settings.setData} />}
      </DataView>
    </>
  );
}
