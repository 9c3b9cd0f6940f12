import { randomBytes, randomInt } from 'node:crypto';
import { UserFacingError } from '../core/router';

export interface BackupAnswer {
  position: number;
  word: string;
}

interface Session {
  words: string[];
  ask: number[];
  shown: boolean;
}

/**
 * A new wallet's phrase, held in memory until the owner proves they wrote it down: shown once, then
 * three of its words asked back. Sessions end when the backup is confirmed or the wallet locks.
 */
export class BackupSessions {
  readonly #sessions = new Map<string, Session>();

  /** A session for the phrase; returns its id (16 random bytes, hex). */
  start(phrase: string): string {
    const words = phrase.trim().split(/\s+/);
    const ask = new Set<number>();
    while (ask.size < 3) ask.add(randomInt(1, words.length + 1));
    const id = randomBytes(16).toString('hex');
    this.#sessions.set(id, { words, ask: [...ask].sort((a, b) => a - b), shown: false });
    return id;
  }

  #get(id: string): Session {
    const session = this.#sessions.get(id);
    if (!session) {
      throw new UserFacingError(
        'This backup has ended (the wallet was locked, or the backup was confirmed). ' +
          'Unlock the wallet and start the backup again.',
        'backupId',
      );
    }
    return session;
  }

  /** The words and the positions to ask, once. */
  words(id: string): { words: string[]; ask: number[] } {
    const session = this.#get(id);
    if (session.shown) {
      throw new UserFacingError(
        'The backup phrase was already shown; it is shown only once. ' +
          'If you did not write it down, start the backup again with your password.',
        'backupId',
      );
    }
    session.shown = true;
    return { words: [...session.words], ask: [...session.ask] };
  }

  /** Succeeds (and forgets the phrase) when the three asked words match; otherwise names the wrong ones. */
  confirm(id: string, answers: readonly BackupAnswer[]): void {
    const session = this.#get(id);
    if (!session.shown) throw new UserFacingError('Show the backup phrase first.', 'backupId');
    const asked = session.ask.join(', ');
    const positions = answers.map((a) => a.position);
    if (
      answers.length !== session.ask.length ||
      !session.ask.every((p) => positions.includes(p)) ||
      new Set(positions).size !== positions.length
    ) {
      throw new UserFacingError(`Answer exactly the words asked: words ${asked}.`, 'answers');
    }
    const wrong = answers
      .map((answer, index) => ({ answer, index }))
      .filter(({ answer }) => answer.word.trim().toLowerCase() !== session.words[answer.position - 1])
      .sort((a, b) => a.answer.position - b.answer.position);
    const first = wrong[0];
    if (first) {
      const list = wrong.map((w) => w.answer.position);
      const which =
        list.length === 1
          ? `Word ${list[0]} does`
          : `Words ${list.slice(0, -1).join(', ')} and ${list[list.length - 1]} do`;
      throw new UserFacingError(
        `${which} not match your recovery phrase. Check what you wrote down and try again.`,
        `answers.${first.index}.word`,
      );
    }
    this.#sessions.delete(id);
  }

  /** Whether any session is open (a new wallet waiting for its backup). */
  get size(): number {
    return this.#sessions.size;
  }

  /** Forgets every phrase (on lock). */
  clear(): void {
    this.#sessions.clear();
  }
}
