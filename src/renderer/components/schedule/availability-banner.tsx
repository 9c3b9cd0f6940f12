import type { AvailabilityView } from '../../../shared/schemas/availability';

/**
 * Whether the GPU is for rent right now, in one sentence, and why. A polite live region: it changes when
 * the schedule turns over, the owner comes back, a game starts or the card runs hot.
 */
export function AvailabilityBanner({ view }: { view: AvailabilityView }) {
  return (
    <div
      className={`availability-banner availability-banner--${view.available ? 'on' : 'off'}`}
      role="status"
      data-testid="availability-banner"
      data-available={view.available}
    >
      <span className="availability-banner__dot" aria-hidden="true" />
      <div className="availability-banner__text">
        <p className="availability-banner__sentence">{view.sentence}</p>
        {view.reasons.length > 0 ? (
          <ul className="availability-banner__reasons" aria-label={view.available ? 'Why' : 'Why not'}>
            {view.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
