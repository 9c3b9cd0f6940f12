import type { Logger } from '../../src/main/core/logger';

/** Collects log lines so a test can assert what was (or was not) logged. */
export function createMemoryLogger() {
  const lines: { level: string; message: string; error?: unknown }[] = [];
  const logger: Logger & { lines: typeof lines } = {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message, error) => lines.push({ level: 'error', message, error }),
  };
  return logger;
}
