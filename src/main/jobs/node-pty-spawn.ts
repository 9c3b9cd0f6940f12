import pty from 'node-pty';
import type { SpawnPty } from './pty';

/** The real terminal: the child gets its own session and process group, so -pid reaches all of it. */
export const nodePtySpawn: SpawnPty = (command, args, options) =>
  pty.spawn(command, args, {
    name: 'xterm-256color',
    cwd: options.cwd,
    env: options.env,
    cols: options.cols,
    rows: options.rows,
  });
