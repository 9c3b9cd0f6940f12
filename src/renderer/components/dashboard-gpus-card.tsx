import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Settings } from '../../shared/schemas/settings';
import { useLiveGpuList } from '../hooks/use-live-gpu-list';
import { formatTemperature } from './gpu/temperature';

/** The Dashboard's glance at the cards: name, live temperature and the guard's sentence, per GPU. */
export function DashboardGpusCard() {
  const { source, withLiveReadings } = useLiveGpuList();
  const [unit, setUnit] = useState<Settings['temperatureUnit']>('celsius');
  useEffect(() => {
    void api.settingsGet().then(
      (s) => setUnit(s.temperatureUnit),
      () => {},
    );
    return api.onSettingsChanged((s) => setUnit(s.temperatureUnit));
  }, []);

  const list = source.data ? withLiveReadings(source.data) : null;
  return (
    <section className="card" aria-labelledby="card-gpus" data-testid="dashboard-gpus">
      <h2 id="card-gpus" className="card__title">
        GPUs
      </h2>
      {!list ? (
        <p className="card__text">
          {source.error ? `Couldn’t load your GPUs: ${source.error.message}` : 'Loading…'}
        </p>
      ) : list.gpus.length === 0 ? (
        <p className="card__text">No GPU was found. The GPUs page says what Nocturne looked for.</p>
      ) : (
        <ul className="card__list">
          {list.gpus.map((g) => (
            <li key={g.info.id}>
              <strong>{g.info.name}</strong>: {formatTemperature(g.info.temperatureC, unit)}
              <span className="card__text"> · {g.guard.sentence}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
