/** The devnet could not start or keep its state; the message says what to do. */
export class DevnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevnetError';
  }
}

/** The port to serve JSON-RPC on is taken. */
export class DevnetPortInUseError extends DevnetError {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(
      `Port ${port} on ${host} is already in use (another devnet or node?). Choose another with --port, ` +
        `or --port 0 for any free one.`,
    );
    this.name = 'DevnetPortInUseError';
  }
}

/** A journal line in the middle that cannot be read, or one whose replay did not give what it recorded. */
export class DevnetJournalError extends DevnetError {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(
      `${file} line ${line}: ${problem}. The devnet's state cannot be rebuilt past it, so it did not start; ` +
        `the journal is left as it is. Fix or remove that line, or start a fresh chain with ` +
        `\`nocturne devnet --reset\` (it renames the devnet folder to devnet.bak-<time>).`,
    );
    this.name = 'DevnetJournalError';
  }
}
