import { useState } from 'react';
import { toError } from './use-api-data';

/**
 * One button's call to main: busy while it runs, and main's refusal in words when it fails (shown next
 * to the button, not thrown).
 */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(toError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
