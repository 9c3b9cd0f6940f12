import type { GpuView, GuardActionEvent } from '../../../shared/schemas/gpu';
import { formatOwnerTime } from '../../format/owner-time';
import { useOwnerZone } from '../../hooks/use-owner-zone';

export type GuardTone = 'ok' | 'warning' | 'paused';

/**
 * The colour the guard's state gets. A card whose temperature is unknown is a warning even while the
 * guard is "normal": it cannot protect what it cannot measure.
 */
export function guardTone(phase: GpuView['guard']['phase'], temperatureC: number | null): GuardTone {
  switch (phase) {
    case 'normal':
      return temperatureC === null ? 'warning' : 'ok';
    case 'capped':
      return 'warning';
    case 'paused':
    case 'stopped':
      return 'paused';
  }
}

/** The guard's sentence exactly as main words it, and what the guard last did to this card. */
export function GpuGuardStatus({
  view,
  lastAction,
}: {
  view: GpuView;
  lastAction: GuardActionEvent | undefined;
}) {
  const zone = useOwnerZone();
  // The list, not telemetry, carries the guard's state: tone and sentence change together.
  const tone = guardTone(view.guard.phase, view.info.temperatureC);
  return (
    <div className={`guard guard--${tone}`} data-state={tone}>
      <span className="guard__dot" aria-hidden="true" />
      {/* Polite live region: the sentence changes when the guard caps, pauses or stops a job. */}
      <div className="guard__text" aria-live="polite">
        <p className="guard__sentence" data-testid="gpu-guard">
          {view.guard.sentence}
        </p>
        {lastAction ? (
          <p className="guard__action" data-testid="gpu-guard-action">
            Last guard action at{' '}
            <time dateTime={lastAction.at}>{formatOwnerTime(lastAction.at, zone, 'time')}</time>:{' '}
            {lastAction.reason}
          </p>
        ) : null}
      </div>
    </div>
  );
}
