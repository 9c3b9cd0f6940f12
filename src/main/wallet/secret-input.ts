import { LangEn, Mnemonic } from 'ethers';
import { UserFacingError } from '../core/router';
import { SECP256K1_ORDER } from './keystore/keystore-format';

/**
 * Checks what the owner typed to import a wallet. Messages say what is wrong (a word's position, the
 * length) but never repeat the secret itself.
 */

const WORD_COUNTS = [12, 15, 18, 21, 24];

/** Trimmed, single-spaced, lower case (English BIP-39 words are ASCII; NFKD as BIP-39 asks). */
export function normalisePhrase(input: string): string {
  return input.normalize('NFKD').trim().toLowerCase().split(/\s+/).filter(Boolean).join(' ');
}

function listPositions(positions: number[]): string {
  if (positions.length === 1) return `word ${positions[0]} is`;
  const last = positions[positions.length - 1];
  return `words ${positions.slice(0, -1).join(', ')} and ${last} are`;
}

/** The normalised phrase, or a UserFacingError "The recovery phrase is not valid: ...". */
export function validatePhrase(input: string): string {
  const phrase = normalisePhrase(input);
  const refuse = (why: string) => new UserFacingError(`The recovery phrase is not valid: ${why}`, 'phrase');
  if (!phrase) throw refuse('it is empty.');
  const words = phrase.split(' ');
  if (!WORD_COUNTS.includes(words.length)) {
    throw refuse(`it has ${words.length} words; a phrase has 12, 15, 18, 21 or 24.`);
  }
  const wordlist = LangEn.wordlist();
  const unknown = words.flatMap((word, i) => (wordlist.getWordIndex(word) < 0 ? [i + 1] : []));
  if (unknown.length > 0) throw refuse(`${listPositions(unknown)} not in the BIP-39 English word list.`);
  if (!Mnemonic.isValidMnemonic(phrase, wordlist)) {
    throw refuse('its checksum does not match (a word may be mistyped or out of order).');
  }
  return phrase;
}

/** 0x-prefixed lower-case hex of a valid secp256k1 private key, or a UserFacingError. */
export function validatePrivateKey(input: string): string {
  const trimmed = input.trim();
  const hex = /^0x/i.test(trimmed) ? trimmed.slice(2) : trimmed;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UserFacingError(
      'The private key is not valid: it must be 64 hexadecimal digits (32 bytes), with or without 0x.',
      'privateKey',
    );
  }
  const value = BigInt(`0x${hex}`);
  if (value === 0n || value >= SECP256K1_ORDER) {
    throw new UserFacingError(
      'The private key is not valid: it must be above zero and below the secp256k1 curve order.',
      'privateKey',
    );
  }
  return `0x${hex.toLowerCase()}`;
}
