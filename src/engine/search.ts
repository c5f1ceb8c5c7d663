// Plan search: enumerate every valid plan, score each with the core, keep the best.
// The core scores; this file only lists plans and prunes what cannot win.
import {
  applicableModules,
  RECOMPUTE_MODULES,
  type FullPlan,
  type Recompute,
  type RecomputeModule,
  type Resolved,
} from "../contract/scenario.js";
import { divisors } from "./divisors.js";
import {
  divides,
  expertsFitStage,
  interleaveFits,
  stagesFitLayers,
  tpFitsHeads,
  tpCommOverlapDefault,
} from "../contract/plan-rules.js";

// Modules added one at a time: the norms first (a re-run streams about 2 bytes per byte it frees),
// then MLA's projections (they free the per-head Q, K and V, several times the hidden width: what
// DeepSeek-V3 recomputes), then the MoE activation (one F-wide tensor per routed copy, 3 bytes
// streamed per byte freed).
const MODULE_CHAIN: readonly RecomputeModule[] = ["layernorm", "mla_up_proj", "moe_act"];

/**
 * Recompute levels in the order the search tries them, lightest first, each keeping every module
 * of the one before, so saving memory and costing time over it: none; the modules the model has,
 * added one at a time; full (Korthikanti 2022, Table 4). The search runs FlashAttention, which
 * never stores the attention scores, so selective recompute would cost time and save nothing: it
 * is not tried.
 */
function recomputeLevels(
  r: Resolved,
): { recompute: Recompute; recomputeModules: RecomputeModule[] }[] {
  const has = applicableModules(
    { recompute: "none", recomputeModules: [...RECOMPUTE_MODULES] } as FullPlan,
    r.model,
  );
  const chain = MODULE_CHAIN.filter((m) => has.includes(m));
  return [
    { recompute: "none", recomputeModules: [] },
    // In the contract's order (RECOMPUTE_MODULES), as a scenario's modules resolve.
    ...chain.map((_, k) => ({
      recompute: "none" as Recompute,
      recomputeModules: RECOMPUTE_MODULES.filter((m) => chain.slice(0, k + 1).includes(m)),
    })),
    { recompute: "full", recomputeModules: [] },
  ];
}
const ZEROS = [0, 1, 2, 3] as const;

export interface Shard {
  index: number;
  count: number;
}

/** The (tp, cp, pp) shapes of the mesh, the unit of sharding and of progress. */
function meshes(r: Resolved): { tp: number; cp: number; pp: number }[] {
  const { model: m, training: t, count } = r;
  const out: { tp: number; cp: number; pp: number }[] = [];
  const cps = t.seqLen >= 32768 ? divisors(t.seqLen, 64).filter((c) => count % c === 0) : [1];
  for (const tp of divisors(m.heads, 128)) {
    if (!divides(tp, count) || !tpFitsHeads(m, tp)) continue;
    for (const cp of cps) {
      if (!divides(tp * cp, count)) continue;
      // Any pipeline depth that divides the chips and leaves each stage a layer (uneven stages allowed).
      for (const pp of divisors(count / (tp * cp), m.layers)) {
        if (divides(count / (tp * cp * pp), t.globalBatch)) out.push({ tp, cp, pp });
      }
    }
  }
  return out;
}

/**
 * Every plan the model and cluster admit, grouped so that plans differing only in recompute come
 * together, cheapest first. A shard takes every count-th mesh shape; `progress` hears
 * (shapes done, shapes in this shard). `offloadOptimizer`: every plan keeps its optimizer state in
 * host memory (the search's second pass, when no plan fits without it).
 */
export function* planGroups(
  r: Resolved,
  shard: Shard = { index: 0, count: 1 },
  progress?: (done: number, total: number) => void,
  offloadOptimizer = false,
): Generator<FullPlan[]> {
  const { model: m, training: t, count } = r;
  const mine = meshes(r).filter((_, k) => k % shard.count === shard.index);
  const levels = recomputeLevels(r);
  for (const [k, { tp, cp, pp }] of mine.entries()) {
    progress?.(k, mine.length);
    const dp = count / (tp * cp * pp);
    const perReplica = t.globalBatch / dp;
    const shardings = (m.moe && tp > 1 ? [tp, 1] : [tp]).flatMap((etp) =>
      (m.moe
        ? divisors(m.moe.experts).filter((ep) => expertsFitStage({ tp, cp, dp, ep, etp }))
        : [1]
      ).map((ep) => ({ ep, etp })),
    );
    for (const microBatch of divisors(perReplica, 64)) {
      const micro = perReplica / microBatch;
      for (let vpp = 1; vpp <= (pp > 1 ? 8 : 1); vpp++) {
        if (!stagesFitLayers(pp, vpp, m.layers) || !interleaveFits(pp, vpp, micro)) continue;
        for (const { ep, etp } of shardings) {
          for (const zero of ZEROS) {
            if (dp * cp === 1 && zero > 0) continue; // nothing to shard across
            // Megatron-Core's MoE layer trains with tp > 1 only under sequence parallelism (moe_layer.py).
            for (const sequenceParallel of tp > 1 ? (m.moe ? [true] : [true, false]) : [false]) {
              yield levels.map(({ recompute, recomputeModules }) => ({
                tp,
                pp,
                dp,
                cp,
                ep,
                etp,
                vpp,
                microBatch,
                zero,
                recompute,
                recomputeModules,
                sequenceParallel,
                flashAttention: true,
                overlapGradReduce: true,
                overlapAllToAll: false,
                tpCommOverlap: tpCommOverlapDefault(r.stack.id, { tp, sequenceParallel }),
                offloadOptimizer,
                offloadActivations: 0,
              }));
            }
          }
        }
      }
    }
  }
  progress?.(mine.length, mine.length);
}
