import { describe, expect, it } from 'vitest';
import type { NvidiaSmiFailureKind } from '../../../src/main/gpu/parsers/nvidia-errors';
import { classifyNvidiaSmiFailure } from '../../../src/main/gpu/parsers/nvidia-errors';
import type { FixtureSample } from '../../fakes/gpu-fixtures';
import { readGpuFixture, sampleId, sampleTitle } from '../../fakes/gpu-fixtures';

const samples = readGpuFixture('nvidia-errors.md');

// The kind each output block classifies to. E8/E9 are nvidia-smi rejecting the query itself; the kind
// list has no slot for that, so they are 'unknown' with a message naming the field or option.
const EXPECTED: Record<string, NvidiaSmiFailureKind[]> = {
  E1: ['no-driver'],
  E2: ['no-driver'],
  E3: ['version-mismatch', 'version-mismatch', 'version-mismatch'],
  E4: ['version-mismatch', 'version-mismatch'],
  E5: ['gpu-lost', 'gpu-lost', 'gpu-lost', 'gpu-lost'],
  E6: ['gpu-lost'],
  E7: ['no-devices', 'no-devices'],
  E8: ['unknown', 'unknown', 'unknown'],
  E9: ['unknown', 'unknown'],
  E10: [], // per-field placeholders inside CSV: notes only, covered by the query-gpu tests
};

// The exit code where the source recorded one (E8: "exit code 2"); 1 otherwise, so that the kind comes
// from the message and not from the exit-code fallback.
const EXIT_CODE: Record<string, number> = { E8: 2 };

function sample(id: string): FixtureSample {
  const found = samples.find((s) => sampleId(s.heading) === id);
  if (!found) throw new Error(`No sample ${id} in nvidia-errors.md`);
  return found;
}

function classify(id: string, run = 0) {
  return classifyNvidiaSmiFailure(sample(id).outputs[run] ?? '', '', EXIT_CODE[id] ?? 1);
}

describe('nvidia-smi error fixtures: every message classifies', () => {
  it('covers every sample in the file', () => {
    expect(samples.map((s) => sampleId(s.heading)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(samples.map((s) => [sampleTitle(s), s] as const))('%s', (_title, s) => {
    const id = sampleId(s.heading);
    const results = s.outputs.map((output) => classifyNvidiaSmiFailure(output, '', EXIT_CODE[id] ?? 1));
    expect(results.map((r) => r.kind)).toEqual(EXPECTED[id]);
    for (const { message } of results) {
      expect(message).toMatch(/^[A-Z].*\.$/);
      expect(message).not.toMatch(/\n/);
    }
  });

  it('classifies the messages quoted inline (issue titles, comments) the same way', () => {
    const inline = samples.flatMap((s) =>
      s.inlineCode
        .filter((code) => /Unable to|not a valid field/.test(code))
        .map((code) => [sampleId(s.heading), code]),
    );
    expect(inline).toHaveLength(6); // four in E5, two in E8
    for (const [id, code] of inline) {
      const kind = classifyNvidiaSmiFailure(code ?? '', '', 1).kind;
      expect([id, kind]).toEqual([id, EXPECTED[id ?? '']?.[0]]);
    }
  });

  it('stderr is read as well as stdout', () => {
    expect(classifyNvidiaSmiFailure('', sample('E1').outputs[0] ?? '', 9).kind).toBe('no-driver');
  });
});

describe('nvidia-smi error fixtures: messages for the owner', () => {
  it('E1 says the driver is not loaded and what to do', () => {
    expect(classify('E1').message).toBe(
      'The NVIDIA driver is not loaded: nvidia-smi could not talk to it. Reinstall or load the driver, then restart Nocturne.',
    );
  });

  it('E2 typographic apostrophe in "couldn‘t" still matches', () => {
    expect(classify('E2').kind).toBe('no-driver');
  });

  it('E4 names the new library version and asks for a restart', () => {
    expect(classify('E4').message).toContain('570.124');
    expect(classify('E4', 1).message).toContain('550.144');
    expect(classify('E4').message).toMatch(/Restart the computer/);
  });

  it('E5 names the lost GPU by normalised bus id, with or without the space after "GPU"', () => {
    expect(classify('E5', 0).message).toContain('0000:0b:00.0');
    expect(classify('E5', 2).message).toContain('0000:07:00.0');
    expect(classify('E5', 3).message).toContain('0000:b1:00.0');
  });

  it('E6 GPU is lost', () => {
    expect(classify('E6').message).toMatch(/^The GPU at 0000:02:00\.0 stopped responding/);
  });

  it('E7 no devices, even with kernel log lines pasted after it', () => {
    expect(classify('E7').message).toMatch(/found no GPU/);
  });

  it('E8 names the unknown field, also in typographic quotes', () => {
    expect(classify('E8', 0).message).toContain('"device_minor"');
    expect(classify('E8', 2).message).toContain('"encoder.stats.sessionCount"');
  });

  it('E9 names the rejected option', () => {
    expect(classify('E9').message).toContain('"noheader"');
  });
});

// Not in the recorded samples: the exit-code fallback and the permission message.
describe('classifyNvidiaSmiFailure without a known message', () => {
  it("falls back to nvidia-smi's documented exit codes", () => {
    expect(classifyNvidiaSmiFailure('', '', 9).kind).toBe('no-driver');
    expect(classifyNvidiaSmiFailure('', '', 4).kind).toBe('permission');
    expect(classifyNvidiaSmiFailure('', '', 15).kind).toBe('gpu-lost');
  });

  it('reads "Insufficient Permissions" as a permission problem', () => {
    expect(classifyNvidiaSmiFailure('Failed to initialize NVML: Insufficient Permissions', '', 4).kind).toBe(
      'permission',
    );
  });

  it('quotes the first line of an unknown failure, or says it printed nothing', () => {
    expect(classifyNvidiaSmiFailure('Something odd\nmore', '', 1)).toEqual({
      kind: 'unknown',
      message: 'nvidia-smi failed (exit code 1): Something odd',
    });
    expect(classifyNvidiaSmiFailure('', '', null).message).toBe('nvidia-smi failed and printed nothing.');
  });
});
