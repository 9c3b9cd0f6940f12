import type { ReactNode } from 'react';
import type { ApiData } from '../hooks/use-api-data';

/**
 * Shows "Loading…" or a readable error with Retry until the first value arrives, then the page.
 * `what` names the thing in the error sentence: "Couldn't load your settings: …".
 */
export function DataView<T>({
  source,
  what,
  children,
}: {
  source: ApiData<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (source.data !== undefined) return children(source.data);
  if (source.loading || !source.error) {
    return (
      <p className="panel loading" role="status">
        Loading…
      </p>
    );
  }
  return (
    <div className="panel panel--error" role="alert">
      <p className="panel__text">
        Couldn’t load {what}: {source.error.message}
      </p>
      <button type="button" className="button" onClick={source.reload}>
        Retry
      </button>
    </div>
  );
}
