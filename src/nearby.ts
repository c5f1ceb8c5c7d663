// Usable neighbours of a count or a batch: what a plan can divide near what was asked, so that an
// answer at an unusable or slow point names the nearby points that work.
import type { MeshFactors } from "./answers.js";

/** The batch nearest `batch` (within `tolerance` of it, relative) that some plan at `count` chips divides; null if none. */
export function nearestBatch(
  f: MeshFactors,
  count: number,
  batch: number,
  tolerance: number,
): number | null {
  let best: number | null = null;
  for (const tp of f.tps)
    for (const cp of f.cps)
      for (const pp of f.pps) {
        const rest = count / (tp * cp * pp);
        if (!Number.isInteger(rest)) continue;
        // dp = rest; the batch must be a multiple of it.
        const b = Math.max(1, Math.round(batch / rest)) * rest;
        if (Math.abs(b - batch) > tolerance * batch) continue;
        if (
          best === null ||
          Math.abs(b - batch) < Math.abs(best - batch) ||
          (Math.abs(b - batch) === Math.abs(best - batch) && b < best)
        )
          best = b;
      }
  return best;
}
