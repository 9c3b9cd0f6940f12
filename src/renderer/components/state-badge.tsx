import type { AppStatus } from '../../shared/schemas/app-status';

const labels: Record<AppStatus['state'], string> = { active: 'Active', paused: 'Paused' };

export function StateBadge({ state }: { state: AppStatus['state'] }) {
  return <span className={`badge badge--${state}`}>{labels[state]}</span>;
}
