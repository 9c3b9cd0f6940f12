/** The part of node-pty's IPty the runner uses; injected so tests can run without a terminal. */
export interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string) => void): void;
  onExit(listener: (exit: { exitCode: number; signal?: number }) => void): void;
}

export type SpawnPty = (
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; cols: number; rows: number },
) => PtyProcess;
