import { useEffect, useId, useRef } from 'react';
import type { ApiData } from '../../hooks/use-api-data';
import { groupRentals, type RentalEntry } from '../../hooks/rental-entries';
import { sectionFromHash } from '../../router/hash-route';
import { RentalTable } from './rental-table';

/** The id in `#/jobs/rentals`, the Dashboard's link to this section. */
export const RENTALS_SECTION = 'rentals';

/**
 * Renters' rentals of this machine: live ones first, then past ones, each a table under its heading.
 * Loading, errors (with Retry) and "none yet" are said in words inside the section, so the local jobs
 * below still show when the ledger cannot be read.
 */
export function RentalsSection({
  source,
  selectedKey,
  onSelect,
}: {
  source: ApiData<RentalEntry[]>;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}) {
  const headingId = useId();
  const liveId = useId();
  const pastId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const arrived = source.data !== undefined;

  // Came from the Dashboard's link: once the rentals are shown, take keyboard and screen-reader users
  // here (the app has already focused the page heading when the route changed).
  const focused = useRef(false);
  useEffect(() => {
    if (!arrived || focused.current) return;
    focused.current = true;
    if (sectionFromHash(window.location.hash) === RENTALS_SECTION) headingRef.current?.focus();
  }, [arrived]);

  return (
    <section className="panel rentals" aria-labelledby={headingId} data-testid="rentals">
      <h2 id={headingId} className="panel__title" tabIndex={-1} ref={headingRef}>
        Rentals
      </h2>
      <RentalsBody source={source} ids={{ liveId, pastId }} selectedKey={selectedKey} onSelect={onSelect} />
    </section>
  );
}

function RentalsBody({
  source,
  ids,
  selectedKey,
  onSelect,
}: {
  source: ApiData<RentalEntry[]>;
  ids: { liveId: string; pastId: string };
  selectedKey: string | null;
  onSelect: (key: string) => void;
}) {
  const entries = source.data;
  if (entries === undefined) {
    return source.error && !source.loading ? (
      <div className="inline-error" role="alert">
        Couldn’t load the rentals: {source.error.message}{' '}
        <button type="button" className="button button--small" onClick={source.reload}>
          Retry
        </button>
      </div>
    ) : (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (entries.length === 0) {
    return (
      <p className="panel__text" data-testid="rentals-empty">
        No renter has rented this machine yet. Go online in Settings to take renters.
      </p>
    );
  }
  const { live, past } = groupRentals(entries);
  return (
    <>
      <h3 id={ids.liveId} className="rentals__group-title">
        Live now
      </h3>
      {live.length > 0 ? (
        <RentalTable entries={live} labelledBy={ids.liveId} selectedKey={selectedKey} onSelect={onSelect} />
      ) : (
        <p className="panel__text">No renter is on this machine right now.</p>
      )}
      {past.length > 0 ? (
        <>
          <h3 id={ids.pastId} className="rentals__group-title">
            Past rentals
          </h3>
          <RentalTable entries={past} labelledBy={ids.pastId} selectedKey={selectedKey} onSelect={onSelect} />
        </>
      ) : null}
      {source.error ? (
        <p className="inline-error" role="alert">
          Couldn’t refresh the rentals: {source.error.message}
        </p>
      ) : null}
    </>
  );
}
