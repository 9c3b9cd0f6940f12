import type { StallAlert } from '../../../shared/schemas/earnings';

/** Renters who stopped paying, at the top of the page: their jobs are paused and will be stopped. */
export function StallAlerts({ alerts }: { alerts: readonly StallAlert[] }) {
  if (alerts.length === 0) return null;
  return (
    <div className="panel panel--warning earnings-alerts" role="alert" data-testid="earnings-alerts">
      <h2 className="panel__title">
        {alerts.length === 1 ? 'A renter stopped paying' : `${alerts.length} renters stopped paying`}
      </h2>
      <ul>
        {alerts.map((a) => (
          <li key={a.key}>
            {a.message} <span className="earnings-muted">({a.networkName})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
