import { formatDuration } from '../format/duration';
import { useNow } from '../hooks/use-now';

export function Uptime({ since }: { since: string }) {
  const now = useNow(1000);
  return <time dateTime={since}>{formatDuration(now - Date.parse(since))}</time>;
}
