// Plan search: enumerate every valid plan, score each with the core, keep the best.
// The core scores; this file only lists plans and prunes what cannot win.
import type { FullPlan, Recompute, Resolved } from "./scenario.js";
import { divisors } from "./divisors.js";


/** Recompute levels cheapest first: each adds compute and saves memory (Korthikanti 2022, Table 4). */
export const RECOMPUTE_ORDER: readonly Recompute[] = ["none", "selective", "full"];
const ZEROS = [0, 1, 2, 3] as const;

/**
 * Every plan the model and cluster admit, grouped so that plans differing only in recompute come
 * together, cheapest first. Checks the divisibility rules the core enforces.
 */
export function* planGroups(r: Resolved): Generator<FullPlan[]> {
  const { model: m, training: t, count } = r;
  const cps = t.seqLen >= 32768 ? divisors(t.seqLen, 64).filter((c) => count % c === 0) : [1];
  for (const tp of divisors(m.heads, 128)) {
    if (count % tp !== 0 || (!m.mla && m.kvHeads % tp !== 0)) continue;
    for (const cp of cps) {
      if (count % (tp * cp) !== 0 || t.seqLen % cp !== 0) continue;
      // Any pipeline depth that divides the chips and leaves each stage a layer (uneven stages allowed).
      for (const pp of divisors(count / (tp * cp), m.layers)) {
        const dp = count / (tp * cp * pp);
        if (t.globalBatch % dp !== 0) continue;
        const perReplica = t.globalBatch / dp;
        const eps = m.moe ? divisors(m.moe.experts).filter((e) => (dp * cp) % e === 0) : [1];
        for (const microBatch of divisors(perReplica, 64)) {
          const micro = perReplica / microBatch;
          for (let vpp = 1; vpp <= (pp > 1 ? 8 : 1); vpp++) {
            if (pp * vpp > m.layers || (vpp > 1 && micro % pp !== 0)) continue;
            for (const ep of eps) {
              for (const zero of ZEROS) {
                if (dp * cp === 1 && zero > 0) continue; // nothing to shard across
                for (const sequenceParallel of tp > 1 ? [true, false] : [false]) {
                  yield RECOMPUTE_ORDER.map((recompute) => ({
                    tp, pp, dp, cp, ep, vpp, microBatch, zero, recompute, sequenceParallel,
                    flashAttention: true, overlapGradReduce: true,
                  }));
                }
              }
            }
          }
        }
      }
    }
  }
}
