import { describe, expect, it } from 'vitest';
import { GPU_PEAKS, findGpuPeak } from '../../../src/shared/gpu-peaks';

const peakName = (name: string) => findGpuPeak(name)?.name ?? null;

describe('findGpuPeak', () => {
  it.each([
    ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 4090'],
    ['GeForce RTX 2060', 'NVIDIA GeForce RTX 2060'],
    ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 SXM'],
    ['NVIDIA H100 PCIe', 'NVIDIA H100 PCIe'],
    ['NVIDIA H100 NVL', 'NVIDIA H100 NVL'],
    ['NVIDIA H200', 'NVIDIA H200 SXM'],
    ['NVIDIA H200 NVL', 'NVIDIA H200 NVL'],
    ['AMD Radeon RX 6800', 'AMD Radeon RX 6800'],
    ['Radeon RX 7900 XTX', 'AMD Radeon RX 7900 XTX'],
    ['AMD Radeon RX 7900 XT', 'AMD Radeon RX 7900 XT'],
    ['AMD Radeon(TM) RX 6800 XT', 'AMD Radeon RX 6800 XT'],
    ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100 80GB SXM'],
    ['NVIDIA A100-SXM4-40GB', 'NVIDIA A100 40GB SXM'],
    ['NVIDIA A100 80GB PCIe', 'NVIDIA A100 80GB PCIe'],
    ['NVIDIA A100-PCIE-40GB', 'NVIDIA A100 40GB PCIe'],
    ['Tesla V100-SXM2-32GB', 'NVIDIA V100 SXM2'],
    ['Tesla V100-PCIE-16GB', 'NVIDIA V100 PCIe'],
    ['Tesla V100S-PCIE-32GB', 'NVIDIA V100S PCIe'],
    ['Tesla T4', 'NVIDIA T4'],
    ['NVIDIA L40S', 'NVIDIA L40S'],
    ['NVIDIA L40', 'NVIDIA L40'],
    ['NVIDIA L4', 'NVIDIA L4'],
    ['NVIDIA A10', 'NVIDIA A10'],
    ['AMD Instinct MI300X', 'AMD Instinct MI300X'],
    ['NVIDIA GeForce GTX 1060 6GB', 'NVIDIA GeForce GTX 1060 6GB'],
    ['NVIDIA GeForce GTX 1050 Ti', 'NVIDIA GeForce GTX 1050 Ti'],
    ['nvidia geforce rtx 5090', 'NVIDIA GeForce RTX 5090'],
  ])('%s → %s', (name, expected) => {
    expect(peakName(name)).toBe(expected);
  });

  it('prefers the most specific model and never takes a variant for its base card', () => {
    expect(peakName('NVIDIA GeForce RTX 4080 SUPER')).toBe('NVIDIA GeForce RTX 4080 SUPER');
    expect(peakName('NVIDIA GeForce RTX 4080')).toBe('NVIDIA GeForce RTX 4080');
    expect(peakName('NVIDIA GeForce RTX 3080 Ti')).toBe('NVIDIA GeForce RTX 3080 Ti');
    expect(peakName('NVIDIA GeForce RTX 3080')).toBe('NVIDIA GeForce RTX 3080');
    expect(peakName('NVIDIA GeForce RTX 4070 Ti SUPER')).toBe('NVIDIA GeForce RTX 4070 Ti SUPER');
    expect(peakName('NVIDIA GeForce RTX 4070 SUPER')).toBe('NVIDIA GeForce RTX 4070 SUPER');
    expect(peakName('NVIDIA GeForce RTX 4070 Ti')).toBe('NVIDIA GeForce RTX 4070 Ti');
    expect(peakName('NVIDIA GeForce RTX 4070')).toBe('NVIDIA GeForce RTX 4070');
    expect(peakName('NVIDIA GeForce GTX 1080 Ti')).toBe('NVIDIA GeForce GTX 1080 Ti');
    expect(peakName('NVIDIA GeForce GTX 1660 Ti')).toBe('NVIDIA GeForce GTX 1660 Ti');
    expect(peakName('NVIDIA GeForce GTX 1660 SUPER')).toBe('NVIDIA GeForce GTX 1660 SUPER');
    expect(peakName('NVIDIA GeForce RTX 3060 Ti')).toBe('NVIDIA GeForce RTX 3060 Ti');
    expect(peakName('NVIDIA GeForce RTX 3060')).toBe('NVIDIA GeForce RTX 3060');
    // A variant with no row of its own finds nothing rather than its base card.
    expect(peakName('NVIDIA GeForce RTX 4090 D')).toBeNull();
    expect(peakName('NVIDIA GeForce RTX 3080 12GB')).toBeNull();
    expect(peakName('AMD Radeon RX 7600 XT')).toBeNull();
    expect(peakName('NVIDIA GeForce GTX 1060')).toBeNull();
    // Look-alike names: token boundaries matter.
    expect(peakName('NVIDIA A10G')).toBeNull();
    expect(peakName('NVIDIA A100')).toBeNull(); // Which A100? The figures differ.
    expect(peakName('NVIDIA H100')).toBeNull();
    expect(peakName('Quadro RTX 6000')).toBeNull();
    expect(peakName('NVIDIA RTX 6000 Ada Generation')).toBe('NVIDIA RTX 6000 Ada Generation');
    expect(peakName('NVIDIA RTX A6000')).toBe('NVIDIA RTX A6000');
  });

  it('gives null for laptop parts, lists of models and unknown cards', () => {
    expect(findGpuPeak('NVIDIA GeForce RTX 4090 Laptop GPU')).toBeNull();
    expect(findGpuPeak('NVIDIA GeForce RTX 2080 with Max-Q Design')).toBeNull();
    expect(findGpuPeak('AMD Radeon RX 6800M')).toBeNull();
    expect(findGpuPeak('Navi 31 [Radeon RX 7900 XT/7900 XTX]')).toBeNull();
    expect(findGpuPeak('AMD Radeon 780M')).toBeNull();
    expect(findGpuPeak('Intel(R) Arc(TM) A770 Graphics')).toBeNull();
    expect(findGpuPeak('')).toBeNull();
  });

  it('returns the vendor figures', () => {
    expect(findGpuPeak('NVIDIA GeForce RTX 4090')).toMatchObject({
      fp32Tflops: 82.6,
      memoryBandwidthGBs: 1008,
    });
    expect(findGpuPeak('NVIDIA H100 80GB HBM3')).toMatchObject({ fp32Tflops: 67, memoryBandwidthGBs: 3350 });
    expect(findGpuPeak('Radeon RX 7900 XTX')).toMatchObject({ fp32Tflops: 61.4, memoryBandwidthGBs: 960 });
  });
});

describe('GPU_PEAKS', () => {
  it('covers the cards renters ask about', () => {
    const required = [
      'RTX 2060',
      'RTX 2070',
      'RTX 2080',
      'RTX 2080 Ti',
      'RTX 3060',
      'RTX 3060 Ti',
      'RTX 3070',
      'RTX 3080',
      'RTX 3080 Ti',
      'RTX 3090',
      'RTX 4060',
      'RTX 4060 Ti',
      'RTX 4070',
      'RTX 4070 Ti',
      'RTX 4080',
      'RTX 4080 SUPER',
      'RTX 4090',
      'RTX 5080',
      'RTX 5090',
      'GTX 1050 Ti',
      'GTX 1060 6GB',
      'GTX 1070',
      'GTX 1080',
      'GTX 1080 Ti',
      'GTX 1660 Ti',
      'A100-SXM4-80GB',
      'H100 80GB HBM3',
      'H100 PCIe',
      'H200',
      'L40S',
      'Tesla V100-SXM2-16GB',
      'Tesla T4',
      'RX 6800',
      'RX 6800 XT',
      'RX 6900 XT',
      'RX 7900 XTX',
      'RX 7900 XT',
      'Instinct MI300X',
    ];
    for (const name of required) expect(findGpuPeak(name), name).not.toBeNull();
    expect(GPU_PEAKS.length).toBeGreaterThanOrEqual(25);
  });

  it('has plausible, unique rows that each find themselves by name', () => {
    const names = new Set<string>();
    for (const peak of GPU_PEAKS) {
      expect(names.has(peak.name), peak.name).toBe(false);
      names.add(peak.name);
      expect(peak.fp32Tflops).toBeGreaterThan(1);
      expect(peak.fp32Tflops).toBeLessThan(200);
      expect(peak.memoryBandwidthGBs).toBeGreaterThan(100);
      expect(peak.memoryBandwidthGBs).toBeLessThan(10_000);
      for (const pattern of peak.match) expect(findGpuPeak(pattern), pattern).toBe(peak);
    }
  });
});
