import { createInterface, type Interface } from 'node:readline';

let piped: { lines: AsyncIterator<string>; rl: Interface } | null = null;

/**
 * Asks on the terminal; a secret is not echoed. When stdin is not a terminal the answers are read
 * line by line from it, so scripts can pipe a recovery phrase in without it ever reaching argv.
 */
export async function askOnTerminal(question: string, secret: boolean): Promise<string> {
  if (!process.stdin.isTTY) {
    piped ??= (() => {
      const rl = createInterface({ input: process.stdin, terminal: false });
      return { rl, lines: rl[Symbol.asyncIterator]() };
    })();
    const next = await piped.lines.next();
    if (next.done) throw new Error(`No answer on standard input for "${question.trim()}"`);
    return next.value;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (secret) {
    // readline echoes through _writeToOutput; print the question, then nothing the user types.
    const writable = rl as unknown as { _writeToOutput: (s: string) => void };
    let prompted = false;
    writable._writeToOutput = (s: string) => {
      if (!prompted) {
        process.stderr.write(s);
        prompted = true;
      }
    };
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    if (secret) process.stderr.write('\n');
    rl.close();
  }
}

/** Releases stdin once a command is done, so the process can exit. */
export function closePrompts(): void {
  piped?.rl.close();
  piped = null;
}
