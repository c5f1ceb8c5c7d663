// Enumerates valid plans for a resolved scenario. The core scores them; this file only lists.
import type { FullPlan, Recompute, Resolved } from "./scenario.js";
import { planIssues } from "./scenario.js";

function divisors(n: number, limit = n): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(n, limit); d++) if (n % d === 0) out.push(d);
  return out;
}

const RECOMPUTES: Recompute[] = ["none", "selective", "full"];
const ZEROS = [0, 1, 2, 3] as const;

/** Every plan the model and cluster admit (divisibility, batch, interleaving, experts). */
export function* candidatePlans(r: Resolved): Generator<FullPlan> {
  const { model: m, training: t, count } = r;
  const cps = t.seqLen >= 32768 ? divisors(t.seqLen, 32).filter((c) => count % c === 0) : [1];
  for (const tp of divisors(m.heads, 64)) {
    if (count % tp !== 0) continue;
    for (const cp of cps) {
      if (count % (tp * cp) !== 0) continue;
      // Pipeline depths that divide the chips; uneven stages are allowed, but not emptier than
      // half a stage's share (more depth than that only adds bubble).
      for (const pp of divisors(count / (tp * cp), Math.min(128, m.layers))) {
        if (pp > 1 && m.layers / pp < 1) continue;
        if (count % (tp * cp * pp) !== 0) continue;
        const dp = count / (tp * cp * pp);
        if (t.globalBatch % dp !== 0) continue;
        const perReplica = t.globalBatch / dp;
        const eps = m.moe ? divisors(m.moe.experts).filter((e) => (dp * cp) % e === 0) : [1];
        const vpps = pp > 1 ? [1, 2, 3, 4, 6, 8].filter((v) => pp * v <= m.layers) : [1];
        for (const microBatch of divisors(perReplica, 16)) {
          for (const vpp of vpps) {
            for (const ep of eps) {
              for (const zero of ZEROS) {
                if (dp * cp === 1 && zero > 0) continue; // nothing to shard across
                for (const recompute of RECOMPUTES) {
                  const plan: FullPlan = {
                    tp, pp, dp, cp, ep, vpp, microBatch, zero, recompute,
                    sequenceParallel: tp > 1, flashAttention: true, overlapGradReduce: true,
                  };
                  if (planIssues(plan, r).length === 0) yield plan;
                }
              }
            }
          }
        }
      }
    }
  }
}
