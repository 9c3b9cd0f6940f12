/** Whether the GPU is for rent right now; the status sentence beside it says why. */
export function RentBadge({ available }: { available: boolean }) {
  return (
    <span className={`badge badge--${available ? 'for-rent' : 'not-for-rent'}`} data-testid="rent-badge">
      {available ? 'For rent' : 'Not for rent'}
    </span>
  );
}
