import type { TxStatus } from '../../../shared/schemas/wallet';

// Words, not only colour, as for jobs.
const labels: Record<TxStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  failed: 'Failed',
  replaced: 'Replaced',
};

export function TxStatusBadge({ status }: { status: TxStatus }) {
  return <span className={`badge badge--tx-${status}`}>{labels[status]}</span>;
}
