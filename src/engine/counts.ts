// Chip counts a plan can use: tp x cp x pp x dp over the mesh factors a model allows, with dp
// dividing the global batch; and the usable neighbours of a count that none divides.
import type { Resolved } from "../contract/scenario.js";
import { divisors } from "./divisors.js";
import { tpFitsHeads } from "../contract/plan-rules.js";

/** The mesh factors a plan may take: tp, cp and pp choices, and dp as the divisors of a batch. */
export interface MeshFactors {
  tps: number[];
  cps: number[];
  pps: number[];
  dps: (batch: number) => number[];
}

/**
 * tp a power of two dividing the heads, pp a power of two, three times one, or a divisor of the
 * layers (the shapes clusters are built and run at; the planner takes uneven stages, so 1,536 chips
 * run an 80-layer model at pp 3), cp a power of two dividing a long sequence, dp | globalBatch.
 */
export function meshFactors(r: Resolved): MeshFactors {
  const { model: m, training: t } = r;
  const pow2 = (limit: number) => {
    const out: number[] = [];
    for (let x = 1; x <= limit; x *= 2) out.push(x);
    return out;
  };
  const cps = t.seqLen >= 32768 ? pow2(64).filter((c) => t.seqLen % c === 0) : [1];
  const pps = [
    ...new Set([
      ...pow2(Math.min(m.layers, 128)),
      ...pow2(Math.min(m.layers, 128) / 3).map((x) => 3 * x),
      ...divisors(m.layers, 128),
    ]),
  ];
  const tps = pow2(128).filter((tp) => tpFitsHeads(m, tp));
  return { tps, cps, pps, dps: (batch) => divisors(batch) };
}

/** Chip counts worth trying: tp * pp * cp * dp of the mesh factors, dp | globalBatch. */
export function plannableCounts(r: Resolved, max: number): number[] {
  const f = meshFactors(r);
  const set = new Set<number>();
  const dps = f.dps(r.training.globalBatch);
  for (const tp of f.tps)
    for (const cp of f.cps)
      for (const pp of f.pps)
        for (const dp of dps) {
          const n = tp * cp * pp * dp;
          if (n <= max) set.add(n);
        }
  return [...set].sort((a, b) => a - b);
}

/** The largest usable count below `count` and the smallest above it (at most twice it); null where none. */
export function usableNeighbours(
  r: Resolved,
  count: number,
): { below: number | null; above: number | null } {
  const counts = plannableCounts(r, 2 * count);
  let below: number | null = null,
    above: number | null = null;
  for (const c of counts) {
    if (c < count) below = c;
    else if (c > count && above === null) above = c;
  }
  return { below, above };
}

/** Smallest count tried for "at most n": below it a training run of interest takes years either way. */
export const COUNT_FLOOR = 8;

/**
 * Counts worth trying for "at most n" chips: n and its largest multiples of 8 .. 65,536 (near the
 * target, where plans divide), and every 2^k and 1.5 x 2^k from COUNT_FLOOR up to n (far below it,
 * where fewer chips can finish sooner). Largest first, no repeats. A sweep over them finds the
 * best use of at most n chips; its points with no plan say why.
 */
export function countsAtOrBelow(n: number): number[] {
  const out = new Set<number>([n]);
  for (let m = 8; m <= 65536; m *= 2) if (Math.floor(n / m) >= 1) out.add(Math.floor(n / m) * m);
  for (let p = COUNT_FLOOR; p <= n; p *= 2) {
    out.add(p);
    if (1.5 * p <= n) out.add(1.5 * p);
  }
  return [...out].sort((a, b) => b - a);
}

/** Every 2^k and 1.5 x 2^k above n up to `multiple` x n: what "more chips" would do. Largest first. */
export function countsAbove(n: number, multiple = 4): number[] {
  const out: number[] = [];
  for (let p = COUNT_FLOOR; p <= multiple * n; p *= 2)
    for (const c of [p, 1.5 * p]) if (c > n && c <= multiple * n) out.push(c);
  return out.sort((a, b) => b - a);
}
