import { describe, expect, it } from 'vitest';
import { GpuInfoSchema } from '../../../src/shared/schemas/gpu';
import {
  NVIDIA_QUERY_FIELDS,
  canonicalNvidiaField,
  nvidiaQueryGpuArg,
  nvidiaRowToGpuInfo,
  parseNvidiaCsv,
  parseNvidiaStreamLine,
} from '../../../src/main/gpu/parsers/nvidia-csv';
import { GpuParseError } from '../../../src/main/gpu/parsers/parse-error';
import { normalizeBusId } from '../../../src/main/gpu/parsers/tool-values';

const FIELDS = [...NVIDIA_QUERY_FIELDS];

describe('nvidia-smi query fields', () => {
  it('asks for exactly the fields GpuInfo needs, in a fixed order', () => {
    expect(nvidiaQueryGpuArg()).toBe(
      '--query-gpu=index,uuid,name,pci.bus_id,driver_version,memory.total,memory.used,temperature.gpu,' +
        'power.draw,power.limit,utilization.gpu,fan.speed',
    );
    expect(nvidiaQueryGpuArg(['name', 'fan.speed'])).toBe('--query-gpu=name,fan.speed');
  });

  it('maps query aliases to the names nvidia-smi prints in the header', () => {
    expect(canonicalNvidiaField('gpu_name')).toBe('name');
    expect(canonicalNvidiaField('gpu_bus_id')).toBe('pci.bus_id');
    expect(canonicalNvidiaField('gpu_uuid')).toBe('uuid');
    expect(canonicalNvidiaField('clocks.gr')).toBe('clocks.current.graphics');
    expect(canonicalNvidiaField('memory.total [MiB]')).toBe('memory.total');
  });
});

// Synthetic lines in Nocturne's own format (noheader,nounits), for cases no recorded sample shows.
describe('parseNvidiaCsv (Nocturne query format)', () => {
  const line =
    '0, GPU-6c5bc21a-d8f6-b13d-29f0-64375e06610d, NVIDIA GeForce RTX 3080 Ti, 00000000:2B:00.0, 550.54.15, 12288, 1, 31, 22.5, 350.00, 0, 0';

  it('reads every field of one GPU', () => {
    const [row] = parseNvidiaCsv(line, FIELDS);
    const gpu = nvidiaRowToGpuInfo(row ?? {});
    expect(GpuInfoSchema.parse(gpu)).toEqual({
      id: 'GPU-6c5bc21a-d8f6-b13d-29f0-64375e06610d',
      vendor: 'nvidia',
      name: 'NVIDIA GeForce RTX 3080 Ti',
      busId: '0000:2b:00.0',
      uuid: 'GPU-6c5bc21a-d8f6-b13d-29f0-64375e06610d',
      index: 0,
      driverVersion: '550.54.15',
      memoryTotalMiB: 12288,
      memoryUsedMiB: 1,
      temperatureC: 31,
      powerDrawW: 22.5,
      powerLimitW: 350,
      utilizationPct: 0,
      fanPct: 0,
    });
  });

  it('joins a name that contains commas back together', () => {
    const [row] = parseNvidiaCsv(line.replace('RTX 3080 Ti', 'RTX 3080 Ti, Founders, Edition'), FIELDS);
    expect(row?.['name']).toBe('NVIDIA GeForce RTX 3080 Ti, Founders, Edition');
    expect(row?.['pci.bus_id']).toBe('00000000:2B:00.0');
  });

  it('throws on a row with too few values instead of shifting columns', () => {
    expect(() => parseNvidiaCsv('0, GPU-x, NVIDIA T4, 00000000:01:00.0', FIELDS)).toThrow(GpuParseError);
  });

  it('throws on text in a numeric column', () => {
    const [row] = parseNvidiaCsv(line.replace(', 31,', ', hot,'), FIELDS);
    expect(() => nvidiaRowToGpuInfo(row ?? {})).toThrow(/temperature\.gpu/);
  });

  it('reads every placeholder as null, never 0', () => {
    const placeholders = [
      '[N/A]',
      'N/A',
      '[Not Supported]',
      '[Unknown Error]',
      '[Insufficient Permissions]',
      '[Not Found]',
      '',
    ];
    for (const placeholder of placeholders) {
      const [row] = parseNvidiaCsv(
        `0, GPU-a, T4, 00000000:01:00.0, 550, 15360, ${placeholder}, ${placeholder}, ${placeholder}, 70.00, ${placeholder}, ${placeholder}`,
        FIELDS,
      );
      expect(nvidiaRowToGpuInfo(row ?? {})).toMatchObject({
        memoryUsedMiB: null,
        temperatureC: null,
        powerDrawW: null,
        utilizationPct: null,
        fanPct: null,
        powerLimitW: 70,
      });
    }
  });

  it('returns no rows for empty output', () => {
    expect(parseNvidiaCsv('', FIELDS)).toEqual([]);
    expect(parseNvidiaCsv('\n')).toEqual([]);
  });
});

describe('parseNvidiaStreamLine (-lms output)', () => {
  it('skips blank and repeated header lines, reads data lines', () => {
    expect(parseNvidiaStreamLine('', FIELDS)).toBeNull();
    expect(parseNvidiaStreamLine(`  `, FIELDS)).toBeNull();
    expect(
      parseNvidiaStreamLine(
        'index, uuid, name, pci.bus_id, driver_version, memory.total [MiB], memory.used [MiB], temperature.gpu, ' +
          'power.draw [W], power.limit [W], utilization.gpu [%], fan.speed [%]',
        FIELDS,
      ),
    ).toBeNull();
    const row = parseNvidiaStreamLine(
      '1, GPU-b, NVIDIA L4, 00000000:02:00.0, 550, 23034, 0, 40, 16.2, 72.00, 3, [N/A]',
      FIELDS,
    );
    expect(row && nvidiaRowToGpuInfo(row)).toMatchObject({ index: 1, utilizationPct: 3, fanPct: null });
  });
});

describe('normalizeBusId', () => {
  it("writes every tool's spelling the same way", () => {
    expect(normalizeBusId('00000000:09:00.0')).toBe('0000:09:00.0');
    expect(normalizeBusId('0000:C4:00.0')).toBe('0000:c4:00.0');
    expect(normalizeBusId('0a:00.0')).toBe('0000:0a:00.0');
    expect(normalizeBusId('[N/A]')).toBeNull();
    expect(() => normalizeBusId('bus nine')).toThrow(GpuParseError);
  });
});
