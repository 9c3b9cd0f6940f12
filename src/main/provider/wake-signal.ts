export interface WakeSignal {
  /** Resolves at the next wakeAll(), or after `ms`. */
  wait(ms: number): Promise<void>;
  wakeAll(): void;
}

/**
 * What a session's waits (the final voucher) hang on: a stored voucher, the renter leaving or the node
 * stopping wakes them at once instead of at their deadline.
 */
export function createWakeSignal(): WakeSignal {
  const waiters = new Set<() => void>();
  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms));
        waiters.add(done);
      }),
    wakeAll() {
      for (const wake of [...waiters]) wake();
    },
  };
}
