import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * Appends one JSON line per entry to a file in the data directory, and echoes warnings and errors to
 * stderr. Synchronous appends are fine at this volume and survive a crash right after the call.
 */
export function createFileLogger(
  file: string,
  echo: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  mkdirSync(dirname(file), { recursive: true });
  const write = (level: string, message: string, error?: unknown) => {
    const entry: Record<string, unknown> = { at: new Date().toISOString(), level, message };
    if (error !== undefined)
      entry.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
    if (level !== 'info') echo(`[nocturne] ${level}: ${message}\n`);
  };
  return {
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, e) => write('error', m, e),
  };
}
