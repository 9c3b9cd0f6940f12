import { askOnTerminal } from './prompt';

/** Where a command writes; injected so tests read what a user would see. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Asks the user (a terminal prompt, or the next line of piped stdin); absent: nobody to ask. */
  ask?(question: string, options: { secret: boolean }): Promise<string>;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  ask: (question, { secret }) => askOnTerminal(question, secret),
};

/** A mistake in how the command was called: exit code 2 and a pointer to help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function printData(io: CliIo, json: boolean, data: unknown, asText: () => string): void {
  io.out(json ? `${JSON.stringify(data, null, 2)}\n` : `${asText()}\n`);
}
