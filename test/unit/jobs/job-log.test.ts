import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createJobLog, createOutputBatcher } from '../../../src/main/jobs/job-log';
import { useTempDirs } from '../../fakes/temp-dir';

const tempDir = useTempDirs();

describe('job log', () => {
  it('keeps everything under the cap', () => {
    const file = join(tempDir(), 'log.txt');
    const log = createJobLog(file, 1024);
    log.append('hello\n');
    log.append(Buffer.from('world\n'));
    expect(readFileSync(file, 'utf8')).toBe('hello\nworld\n');
  });

  it('drops the oldest output past the cap, says how much, and keeps the newest', () => {
    const file = join(tempDir(), 'log.txt');
    const log = createJobLog(file, 1000);
    for (let i = 0; i < 200; i++) log.append(`line ${String(i).padStart(3, '0')}\n`);
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text).toMatch(/\[… \d+ bytes of older output dropped …\]/);
    expect(text).toContain('line 199\n');
    expect(text).not.toContain('line 000\n');
    expect(log.size()).toBe(Buffer.byteLength(text));
  });
});

describe('output batcher', () => {
  it('sends one message per interval however chatty the job, and flushes large bursts at once', () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      const batcher = createOutputBatcher((d) => sent.push(d), 16, 100);
      for (let i = 0; i < 50; i++) batcher.push('x');
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(16);
      expect(sent).toEqual(['x'.repeat(50)]);
      batcher.push('y'.repeat(150));
      expect(sent).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
