import { api } from '../api';
import type { Settings } from '../../shared/schemas/settings';
import { DataView } from '../components/data-view';
import { PageHeader } from '../components/page-header';
import { SettingsForm } from '../components/settings-form';
import { useApiData } from '../hooks/use-api-data';
import { SETUP_STEPS } from '../components/setup/setup-steps';
import { hrefFor } from '../router/hash-route';

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
      <section className="panel settings-setup" aria-labelledby="settings-setup-title">
        <h2 id="settings-setup-title" className="panel__title">
          Setup
        </h2>
        <p className="panel__text">Any step of the first-run setup, again:</p>
        <ol className="settings-setup__steps">
          {SETUP_STEPS.map((step) => (
            <li key={step.id}>
              <a href={hrefFor('setup', step.id)}>{step.title}</a>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
