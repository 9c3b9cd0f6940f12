/**
 * Theoretical peaks of known cards, to put a measured benchmark next to what the card could do at best.
 *
 * Every figure is the vendor's own, or follows from the vendor's spec sheet by the usual formula (stated
 * in the row's comment): FP32 TFLOPS = shaders × boost clock × 2 (one FMA is two operations; AMD RDNA 3
 * doubles that again with dual issue, which AMD's own figure includes), and bandwidth = bus width / 8 ×
 * data rate. Reference (not factory-overclocked) clocks throughout. A card is left out rather than guessed:
 * laptop GPUs (their clocks depend on the laptop's power limit) and integrated GPUs such as the Radeon
 * 780M (clock per CPU model, and bandwidth is the system RAM's) are not listed.
 *
 * What a WebGPU kernel reaches is well below these peaks (often 20–60 % for FP32 matmul without tensor
 * cores): the peak says what the silicon could do, the benchmark what it does here.
 */

export interface GpuPeak {
  /** The card's name as its maker writes it. */
  name: string;
  vendor: 'nvidia' | 'amd';
  /** Peak FP32 (non-tensor) throughput, TFLOPS, at the reference boost clock. */
  fp32Tflops: number;
  /** Peak memory bandwidth, GB/s (10⁹ bytes per second). */
  memoryBandwidthGBs: number;
  /**
   * Lower-case word sequences that identify the card inside a name as tools print it (punctuation is
   * read as a space): "rtx 4090" is found in "NVIDIA GeForce RTX 4090".
   */
  match: readonly string[];
  /** Data-centre names carry memory sizes ("A100-SXM4-80GB"); on a consumer card a size means a variant. */
  kind: 'consumer' | 'datacenter';
}

type Row = [name: string, fp32Tflops: number, memoryBandwidthGBs: number, match: readonly string[]];

const nvidia = (kind: GpuPeak['kind'], rows: Row[]): GpuPeak[] =>
  rows.map(([name, fp32Tflops, memoryBandwidthGBs, match]) => ({
    name,
    vendor: 'nvidia',
    fp32Tflops,
    memoryBandwidthGBs,
    match,
    kind,
  }));
const amd = (kind: GpuPeak['kind'], rows: Row[]): GpuPeak[] =>
  rows.map(([name, fp32Tflops, memoryBandwidthGBs, match]) => ({
    name,
    vendor: 'amd',
    fp32Tflops,
    memoryBandwidthGBs,
    match,
    kind,
  }));

export const GPU_PEAKS: readonly GpuPeak[] = [
  ...nvidia('consumer', [
    // NVIDIA GeForce RTX 5090 specs page: 21760 CUDA cores, 2.41 GHz boost → 104.8 TFLOPS; 32 GB GDDR7, 512-bit, 28 Gbps → 1792 GB/s.
    ['NVIDIA GeForce RTX 5090', 104.8, 1792, ['rtx 5090']],
    // NVIDIA GeForce RTX 5080 specs page: 10752 CUDA cores, 2.62 GHz boost → 56.3 TFLOPS; 16 GB GDDR7, 256-bit, 30 Gbps → 960 GB/s.
    ['NVIDIA GeForce RTX 5080', 56.3, 960, ['rtx 5080']],
    // NVIDIA GeForce RTX 5070 Ti specs page: 8960 CUDA cores, 2.45 GHz boost → 43.9 TFLOPS; 16 GB GDDR7, 256-bit, 28 Gbps → 896 GB/s.
    ['NVIDIA GeForce RTX 5070 Ti', 43.9, 896, ['rtx 5070 ti']],
    // NVIDIA GeForce RTX 5070 specs page: 6144 CUDA cores, 2.51 GHz boost → 30.8 TFLOPS; 12 GB GDDR7, 192-bit, 28 Gbps → 672 GB/s.
    ['NVIDIA GeForce RTX 5070', 30.8, 672, ['rtx 5070']],
    // NVIDIA GeForce RTX 4090 specs page: 16384 CUDA cores, 2.52 GHz boost → 82.6 TFLOPS (NVIDIA: "82.6 shader TFLOPS"); 24 GB GDDR6X, 384-bit, 21 Gbps → 1008 GB/s.
    ['NVIDIA GeForce RTX 4090', 82.6, 1008, ['rtx 4090']],
    // NVIDIA GeForce RTX 4080 SUPER specs page: 10240 CUDA cores, 2.55 GHz boost → 52.2 TFLOPS; 16 GB GDDR6X, 256-bit, 23 Gbps → 736 GB/s.
    ['NVIDIA GeForce RTX 4080 SUPER', 52.2, 736, ['rtx 4080 super']],
    // NVIDIA GeForce RTX 4080 specs page: 9728 CUDA cores, 2.505 GHz boost → 48.7 TFLOPS; 16 GB GDDR6X, 256-bit, 22.4 Gbps → 716.8 GB/s.
    ['NVIDIA GeForce RTX 4080', 48.7, 716.8, ['rtx 4080']],
    // NVIDIA GeForce RTX 4070 Ti SUPER specs page: 8448 CUDA cores, 2.61 GHz boost → 44.1 TFLOPS; 16 GB GDDR6X, 256-bit, 21 Gbps → 672 GB/s.
    ['NVIDIA GeForce RTX 4070 Ti SUPER', 44.1, 672, ['rtx 4070 ti super']],
    // NVIDIA GeForce RTX 4070 Ti specs page: 7680 CUDA cores, 2.61 GHz boost → 40.1 TFLOPS; 12 GB GDDR6X, 192-bit, 21 Gbps → 504 GB/s.
    ['NVIDIA GeForce RTX 4070 Ti', 40.1, 504, ['rtx 4070 ti']],
    // NVIDIA GeForce RTX 4070 SUPER specs page: 7168 CUDA cores, 2.475 GHz boost → 35.5 TFLOPS; 12 GB GDDR6X, 192-bit, 21 Gbps → 504 GB/s.
    ['NVIDIA GeForce RTX 4070 SUPER', 35.5, 504, ['rtx 4070 super']],
    // NVIDIA GeForce RTX 4070 specs page: 5888 CUDA cores, 2.475 GHz boost → 29.1 TFLOPS; 12 GB GDDR6X, 192-bit, 21 Gbps → 504 GB/s.
    ['NVIDIA GeForce RTX 4070', 29.1, 504, ['rtx 4070']],
    // NVIDIA GeForce RTX 4060 Ti specs page (8 GB and 16 GB alike): 4352 CUDA cores, 2.535 GHz boost → 22.1 TFLOPS; 128-bit GDDR6, 18 Gbps → 288 GB/s.
    ['NVIDIA GeForce RTX 4060 Ti', 22.1, 288, ['rtx 4060 ti']],
    // NVIDIA GeForce RTX 4060 specs page: 3072 CUDA cores, 2.46 GHz boost → 15.1 TFLOPS; 8 GB GDDR6, 128-bit, 17 Gbps → 272 GB/s.
    ['NVIDIA GeForce RTX 4060', 15.1, 272, ['rtx 4060']],
    // NVIDIA GeForce RTX 3090 Ti specs page: 10752 CUDA cores, 1.86 GHz boost → 40.0 TFLOPS; 24 GB GDDR6X, 384-bit, 21 Gbps → 1008 GB/s.
    ['NVIDIA GeForce RTX 3090 Ti', 40.0, 1008, ['rtx 3090 ti']],
    // NVIDIA GeForce RTX 3090 specs page: 10496 CUDA cores, 1.695 GHz boost → 35.6 TFLOPS; 24 GB GDDR6X, 384-bit, 19.5 Gbps → 936 GB/s.
    ['NVIDIA GeForce RTX 3090', 35.6, 936, ['rtx 3090']],
    // NVIDIA GeForce RTX 3080 Ti specs page: 10240 CUDA cores, 1.665 GHz boost → 34.1 TFLOPS; 12 GB GDDR6X, 384-bit, 19 Gbps → 912 GB/s.
    ['NVIDIA GeForce RTX 3080 Ti', 34.1, 912, ['rtx 3080 ti']],
    // NVIDIA GeForce RTX 3080 specs page, 10 GB model: 8704 CUDA cores, 1.71 GHz boost → 29.8 TFLOPS; GDDR6X, 320-bit, 19 Gbps → 760 GB/s.
    // (The later 12 GB model has 8960 cores and 912 GB/s; a name that says "12GB" finds no row.)
    ['NVIDIA GeForce RTX 3080', 29.8, 760, ['rtx 3080']],
    // NVIDIA GeForce RTX 3070 Ti specs page: 6144 CUDA cores, 1.77 GHz boost → 21.7 TFLOPS; 8 GB GDDR6X, 256-bit, 19 Gbps → 608 GB/s.
    ['NVIDIA GeForce RTX 3070 Ti', 21.7, 608, ['rtx 3070 ti']],
    // NVIDIA GeForce RTX 3070 specs page: 5888 CUDA cores, 1.725 GHz boost → 20.3 TFLOPS; 8 GB GDDR6, 256-bit, 14 Gbps → 448 GB/s.
    ['NVIDIA GeForce RTX 3070', 20.3, 448, ['rtx 3070']],
    // NVIDIA GeForce RTX 3060 Ti specs page (GDDR6 model): 4864 CUDA cores, 1.665 GHz boost → 16.2 TFLOPS; 8 GB, 256-bit, 14 Gbps → 448 GB/s.
    ['NVIDIA GeForce RTX 3060 Ti', 16.2, 448, ['rtx 3060 ti']],
    // NVIDIA GeForce RTX 3060 specs page, 12 GB model: 3584 CUDA cores, 1.777 GHz boost → 12.7 TFLOPS; GDDR6, 192-bit, 15 Gbps → 360 GB/s.
    ['NVIDIA GeForce RTX 3060', 12.7, 360, ['rtx 3060']],
    // NVIDIA GeForce RTX 3050 specs page, 8 GB model: 2560 CUDA cores, 1.777 GHz boost → 9.1 TFLOPS; GDDR6, 128-bit, 14 Gbps → 224 GB/s.
    ['NVIDIA GeForce RTX 3050', 9.1, 224, ['rtx 3050']],
    // NVIDIA GeForce RTX 2080 Ti specs page (reference clock): 4352 CUDA cores, 1.545 GHz boost → 13.4 TFLOPS; 11 GB GDDR6, 352-bit, 14 Gbps → 616 GB/s.
    ['NVIDIA GeForce RTX 2080 Ti', 13.4, 616, ['rtx 2080 ti']],
    // NVIDIA GeForce RTX 2080 SUPER specs page: 3072 CUDA cores, 1.815 GHz boost → 11.2 TFLOPS; 8 GB GDDR6, 256-bit, 15.5 Gbps → 496 GB/s.
    ['NVIDIA GeForce RTX 2080 SUPER', 11.2, 496, ['rtx 2080 super']],
    // NVIDIA GeForce RTX 2080 specs page (reference clock): 2944 CUDA cores, 1.71 GHz boost → 10.1 TFLOPS; 8 GB GDDR6, 256-bit, 14 Gbps → 448 GB/s.
    ['NVIDIA GeForce RTX 2080', 10.1, 448, ['rtx 2080']],
    // NVIDIA GeForce RTX 2070 SUPER specs page: 2560 CUDA cores, 1.77 GHz boost → 9.1 TFLOPS; 8 GB GDDR6, 256-bit, 14 Gbps → 448 GB/s.
    ['NVIDIA GeForce RTX 2070 SUPER', 9.1, 448, ['rtx 2070 super']],
    // NVIDIA GeForce RTX 2070 specs page (reference clock): 2304 CUDA cores, 1.62 GHz boost → 7.5 TFLOPS; 8 GB GDDR6, 256-bit, 14 Gbps → 448 GB/s.
    ['NVIDIA GeForce RTX 2070', 7.5, 448, ['rtx 2070']],
    // NVIDIA GeForce RTX 2060 SUPER specs page: 2176 CUDA cores, 1.65 GHz boost → 7.2 TFLOPS; 8 GB GDDR6, 256-bit, 14 Gbps → 448 GB/s.
    ['NVIDIA GeForce RTX 2060 SUPER', 7.2, 448, ['rtx 2060 super']],
    // NVIDIA GeForce RTX 2060 specs page, 6 GB model: 1920 CUDA cores, 1.68 GHz boost → 6.5 TFLOPS; GDDR6, 192-bit, 14 Gbps → 336 GB/s.
    ['NVIDIA GeForce RTX 2060', 6.5, 336, ['rtx 2060']],
    // NVIDIA GeForce GTX 1660 Ti specs page: 1536 CUDA cores, 1.77 GHz boost → 5.4 TFLOPS; 6 GB GDDR6, 192-bit, 12 Gbps → 288 GB/s.
    ['NVIDIA GeForce GTX 1660 Ti', 5.4, 288, ['gtx 1660 ti']],
    // NVIDIA GeForce GTX 1660 SUPER specs page: 1408 CUDA cores, 1.785 GHz boost → 5.0 TFLOPS; 6 GB GDDR6, 192-bit, 14 Gbps → 336 GB/s.
    ['NVIDIA GeForce GTX 1660 SUPER', 5.0, 336, ['gtx 1660 super']],
    // NVIDIA GeForce GTX 1660 specs page: 1408 CUDA cores, 1.785 GHz boost → 5.0 TFLOPS; 6 GB GDDR5, 192-bit, 8 Gbps → 192 GB/s.
    ['NVIDIA GeForce GTX 1660', 5.0, 192, ['gtx 1660']],
    // NVIDIA GeForce GTX 1080 Ti specs page: 3584 CUDA cores, 1.582 GHz boost → 11.3 TFLOPS; 11 GB GDDR5X, 352-bit, 11 Gbps → 484 GB/s.
    ['NVIDIA GeForce GTX 1080 Ti', 11.3, 484, ['gtx 1080 ti']],
    // NVIDIA GeForce GTX 1080 specs page: 2560 CUDA cores, 1.733 GHz boost → 8.9 TFLOPS; 8 GB GDDR5X, 256-bit, 10 Gbps → 320 GB/s (the launch memory; later boards ran it at 11 Gbps).
    ['NVIDIA GeForce GTX 1080', 8.9, 320, ['gtx 1080']],
    // NVIDIA GeForce GTX 1070 Ti specs page: 2432 CUDA cores, 1.683 GHz boost → 8.2 TFLOPS; 8 GB GDDR5, 256-bit, 8 Gbps → 256 GB/s.
    ['NVIDIA GeForce GTX 1070 Ti', 8.2, 256, ['gtx 1070 ti']],
    // NVIDIA GeForce GTX 1070 specs page: 1920 CUDA cores, 1.683 GHz boost → 6.5 TFLOPS; 8 GB GDDR5, 256-bit, 8 Gbps → 256 GB/s.
    ['NVIDIA GeForce GTX 1070', 6.5, 256, ['gtx 1070']],
    // NVIDIA GeForce GTX 1060 specs page, 6 GB model: 1280 CUDA cores, 1.708 GHz boost → 4.4 TFLOPS; GDDR5, 192-bit, 8 Gbps → 192 GB/s.
    // Drivers print the memory size for the two models ("GeForce GTX 1060 6GB"), so a bare "GTX 1060" finds no row.
    ['NVIDIA GeForce GTX 1060 6GB', 4.4, 192, ['gtx 1060 6gb']],
    // NVIDIA GeForce GTX 1060 specs page, 3 GB model: 1152 CUDA cores, 1.708 GHz boost → 3.9 TFLOPS; GDDR5, 192-bit, 8 Gbps → 192 GB/s.
    ['NVIDIA GeForce GTX 1060 3GB', 3.9, 192, ['gtx 1060 3gb']],
    // NVIDIA GeForce GTX 1050 Ti specs page: 768 CUDA cores, 1.392 GHz boost → 2.1 TFLOPS; 4 GB GDDR5, 128-bit, 7 Gbps → 112 GB/s.
    ['NVIDIA GeForce GTX 1050 Ti', 2.1, 112, ['gtx 1050 ti']],
  ]),
  ...nvidia('datacenter', [
    // NVIDIA H200 datasheet, SXM: FP32 67 TFLOPS; 141 GB HBM3e, 4.8 TB/s. nvidia-smi prints "NVIDIA H200".
    ['NVIDIA H200 SXM', 67, 4800, ['h200', 'h200 sxm']],
    // NVIDIA H200 datasheet, NVL (PCIe): FP32 60 TFLOPS; 141 GB HBM3e, 4.8 TB/s.
    ['NVIDIA H200 NVL', 60, 4800, ['h200 nvl']],
    // NVIDIA H100 datasheet, SXM: FP32 67 TFLOPS; 80 GB HBM3, 3.35 TB/s. nvidia-smi prints "NVIDIA H100 80GB HBM3".
    ['NVIDIA H100 SXM', 67, 3350, ['h100 sxm', 'h100 sxm5', 'h100 80gb hbm3']],
    // NVIDIA H100 datasheet, PCIe: FP32 51 TFLOPS; 80 GB HBM2e, 2 TB/s. nvidia-smi prints "NVIDIA H100 PCIe".
    ['NVIDIA H100 PCIe', 51, 2000, ['h100 pcie']],
    // NVIDIA H100 datasheet, NVL: FP32 60 TFLOPS; 94 GB HBM3, 3.9 TB/s.
    ['NVIDIA H100 NVL', 60, 3900, ['h100 nvl']],
    // NVIDIA A100 datasheet, 80 GB SXM: FP32 19.5 TFLOPS; HBM2e 2039 GB/s. nvidia-smi prints "NVIDIA A100-SXM4-80GB".
    ['NVIDIA A100 80GB SXM', 19.5, 2039, ['a100 sxm4 80gb', 'a100 80gb sxm', 'a100 sxm 80gb']],
    // NVIDIA A100 datasheet, 40 GB SXM: FP32 19.5 TFLOPS; HBM2 1555 GB/s. nvidia-smi prints "NVIDIA A100-SXM4-40GB".
    ['NVIDIA A100 40GB SXM', 19.5, 1555, ['a100 sxm4 40gb', 'a100 40gb sxm', 'a100 sxm 40gb']],
    // NVIDIA A100 datasheet, 80 GB PCIe: FP32 19.5 TFLOPS; HBM2e 1935 GB/s. nvidia-smi prints "NVIDIA A100 80GB PCIe".
    ['NVIDIA A100 80GB PCIe', 19.5, 1935, ['a100 80gb pcie', 'a100 pcie 80gb']],
    // NVIDIA A100 datasheet, 40 GB PCIe: FP32 19.5 TFLOPS; HBM2 1555 GB/s. nvidia-smi prints "NVIDIA A100-PCIE-40GB".
    ['NVIDIA A100 40GB PCIe', 19.5, 1555, ['a100 pcie 40gb', 'a100 40gb pcie']],
    // NVIDIA L40S datasheet: FP32 91.6 TFLOPS; 48 GB GDDR6, 864 GB/s.
    ['NVIDIA L40S', 91.6, 864, ['l40s']],
    // NVIDIA L40 datasheet: FP32 90.5 TFLOPS; 48 GB GDDR6, 864 GB/s.
    ['NVIDIA L40', 90.5, 864, ['l40']],
    // NVIDIA L4 datasheet: FP32 30.3 TFLOPS; 24 GB GDDR6, 300 GB/s.
    ['NVIDIA L4', 30.3, 300, ['l4']],
    // NVIDIA A40 datasheet: FP32 37.4 TFLOPS; 48 GB GDDR6, 696 GB/s.
    ['NVIDIA A40', 37.4, 696, ['a40']],
    // NVIDIA A10 datasheet: FP32 31.2 TFLOPS; 24 GB GDDR6, 600 GB/s. (AWS's A10G is a different board: no row.)
    ['NVIDIA A10', 31.2, 600, ['a10']],
    // NVIDIA RTX 6000 Ada Generation datasheet: FP32 91.1 TFLOPS; 48 GB GDDR6, 960 GB/s.
    ['NVIDIA RTX 6000 Ada Generation', 91.1, 960, ['rtx 6000 ada']],
    // NVIDIA RTX A6000 datasheet: FP32 38.7 TFLOPS; 48 GB GDDR6, 768 GB/s.
    ['NVIDIA RTX A6000', 38.7, 768, ['rtx a6000']],
    // NVIDIA V100 datasheet, SXM2: FP32 15.7 TFLOPS; HBM2 900 GB/s. nvidia-smi prints "Tesla V100-SXM2-16GB" / "-32GB".
    ['NVIDIA V100 SXM2', 15.7, 900, ['v100 sxm2']],
    // NVIDIA V100 datasheet, PCIe: FP32 14 TFLOPS; HBM2 900 GB/s. nvidia-smi prints "Tesla V100-PCIE-16GB" / "-32GB".
    ['NVIDIA V100 PCIe', 14, 900, ['v100 pcie']],
    // NVIDIA V100S datasheet, PCIe: FP32 16.4 TFLOPS; HBM2 1134 GB/s. nvidia-smi prints "Tesla V100S-PCIE-32GB".
    ['NVIDIA V100S PCIe', 16.4, 1134, ['v100s pcie', 'v100s']],
    // NVIDIA T4 datasheet: FP32 8.1 TFLOPS; 16 GB GDDR6, 320 GB/s. nvidia-smi prints "Tesla T4".
    ['NVIDIA T4', 8.1, 320, ['t4']],
  ]),
  ...amd('consumer', [
    // AMD Radeon RX 7900 XTX specs page: peak single precision 61.4 TFLOPS; 24 GB GDDR6, 384-bit, 20 Gbps → 960 GB/s.
    ['AMD Radeon RX 7900 XTX', 61.4, 960, ['rx 7900 xtx']],
    // AMD Radeon RX 7900 XT specs page: 5376 shaders × up to 2.4 GHz boost × 4 → 51.5 TFLOPS; 20 GB GDDR6, 320-bit, 20 Gbps → 800 GB/s.
    ['AMD Radeon RX 7900 XT', 51.5, 800, ['rx 7900 xt']],
    // AMD Radeon RX 7900 GRE specs page: 5120 shaders × 2.245 GHz boost × 4 → 46.0 TFLOPS; 16 GB GDDR6, 256-bit, 18 Gbps → 576 GB/s.
    ['AMD Radeon RX 7900 GRE', 46.0, 576, ['rx 7900 gre']],
    // AMD Radeon RX 7800 XT specs page: peak single precision 37.3 TFLOPS; 16 GB GDDR6, 256-bit, 19.5 Gbps → 624 GB/s.
    ['AMD Radeon RX 7800 XT', 37.3, 624, ['rx 7800 xt']],
    // AMD Radeon RX 7700 XT specs page: peak single precision 35.2 TFLOPS; 12 GB GDDR6, 192-bit, 18 Gbps → 432 GB/s.
    ['AMD Radeon RX 7700 XT', 35.2, 432, ['rx 7700 xt']],
    // AMD Radeon RX 7600 specs page: peak single precision 21.75 TFLOPS (2048 shaders × 2.655 GHz × 4); 8 GB GDDR6, 128-bit, 18 Gbps → 288 GB/s.
    ['AMD Radeon RX 7600', 21.75, 288, ['rx 7600']],
    // AMD Radeon RX 6950 XT specs page: peak single precision 23.65 TFLOPS (5120 shaders × 2.31 GHz × 2); 16 GB GDDR6, 256-bit, 18 Gbps → 576 GB/s.
    ['AMD Radeon RX 6950 XT', 23.65, 576, ['rx 6950 xt']],
    // AMD Radeon RX 6900 XT specs page: peak single precision 23.04 TFLOPS; 16 GB GDDR6, 256-bit, 16 Gbps → 512 GB/s.
    ['AMD Radeon RX 6900 XT', 23.04, 512, ['rx 6900 xt']],
    // AMD Radeon RX 6800 XT specs page: peak single precision 20.74 TFLOPS; 16 GB GDDR6, 256-bit, 16 Gbps → 512 GB/s.
    ['AMD Radeon RX 6800 XT', 20.74, 512, ['rx 6800 xt']],
    // AMD Radeon RX 6800 specs page: peak single precision 16.17 TFLOPS; 16 GB GDDR6, 256-bit, 16 Gbps → 512 GB/s.
    ['AMD Radeon RX 6800', 16.17, 512, ['rx 6800']],
    // AMD Radeon RX 6700 XT specs page: peak single precision 13.21 TFLOPS; 12 GB GDDR6, 192-bit, 16 Gbps → 384 GB/s.
    ['AMD Radeon RX 6700 XT', 13.21, 384, ['rx 6700 xt']],
    // AMD Radeon RX 6600 XT specs page: peak single precision 10.6 TFLOPS; 8 GB GDDR6, 128-bit, 16 Gbps → 256 GB/s.
    ['AMD Radeon RX 6600 XT', 10.6, 256, ['rx 6600 xt']],
    // AMD Radeon RX 6600 specs page: peak single precision 8.93 TFLOPS; 8 GB GDDR6, 128-bit, 14 Gbps → 224 GB/s.
    ['AMD Radeon RX 6600', 8.93, 224, ['rx 6600']],
  ]),
  ...amd('datacenter', [
    // AMD Instinct MI300X datasheet: peak FP32 vector 163.4 TFLOPS; 192 GB HBM3, 5.3 TB/s.
    ['AMD Instinct MI300X', 163.4, 5300, ['mi300x']],
    // AMD Instinct MI250X datasheet: peak FP32 vector 47.9 TFLOPS; 128 GB HBM2e, 3.2768 TB/s.
    ['AMD Instinct MI250X', 47.9, 3276.8, ['mi250x']],
    // AMD Instinct MI210 datasheet: peak FP32 vector 22.6 TFLOPS; 64 GB HBM2e, 1.6384 TB/s.
    ['AMD Instinct MI210', 22.6, 1638.4, ['mi210']],
    // AMD Instinct MI100 datasheet: peak FP32 23.1 TFLOPS; 32 GB HBM2, 1.2288 TB/s.
    ['AMD Instinct MI100', 23.1, 1228.8, ['mi100']],
  ]),
];

/** Words after a matched model that make it another card: "RTX 4080" + "SUPER", "RTX 4090" + "D". */
const VARIANT_WORDS = new Set(['ti', 'super', 'xt', 'xtx', 'gre', 'nvl', 'd', 'ultra', 'pro', 'se']);
/** Words that mark a laptop part, whose peaks depend on the laptop's power limit: never a desktop row. */
const MOBILE_WORDS = new Set(['laptop', 'mobile', 'notebook', 'maxq']);
const MEMORY_SIZE = /^\d+gb$/;

/** "NVIDIA GeForce RTX 4080 SUPER" → ["nvidia", "geforce", "rtx", "4080", "super"]. */
function words(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/\(tm\)|\(r\)|[®™]/g, ' ')
    .replace(/max-q/g, 'maxq')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Where `pattern` occurs in `tokens` as whole consecutive words, or -1. */
function indexOfWords(tokens: readonly string[], pattern: readonly string[]): number {
  outer: for (let i = 0; i + pattern.length <= tokens.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (tokens[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

const PATTERNS = GPU_PEAKS.flatMap((peak) => peak.match.map((m) => ({ peak, words: words(m) })));

/**
 * The peaks of the card a tool names ("NVIDIA GeForce RTX 4090", "GeForce RTX 2060", "NVIDIA H100 80GB
 * HBM3", "AMD Radeon RX 6800", "Tesla V100-SXM2-32GB"), or null when the card is unknown or the name is
 * ambiguous. The most specific row wins ("RTX 4080 SUPER" is not the RTX 4080), and a row never matches
 * a variant it does not list ("RTX 3080 Ti" finds the 3080 Ti or nothing, never the 3080). Laptop GPUs
 * and lspci-style lists of models ("Radeon RX 7900 XT/7900 XTX") give null.
 */
export function findGpuPeak(name: string): GpuPeak | null {
  if (name.includes('/')) return null;
  const tokens = words(name);
  if (tokens.some((t) => MOBILE_WORDS.has(t))) return null;
  let best: { peak: GpuPeak; length: number } | null = null;
  for (const pattern of PATTERNS) {
    const at = indexOfWords(tokens, pattern.words);
    if (at < 0) continue;
    const next = tokens[at + pattern.words.length];
    if (next !== undefined) {
      if (VARIANT_WORDS.has(next)) continue;
      if (pattern.peak.kind === 'consumer' && MEMORY_SIZE.test(next)) continue;
    }
    const length = pattern.words.join(' ').length;
    if (!best || length > best.length) best = { peak: pattern.peak, length };
  }
  return best?.peak ?? null;
}
