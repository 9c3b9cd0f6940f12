import { formatSeconds } from '../../format/rental-format';
import { elapsedSeconds, type RentalEntry } from '../../hooks/rental-entries';
import { useNow } from '../../hooks/use-now';

/**
 * The rental's billed time. While it runs it ticks on locally once a second from the last time main said
 * (each change main pushes re-syncs it); otherwise it is what main said. Only this text re-renders.
 */
export function RentalElapsed({ entry }: { entry: RentalEntry }) {
  return entry.rental.status === 'running' ? (
    <Ticking entry={entry} />
  ) : (
    <>{formatSeconds(elapsedSeconds(entry, entry.syncedAt))}</>
  );
}

function Ticking({ entry }: { entry: RentalEntry }) {
  const now = useNow(1000);
  return <>{formatSeconds(elapsedSeconds(entry, now))}</>;
}
