import type { RlimitValues } from '../limits/types';

/** The exit code of the launcher when it cannot put itself under the job's limits. */
export const LAUNCHER_FAILED = 125;

/**
 * The launcher is a few lines of /bin/sh that, in the spawned process itself and before anything of the
 * job runs:
 * 1. writes its own pid into each of the job's `cgroup.procs` files, so bwrap and every process it
 *    starts are born inside the cgroups (no window between spawn and `attach`, in which a fast fork could
 *    leave a child outside);
 * 2. opens the bwrap options file as fd 3 (`bwrap --args 3`), so the job's environment never shows in
 *    the host's `ps` (/proc/<pid>/cmdline is world-readable; env values may be secrets). bwrap reads
 *    only options from it: the job's command itself stays on the command line;
 * 3. execs prlimit (file size, CPU time, and where used, process count), which execs bwrap. Where
 *    prlimit is missing, the shell's own `ulimit -f` and `-t` are used.
 * It keeps the pid the runner spawned, so that pid stays the process group (and session) leader.
 * It runs with a fixed environment (the plan's `env`), never the spec's.
 */
export function buildLauncher(options: {
  shell?: string;
  joinFiles: string[];
  rlimits: RlimitValues;
  prlimitPath: string | null;
  argsFile: string;
  bwrapPath: string;
  /** The job's command, after bwrap's `--`. */
  command: string[];
}): { command: string; args: string[] } {
  const { rlimits } = options;
  const lines = [
    'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do',
    `  printf '%s\\n' "$$" > "$1" || { echo "nocturne: could not put the job in its cgroup $1" >&2; exit ${LAUNCHER_FAILED}; }`,
    '  shift',
    'done',
    'shift',
    `exec 3< "$1" || exit ${LAUNCHER_FAILED}`,
    'shift',
  ];
  const exec: string[] = [];
  if (options.prlimitPath) {
    exec.push(
      options.prlimitPath,
      `--fsize=${rlimits.fsizeBytes}:${rlimits.fsizeBytes}`,
      `--cpu=${rlimits.cpuSeconds}:${rlimits.cpuSeconds + 10}`,
    );
    if (rlimits.nproc !== null) exec.push(`--nproc=${rlimits.nproc}:${rlimits.nproc}`);
    exec.push('--');
  } else {
    // POSIX ulimit -f counts 512-byte blocks (dash, and bash when run as sh).
    const blocks = Math.floor(rlimits.fsizeBytes / 512);
    lines.push(
      `ulimit -f ${blocks} || exit ${LAUNCHER_FAILED}`,
      `ulimit -t ${rlimits.cpuSeconds} || exit ${LAUNCHER_FAILED}`,
    );
  }
  lines.push('exec "$@"');
  exec.push(options.bwrapPath, '--args', '3', '--', ...options.command);
  return {
    command: options.shell ?? '/bin/sh',
    args: ['-c', lines.join('\n'), 'nocturne-sandbox', ...options.joinFiles, '--', options.argsFile, ...exec],
  };
}

/** The host-side environment of the launcher: enough to run sh, prlimit and bwrap; nothing of the job. */
export const LAUNCHER_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
});
