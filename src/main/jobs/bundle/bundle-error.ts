/** Why a bundle was refused. Every refusal refuses the whole bundle; nothing of it is left in the workspace. */
export type BundleErrorCode =
  /** The file's sha256 is not the one the job spec names. */
  | 'checksum'
  /** The bundle file is not there. */
  | 'missing'
  /** An entry's name is absolute (`/etc/x`, `C:\x`). */
  | 'absolute-path'
  /** An entry's name has a `..` component. */
  | 'parent-path'
  /** A symbolic link points outside the workspace, or to an absolute path. */
  | 'link-outside'
  /** An entry would be written through a symbolic link the bundle made. */
  | 'through-link'
  /** A hard link (refused: it can tie a workspace file to one elsewhere). */
  | 'hard-link'
  /** A device, FIFO, socket or an entry type tar-stream does not know. */
  | 'special-file'
  /** Two entries name the same path, or an entry uses a file or link as its folder. */
  | 'conflict'
  /** More uncompressed bytes than allowed (also a gzip bomb). */
  | 'too-large'
  | 'too-many-entries'
  | 'too-deep'
  /** Not a valid gzip'd tar: truncated, bad checksum, garbage. */
  | 'corrupt'
  /** The workspace already holds something (or is not a folder); it was left as it was. */
  | 'workspace-not-empty';

/** A bundle refused for a reason the renter can fix; the message says what was wrong in plain words. */
export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
    /** The archive entry at fault, as the archive names it, where there is one. */
    readonly entry?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BundleError';
  }
}
