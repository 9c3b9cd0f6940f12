import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RunResult {
  stdout: string;
  stderr: string;
  /** null when the process could not start or was killed. */
  exitCode: number | null;
  failure: 'not-found' | 'timeout' | null;
}

export interface StreamedProcess {
  readonly pid: number | undefined;
  onLine(listener: (line: string) => void): void;
  onExit(listener: (code: number | null, stderr: string) => void): void;
  kill(): void;
}

/** How domain code starts other programs; the composition root passes the real one, tests a fake. */
export interface ProcessRunner {
  run(command: string, args: string[], options?: { timeoutMs?: number }): Promise<RunResult>;
  stream(command: string, args: string[]): StreamedProcess;
  /** Full path of `command` on PATH, or null: probing for a tool without running it. */
  which(command: string): string | null;
}

export function createProcessRunner(env: NodeJS.ProcessEnv = process.env): ProcessRunner {
  return {
    run(command, args, options = {}) {
      return new Promise((resolve) => {
        execFile(
          command,
          args,
          { timeout: options.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024, env, windowsHide: true },
          (error, stdout, stderr) => {
            const code = (error as NodeJS.ErrnoException | null)?.code;
            resolve({
              stdout: String(stdout),
              stderr: String(stderr),
              exitCode: error
                ? typeof code === 'number'
                  ? code
                  : ((error as { status?: number }).status ?? null)
                : 0,
              failure:
                code === 'ENOENT'
                  ? 'not-found'
                  : (error as { killed?: boolean } | null)?.killed
                    ? 'timeout'
                    : null,
            });
          },
        );
      });
    },

    stream(command, args) {
      const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      const lineListeners: ((line: string) => void)[] = [];
      const exitListeners: ((code: number | null, stderr: string) => void)[] = [];
      let pending = '';
      let stderr = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) for (const l of lineListeners) l(line);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        // Keep only the tail: a chatty failing tool must not grow memory without bound.
        stderr = (stderr + chunk.toString()).slice(-4096);
      });
      let exited = false;
      const finish = (code: number | null) => {
        if (exited) return;
        exited = true;
        for (const l of exitListeners) l(code, stderr);
      };
      child.on('error', () => finish(null));
      child.on('close', (code) => finish(code));
      return {
        pid: child.pid,
        onLine: (l) => void lineListeners.push(l),
        onExit: (l) => void exitListeners.push(l),
        kill: () => void child.kill(),
      };
    },

    which(command) {
      const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
      for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (!dir) continue;
        for (const ext of extensions) {
          const candidate = join(dir, command + ext);
          try {
            accessSync(candidate, constants.X_OK);
            return candidate;
          } catch {
            // not here
          }
        }
      }
      return null;
    },
  };
}
