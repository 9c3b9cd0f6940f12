/**
 * WGSL kernels of the WebGPU benchmark, and the JS twin of the fill kernel's pseudo-random values so the
 * CPU can check what the GPU computed. Plain strings and pure functions: no GPU object is made here.
 */

/** Threads per workgroup side of the matmul kernel (16×16 = 256 threads, WebGPU's default maximum). */
export const MATMUL_THREADS = 16;
/** Each thread accumulates a REG×REG block of C, so a workgroup computes a TILE×TILE block. */
export const MATMUL_REG = 4;
export const MATMUL_TILE = MATMUL_THREADS * MATMUL_REG; // 64
/** Depth of the A and B tiles staged in workgroup memory per step along K. */
export const MATMUL_TILE_K = 16;

/** Threads per workgroup of the 1-D kernels (fill, copy). */
export const LINEAR_WORKGROUP = 256;
/** Workgroups per dispatch row of the 1-D kernels; more rows are used past this (the limit is 65535). */
export const LINEAR_MAX_GROUPS_X = 32768;

const REG_INDICES = Array.from({ length: MATMUL_REG }, (_, i) => i);
/** `line(i, j)` for every register (i, j) of a thread's block, one per line: the block is spelled out in
 * scalars so every backend keeps it in registers (an indexed private array may be spilled to memory). */
const perRegister = (line: (i: number, j: number) => string, indent: string) =>
  REG_INDICES.flatMap((i) => REG_INDICES.map((j) => indent + line(i, j))).join('\n');
const perIndex = (line: (i: number) => string, indent: string) =>
  REG_INDICES.map((i) => indent + line(i)).join('\n');

/**
 * Tiled FP32 matmul C(M×N) = A(M×K) · B(K×N), row-major, any M, N, K (edges are zero-padded on load and
 * masked on store). A 16×16 workgroup stages a 64×16 slice of A and a 16×64 slice of B in workgroup
 * memory per step; each thread keeps a 4×4 block of C in registers. A thread's rows and columns are
 * strided by 16 so neighbouring threads touch neighbouring words (coalesced stores, no bank conflicts).
 */
export const MATMUL_WGSL = /* wgsl */ `
struct Dims { m: u32, n: u32, k: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

const T: u32 = ${MATMUL_THREADS}u;
const TILE: u32 = ${MATMUL_TILE}u;
const TK: u32 = ${MATMUL_TILE_K}u;
const LOADS: u32 = (TILE * TK) / (T * T);
// tile_a rows are padded by one word: its transposing stores would otherwise all hit one memory bank.
const A_STRIDE: u32 = TILE + 1u;

// Both tiles are stored k-major: tile_a[kk * A_STRIDE + row], tile_b[kk * TILE + col].
var<workgroup> tile_a: array<f32, ${(MATMUL_TILE + 1) * MATMUL_TILE_K}>;
var<workgroup> tile_b: array<f32, ${MATMUL_TILE * MATMUL_TILE_K}>;

fn store(row: u32, col: u32, value: f32) {
  if (row < dims.m && col < dims.n) {
    c[row * dims.n + col] = value;
  }
}

@compute @workgroup_size(${MATMUL_THREADS}, ${MATMUL_THREADS})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let row0 = wg.y * TILE + lid.y;
  let col0 = wg.x * TILE + lid.x;
${perRegister((i, j) => `var c${i}${j} = 0.0;`, '  ')}
  let steps = (dims.k + TK - 1u) / TK;
  for (var s = 0u; s < steps; s++) {
    let k0 = s * TK;
    for (var e = 0u; e < LOADS; e++) {
      let idx = li + e * T * T;
      // A slice: TILE rows x TK columns, read along rows of A.
      let a_row = wg.y * TILE + idx / TK;
      let a_col = k0 + idx % TK;
      var av = 0.0;
      if (a_row < dims.m && a_col < dims.k) {
        av = a[a_row * dims.k + a_col];
      }
      tile_a[(idx % TK) * A_STRIDE + idx / TK] = av;
      // B slice: TK rows x TILE columns, read along rows of B.
      let b_row = k0 + idx / TILE;
      let b_col = wg.x * TILE + idx % TILE;
      var bv = 0.0;
      if (b_row < dims.k && b_col < dims.n) {
        bv = b[b_row * dims.n + b_col];
      }
      tile_b[idx] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
${perIndex((i) => `let a${i} = tile_a[kk * A_STRIDE + lid.y + ${i * MATMUL_THREADS}u];`, '      ')}
${perIndex((j) => `let b${j} = tile_b[kk * TILE + lid.x + ${j * MATMUL_THREADS}u];`, '      ')}
${perRegister((i, j) => `c${i}${j} = fma(a${i}, b${j}, c${i}${j});`, '      ')}
    }
    workgroupBarrier();
  }
${perRegister((i, j) => `store(row0 + ${i * MATMUL_THREADS}u, col0 + ${j * MATMUL_THREADS}u, c${i}${j});`, '  ')}
}
`;

/** Index of a 1-D kernel's thread, over a 2-D grid of workgroups (rows of LINEAR_MAX_GROUPS_X). */
const LINEAR_INDEX_WGSL = /* wgsl */ `
fn linear_index(wg: vec3<u32>, groups: vec3<u32>, lid: vec3<u32>) -> u32 {
  return (wg.y * groups.x + wg.x) * ${LINEAR_WORKGROUP}u + lid.x;
}
`;

/** The hash both the fill kernel and `pseudoRandomValue` use (Chris Wellons' lowbias32). */
const HASH_WGSL = /* wgsl */ `
fn lowbias32(x: u32) -> u32 {
  var h = x;
  h ^= h >> 16u;
  h *= 0x7feb352du;
  h ^= h >> 15u;
  h *= 0x846ca68bu;
  h ^= h >> 16u;
  return h;
}
`;

/**
 * Fills `values[0..count)` with deterministic values in [-1, 1) from (index, seed). Each value is
 * (24-bit integer)·2⁻²³ − 1, which FP32 holds exactly, so the GPU and `pseudoRandomValue` agree bit for bit.
 */
export const FILL_WGSL = /* wgsl */ `
struct FillParams { count: u32, seed: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<storage, read_write> values: array<f32>;
@group(0) @binding(1) var<uniform> params: FillParams;
${HASH_WGSL}
${LINEAR_INDEX_WGSL}
@compute @workgroup_size(${LINEAR_WORKGROUP})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
) {
  let i = linear_index(wg, groups, lid);
  if (i < params.count) {
    let h = lowbias32(i ^ lowbias32(params.seed));
    values[i] = f32(h >> 8u) / 8388608.0 - 1.0;
  }
}
`;

/** Streams `src` into `dst` one vec4<f32> (16 bytes) per thread: each byte is read once and written once. */
export const COPY_WGSL = /* wgsl */ `
struct CopyParams { count: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: CopyParams;
${LINEAR_INDEX_WGSL}
@compute @workgroup_size(${LINEAR_WORKGROUP})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
) {
  let i = linear_index(wg, groups, lid);
  if (i < params.count) {
    dst[i] = src[i];
  }
}
`;

/** Workgroup grid for a 1-D kernel over `threads` threads: [x, y] with x ≤ LINEAR_MAX_GROUPS_X. */
export function linearGrid(threads: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / LINEAR_WORKGROUP));
  const x = Math.min(groups, LINEAR_MAX_GROUPS_X);
  return [x, Math.ceil(groups / x)];
}

function lowbias32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The value FILL_WGSL writes at `index` for `seed` (exact in FP32). */
export function pseudoRandomValue(index: number, seed: number): number {
  const h = lowbias32((index ^ lowbias32(seed)) >>> 0);
  return (h >>> 8) * 2 ** -23 - 1;
}

/** `count` values as FILL_WGSL writes them. */
export function pseudoRandomArray(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = pseudoRandomValue(i, seed);
  return out;
}

export interface MatmulCheck {
  maxAbsError: number;
  /** Largest |gpu − cpu| / Σₖ|aᵢₖ·bₖⱼ|: rounding error relative to the terms summed, as FP32 analysis bounds it. */
  maxRelError: number;
  /** Where the largest relative error is, and both values there (for the error message). */
  worst: { row: number; col: number; gpu: number; cpu: number } | null;
  /** False when any GPU value is NaN or infinite. */
  allFinite: boolean;
}

/** Compares a GPU product with a float64 CPU product of the same FP32 inputs. */
export function checkMatmul(
  a: Float32Array,
  b: Float32Array,
  gpu: Float32Array,
  m: number,
  k: number,
  n: number,
): MatmulCheck {
  let maxAbsError = 0;
  let maxRelError = 0;
  let worst: MatmulCheck['worst'] = null;
  let allFinite = true;
  const exact = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let row = 0; row < m; row++) {
    exact.fill(0);
    scale.fill(0);
    for (let kk = 0; kk < k; kk++) {
      const av = a[row * k + kk]!;
      const base = kk * n;
      for (let col = 0; col < n; col++) {
        const term = av * b[base + col]!;
        exact[col]! += term;
        scale[col]! += Math.abs(term);
      }
    }
    for (let col = 0; col < n; col++) {
      const g = gpu[row * n + col]!;
      const cpu = exact[col]!;
      if (!Number.isFinite(g)) {
        if (allFinite) worst = { row, col, gpu: g, cpu };
        allFinite = false;
        continue;
      }
      const abs = Math.abs(g - cpu);
      const rel = abs / Math.max(scale[col]!, Number.MIN_VALUE);
      if (abs > maxAbsError) maxAbsError = abs;
      if (rel > maxRelError) {
        maxRelError = rel;
        if (allFinite) worst = { row, col, gpu: g, cpu };
      }
    }
  }
  return { maxAbsError, maxRelError, worst, allFinite };
}
