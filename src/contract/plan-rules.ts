// The rules a plan obeys, in one place: the scenario checks name the field that breaks one
// (planIssues), the plan search and the usable chip counts enumerate only plans that keep them, and
// the core refuses the rest again (assembly/simulate.ts ERR_*, its own guard).
import type { ModelShape } from "../catalog/types.js";
import type { Issue } from "./facts.js";
import { STACKS, type StackId } from "../calibration/stacks.js";

/** The parts of a plan the rules read. */
export interface PlanShape {
  tp: number;
  pp: number;
  dp: number;
  cp: number;
  ep: number;
  etp: number;
  vpp: number;
  microBatch: number;
}

/** What a plan is checked against: the model, the batch and sequence, the chip count. */
export interface PlanContext {
  model: Pick<ModelShape, "name" | "heads" | "kvHeads" | "layers" | "mla" | "moe">;
  training: { seqLen: number; globalBatch: number };
  count: number;
}

/** `d` divides `n` exactly. */
export const divides = (d: number, n: number): boolean => n % d === 0;

/** Tensor parallelism splits the attention heads and (without MLA, whose KV is latent) the KV heads. */
export const tpFitsHeads = (
  m: Pick<ModelShape, "heads" | "kvHeads" | "mla">,
  tp: number,
): boolean => divides(tp, m.heads) && (!!m.mla || divides(tp, m.kvHeads));

/** Every pipeline stage (pp x vpp of them) keeps at least one layer. */
export const stagesFitLayers = (pp: number, vpp: number, layers: number): boolean =>
  pp * vpp <= layers;

/** Interleaved stages (vpp > 1) need a pipeline and a multiple of pp microbatches (Megatron-LM). */
export const interleaveFits = (pp: number, vpp: number, microbatches: number): boolean =>
  vpp === 1 || (pp > 1 && divides(pp, microbatches));

/** Experts shard over a pipeline stage's tp*cp*dp ranks, etp of them per expert (Megatron-Core MoE parallel folding). */
export const expertsFitStage = (p: Pick<PlanShape, "tp" | "cp" | "dp" | "ep" | "etp">): boolean =>
  divides(p.ep * p.etp, p.tp * p.cp * p.dp);

/** Checks a plan against the model and cluster; every rule names the field to change. */
export function planIssues(plan: PlanShape, r: PlanContext): Issue[] {
  const out: Issue[] = [];
  const { model: m, training: t, count } = r;
  // A rule runs only when every number it reads is valid; the invalid one is reported elsewhere.
  const known = (...xs: number[]) => xs.every(Number.isFinite);
  const product = plan.tp * plan.pp * plan.dp * plan.cp;
  if (known(product, count) && product !== count)
    out.push({
      path: "parallelism",
      code: "plan-product",
      data: { product, count },
      message: `tp*pp*dp*cp = ${plan.tp}*${plan.pp}*${plan.dp}*${plan.cp} = ${product} must equal cluster.count = ${count}`,
    });
  if (known(m.heads, plan.tp) && !divides(plan.tp, m.heads))
    out.push({
      path: "parallelism.tp",
      code: "must-divide",
      data: { of: "model.heads", dividend: m.heads, got: plan.tp },
      message: `must divide model.heads (${m.heads}), got ${plan.tp}`,
    });
  else if (known(m.kvHeads, plan.tp) && !tpFitsHeads(m, plan.tp))
    out.push({
      path: "parallelism.tp",
      code: "must-divide",
      data: { of: "model.kvHeads", dividend: m.kvHeads, got: plan.tp },
      message: `must divide model.kvHeads (${m.kvHeads}), got ${plan.tp}`,
    });
  if (known(plan.pp, plan.vpp) && plan.vpp > 1 && plan.pp === 1)
    out.push({
      path: "parallelism.vpp",
      code: "vpp-needs-pp",
      data: { vpp: plan.vpp },
      message: `interleaved stages need pipeline parallelism: vpp must be 1 when pp is 1, got ${plan.vpp}`,
    });
  else if (known(plan.pp, plan.vpp, m.layers) && !stagesFitLayers(plan.pp, plan.vpp, m.layers))
    out.push({
      path: plan.vpp > 1 ? "parallelism.vpp" : "parallelism.pp",
      code: "too-many-stages",
      data: { stages: plan.pp * plan.vpp, layers: m.layers },
      message: `pp*vpp = ${plan.pp * plan.vpp} must not exceed model.layers (${m.layers})`,
    });
  if (known(t.seqLen, plan.cp) && !divides(plan.cp, t.seqLen))
    out.push({
      path: "parallelism.cp",
      code: "must-divide",
      data: { of: "training.seqLen", dividend: t.seqLen, got: plan.cp },
      message: `must divide training.seqLen (${t.seqLen}), got ${plan.cp}`,
    });
  const perReplica = t.globalBatch / plan.dp;
  if (known(perReplica, plan.microBatch, plan.pp, plan.vpp)) {
    if (!Number.isInteger(perReplica))
      out.push({
        path: "parallelism.dp",
        code: "must-divide",
        data: { of: "training.globalBatch", dividend: t.globalBatch, got: plan.dp },
        message: `must divide training.globalBatch (${t.globalBatch}), got ${plan.dp}`,
      });
    else if (perReplica % plan.microBatch !== 0)
      out.push({
        path: "parallelism.microBatch",
        code: "must-divide",
        data: { of: "sequences per replica", dividend: perReplica, got: plan.microBatch },
        message: `must divide the ${perReplica} sequences per replica (globalBatch / dp), got ${plan.microBatch}`,
      });
    // (vpp > 1 without a pipeline is named above, as its own mistake.)
    else if (plan.vpp > 1 && !divides(plan.pp, perReplica / plan.microBatch))
      out.push({
        path: "parallelism.vpp",
        code: "interleave-microbatches",
        data: { microbatches: perReplica / plan.microBatch, pp: plan.pp },
        message: `interleaving needs the ${perReplica / plan.microBatch} microbatches to be a multiple of pp (${plan.pp})`,
      });
  }
  if (known(plan.etp, plan.tp) && plan.etp !== 1 && plan.etp !== plan.tp)
    out.push({
      path: "parallelism.etp",
      code: "not-one-of",
      data: { options: [1, plan.tp], got: String(plan.etp) },
      message: `must be 1 or tp (${plan.tp}), got ${plan.etp}`,
    });
  if (plan.ep > 1) {
    if (!m.moe)
      out.push({
        path: "parallelism.ep",
        code: "needs-moe",
        data: { model: m.name },
        message: `needs a mixture-of-experts model; ${m.name} is dense`,
      });
    else if (known(plan.ep, plan.etp, plan.tp, plan.dp, plan.cp, m.moe.experts)) {
      if (!divides(plan.ep, m.moe.experts))
        out.push({
          path: "parallelism.ep",
          code: "must-divide",
          data: { of: "model.moe.experts", dividend: m.moe.experts, got: plan.ep },
          message: `must divide model.moe.experts (${m.moe.experts}), got ${plan.ep}`,
        });
      const ranks = plan.tp * plan.cp * plan.dp;
      if (!expertsFitStage(plan)) {
        // Only at etp = tp, its default: another etp is wrong on its own and named as such above.
        const hint =
          plan.etp > 1 && plan.etp === plan.tp && expertsFitStage({ ...plan, etp: 1 })
            ? `; etp defaults to tp, and etp 1 (each rank keeps its experts whole) fits ep ${plan.ep}`
            : "";
        out.push({
          path: "parallelism.ep",
          code: "expert-shards",
          data: { ep: plan.ep, etp: plan.etp, ranks },
          message: `ep*etp = ${plan.ep}*${plan.etp} must divide tp*cp*dp (${ranks}): experts are sharded over a pipeline stage's ranks, got ep ${plan.ep}${hint}`,
        });
      }
    }
  }
  return out;
}

/** TP communication pipelines with its GEMMs only over tp > 1 ranks under sequence parallelism
 * (Transformer Engine userbuffers overlap gathers and scatters, not all-reduces). */
export const tpOverlapApplies = (p: { tp: number; sequenceParallel: boolean }): boolean =>
  p.tp > 1 && p.sequenceParallel;

/** A plan's tpCommOverlap when it does not say: the stack's, where it applies (checks and search). */
export const tpCommOverlapDefault = (
  stack: StackId,
  p: { tp: number; sequenceParallel: boolean },
): boolean => STACKS[stack].tpCommOverlap && tpOverlapApplies(p);
