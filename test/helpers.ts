import fc from "fast-check";
import {
  load,
  type Simulator,
  type SimulateResult,
  type Failure,
  type Scenario,
  type ModelShape,
} from "chipscale";

let shared: Promise<Simulator> | undefined;
export function simulator(): Promise<Simulator> {
  shared ??= load();
  return shared;
}

export function ok(r: SimulateResult | Failure): SimulateResult {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r;
}

/** GPT-3-like dense MHA model with a plain MLP: the shape of Narayanan's and Korthikanti's formulas. */
export function gptScenario(over: Partial<Record<string, unknown>> = {}): Scenario {
  return {
    model: {
      name: "gpt",
      layers: 4,
      hidden: 1024,
      ffnHidden: 4096,
      heads: 16,
      kvHeads: 16,
      vocab: 51200,
      mlp: "gelu",
      tiedEmbeddings: true,
    },
    training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, precision: "bf16" },
    cluster: { chip: "nvidia-a100-sxm4-80gb", count: 8 },
    parallelism: {
      tp: 1,
      pp: 1,
      dp: 8,
      microBatch: 2,
      zero: 0,
      recompute: "none",
      sequenceParallel: false,
      flashAttention: false,
    },
    ...over,
  } as Scenario;
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

const CHIPS = [
  "nvidia-a100-sxm4-80gb",
  "nvidia-h100-sxm5-80gb",
  "nvidia-h20-96gb",
  "nvidia-b200-hgx",
  "nvidia-gb200-per-gpu",
  "amd-mi300x",
];

/** A valid dense scenario and plan, built so that every divisibility rule holds. */
export const validScenario = fc
  .record({
    headsLog: fc.integer({ min: 3, max: 7 }),
    headDim: fc.constantFrom(64, 128),
    kvDiv: fc.constantFrom(1, 2, 4, 8),
    layersPerStage: fc.integer({ min: 1, max: 8 }),
    ppLog: fc.integer({ min: 0, max: 3 }),
    tpLog: fc.integer({ min: 0, max: 3 }),
    dp: fc.integer({ min: 1, max: 64 }),
    mb: fc.constantFrom(1, 2),
    microbatches: fc.integer({ min: 1, max: 16 }),
    seqLog: fc.integer({ min: 9, max: 14 }),
    ffnMult: fc.constantFrom(2, 3, 4),
    vocab: fc.integer({ min: 1000, max: 256000 }),
    gated: fc.boolean(),
    chip: fc.constantFrom(...CHIPS),
    zero: fc.constantFrom(0, 1, 2, 3),
    recompute: fc.constantFrom("none", "selective", "full"),
    norms: fc.boolean(),
    sp: fc.boolean(),
    flash: fc.boolean(),
    overlap: fc.boolean(),
    fp8: fc.boolean(),
    tokens: fc.double({ min: 1e6, max: 1e14, noNaN: true }),
  })
  .map((v): Scenario => {
    const heads = 2 ** v.headsLog,
      tp = Math.min(2 ** v.tpLog, heads),
      pp = 2 ** v.ppLog;
    const kvHeads = Math.max(tp, heads / v.kvDiv);
    const hidden = heads * v.headDim;
    return {
      model: {
        name: "p",
        layers: pp * v.layersPerStage,
        hidden,
        ffnHidden: v.ffnMult * hidden,
        heads,
        kvHeads,
        vocab: v.vocab,
        mlp: v.gated ? "swiglu" : "gelu",
      },
      training: {
        tokens: v.tokens,
        seqLen: 2 ** v.seqLog,
        globalBatch: v.dp * v.mb * v.microbatches,
        precision: v.fp8 ? "fp8" : "bf16",
      },
      cluster: { chip: v.chip, count: tp * pp * v.dp },
      parallelism: {
        tp,
        pp,
        dp: v.dp,
        microBatch: v.mb,
        zero: v.zero as 0,
        recompute: v.recompute as "none",
        recomputeModules: v.norms ? ["layernorm"] : [],
        sequenceParallel: v.sp,
        flashAttention: v.flash,
        overlapGradReduce: v.overlap,
      },
    };
  });

/** A valid MoE scenario (ep 1, so every plan of validScenario stays valid), with MLA or not. */
export const validMoeScenario = fc
  .record({
    base: validScenario,
    experts: fc.constantFrom(4, 8, 16),
    active: fc.constantFrom(1, 2),
    shared: fc.constantFrom(0, 1),
    dense: fc.boolean(),
    imbalance: fc.constantFrom(1, 1.3),
    mla: fc.boolean(),
    qRank: fc.constantFrom(0, 256),
  })
  .map((v): Scenario => {
    const m = v.base.model as ModelShape;
    const headDim = m.hidden / m.heads;
    return {
      ...v.base,
      model: {
        ...m,
        moe: {
          experts: v.experts,
          active: v.active,
          shared: v.shared,
          expertFfnHidden: m.hidden,
          denseLayers: v.dense && m.layers > 1 ? 1 : 0,
        },
        ...(v.mla
          ? { mla: { qLoraRank: v.qRank, kvLoraRank: 128, ropeHeadDim: 32, vHeadDim: headDim } }
          : {}),
      },
      training: { ...v.base.training, moeImbalance: v.imbalance },
    };
  });

/**
 * Input as a JavaScript caller or a JSON file hands it over, unchecked by the compiler: for tests of
 * what the library does with wrong input at run time (typed code gets a compile error instead).
 */
export const untyped = <T = Scenario>(x: unknown): T => x as T;
