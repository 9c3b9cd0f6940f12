import { useConnection } from '../hooks/use-connection';

export function ConnectionBanner() {
  if (useConnection() !== 'closed') return null;
  return (
    <div className="connection-banner" role="alert">
      <span className="connection-banner__pulse" aria-hidden="true" />
      Lost contact with Nocturne — reconnecting…
    </div>
  );
}
