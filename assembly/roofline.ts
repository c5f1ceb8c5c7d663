// Roofline time of one operation: max(FLOPs / achievable peak, bytes / achievable HBM bandwidth)
// (Williams, Waterman & Patterson 2009, "Roofline", CACM 52(4), eq. 1).

// Occupancy of one GEMM dimension: x / (x + x0). Small per-chip matrices (after TP or expert
// sharding) fill fewer tiles and waves; x0 is calibrated (src/calibration.ts).
@inline function side(x: f64, halfDim: f64): f64 {
  return x / (x + halfDim);
}

/** Efficiency of an m x k by k x n GEMM relative to peak. */
@inline export function gemmEfficiency(m: f64, n: f64, k: f64, best: f64, halfDim: f64): f64 {
  return best * side(m, halfDim) * side(n, halfDim) * side(k, halfDim);
}

/** Time of `count` independent m x k by k x n GEMMs with `elem`-byte operands. */
export function gemmTime(
  m: f64, n: f64, k: f64, count: f64,
  peak: f64, best: f64, halfDim: f64, elem: f64, hbm: f64,
): f64 {
  return weightGemmTime(m, n, k, count, peak, best, halfDim, elem, elem, hbm);
}

/**
 * As gemmTime, with `wElem`-byte weights (the k x n side) and `aElem`-byte activations: serving
 * streams INT4/FP8 weights beside BF16 activations (weight-only quantization, Lin et al. 2024, AWQ).
 */
export function weightGemmTime(
  m: f64, n: f64, k: f64, count: f64,
  peak: f64, best: f64, halfDim: f64, wElem: f64, aElem: f64, hbm: f64,
): f64 {
  if (m <= 0 || n <= 0 || k <= 0 || count <= 0) return 0;
  const flops = 2 * m * n * k * count;
  const bytes = (wElem * k * n + aElem * (m * k + m * n)) * count;
  return opTime(flops, bytes, peak * gemmEfficiency(m, n, k, best, halfDim), hbm);
}

// FLOPs and HBM bytes of every op timed since the caller last zeroed them (the serving model
// reports how much of a step is compute and how much is memory traffic).
export let flopsSeen: f64 = 0;
export let bytesSeen: f64 = 0;
export function resetSeen(): void {
  flopsSeen = 0;
  bytesSeen = 0;
}

/** One op on the roofline, at an achievable peak `peak` and bandwidth `hbm`. */
export function opTime(flops: f64, bytes: f64, peak: f64, hbm: f64): f64 {
  flopsSeen += flops;
  bytesSeen += bytes;
  return Math.max(flops / peak, bytes / hbm);
}

/** Time of a memory-bound op that streams `bytes` through HBM. */
@inline export function streamTime(bytes: f64, hbm: f64): f64 {
  return bytes / hbm;
}
