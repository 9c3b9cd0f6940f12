import { constants, createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, open, readdir, rename, rm, rmdir, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type ExtractEvents, type Header } from 'tar-stream';
import { BundleError } from './bundle-error';

export { BundleError, type BundleErrorCode } from './bundle-error';

export interface UnpackLimits {
  /** Total bytes of file content, counted as they stream (not from the headers). */
  maxBytes: number;
  /** Entries of any kind: files, folders, links. */
  maxEntries: number;
  /** Path components of an entry's name: `a/b/c.txt` is 3 deep. */
  maxDepth: number;
}

export const DEFAULT_UNPACK_LIMITS: Readonly<UnpackLimits> = {
  maxBytes: 1024 ** 3,
  maxEntries: 100_000,
  maxDepth: 64,
};

export interface UnpackResult {
  /** Regular files written (folders and links are not counted). */
  files: number;
  /** Bytes of file content written. */
  bytes: number;
}

/**
 * Tar framing a well-formed archive may add per entry on top of its content: a 512-byte header,
 * up to 511 bytes of padding, and a pax or GNU long-name header for long names. The gunzip output
 * may exceed the content by this per entry seen (plus SLACK) before the bundle counts as a bomb:
 * a stream of zero blocks, which tar skips without producing entries, is stopped within SLACK.
 */
const FRAMING_PER_ENTRY = 16 * 1024;
/** tar-stream accepts one pax header up to 4 MiB; the rest covers end-of-archive padding and buffers. */
const INFLATE_SLACK = 5 * 1024 * 1024;

type Kind = 'dir' | 'file' | 'symlink';
type Entry = ExtractEvents['entry'][1];

/**
 * Unpacks a `.tar.gz` bundle into `workspace`, which must be missing or an empty folder. The bundle is
 * unpacked into a fresh folder beside the workspace and renamed into place only when every entry has
 * passed, so a refused bundle (a `BundleError`) leaves the workspace as it was: missing or empty.
 *
 * Refused: absolute names, `..` components, links whose target leaves the workspace (or is absolute),
 * writes through a link, hard links, devices, FIFOs and unknown entry types, two entries at one path,
 * more than `maxEntries` entries, names deeper than `maxDepth`, more than `maxBytes` of content (counted
 * as it streams; the gunzip output is capped too, so a gzip bomb stops early), and corrupt archives.
 * Modes keep the archive's owner bits (folders always get owner rwx, so the workspace can be removed),
 * drop setuid, setgid and sticky, and never give group or others write.
 */
export async function unpackBundle(
  archive: string,
  workspace: string,
  limits: Partial<UnpackLimits> = {},
): Promise<UnpackResult> {
  const lim: UnpackLimits = { ...DEFAULT_UNPACK_LIMITS, ...limits };
  for (const [key, value] of Object.entries(lim)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`unpackBundle: limit ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  const target = resolve(workspace);
  const existing = await inspectWorkspace(target);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, `.${basename(target)}.unpacking-`));
  try {
    const result = await extractInto(archive, temp, lim);
    await chmod(temp, existing?.mode ?? 0o755);
    await moveIntoPlace(temp, target, existing !== null);
    return result;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** The workspace's mode if it is an empty folder, null if it does not exist; anything else is refused. */
async function inspectWorkspace(target: string): Promise<{ mode: number } | null> {
  let stats;
  try {
    stats = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (!stats.isDirectory()) {
    throw new BundleError(
      'workspace-not-empty',
      `The workspace ${target} exists and is not a folder: refusing to unpack into it.`,
    );
  }
  if ((await readdir(target)).length > 0) {
    throw new BundleError(
      'workspace-not-empty',
      `The workspace ${target} is not empty: refusing to unpack into it.`,
    );
  }
  return { mode: stats.mode & 0o777 };
}

async function moveIntoPlace(temp: string, target: string, existed: boolean): Promise<void> {
  // POSIX rename replaces an empty folder in one step; Windows cannot, so the empty one goes first.
  if (existed && process.platform === 'win32') await rmdir(target);
  try {
    await rename(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
      throw new BundleError(
        'workspace-not-empty',
        `The workspace ${target} filled up while the bundle was unpacking: refusing to unpack into it.`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }
}

async function extractInto(archive: string, root: string, lim: UnpackLimits): Promise<UnpackResult> {
  const state = { entries: 0, bytes: 0, files: 0, inflated: 0 };
  /** What this unpack made, by relative path; '' is the root. Only folders in here are written into. */
  const kinds = new Map<string, Kind>([['', 'dir']]);

  const source = createReadStream(archive);
  const gunzip = createGunzip();
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      state.inflated += chunk.length;
      const allowed = state.bytes + (state.entries + 1) * FRAMING_PER_ENTRY + INFLATE_SLACK;
      if (state.inflated > allowed) {
        callback(
          new BundleError(
            'too-large',
            `The bundle's gzip stream inflates far beyond the files it holds (${formatBytes(state.inflated)} ` +
              `of tar data for ${formatBytes(state.bytes)} of files: a "gzip bomb"): refusing to unpack it.`,
          ),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
  const tar = extract();

  // The first failure upstream of the tar parser; the parser is destroyed with it so the loop ends.
  let upstream: unknown = null;
  const stop = (error: unknown) => {
    upstream ??= error;
    tar.destroy(error as Error);
  };
  source.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') {
      stop(
        new BundleError('missing', `The bundle ${archive} is not a readable file.`, undefined, {
          cause: error,
        }),
      );
    } else {
      stop(error);
    }
  });
  gunzip.on('error', (error) =>
    stop(
      new BundleError(
        'corrupt',
        `The bundle is not a valid .tar.gz (gzip: ${error.message}): refusing to unpack it.`,
        undefined,
        { cause: error },
      ),
    ),
  );
  cap.on('error', stop);
  source
    .pipe(gunzip)
    .pipe(cap)
    .pipe(tar as unknown as NodeJS.WritableStream);

  const entries = tar[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<Entry>;
      try {
        step = await entries.next();
      } catch (error) {
        throw upstream ?? asCorrupt(error);
      }
      if (step.done) break;
      try {
        await unpackEntry(step.value);
      } catch (error) {
        throw upstream ?? error;
      }
    }
  } finally {
    source.destroy();
    gunzip.destroy();
    cap.destroy();
    tar.destroy();
  }
  return { files: state.files, bytes: state.bytes };

  async function unpackEntry(entry: Entry): Promise<void> {
    const header = entry.header;
    const name = header.name;
    state.entries += 1;
    if (state.entries > lim.maxEntries) {
      throw new BundleError(
        'too-many-entries',
        `The bundle has more than ${lim.maxEntries} entries: refusing to unpack it.`,
        name,
      );
    }
    const parts = entryParts(name);
    if (parts.length > lim.maxDepth) {
      throw new BundleError(
        'too-deep',
        `The bundle's entry "${name}" is ${parts.length} folders deep (at most ${lim.maxDepth}): refusing to unpack it.`,
        name,
      );
    }
    // tar-stream reports types it does not know as null, though its types say otherwise.
    const type = header.type as Header['type'] | null;
    switch (type) {
      case 'directory':
        await makeDirectory(parts, name, header.mode);
        entry.resume();
        return;
      case 'file':
      case 'contiguous-file':
        await writeFile(parts, name, entry);
        return;
      case 'symlink':
        await makeSymlink(parts, name, header.linkname);
        entry.resume();
        return;
      case 'link':
        throw new BundleError(
          'hard-link',
          `The bundle's entry "${name}" is a hard link (to "${header.linkname}"); bundles may not hold hard links: refusing to unpack it.`,
          name,
        );
      case 'character-device':
      case 'block-device':
      case 'fifo':
        throw new BundleError(
          'special-file',
          `The bundle's entry "${name}" is a ${type.replace('-', ' ')}; bundles may hold only files, folders and links: refusing to unpack it.`,
          name,
        );
      default:
        throw new BundleError(
          'special-file',
          `The bundle's entry "${name}" is of a kind Nocturne does not unpack; bundles may hold only files, folders and links: refusing to unpack it.`,
          name,
        );
    }
  }

  /** Makes each missing parent folder of `parts`, refusing to pass through anything but our own folders. */
  async function ensureParents(parts: readonly string[], name: string): Promise<void> {
    for (let i = 1; i < parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      const kind = kinds.get(rel);
      if (kind === 'dir') continue;
      if (kind === 'symlink') {
        throw new BundleError(
          'through-link',
          `The bundle's entry "${name}" would be written through the link "${rel}"; Nocturne never writes through links: refusing to unpack it.`,
          name,
        );
      }
      if (kind === 'file') throw conflict(name, `"${rel}" is a file, not a folder`);
      await makeNew(name, () => mkdir(join(root, rel), { mode: 0o700 }));
      kinds.set(rel, 'dir');
      await chmod(join(root, rel), 0o755);
    }
  }

  async function makeDirectory(parts: readonly string[], name: string, mode: number | undefined) {
    if (parts.length === 0) return; // "./": the workspace itself
    await ensureParents(parts, name);
    const rel = parts.join('/');
    const kind = kinds.get(rel);
    if (kind === undefined) {
      await makeNew(name, () => mkdir(join(root, rel), { mode: 0o700 }));
      kinds.set(rel, 'dir');
    } else if (kind !== 'dir') {
      throw conflict(name, `it is already a ${kind === 'file' ? 'file' : 'link'}`);
    }
    await chmod(join(root, rel), (((mode ?? 0o755) & 0o755) | 0o700) >>> 0);
  }

  async function writeFile(parts: readonly string[], name: string, entry: Entry): Promise<void> {
    if (parts.length === 0) throw corrupt(name, 'a file without a name');
    const declared = entry.header.size ?? 0;
    if (declared > lim.maxBytes - state.bytes) throw tooLarge(name, lim.maxBytes);
    await ensureParents(parts, name);
    const rel = parts.join('/');
    if (kinds.has(rel)) throw conflict(name, 'it appears twice');
    const path = join(root, rel);
    // O_EXCL fails on anything already there, a dangling link included; O_NOFOLLOW as a second lock.
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
    const handle = await makeNew(name, () => open(path, flags, 0o600));
    kinds.set(rel, 'file');
    try {
      const reader = entry[Symbol.asyncIterator]();
      for (;;) {
        let step: IteratorResult<unknown>;
        try {
          step = await reader.next();
        } catch (error) {
          throw asCorrupt(error); // the archive ended or broke inside this file
        }
        if (step.done) break;
        const chunk = step.value as Uint8Array;
        state.bytes += chunk.byteLength;
        if (state.bytes > lim.maxBytes) throw tooLarge(name, lim.maxBytes);
        for (let offset = 0; offset < chunk.byteLength;) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      }
      await handle.chmod(((entry.header.mode ?? 0o644) & 0o755) >>> 0);
      const mtime = entry.header.mtime;
      if (mtime instanceof Date && !Number.isNaN(mtime.getTime())) await handle.utimes(mtime, mtime);
    } finally {
      await handle.close();
    }
    state.files += 1;
  }

  async function makeSymlink(parts: readonly string[], name: string, linkname: string | null | undefined) {
    if (parts.length === 0) throw corrupt(name, 'a link in place of the workspace itself');
    const target = linkname ?? '';
    if (target === '' || target.includes('\0')) throw corrupt(name, 'a link without a target');
    if (isAbsoluteName(target)) {
      throw new BundleError(
        'link-outside',
        `The bundle's entry "${name}" is a link to the absolute path "${target}"; links must stay inside the job's folder: refusing to unpack it.`,
        name,
      );
    }
    // Only leading `..` are allowed: they climb real folders (the link's own parents, which are never
    // links). A `..` after a name could climb out of wherever a link in that name leads.
    let ups = 0;
    let named = false;
    for (const segment of target.split(/[/\\]/)) {
      if (segment === '' || segment === '.') continue;
      if (segment !== '..') named = true;
      else if (named) {
        throw new BundleError(
          'link-outside',
          `The bundle's entry "${name}" is a link to "${target}", which climbs (..) after a folder name; only a leading ../ is allowed: refusing to unpack it.`,
          name,
        );
      } else ups += 1;
    }
    if (ups > parts.length - 1) {
      throw new BundleError(
        'link-outside',
        `The bundle's entry "${name}" is a link to "${target}", which points outside the job's folder: refusing to unpack it.`,
        name,
      );
    }
    await ensureParents(parts, name);
    const rel = parts.join('/');
    if (kinds.has(rel)) throw conflict(name, 'it appears twice');
    await makeNew(name, () => symlink(target, join(root, rel)));
    kinds.set(rel, 'symlink');
  }
}

/** Splits an entry's name into path components, refusing absolute names and `..`. */
function entryParts(name: string): string[] {
  if (name.includes('\0')) throw corrupt(name, 'a name with a NUL character');
  if (isAbsoluteName(name)) {
    throw new BundleError(
      'absolute-path',
      `The bundle's entry "${name}" has an absolute path; entries must be relative to the job's folder: refusing to unpack it.`,
      name,
    );
  }
  if (name.split(/[/\\]/).includes('..')) {
    throw new BundleError(
      'parent-path',
      `The bundle's entry "${name}" climbs out of its folder with ".."; entries must stay inside the job's folder: refusing to unpack it.`,
      name,
    );
  }
  // A backslash separates folders only on Windows; elsewhere it is part of a name (but `..\` was refused).
  const separator = process.platform === 'win32' ? /[/\\]/ : /\//;
  return name.split(separator).filter((part) => part !== '' && part !== '.');
}

function isAbsoluteName(name: string): boolean {
  return /^[/\\]/.test(name) || /^[A-Za-z]:/.test(name);
}

/** Runs a create that must not find anything in its place; EEXIST becomes a 'conflict'. */
async function makeNew<T>(name: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') {
      throw conflict(name, 'something is already at that path (names that differ only in case clash here)');
    }
    throw error;
  }
}

function conflict(name: string, why: string): BundleError {
  return new BundleError(
    'conflict',
    `The bundle's entry "${name}" clashes with an earlier entry (${why}): refusing to unpack it.`,
    name,
  );
}

function corrupt(name: string, what: string): BundleError {
  return new BundleError('corrupt', `The bundle's entry "${name}" is ${what}: refusing to unpack it.`, name);
}

function tooLarge(name: string, maxBytes: number): BundleError {
  return new BundleError(
    'too-large',
    `The bundle holds more than ${formatBytes(maxBytes)} of files (reached at "${name}"): refusing to unpack it.`,
    name,
  );
}

function asCorrupt(error: unknown): BundleError {
  if (error instanceof BundleError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = /unexpected end/i.test(message)
    ? 'it ends in the middle of an entry'
    : /invalid tar header|header/i.test(message)
      ? 'a tar header is damaged, or it is not a tar archive'
      : message;
  return new BundleError(
    'corrupt',
    `The bundle is not a valid .tar.gz (${reason}): refusing to unpack it.`,
    undefined,
    {
      cause: error,
    },
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}
