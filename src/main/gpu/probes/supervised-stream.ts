import type { StreamedProcess } from '../../os/process-runner';

export interface SupervisorOptions {
  start(): StreamedProcess;
  onLine(line: string): void;
  /** Called each time the process ends unasked, with its exit code and the tail of its stderr. */
  onCrash(code: number | null, stderr: string): void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run this long counts as healthy and resets the back-off. */
  healthyAfterMs?: number;
  now?: () => number;
}

/**
 * Keeps one long-lived process running (nvidia-smi -lms): restarted after a crash with exponential
 * back-off, so a broken driver costs one spawn a minute, not one a second.
 */
export function superviseStream(options: SupervisorOptions) {
  const min = options.minBackoffMs ?? 1_000;
  const max = options.maxBackoffMs ?? 60_000;
  const healthyAfter = options.healthyAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  let backoff = min;
  let current: StreamedProcess | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let starts = 0;

  const launch = () => {
    if (stopped) return;
    starts++;
    const startedAt = now();
    const child = options.start();
    current = child;
    child.onLine(options.onLine);
    child.onExit((code, stderr) => {
      if (stopped || current !== child) return;
      current = null;
      if (now() - startedAt >= healthyAfter) backoff = min;
      options.onCrash(code, stderr);
      timer = setTimeout(launch, backoff);
      backoff = Math.min(backoff * 2, max);
    });
  };
  launch();

  return {
    /** How many processes were started: the benchmark reports spawns per minute from this. */
    starts: () => starts,
    stop() {
      stopped = true;
      clearTimeout(timer);
      current?.kill();
      current = null;
    },
  };
}
