import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  randomUUID,
  scrypt as scryptCallback,
  timingSafeEqual,
} from 'node:crypto';
import { computeAddress, getAddress, HDNodeWallet, keccak256, Mnemonic } from 'ethers';

/**
 * Web3 Secret Storage v3 (the keystore JSON that geth, ethers and MetaMask read). The private key is
 * `crypto.ciphertext`, so any of them opens our file with the password. An HD wallet also keeps its
 * BIP-39 phrase, encrypted under the second half of the derived key, in `x-nocturne` (the way ethers
 * keeps its `x-ethers`). scrypt runs in node:crypto's async implementation, on libuv's thread pool.
 */

export const DEFAULT_SCRYPT_N = 1 << 17;
/** N above this is refused: at r = 8 it would need more than 1 GiB (a hostile file's memory bomb). */
export const MAX_SCRYPT_N = 1 << 20;
export const DEFAULT_HD_PATH = "m/44'/60'/0'/0/0";

const SCRYPT_R = 8;
const SCRYPT_P = 1;
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;
const MIN_SCRYPT_MAXMEM = 256 * 1024 * 1024;
/** secp256k1's group order: a private key must be in [1, n - 1]. */
export const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export type WalletKind = 'mnemonic' | 'privateKey';

export type KeystoreSecret =
  { kind: 'privateKey'; privateKey: string } | { kind: 'mnemonic'; phrase: string; path?: string };

export interface DecryptedKeystore {
  kind: WalletKind;
  /** Checksummed. */
  address: string;
  /** 0x-prefixed, 64 hex digits. */
  privateKey: string;
  /** The BIP-39 phrase and its derivation path (mnemonic wallets only). */
  phrase: string | null;
  path: string | null;
}

/** What the file says without the password. */
export interface KeystoreInfo {
  kind: WalletKind;
  /** Checksummed; null when the file does not carry an address. */
  address: string | null;
  scryptN: number;
}

export interface EncryptKeystoreOptions {
  /** Only for tests of code that merely needs a keystore: production always uses 2^17. */
  scryptN?: number;
}

/** The base of every keystore refusal; `field` names the JSON field at fault, when one is. */
export class KeystoreError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'KeystoreError';
  }
}

/** The MAC does not match: the password is wrong (or the ciphertext was altered, which looks the same). */
export class WrongPasswordError extends KeystoreError {
  constructor() {
    super('Wrong password.');
    this.name = 'WrongPasswordError';
  }
}

/** The file is not a well-formed v3 keystore. The message names the field; it never holds secrets. */
export class KeystoreCorruptError extends KeystoreError {
  constructor(detail: string, field?: string) {
    super(`The keystore is damaged: ${detail}`, field);
    this.name = 'KeystoreCorruptError';
  }
}

/** Well-formed, but asks for something Nocturne does not do (another kdf or cipher, a huge scrypt N). */
export class KeystoreUnsupportedError extends KeystoreError {
  constructor(detail: string, field?: string) {
    super(`The keystore is not supported: ${detail}`, field);
    this.name = 'KeystoreUnsupportedError';
  }
}

interface ScryptParams {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
}

interface ParsedKeystore {
  address: string | null;
  kdf: ScryptParams;
  iv: Buffer;
  ciphertext: Buffer;
  mac: Buffer;
  /** Ours: the phrase itself under aes-128-ctr with dk[32:48]. */
  nocturne: { path: string; counter: Buffer; ciphertext: Buffer } | null;
  /** ethers' x-ethers 0.1: the phrase's entropy under aes-256-ctr with dk[32:64]. */
  ethers: { path: string; counter: Buffer; ciphertext: Buffer } | null;
}

/** Key derivation: password (NFKC, UTF-8, as ethers does) -> 64 bytes, off the main thread. */
export function deriveKey(password: string, params: ScryptParams): Promise<Buffer> {
  const { n, r, p, salt } = params;
  const maxmem = Math.max(MIN_SCRYPT_MAXMEM, 128 * r * (n + p + 2) + 1024 * 1024);
  return new Promise((resolve, reject) => {
    scryptCallback(
      Buffer.from(password.normalize('NFKC'), 'utf8'),
      salt,
      64,
      { N: n, r, p, maxmem },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function aesCtr(key: Buffer, iv: Buffer, data: Buffer, decrypt = false): Buffer {
  const algorithm = key.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr';
  const cipher = decrypt ? createDecipheriv(algorithm, key, iv) : createCipheriv(algorithm, key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

function computeMac(key: Buffer, ciphertext: Buffer): Buffer {
  return Buffer.from(keccak256(Buffer.concat([key.subarray(16, 32), ciphertext])).slice(2), 'hex');
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/** A 32-byte private key in range, else null. */
function keyBytes(hex: string): Buffer | null {
  const clean = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) return null;
  const value = BigInt(`0x${clean}`);
  if (value === 0n || value >= SECP256K1_ORDER) return null;
  return Buffer.from(clean, 'hex');
}

/** The key, address and phrase a secret stands for (no encryption); throws on an invalid secret. */
export function openSecret(secret: KeystoreSecret): DecryptedKeystore {
  if (secret.kind === 'mnemonic') {
    const path = secret.path ?? DEFAULT_HD_PATH;
    if (!Mnemonic.isValidMnemonic(secret.phrase)) throw new Error('The recovery phrase is not valid.');
    const wallet = HDNodeWallet.fromPhrase(secret.phrase, undefined, path);
    return {
      kind: 'mnemonic',
      address: wallet.address,
      privateKey: wallet.privateKey,
      phrase: secret.phrase,
      path,
    };
  }
  const bytes = keyBytes(secret.privateKey);
  if (!bytes) throw new Error('The private key is not valid.');
  const privateKey = `0x${bytes.toString('hex')}`;
  return { kind: 'privateKey', address: computeAddress(privateKey), privateKey, phrase: null, path: null };
}

/** Encrypts a wallet's secret into keystore v3 JSON under the password (fresh salt, IVs and id). */
export async function encryptKeystore(
  secret: KeystoreSecret,
  password: string,
  options: EncryptKeystoreOptions = {},
): Promise<string> {
  const n = options.scryptN ?? DEFAULT_SCRYPT_N;
  if (!isPowerOfTwo(n) || n > MAX_SCRYPT_N) throw new Error(`scrypt N must be a power of two up to 2^20.`);

  const opened = openSecret(secret);
  const privateKey = Buffer.from(opened.privateKey.slice(2), 'hex');
  const { phrase, path } = opened;

  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const key = await deriveKey(password, { n, r: SCRYPT_R, p: SCRYPT_P, salt });
  const ciphertext = aesCtr(key.subarray(0, 16), iv, privateKey);
  const address = opened.address;

  const json: Record<string, unknown> = {
    version: 3,
    id: randomUUID(),
    address: address.slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf: 'scrypt',
      // dklen 32 is what the standard (and ethers) writes; 64 bytes are derived and the first 32 of a
      // longer scrypt output are the same bytes, so readers that derive 32 get the same key and MAC.
      kdfparams: { dklen: 32, n, p: SCRYPT_P, r: SCRYPT_R, salt: salt.toString('hex') },
      mac: computeMac(key, ciphertext).toString('hex'),
    },
  };
  if (phrase !== null && path !== null) {
    const counter = randomBytes(16);
    json['x-nocturne'] = {
      kind: 'mnemonic',
      version: 1,
      path,
      mnemonicCounter: counter.toString('hex'),
      mnemonicCiphertext: aesCtr(key.subarray(32, 48), counter, Buffer.from(phrase, 'utf8')).toString('hex'),
    };
  }
  key.fill(0);
  privateKey.fill(0);
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Opens keystore JSON with the password. Throws WrongPasswordError, KeystoreCorruptError or
 * KeystoreUnsupportedError; the file's scrypt N is honoured up to 2^20. */
export async function decryptKeystore(json: string, password: string): Promise<DecryptedKeystore> {
  const parsed = parseKeystore(json);
  const key = await deriveKey(password, parsed.kdf);
  try {
    const mac = computeMac(key, parsed.ciphertext);
    if (mac.length !== parsed.mac.length || !timingSafeEqual(mac, parsed.mac)) throw new WrongPasswordError();

    const plain = aesCtr(key.subarray(0, 16), parsed.iv, parsed.ciphertext, true);
    const privateKey = `0x${plain.toString('hex')}`;
    plain.fill(0);
    if (!keyBytes(privateKey)) {
      throw new KeystoreCorruptError(
        'crypto.ciphertext does not hold a valid private key.',
        'crypto.ciphertext',
      );
    }
    const address = computeAddress(privateKey);
    if (parsed.address !== null && parsed.address !== address) {
      throw new KeystoreCorruptError('the address field does not match the encrypted key.', 'address');
    }

    let phrase: string | null = null;
    let path: string | null = null;
    let field = '';
    if (parsed.nocturne) {
      field = 'x-nocturne';
      path = parsed.nocturne.path;
      phrase = aesCtr(
        key.subarray(32, 48),
        parsed.nocturne.counter,
        parsed.nocturne.ciphertext,
        true,
      ).toString('utf8');
    } else if (parsed.ethers) {
      field = 'x-ethers';
      path = parsed.ethers.path;
      const entropy = aesCtr(key.subarray(32, 64), parsed.ethers.counter, parsed.ethers.ciphertext, true);
      try {
        phrase = Mnemonic.entropyToPhrase(entropy);
      } catch {
        throw new KeystoreCorruptError('x-ethers.mnemonicCiphertext is not a valid phrase entropy.', field);
      }
    }
    if (phrase !== null && path !== null) {
      if (!Mnemonic.isValidMnemonic(phrase)) {
        throw new KeystoreCorruptError(
          `${field}.mnemonicCiphertext does not hold a valid BIP-39 phrase.`,
          field,
        );
      }
      let derived: string;
      try {
        derived = HDNodeWallet.fromPhrase(phrase, undefined, path).privateKey;
      } catch {
        throw new KeystoreCorruptError(
          `${field}.path is not a derivation path ethers accepts.`,
          `${field}.path`,
        );
      }
      if (derived !== privateKey) {
        throw new KeystoreCorruptError(`the phrase in ${field} does not derive the encrypted key.`, field);
      }
      return { kind: 'mnemonic', address, privateKey, phrase, path };
    }
    return { kind: 'privateKey', address, privateKey, phrase: null, path: null };
  } finally {
    key.fill(0);
  }
}

/** The address and kind, read without the password; throws like decryptKeystore on a bad file. */
export function readKeystoreInfo(json: string): KeystoreInfo {
  const parsed = parseKeystore(json);
  return {
    kind: parsed.nocturne || parsed.ethers ? 'mnemonic' : 'privateKey',
    address: parsed.address,
    scryptN: parsed.kdf.n,
  };
}

// ---- parsing: every field checked, each failure naming it ----

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keystores in the wild spell some keys differently ("Crypto" in ethers' files). */
function member(object: Json, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function hexField(object: Json, name: string, where: string, bytes: { min: number; max: number }): Buffer {
  const value = member(object, name);
  const field = `${where}.${name}`;
  if (typeof value !== 'string')
    throw new KeystoreCorruptError(`${field} is missing or not a string.`, field);
  const clean = value.startsWith('0x') ? value.slice(2) : value;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new KeystoreCorruptError(`${field} is not hexadecimal.`, field);
  }
  const length = clean.length / 2;
  if (length < bytes.min || length > bytes.max) {
    const want = bytes.min === bytes.max ? `${bytes.min}` : `${bytes.min} to ${bytes.max}`;
    throw new KeystoreCorruptError(`${field} is ${length} bytes; it must be ${want}.`, field);
  }
  return Buffer.from(clean, 'hex');
}

function intField(object: Json, name: string, where: string): number {
  const value = member(object, name);
  const field = `${where}.${name}`;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new KeystoreCorruptError(`${field} is missing or not a positive whole number.`, field);
  }
  return number;
}

function pathField(object: Json, where: string): string {
  const value = member(object, 'path');
  if (value === undefined || value === null) return DEFAULT_HD_PATH;
  if (typeof value !== 'string' || !/^m(\/\d{1,10}'?){0,10}$/.test(value)) {
    throw new KeystoreCorruptError(
      `${where}.path is not a derivation path such as ${DEFAULT_HD_PATH}.`,
      `${where}.path`,
    );
  }
  return value;
}

function log2(n: number): number {
  return Math.round(Math.log2(n));
}

function parseKeystore(json: string): ParsedKeystore {
  if (json.length > 64 * 1024) throw new KeystoreCorruptError('the file is larger than 64 KiB.');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new KeystoreCorruptError('the file is not valid JSON (it may be truncated).');
  }
  if (!isObject(data)) throw new KeystoreCorruptError('the file is not a JSON object.');

  const version = member(data, 'version');
  if (version === undefined) throw new KeystoreCorruptError('the version field is missing.', 'version');
  if (version !== 3 && version !== '3') {
    throw new KeystoreUnsupportedError(
      `version ${JSON.stringify(version)}; Nocturne reads version 3 keystores.`,
      'version',
    );
  }

  let address: string | null = null;
  const rawAddress = member(data, 'address');
  if (rawAddress !== undefined && rawAddress !== null) {
    if (typeof rawAddress !== 'string' || !/^(0x)?[0-9a-fA-F]{40}$/.test(rawAddress)) {
      throw new KeystoreCorruptError('the address field is not 40 hex digits.', 'address');
    }
    address = getAddress(`0x${rawAddress.replace(/^0x/, '').toLowerCase()}`);
  }

  const crypto = member(data, 'crypto');
  if (!isObject(crypto)) throw new KeystoreCorruptError('the crypto section is missing.', 'crypto');

  const kdf = member(crypto, 'kdf');
  if (typeof kdf !== 'string') throw new KeystoreCorruptError('crypto.kdf is missing.', 'crypto.kdf');
  if (kdf.toLowerCase() !== 'scrypt') {
    throw new KeystoreUnsupportedError(
      `key derivation "${kdf}"; Nocturne reads scrypt keystores.`,
      'crypto.kdf',
    );
  }
  const kdfparams = member(crypto, 'kdfparams');
  if (!isObject(kdfparams)) {
    throw new KeystoreCorruptError('crypto.kdfparams is missing.', 'crypto.kdfparams');
  }
  const where = 'crypto.kdfparams';
  const n = intField(kdfparams, 'n', where);
  const r = intField(kdfparams, 'r', where);
  const p = intField(kdfparams, 'p', where);
  const dklen = intField(kdfparams, 'dklen', where);
  if (!isPowerOfTwo(n)) throw new KeystoreCorruptError(`${where}.n is not a power of two.`, `${where}.n`);
  if (n > MAX_SCRYPT_N) {
    throw new KeystoreUnsupportedError(
      `${where}.n is 2^${log2(n)}; Nocturne accepts at most 2^${log2(MAX_SCRYPT_N)} (more would take gigabytes of memory).`,
      `${where}.n`,
    );
  }
  if (r > 32 || p > 16 || 128 * n * r > MAX_SCRYPT_MEMORY) {
    throw new KeystoreUnsupportedError(
      `${where} asks for r = ${r}, p = ${p}; Nocturne accepts r up to 32, p up to 16 and at most 1 GiB of memory.`,
      where,
    );
  }
  if (dklen !== 32 && dklen !== 64) {
    throw new KeystoreCorruptError(`${where}.dklen is ${dklen}; it must be 32.`, `${where}.dklen`);
  }
  const salt = hexField(kdfparams, 'salt', where, { min: 8, max: 256 });

  const cipher = member(crypto, 'cipher');
  if (typeof cipher !== 'string')
    throw new KeystoreCorruptError('crypto.cipher is missing.', 'crypto.cipher');
  if (cipher.toLowerCase() !== 'aes-128-ctr') {
    throw new KeystoreUnsupportedError(
      `cipher "${cipher}"; Nocturne reads aes-128-ctr keystores.`,
      'crypto.cipher',
    );
  }
  const cipherparams = member(crypto, 'cipherparams');
  if (!isObject(cipherparams)) {
    throw new KeystoreCorruptError('crypto.cipherparams is missing.', 'crypto.cipherparams');
  }
  const iv = hexField(cipherparams, 'iv', 'crypto.cipherparams', { min: 16, max: 16 });
  const ciphertext = hexField(crypto, 'ciphertext', 'crypto', { min: 32, max: 32 });
  const mac = hexField(crypto, 'mac', 'crypto', { min: 32, max: 32 });

  let nocturne: ParsedKeystore['nocturne'] = null;
  const xn = member(data, 'x-nocturne');
  if (xn !== undefined && xn !== null) {
    if (!isObject(xn)) throw new KeystoreCorruptError('x-nocturne is not an object.', 'x-nocturne');
    const xVersion = member(xn, 'version');
    if (xVersion !== 1) {
      throw new KeystoreUnsupportedError(
        `x-nocturne version ${JSON.stringify(xVersion)}; this Nocturne reads version 1.`,
        'x-nocturne.version',
      );
    }
    if (member(xn, 'kind') !== 'mnemonic') {
      throw new KeystoreCorruptError('x-nocturne.kind is not "mnemonic".', 'x-nocturne.kind');
    }
    nocturne = {
      path: pathField(xn, 'x-nocturne'),
      counter: hexField(xn, 'mnemonicCounter', 'x-nocturne', { min: 16, max: 16 }),
      ciphertext: hexField(xn, 'mnemonicCiphertext', 'x-nocturne', { min: 1, max: 512 }),
    };
  }

  let ethers: ParsedKeystore['ethers'] = null;
  const xe = member(data, 'x-ethers');
  if (!nocturne && isObject(xe) && member(xe, 'version') === '0.1') {
    const locale = member(xe, 'locale');
    if (locale !== undefined && locale !== 'en') {
      throw new KeystoreUnsupportedError(
        `x-ethers.locale "${String(locale)}"; Nocturne reads English phrases.`,
        'x-ethers.locale',
      );
    }
    ethers = {
      path: pathField(xe, 'x-ethers'),
      counter: hexField(xe, 'mnemonicCounter', 'x-ethers', { min: 16, max: 16 }),
      ciphertext: hexField(xe, 'mnemonicCiphertext', 'x-ethers', { min: 16, max: 32 }),
    };
  }

  return { address, kdf: { n, r, p, salt }, iv, ciphertext, mac, nocturne, ethers };
}
