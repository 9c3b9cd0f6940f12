import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

export const DEFAULT_LOG_CAP_BYTES = 8 * 1024 * 1024;

function readTail(file: string, bytes: number): Buffer {
  const size = statSync(file).size;
  const length = Math.min(size, bytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer;
}

/** The last `bytes` of a job's log, or '' when it has none yet. */
export function readLogTail(file: string, bytes: number): string {
  try {
    return readTail(file, bytes).toString('utf8');
  } catch {
    return '';
  }
}

/**
 * A job's output on disk, capped: past the cap the oldest half is dropped and a marker says how much,
 * so a chatty job cannot fill the owner's disk and the newest output is always kept.
 */
export function createJobLog(file: string, capBytes = DEFAULT_LOG_CAP_BYTES) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '', { flag: 'a' });
  let size = statSync(file).size;
  let dropped = 0;

  const trim = () => {
    const keep = readTail(file, Math.floor(capBytes / 2));
    dropped += size - keep.length;
    const marker = Buffer.from(`\r\n[… ${dropped} bytes of older output dropped …]\r\n`);
    const temp = `${file}.trim`;
    writeFileSync(temp, Buffer.concat([marker, keep]));
    renameSync(temp, file);
    size = marker.length + keep.length;
  };

  return {
    append(data: string | Buffer): void {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      appendFileSync(file, chunk);
      size += chunk.length;
      if (size > capBytes) trim();
    },
    tail: (bytes: number): string => readTail(file, bytes).toString('utf8'),
    size: () => size,
  };
}

export type JobLog = ReturnType<typeof createJobLog>;

/**
 * Batches output before it crosses to the UI (as Hyper does for its terminals): at most one message per
 * `intervalMs`, or sooner once `maxBytes` have piled up, so a job printing in a tight loop cannot flood it.
 */
export function createOutputBatcher(emit: (data: string) => void, intervalMs = 16, maxBytes = 200 * 1024) {
  let pending: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const data = pending.join('');
    pending = [];
    bytes = 0;
    emit(data);
  };
  return {
    push(data: string): void {
      pending.push(data);
      bytes += data.length;
      if (bytes >= maxBytes) flush();
      else if (!timer) timer = setTimeout(flush, intervalMs);
    },
    flush,
  };
}
