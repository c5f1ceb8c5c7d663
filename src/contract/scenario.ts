// The scenario contract (DESIGN.md) and its validation into resolved, all-numeric form.
import { didYouMean } from "./suggest.js";
import { Checker, describe, isRecord, type Issue } from "./check.js";
import { issue, warning, type Warning } from "./facts.js";
import { copyScenario } from "./clone.js";
import { planIssues, tpCommOverlapDefault, tpOverlapApplies } from "./plan-rules.js";
import {
  findChip,
  findModel,
  findSystem,
  defaultSystem,
  chips,
  models,
  systems,
} from "../catalog/index.js";
import type { ChipRecord, ModelShape } from "../catalog/types.js";
import { hypotheticalChip, OVERRIDE } from "./chip-figures.js";
import { CALIBRATION, DEFAULTS } from "../calibration/calibration.js";
import { allInPower, NETWORK_W_PER_CHIP } from "../catalog/power-basis.js";
import { HOST_FIGURES } from "../catalog/host.js";
import { STACK_IDS, defaultStack, type StackId } from "../calibration/stacks.js";
import { widensBand, type EstimatedFigure } from "../calibration/estimates.js";

export type { EstimatedFigure };

export type Recompute = "none" | "selective" | "full";
/** Modules recomputed on top of `recompute`, as Megatron-Core's --recompute-modules names them. */
export type RecomputeModule = "layernorm" | "mla_up_proj" | "moe_act";
export const RECOMPUTE_MODULES: readonly RecomputeModule[] = [
  "layernorm",
  "mla_up_proj",
  "moe_act",
];
export type Precision = "bf16" | "fp16" | "fp8";

export interface Plan {
  tp: number;
  pp: number;
  dp: number;
  cp?: number;
  ep?: number;
  /** Expert tensor parallelism: 1 or tp (default tp). */
  etp?: number;
  vpp?: number;
  microBatch?: number;
  zero?: 0 | 1 | 2 | 3;
  recompute?: Recompute;
  /**
   * Also recompute these in the backward instead of keeping their outputs (default none): the norms
   * not fused into a GEMM (MLA's attention norm, MoE layers' MLP norm), MLA's Q/K/V projections, the
   * routed experts' activation (DeepSeek-V3 recomputes the first two).
   */
  recomputeModules?: RecomputeModule[];
  sequenceParallel?: boolean;
  flashAttention?: boolean;
  overlapGradReduce?: boolean;
  /**
   * The expert-parallel all-to-all runs beside compute (a schedule that pairs one microbatch's
   * dispatch with another's compute, e.g. DeepSeek-V3's DualPipe), holding calibration.commSmShare
   * of the compute units while it runs; what outlasts the compute shows. Default false.
   */
  overlapAllToAll?: boolean;
  /**
   * TP collectives split into chunks that run beside the GEMMs they feed and follow (Transformer
   * Engine userbuffers, Megatron-Core --tp-comm-overlap); needs sequence parallelism. Default: the
   * stack's (on for megatron-core, whose recipes turn it on; off for the others).
   */
  tpCommOverlap?: boolean;
  /**
   * Optimizer offload (ZeRO-Offload; DeepSpeed offload_optimizer; Megatron-Core
   * --optimizer-cpu-offload): the fp32 master weights and Adam state of the chip's shard live in host
   * memory and the CPU runs Adam; each step the gradients go down (beside the backward) and the bf16
   * weights come back up over cluster.system.hostLinkGBps. Default false.
   */
  offloadOptimizer?: boolean;
  /**
   * Activation offload (Transformer Engine / Megatron-Core CPU offloading, cpu_offloading_num_layers):
   * the share (0 to 1) of the layers whose saved activations wait in host memory between their forward
   * and backward, rounded down to whole layers and never the last; pp 1 only. Default 0.
   */
  offloadActivations?: number;
}

export type FullPlan = Required<Plan>;

export type ChipOverride = Partial<Omit<ChipRecord, "sources" | "conflicts" | "fieldSources">> & {
  id?: string;
};

export interface SystemOverride {
  id?: string;
  scaleUpDomain?: number;
  scaleUpGBps?: number; // per chip, bidirectional
  scaleOutGbps?: number; // per chip NIC
  hostWPerChip?: number;
  scaleUpLatencyUs?: number;
  scaleOutLatencyUs?: number;
  oversubscription?: number;
  /** Chips per pod: full bisection inside a pod, `podOversubscription`:1 between pods (absent: one pod). */
  podChips?: number;
  /** Oversubscription of the layer joining pods (Llama 3's 24K cluster: 7); default 1. */
  podOversubscription?: number;
  /**
   * Tiers above the scale-out fabric, innermost first (at most 3, chips strictly increasing): pods,
   * then sites. `podChips` and `podOversubscription` are the one-tier shorthand; give one form.
   */
  tiers?: TierOverride[];
  /** The scale-up switches reduce in the network (NVLink SHARP / NVLS); default: the catalog system's. */
  scaleUpReduction?: boolean;
  /** The scale-out fabric reduces in the network (InfiniBand SHARP); default false. */
  scaleOutReduction?: boolean;
  /** A switchless full mesh (one link per peer); default: the catalog's. */
  scaleUpMesh?: boolean;
  /** The domain is a torus of this many dimensions (TPU ICI: 3 or 2); 0 switched; default: the catalog's. */
  scaleUpTorusDims?: number;
  /** Chip-to-host link per chip, GB/s bidirectional (PCIe Gen5 x16: 128); default: the catalog system's. */
  hostLinkGBps?: number;
  /** Host memory per chip, GB; default: the catalog system's. */
  hostMemoryGB?: number;
  /** Host memory bandwidth per chip, GB/s (the CPU's Adam step streams it); default: the catalog system's. */
  hostMemoryGBps?: number;
}

/** One tier above the scale-out fabric: units of `chips` with full bisection inside. */
export interface TierOverride {
  /** Chips per unit; more than the tier below's. */
  chips: number;
  /** The units' chips' NIC rate over their uplinks to the layer joining units (>= 1); default 1. */
  oversubscription?: number;
  /** What a hop between units adds to the scale-out latency, µs (fibre: ~5 µs a km); default 0. */
  latencyUs?: number;
}

/** Tiers at most: the core has slots for three (assembly/layout.ts). */
const MAX_TIERS = 3;

export interface Scenario {
  model: string | ModelShape;
  /** moeImbalance: busiest expert's tokens / mean (1 = perfectly balanced routing). */
  training: {
    tokens: number;
    seqLen: number;
    globalBatch: number;
    precision?: Precision;
    moeImbalance?: number;
    /** The training software (src/calibration/stacks.ts); absent: the chip vendor's usual stack. */
    stack?: StackId;
  };
  cluster: { chip: string | ChipOverride; count: number; system?: string | SystemOverride };
  parallelism?: "auto" | Plan;
  datacenter?: {
    pue?: number;
    gridGCO2PerKWh?: number;
    usdPerKWh?: number;
    usdPerChipHour?: number;
    amortizationYears?: number;
  };
  reliability?: {
    failuresPerChipHour?: number;
    checkpointGBpsPerChip?: number;
    restartMinutes?: number;
  };
  constraints?: Constraints;
}

/** The other chip of a match: a catalog id or figures, and optionally its system. */
export interface MatchTarget {
  chip: string | ChipOverride;
  system?: string | SystemOverride;
}

/** A parsed scenario: a snapshot of the input, valid, typed as the contract says. */
export type Parsed<T> =
  | { ok: true; scenario: T; warnings: Warning[] }
  | { ok: false; errors: Issue[]; warnings: Warning[] };

/**
 * The entry point for untyped input (JSON read from a file, a form, a message): checks `input`
 * against the contract and returns it as a `Scenario`, or every problem by field. The simulator's
 * methods take a `Scenario`, so a misspelt field in typed code fails to compile; they check at run
 * time as well, since JavaScript callers pass anything.
 */
export function parseScenario(input: unknown): Parsed<Scenario> {
  const copied = copyScenario(input);
  if (!copied.ok) return copied;
  const r = resolve(copied.value);
  return r.ok ? { ok: true, scenario: copied.value as Scenario, warnings: r.value.warnings } : r;
}

/** Limits a run must meet; each optional (chipscale feasible). */
export interface Constraints {
  deadlineDays?: number; // wall time including failures
  powerMW?: number; // at the facility
  energyMWh?: number;
  budgetUSD?: number;
  maxChips?: number;
}

/** The network and power figures the core needs, with where each came from. */
export interface ResolvedSystem {
  id: string | null;
  scaleUpDomain: number;
  scaleUpGBps: number; // bidirectional, per chip
  scaleOutGbps: number;
  /** The domain is a full mesh: a chip reaches each peer over its own link, 1/(domain-1) of its bandwidth. */
  scaleUpMesh: boolean;
  /**
   * The domain is a torus of this many dimensions (0: switched or full mesh): a chip has two links per
   * axis, and a group uses the links of the axes it spans (TPU ICI: 3D on v4, v5p, TPU7x; 2D on v5e, v6e).
   */
  scaleUpTorusDims: number;
  /** The scale-up switches reduce all-reduces in the network (NVLink SHARP): one send, one receive. */
  scaleUpReduction: boolean;
  /** The scale-out fabric reduces all-reduces in the network (InfiniBand SHARP). */
  scaleOutReduction: boolean;
  hostWPerChip: number;
  /** What the facility power counts per chip, in words. */
  powerBasis: string;
  scaleUpLatencyUs: number;
  scaleOutLatencyUs: number;
  oversubscription: number;
  /** The host tier per chip (src/catalog/host.ts, or the scenario's); null: unknown (needed only to offload). */
  hostLinkGBps: number | null; // bidirectional
  hostMemoryGB: number | null;
  hostMemoryGBps: number | null;
  /** Tiers above the scale-out fabric, innermost first; the pod shorthand is one tier; none: []. */
  tiers: ResolvedTier[];
}

export interface ResolvedTier {
  chips: number;
  oversubscription: number;
  latencyUs: number;
  /** The field its oversubscription came from, for the facts that name it. */
  oversubscriptionPath: string;
}

export interface Resolved {
  model: Required<
    Pick<
      ModelShape,
      | "name"
      | "layers"
      | "hidden"
      | "ffnHidden"
      | "heads"
      | "kvHeads"
      | "headDim"
      | "vocab"
      | "mlp"
      | "tiedEmbeddings"
    >
  > &
    ModelShape;
  modelId: string | null;
  training: {
    tokens: number;
    seqLen: number;
    globalBatch: number;
    precision: Precision;
    moeImbalance: number;
  };
  /** The software stack whose constants the run uses, and whether the scenario named it. */
  stack: { id: StackId; chosen: "scenario" | "chip default" };
  chip: ChipRecord;
  system: ResolvedSystem;
  count: number;
  plan: FullPlan | "auto";
  datacenter: {
    pue: number;
    gridGCO2PerKWh: number;
    usdPerKWh: number;
    usdPerChipHour: number;
    amortizationYears: number;
  };
  reliability: {
    failuresPerChipHour: number;
    checkpointGBpsPerChip: number;
    restartMinutes: number;
  };
  constraints: Constraints;
  /** The chip's estimated figures this run reads (catalog estimates, not the user's overrides). */
  estimated: EstimatedFigure[];
  warnings: Warning[];
}

/**
 * The chip's estimated figures among those a run reads (`used`, which resolveSystem extends with the
 * system figures it takes from the chip), each said as a warning.
 */
export function estimatedFigures(
  c: Checker,
  chip: ChipRecord,
  used: Set<string>,
): EstimatedFigure[] {
  const out: EstimatedFigure[] = [];
  for (const [field, e] of Object.entries(chip.estimates)) {
    const value = (chip as unknown as Record<string, unknown>)[field];
    if (!used.has(field) || typeof value !== "number") continue;
    out.push({ code: "chip-figure-estimated", path: `cluster.chip.${field}`, value, ...e });
    c.warnings.push(
      warning(
        `cluster.chip.${field}`,
        "chip-figure-estimated",
        {
          chip: chip.id,
          figure: field,
          value,
          basis: e.basis,
          range: e.range,
          widensBand: widensBand(field),
        },
        `${chip.id}'s ${value} is an estimate, not a published figure (${e.basis}; range ${e.range[0]}-${e.range[1]}); ${widensBand(field) ? "the band is widened by its range" : "it decides which plans fit, so the band is not widened for it: try its range"}`,
      ),
    );
  }
  return out;
}

export type Resolution =
  { ok: true; value: Resolved } | { ok: false; errors: Issue[]; warnings: Warning[] };

const BIG = 1e9; // beyond any model dimension anyone trains
const MODEL_KEYS = [
  "name",
  "layers",
  "hidden",
  "ffnHidden",
  "heads",
  "kvHeads",
  "headDim",
  "vocab",
  "mlp",
  "tiedEmbeddings",
  "moe",
  "mla",
  "id",
  "source",
] as const;
const CHIP_NUMBERS = [
  "bf16Tflops",
  "fp16Tflops",
  "fp8Tflops",
  "fp4Tflops",
  "int8Tops",
  "int4Tops",
  "hbmGB",
  "hbmTBps",
  "scaleUpGBps",
  "scaleUpDomain",
  "scaleOutGbps",
  "ioGBps",
  "tdpW",
  "dieAreaMm2",
  "priceUSD",
] as const;
const PLAN_KEYS = [
  "tp",
  "pp",
  "dp",
  "cp",
  "ep",
  "etp",
  "vpp",
  "microBatch",
  "zero",
  "recompute",
  "recomputeModules",
  "sequenceParallel",
  "flashAttention",
  "overlapGradReduce",
  "overlapAllToAll",
  "tpCommOverlap",
  "offloadOptimizer",
  "offloadActivations",
] as const;

export function resolveModel(
  c: Checker,
  v: unknown,
): { shape: Resolved["model"]; id: string | null } | undefined {
  if (typeof v === "string") {
    const m = findModel(v);
    if (!m) {
      c.unknownId(
        "model",
        v.slice(0, 60),
        models.map((x) => x.id),
        `unknown model preset "${v.slice(0, 60)}"${didYouMean(
          v,
          models.map((x) => x.id),
        )}; known: ${models.map((x) => x.id).join(", ")}`,
      );
      return undefined;
    }
    return {
      shape: {
        ...m,
        headDim: m.headDim ?? m.hidden / m.heads,
        tiedEmbeddings: m.tiedEmbeddings ?? false,
      },
      id: m.id,
    };
  }
  const o = c.record("model", v, true);
  if (!o) return undefined;
  c.known("model", o, MODEL_KEYS);
  const int = { integer: true, min: 1, max: BIG };
  const layers = c.number("model.layers", o.layers, { integer: true, min: 1, max: 1e5 });
  const hidden = c.number("model.hidden", o.hidden, int);
  const ffnHidden = c.number("model.ffnHidden", o.ffnHidden, { integer: true, min: 0, max: BIG });
  const heads = c.number("model.heads", o.heads, { integer: true, min: 1, max: 1e6 });
  const kvHeads = c.number("model.kvHeads", o.kvHeads, int, Number.isFinite(heads) ? heads : 1);
  const vocab = c.number("model.vocab", o.vocab, int);
  // headDim defaults to hidden / heads; say why it is needed when that is not a whole number.
  const headDim =
    o.headDim === undefined && Number.isFinite(hidden / heads) && !Number.isInteger(hidden / heads)
      ? (c.fail(
          "model.headDim",
          "head-dim-required",
          { hidden, heads },
          `is required: hidden / heads = ${hidden} / ${heads} is not a whole number`,
        ),
        NaN)
      : c.number(
          "model.headDim",
          o.headDim,
          int,
          Number.isInteger(hidden / heads) ? hidden / heads : undefined,
        );
  const mlp = c.choice("model.mlp", o.mlp, ["gelu", "relu", "relu2", "swiglu"] as const, "gelu");
  const tiedEmbeddings = c.boolean("model.tiedEmbeddings", o.tiedEmbeddings, false);
  const name =
    typeof o.name === "string" && o.name.length > 0 ? o.name.slice(0, 120) : "custom model";
  if (o.name !== undefined && typeof o.name !== "string")
    c.fail(
      "model.name",
      "wrong-type",
      { expected: "a string", got: describe(o.name) },
      `must be a string, got ${describe(o.name)}`,
    );
  if (Number.isFinite(kvHeads) && Number.isFinite(heads) && heads % kvHeads !== 0)
    c.fail(
      "model.kvHeads",
      "must-divide",
      { of: "model.heads", dividend: heads, got: kvHeads },
      `must divide model.heads (${heads}), got ${kvHeads}`,
    );
  const shape: Resolved["model"] = {
    name,
    layers,
    hidden,
    ffnHidden,
    heads,
    kvHeads,
    headDim,
    vocab,
    mlp,
    tiedEmbeddings,
  };
  const moe = c.record("model.moe", o.moe, false);
  if (moe) {
    c.known("model.moe", moe, [
      "experts",
      "active",
      "shared",
      "expertFfnHidden",
      "denseLayers",
      "maxNodes",
    ]);
    const experts = c.number("model.moe.experts", moe.experts, { integer: true, min: 1, max: 1e6 });
    const active = c.number("model.moe.active", moe.active, {
      integer: true,
      min: 1,
      max: Number.isFinite(experts) ? experts : 1e6,
    });
    const shared = c.number("model.moe.shared", moe.shared, { integer: true, min: 0, max: 1e6 }, 0);
    const expertFfnHidden = c.number("model.moe.expertFfnHidden", moe.expertFfnHidden, int);
    const denseLayers = c.number(
      "model.moe.denseLayers",
      moe.denseLayers,
      { integer: true, min: 0, max: Number.isFinite(layers) ? layers - 1 : BIG },
      0,
    );
    shape.moe = { experts, active, shared, expertFfnHidden, denseLayers };
    if (moe.maxNodes !== undefined)
      shape.moe.maxNodes = c.number("model.moe.maxNodes", moe.maxNodes, {
        integer: true,
        min: 1,
        max: 1e6,
      });
  }
  const mla = c.record("model.mla", o.mla, false);
  if (mla) {
    c.known("model.mla", mla, ["qLoraRank", "kvLoraRank", "ropeHeadDim", "vHeadDim"]);
    shape.mla = {
      qLoraRank: c.number(
        "model.mla.qLoraRank",
        mla.qLoraRank,
        { integer: true, min: 0, max: BIG },
        0,
      ),
      kvLoraRank: c.number("model.mla.kvLoraRank", mla.kvLoraRank, int),
      ropeHeadDim: c.number(
        "model.mla.ropeHeadDim",
        mla.ropeHeadDim,
        { integer: true, min: 0, max: BIG },
        0,
      ),
      vHeadDim: c.number(
        "model.mla.vHeadDim",
        mla.vHeadDim,
        int,
        Number.isFinite(headDim) ? headDim : undefined,
      ),
    };
  }
  return { shape, id: null };
}

/** The required model field, as training and serving read it: a preset id or a shape. */
export function requiredModel(c: Checker, v: unknown): ReturnType<typeof resolveModel> {
  if (v !== undefined) return resolveModel(c, v);
  c.fail(
    "model",
    "required",
    { expected: "a preset id or a shape object" },
    "is required: a preset id or a shape object",
  );
  return undefined;
}

/** The cluster's count and chip, as training and serving read them; its system is left to the caller. */
export function resolveCluster(
  c: Checker,
  v: unknown,
): { count: number; chip: ChipRecord | undefined; system: unknown } {
  const cl = c.record("cluster", v, true) ?? {};
  c.known("cluster", cl, ["chip", "count", "system"]);
  const count = c.number("cluster.count", cl.count, { integer: true, min: 1, max: 1e9 });
  if (cl.chip !== undefined) return { count, chip: resolveChip(c, cl.chip), system: cl.system };
  c.fail(
    "cluster.chip",
    "required",
    { expected: "a catalog chip id or an object" },
    "is required: a catalog chip id or an object",
  );
  return { count, chip: undefined, system: cl.system };
}

export function resolveChip(c: Checker, v: unknown): ChipRecord | undefined {
  let base: ChipRecord | undefined;
  let over: Record<string, unknown> = {};
  if (typeof v === "string") base = findChip(v);
  else if (isRecord(v)) {
    over = v;
    if (v.id !== undefined) base = typeof v.id === "string" ? findChip(v.id) : undefined;
  } else {
    c.fail(
      "cluster.chip",
      "wrong-type",
      { expected: "a catalog chip id or an object", got: describe(v) },
      `must be a catalog chip id or an object, got ${describe(v)}`,
    );
    return undefined;
  }
  const idPath = typeof v === "string" ? "cluster.chip" : "cluster.chip.id";
  const id = typeof v === "string" ? v : over.id;
  if (id !== undefined && !base) {
    if (typeof id !== "string")
      c.fail(
        idPath,
        "wrong-type",
        { expected: "a chip id string", got: describe(id) },
        `must be a chip id string, got ${describe(id)}`,
      );
    else
      c.unknownId(
        idPath,
        id.slice(0, 60),
        chips.map((x) => x.id),
        id === "custom"
          ? 'a chip given by its figures has no id: drop "id" and give its figures (README, "Your own chip")'
          : `unknown chip "${id.slice(0, 60)}"${didYouMean(
              id,
              chips.map((x) => x.id),
            )}; \`chipscale chips\` lists the ${chips.length} known ids`,
      );
    return undefined;
  }
  const chip: ChipRecord = base
    ? { ...base, fieldSources: { ...base.fieldSources }, estimates: { ...base.estimates } }
    : {
        id: "custom",
        vendor: "custom",
        name: "custom chip",
        year: null,
        status: "custom",
        confidence: "user",
        sourcing: "user",
        bf16Tflops: null,
        fp16Tflops: null,
        fp8Tflops: null,
        fp4Tflops: null,
        int8Tops: null,
        int4Tops: null,
        hbmGB: null,
        hbmType: null,
        hbmTBps: null,
        scaleUpGBps: null,
        scaleUpDomain: null,
        scaleUpTech: null,
        scaleOutGbps: null,
        ioGBps: null,
        tdpW: null,
        dieAreaMm2: null,
        dieAreaEstimate: false,
        processNode: null,
        priceUSD: null,
        notes: null,
        conflicts: [],
        sources: [],
        fieldSources: {},
        estimates: {},
      };
  if (typeof v !== "string") {
    c.known("cluster.chip", over, ["id", "name", ...CHIP_NUMBERS]);
    if (typeof over.name === "string") chip.name = over.name.slice(0, 120);
    const given: Partial<Record<(typeof CHIP_NUMBERS)[number], number>> = {};
    for (const key of CHIP_NUMBERS) {
      if (over[key] === undefined) continue;
      // A chip draws at least a watt (the catalog's smallest TDP is tens of watts): a denormal TDP
      // would put a cluster at 0 MW.
      const rule =
        key === "scaleUpDomain"
          ? { integer: true, min: 1, max: 1e9 }
          : key === "tdpW"
            ? { min: 1, max: 1e12 }
            : { gt: 0, max: 1e12 };
      const value = c.number(`cluster.chip.${key}`, over[key], rule);
      if (Number.isFinite(value)) given[key] = value;
    }
    // The rates a figure does not name follow it (FP16 with BF16, ...); a rate given itself stands.
    const out = hypotheticalChip(chip, given);
    for (const [key, value] of Object.entries(given)) {
      (out as unknown as Record<string, unknown>)[key] = value;
      out.fieldSources[key] = [OVERRIDE];
      delete out.estimates[key]; // the user's figure is no estimate of ours
    }
    return out;
  }
  return chip;
}

/** A chip given only by its figures (no catalog id): nothing it lacks may default. */
export const isCustomChip = (chip: ChipRecord): boolean => chip.id === "custom";

/** The figure the model cannot run without: unknown in the catalog means the user must give it. */
export function need(
  c: Checker,
  chip: ChipRecord,
  key: (typeof CHIP_NUMBERS)[number],
  why: string,
): number {
  const v = chip[key];
  if (typeof v === "number" && v > 0) return v;
  // A value given but invalid is named already, as what is wrong with it.
  if (c.errors.some((e) => e.path === `cluster.chip.${key}`)) return NaN;
  c.fail(
    `cluster.chip.${key}`,
    "missing-figure",
    { figure: key, chip: chip.id, custom: isCustomChip(chip) },
    isCustomChip(chip)
      ? `is required for a chip given by its figures (${why}), e.g. "chip": {"name": "${chip.name}", ..., "${key}": ${CHIP_EXAMPLE[key]}}`
      : `unknown for ${chip.id} (${why}); give it as an override, e.g. "chip": {"id": "${chip.id}", "${key}": ...}`,
  );
  return NaN;
}

/** Example values in the hint for a custom chip's missing figure (an H100 SXM's). */
const CHIP_EXAMPLE: Partial<Record<(typeof CHIP_NUMBERS)[number], number>> = {
  bf16Tflops: 989,
  fp16Tflops: 989,
  hbmGB: 80,
  hbmTBps: 3.35,
  scaleUpGBps: 900,
  scaleUpDomain: 8,
  scaleOutGbps: 400,
  tdpW: 700,
};

/**
 * Torus dimensions of the scale-up domain: the catalog's scale-up technology says "3D torus" or "2D
 * torus" (TPU ICI: Jouppi et al. 2023, arXiv:2304.01433, Sec. 2; Google Cloud TPU docs, v5e / v6e:
 * 2D torus); a slice of a pod (a smaller scaleUpDomain) keeps the pod's torus. A domain the
 * scenario makes a full mesh has none; a torus it gives outranks the catalog's mesh.
 */
function resolveTorus(
  c: Checker,
  over: Record<string, unknown>,
  tech: string,
  mesh: boolean,
): number {
  const catalog = mesh ? 0 : Number(/\b([23])D torus\b/i.exec(tech)?.[1] ?? 0);
  const dims = c.number(
    "cluster.system.scaleUpTorusDims",
    over.scaleUpTorusDims,
    { integer: true, min: 0, max: 3 },
    catalog,
  );
  if (dims > 0 && over.scaleUpMesh === true && over.scaleUpTorusDims !== undefined)
    c.fail(
      "cluster.system.scaleUpTorusDims",
      "torus-and-mesh",
      { dims },
      `must be 0 for a full-mesh domain (scaleUpMesh is true): a domain is a torus or a full mesh, not both`,
    );
  return dims;
}

/**
 * Resolves the system; `used` collects the chip figures the run reads from the chip itself (not from
 * a system or an override), so that an estimated one can be said and its band widened.
 */
export function resolveSystem(
  c: Checker,
  v: unknown,
  chip: ChipRecord,
  count: number,
  used: Set<string>,
): ResolvedSystem {
  let over: Record<string, unknown> = {};
  let sysId: string | undefined;
  if (typeof v === "string") sysId = v;
  else if (isRecord(v)) {
    over = v;
    c.known("cluster.system", over, [
      "id",
      "scaleUpDomain",
      "scaleUpGBps",
      "scaleOutGbps",
      "scaleUpMesh",
      "scaleUpTorusDims",
      "hostWPerChip",
      "scaleUpLatencyUs",
      "scaleOutLatencyUs",
      "oversubscription",
      "podChips",
      "podOversubscription",
      "tiers",
      "scaleUpReduction",
      "scaleOutReduction",
      ...HOST_KEYS,
    ]);
    if (typeof v.id === "string") sysId = v.id;
    else if (v.id !== undefined)
      c.fail(
        "cluster.system.id",
        "wrong-type",
        { expected: "a system id string", got: describe(v.id) },
        `must be a system id string, got ${describe(v.id)}`,
      );
  } else if (v !== undefined)
    c.fail(
      "cluster.system",
      "wrong-type",
      { expected: "a catalog system id or an object", got: describe(v) },
      `must be a catalog system id or an object, got ${describe(v)}`,
    );

  let sys = sysId !== undefined ? findSystem(sysId) : defaultSystem(chip.id);
  if (sysId !== undefined && !sys) {
    c.unknownId(
      typeof v === "string" ? "cluster.system" : "cluster.system.id",
      sysId.slice(0, 60),
      systems.map((s) => s.id),
      `unknown system "${sysId.slice(0, 60)}"${didYouMean(
        sysId,
        systems.map((s) => s.id),
      )}; known: ${systems.map((s) => s.id).join(", ")}`,
    );
    sys = undefined;
  }
  // A figure the scenario gives for the chip outranks the catalog system's (a chip slider moves it).
  const chipGave = (key: "scaleUpDomain" | "scaleUpGBps") =>
    chip.fieldSources[key]?.[0] === OVERRIDE ? chip[key] : null;
  if (chipGave("scaleUpDomain") === null && !sys?.scaleUpDomain && over.scaleUpDomain === undefined)
    used.add("scaleUpDomain");
  // A catalog chip without a domain figure stands alone; a custom chip must say (1 for none).
  const domainDefault =
    chipGave("scaleUpDomain") ??
    sys?.scaleUpDomain ??
    chip.scaleUpDomain ??
    (isCustomChip(chip) && over.scaleUpDomain === undefined
      ? need(c, chip, "scaleUpDomain", "how many chips share its scale-up fabric; 1 for none")
      : 1);
  const domain = Number.isNaN(domainDefault)
    ? NaN
    : c.number(
        "cluster.system.scaleUpDomain",
        over.scaleUpDomain,
        { integer: true, min: 1, max: 1e9 },
        domainDefault,
      );
  // A figure the plan never uses (one-chip domains, a one-domain cluster) may stay unknown.
  const figure = (
    key: "scaleUpGBps" | "scaleOutGbps",
    base: number | null,
    needed: boolean,
    why: string,
  ): number => {
    if (over[key] !== undefined)
      return c.number(`cluster.system.${key}`, over[key], { gt: 0, max: 1e9 });
    if (needed && base === chip[key]) used.add(key);
    if (base) return base;
    return needed ? need(c, chip, key, why) : 1;
  };
  // With the domain unknown (already an error), a custom chip's link figures are named too.
  const unknownDomain = Number.isNaN(domain) && isCustomChip(chip);
  const scaleUpGBps = figure(
    "scaleUpGBps",
    chipGave("scaleUpGBps") ?? sys?.scaleUpGBps ?? chip.scaleUpGBps,
    unknownDomain || Math.min(domain, count) > 1,
    "chips in one scale-up domain talk over it",
  );
  const scaleOutGbps = figure(
    "scaleOutGbps",
    chip.scaleOutGbps,
    unknownDomain || count > domain,
    "the cluster spans more than one scale-up domain",
  );
  // Host, switch, optics and network power per chip: the system's all-in power (one basis for
  // every system: src/catalog/power-basis.ts) less its chips' TDP, or the air-cooled server
  // multiplier when the catalog has no system power (chips.md Sec. 5.2). The host's share comes
  // from the catalog chip's TDP, so that a TDP the scenario gives moves the draw by its
  // difference rather than being absorbed into the host.
  const allIn = sys ? allInPower(sys) : null;
  const catalogTdp = findChip(chip.id)?.tdpW ?? chip.tdpW;
  let hostDefault: number | undefined;
  let powerBasis = "none (no chip or system power)";
  if (allIn && catalogTdp) {
    hostDefault = Math.max(0, (allIn.kW * 1000) / sys!.chips - catalogTdp);
    powerBasis = `all-in per chip (${allIn.kind}: ${sys!.id} ${Number(allIn.kW.toFixed(1))} kW)`;
  } else if (chip.tdpW) {
    hostDefault = chip.tdpW * (CALIBRATION.serverMultiplier.value - 1) + NETWORK_W_PER_CHIP;
    powerBasis = `all-in per chip (chip TDP x ${CALIBRATION.serverMultiplier.value} server multiplier + ${NETWORK_W_PER_CHIP} W network estimate; no system power in the catalog)`;
    used.add("tdpW"); // only here: with a system power, the per-chip total is the system's
  } else if (allIn) {
    powerBasis = `all-in per chip (${allIn.kind}: ${sys!.id} ${Number(allIn.kW.toFixed(1))} kW)`;
    chip.tdpW = (allIn.kW * 1000) / sys!.chips; // all-in system power per chip stands in for TDP
    c.warnings.push(
      warning(
        "cluster.chip.tdpW",
        "tdp-from-system",
        { chip: chip.id, system: sys!.id, watts: Math.round(chip.tdpW) },
        `unknown for ${chip.id}; using ${sys!.id}'s all-in ${Math.round(chip.tdpW)} W per chip`,
      ),
    );
    hostDefault = 0;
  }
  if ((over.hostWPerChip === undefined && hostDefault === undefined) || isCustomChip(chip))
    need(c, chip, "tdpW", "energy and power need the chip's draw");
  const hostWPerChip = c.number(
    "cluster.system.hostWPerChip",
    over.hostWPerChip,
    { min: 0, max: 1e7 },
    hostDefault ?? 0,
  );
  if (over.hostWPerChip !== undefined) powerBasis = "chip TDP + the given hostWPerChip";
  // A switchless full mesh gives each chip one link per peer: the catalog says so in its scale-up
  // technology ("HCCS full mesh", "fully-connected 8-OAM"), or 7 links in an 8-chip domain.
  const tech = `${sys?.scaleUp ?? ""} ${chip.scaleUpTech ?? ""}`;
  const catalogMesh =
    /full(y)?[- ]?(mesh|connected)/i.test(tech) || (/\b7 links\b/.test(tech) && domain === 8);
  let scaleUpMesh =
    catalogMesh && over.scaleUpDomain === undefined && chipGave("scaleUpDomain") === null;
  if (over.scaleUpMesh !== undefined) {
    if (typeof over.scaleUpMesh === "boolean") scaleUpMesh = over.scaleUpMesh;
    else c.boolean("cluster.system.scaleUpMesh", over.scaleUpMesh, false);
  }
  const scaleUpTorusDims = resolveTorus(c, over, tech, scaleUpMesh);
  if (scaleUpTorusDims > 0) scaleUpMesh = false; // a torus given outranks the catalog's mesh
  // In-network reduction: the catalog system says where its switches reduce (with its source); the
  // scale-out fabric's switches are not part of a system, so only the scenario turns SHARP on.
  const scaleUpReduction = c.boolean(
    "cluster.system.scaleUpReduction",
    over.scaleUpReduction,
    !!sys?.scaleUpReduction,
  );
  const scaleOutReduction = c.boolean(
    "cluster.system.scaleOutReduction",
    over.scaleOutReduction,
    false,
  );
  const host = sys ? HOST_FIGURES[sys.id] : undefined;
  const hostFigure = (key: (typeof HOST_KEYS)[number]): number | null =>
    over[key] !== undefined
      ? c.number(`cluster.system.${key}`, over[key], { gt: 0, max: 1e9 })
      : (host?.[key] ?? null);
  return {
    id: sys?.id ?? null,
    hostLinkGBps: hostFigure("hostLinkGBps"),
    hostMemoryGB: hostFigure("hostMemoryGB"),
    hostMemoryGBps: hostFigure("hostMemoryGBps"),
    scaleUpDomain: domain,
    scaleUpGBps,
    scaleOutGbps,
    hostWPerChip,
    powerBasis,
    scaleUpMesh,
    scaleUpTorusDims,
    scaleUpReduction,
    scaleOutReduction,
    scaleUpLatencyUs: c.number(
      "cluster.system.scaleUpLatencyUs",
      over.scaleUpLatencyUs,
      { min: 0, max: 1e6 },
      CALIBRATION.scaleUpLatencyUs.value,
    ),
    scaleOutLatencyUs: c.number(
      "cluster.system.scaleOutLatencyUs",
      over.scaleOutLatencyUs,
      { min: 0, max: 1e6 },
      CALIBRATION.scaleOutLatencyUs.value,
    ),
    oversubscription: c.number(
      "cluster.system.oversubscription",
      over.oversubscription,
      { min: 1, max: 1e3 },
      1,
    ),
    tiers: resolveTiers(c, over),
  };
}

/** The tiers above the scale-out fabric: the `tiers` list, or the pod shorthand as one tier. */
function resolveTiers(c: Checker, over: Record<string, unknown>): ResolvedTier[] {
  const ratio = { min: 1, max: 1e5 };
  if (over.tiers === undefined) {
    const chips = c.number(
      "cluster.system.podChips",
      over.podChips,
      { min: 1, max: 1e7, integer: true },
      0,
    );
    const oversubscription = c.number(
      "cluster.system.podOversubscription",
      over.podOversubscription,
      ratio,
      1,
    );
    if (!(chips > 0)) return [];
    const oversubscriptionPath = "cluster.system.podOversubscription";
    return [{ chips, oversubscription, latencyUs: 0, oversubscriptionPath }];
  }
  const path = "cluster.system.tiers";
  for (const pod of ["podChips", "podOversubscription"])
    if (over[pod] !== undefined)
      c.fail(
        path,
        "one-form-only",
        { other: `cluster.system.${pod}` },
        `give the tiers or the pod shorthand (cluster.system.${pod}), not both`,
      );
  if (!Array.isArray(over.tiers)) {
    const got = describe(over.tiers);
    c.fail(
      path,
      "wrong-type",
      { expected: "an array", got },
      `must be an array of {chips, oversubscription?, latencyUs?}, got ${got}`,
    );
    return [];
  }
  if (over.tiers.length > MAX_TIERS) {
    c.fail(
      path,
      "out-of-range",
      { got: over.tiers.length, max: MAX_TIERS },
      `lists ${over.tiers.length} tiers; at most ${MAX_TIERS} above the scale-out fabric`,
    );
    return [];
  }
  const tiers: ResolvedTier[] = [];
  let below = 0; // chips of the tier below; a unit must hold more
  for (let t = 0; t < over.tiers.length; t++) {
    // a for loop, not map: holes are reported too
    const at = `${path}[${t}]`;
    const o = c.record(at, over.tiers[t], true);
    if (!o) continue;
    c.known(at, o, ["chips", "oversubscription", "latencyUs"]);
    const chips = c.number(`${at}.chips`, o.chips, { gt: below, max: 1e7, integer: true });
    if (chips > 0) below = chips;
    tiers.push({
      chips,
      oversubscription: c.number(`${at}.oversubscription`, o.oversubscription, ratio, 1),
      latencyUs: c.number(`${at}.latencyUs`, o.latencyUs, { min: 0, max: 1e6 }, 0),
      oversubscriptionPath: `${at}.oversubscription`,
    });
  }
  return tiers;
}

function resolvePlan(c: Checker, v: unknown): FullPlan | "auto" {
  if (v === undefined || v === "auto") return "auto";
  if (!isRecord(v)) {
    c.fail(
      "parallelism",
      "wrong-type",
      { expected: '"auto" or an object', got: describe(v) },
      `must be "auto" or an object {tp, pp, dp, ...}, got ${describe(v)}`,
    );
    return "auto";
  }
  const o = v;
  c.known("parallelism", o, PLAN_KEYS);
  const deg = { integer: true, min: 1, max: 1e9 };
  // Selective recompute re-runs attention to drop its s^2 tensors; FlashAttention never stores them,
  // so with it (the default) recomputing costs time and saves nothing: the default is then none.
  const flash = o.flashAttention !== false;
  return {
    tp: c.number("parallelism.tp", o.tp, deg),
    pp: c.number("parallelism.pp", o.pp, deg),
    dp: c.number("parallelism.dp", o.dp, deg),
    cp: c.number("parallelism.cp", o.cp, deg, 1),
    ep: c.number("parallelism.ep", o.ep, deg, 1),
    etp: c.number("parallelism.etp", o.etp, deg, typeof o.tp === "number" ? o.tp : 1),
    vpp: c.number("parallelism.vpp", o.vpp, deg, 1),
    microBatch: c.number("parallelism.microBatch", o.microBatch, deg, 1),
    zero: c.choice("parallelism.zero", o.zero, [0, 1, 2, 3] as const, 1),
    recompute: c.choice(
      "parallelism.recompute",
      o.recompute,
      ["none", "selective", "full"] as const,
      flash ? "none" : "selective",
    ),
    recomputeModules: recomputeModules(c, o.recomputeModules),
    // Sequence parallelism splits along the TP group: with tp 1 there is nothing to split.
    sequenceParallel: c.boolean(
      "parallelism.sequenceParallel",
      o.sequenceParallel,
      typeof o.tp !== "number" || o.tp > 1,
    ),
    flashAttention: c.boolean("parallelism.flashAttention", o.flashAttention, true),
    overlapGradReduce: c.boolean("parallelism.overlapGradReduce", o.overlapGradReduce, true),
    overlapAllToAll: c.boolean("parallelism.overlapAllToAll", o.overlapAllToAll, false),
    // Settled once the stack is known (resolveScenario): its default where the plan is silent.
    tpCommOverlap: c.boolean("parallelism.tpCommOverlap", o.tpCommOverlap, false),
    offloadOptimizer: c.boolean("parallelism.offloadOptimizer", o.offloadOptimizer, false),
    offloadActivations: c.number(
      "parallelism.offloadActivations",
      o.offloadActivations,
      { min: 0, max: 1 },
      0,
    ),
  };
}

const HOST_KEYS = ["hostLinkGBps", "hostMemoryGB", "hostMemoryGBps"] as const;

/**
 * The host figures an offloading plan needs, each named where unknown: the link and the host memory
 * for any offload, the host memory bandwidth for the CPU's optimizer step.
 */
export function offloadIssues(
  plan: Pick<FullPlan, "offloadOptimizer" | "offloadActivations" | "pp">,
  system: ResolvedSystem,
  chip: ChipRecord,
): Issue[] {
  const activations = plan.offloadActivations > 0;
  if (!plan.offloadOptimizer && !activations) return [];
  const out: Issue[] = [];
  const needed: [(typeof HOST_KEYS)[number], string][] = [
    ["hostLinkGBps", "offloaded state crosses the chip-to-host link, e.g. 128 for PCIe Gen5 x16"],
    ["hostMemoryGB", "offloaded state must fit in host memory"],
  ];
  if (plan.offloadOptimizer)
    needed.push(["hostMemoryGBps", "the CPU's Adam step streams the optimizer state through it"]);
  for (const [key, why] of needed)
    if (system[key] === null)
      out.push(
        issue(
          `cluster.system.${key}`,
          "missing-figure",
          { figure: key, chip: chip.id, custom: isCustomChip(chip) },
          `unknown for ${system.id ?? "this system"} and needed to offload (${why}); give it, e.g. "system": {${system.id ? `"id": "${system.id}", ` : ""}"${key}": ...}`,
        ),
      );
  // Megatron-Core offloads activations with pp 1 only (Megatron Bridge docs, "CPU Offloading").
  if (activations && plan.pp > 1)
    out.push(
      issue(
        "parallelism.offloadActivations",
        "offload-needs-pp1",
        { pp: plan.pp },
        `activation offload needs pp 1 (Megatron-Core's CPU offloading does not run with pipeline parallelism), got pp ${plan.pp}`,
      ),
    );
  return out;
}

/** A plan's offload in words ("optimizer, 50% of activations"); "" when nothing is offloaded. */
export function offloadText(p: Pick<FullPlan, "offloadOptimizer" | "offloadActivations">): string {
  const parts = [
    ...(p.offloadOptimizer ? ["optimizer"] : []),
    ...(p.offloadActivations > 0
      ? [`${Number((100 * p.offloadActivations).toPrecision(3))}% of activations`]
      : []),
  ];
  return parts.join(", ");
}

/** Each recompute module in words, for people. */
export const RECOMPUTE_MODULE_WORDS: Readonly<Record<RecomputeModule, string>> = {
  layernorm: "norms",
  mla_up_proj: "MLA up-projections",
  moe_act: "MoE activation",
};

/** A plan's mesh in one line, enough to rebuild it: "tp 2 pp 8 dp 16 ep 32 etp 1" (cp and ep when they split, etp when it is not tp's default or ep splits). */
export function meshText(p: Pick<FullPlan, "tp" | "pp" | "dp" | "cp" | "ep" | "etp">): string {
  return `tp ${p.tp} pp ${p.pp} dp ${p.dp}${p.cp > 1 ? ` cp ${p.cp}` : ""}${p.ep > 1 ? ` ep ${p.ep}` : ""}${p.ep > 1 || p.etp !== p.tp ? ` etp ${p.etp}` : ""}`;
}

/** A plan's recompute in words: "selective", "none + norms, MLA up-projections". */
export function recomputeText(p: Pick<FullPlan, "recompute" | "recomputeModules">): string {
  return (
    p.recompute +
    (p.recomputeModules.length
      ? ` + ${p.recomputeModules.map((m) => RECOMPUTE_MODULE_WORDS[m]).join(", ")}`
      : "")
  );
}

function recomputeModules(c: Checker, v: unknown): RecomputeModule[] {
  if (v === undefined) return [];
  const path = "parallelism.recomputeModules";
  if (!Array.isArray(v)) {
    c.fail(
      path,
      "wrong-type",
      { expected: "an array", got: describe(v) },
      `must be an array of ${RECOMPUTE_MODULES.map((m) => JSON.stringify(m)).join(", ")}, got ${describe(v)}`,
    );
    return [];
  }
  if (v.length > 2 * RECOMPUTE_MODULES.length) {
    c.fail(
      path,
      "out-of-range",
      { got: v.length, max: 2 * RECOMPUTE_MODULES.length },
      `lists ${v.length} entries; there are ${RECOMPUTE_MODULES.length} modules: ${RECOMPUTE_MODULES.join(", ")}`,
    );
    return [];
  }
  const out: RecomputeModule[] = [];
  for (let k = 0; k < v.length; k++) {
    // a for loop, not forEach: holes are reported too
    const m: unknown = v[k];
    if (RECOMPUTE_MODULES.includes(m as RecomputeModule)) {
      if (!out.includes(m as RecomputeModule)) out.push(m as RecomputeModule);
    } else
      c.fail(
        `${path}[${k}]`,
        "not-one-of",
        { options: [...RECOMPUTE_MODULES], got: describe(m) },
        `must be one of ${RECOMPUTE_MODULES.map((x) => JSON.stringify(x)).join(", ")}, got ${describe(m)}${typeof m === "string" ? didYouMean(m.slice(0, 40), RECOMPUTE_MODULES) : ""}`,
      );
  }
  // One order whatever the input's, so that equal plans compare and print equal.
  return RECOMPUTE_MODULES.filter((m) => out.includes(m));
}

/** The recompute modules that change anything for this model and level, with a warning for each dropped. */
export function applicableModules(
  plan: FullPlan,
  m: Pick<ModelShape, "mla" | "moe">,
  warnings?: Warning[],
): RecomputeModule[] {
  const why = (mod: RecomputeModule): string | null =>
    plan.recompute === "full"
      ? "full recompute already re-runs every module"
      : mod === "layernorm" && !m.mla && !m.moe
        ? "this model's norms are fused into the GEMMs after them (Transformer Engine LayerNormLinear), which keep their outputs; only MLA's attention norm and an MoE layer's pre-MLP norm have outputs to drop"
        : mod === "mla_up_proj" && !m.mla
          ? "the model has no MLA up-projections"
          : mod === "moe_act" && !m.moe
            ? "the model has no routed experts"
            : null;
  return plan.recomputeModules.filter((mod) => {
    const reason = why(mod);
    if (reason)
      warnings?.push(
        warning(
          "parallelism.recomputeModules",
          "recompute-module-dropped",
          { module: mod, reason },
          `"${mod}" dropped: ${reason}`,
        ),
      );
    return reason === null;
  });
}

/** Datacenter figures with their defaults; warns, at `costField`, when cost can count electricity only. */
export function resolveDatacenter(
  c: Checker,
  v: unknown,
  chip: ChipRecord | undefined,
  costField = "run.costUSD",
): Resolved["datacenter"] {
  const dc = c.record("datacenter", v, false) ?? {};
  c.known("datacenter", dc, [
    "pue",
    "gridGCO2PerKWh",
    "usdPerKWh",
    "usdPerChipHour",
    "amortizationYears",
  ]);
  const datacenter = {
    pue: c.number("datacenter.pue", dc.pue, { min: 1, max: 10 }, DEFAULTS.pue.value),
    gridGCO2PerKWh: c.number(
      "datacenter.gridGCO2PerKWh",
      dc.gridGCO2PerKWh,
      { min: 0, max: 1e4 },
      DEFAULTS.gridGCO2PerKWh.value,
    ),
    usdPerKWh: c.number(
      "datacenter.usdPerKWh",
      dc.usdPerKWh,
      { min: 0, max: 1e3 },
      DEFAULTS.usdPerKWh.value,
    ),
    usdPerChipHour: c.number(
      "datacenter.usdPerChipHour",
      dc.usdPerChipHour,
      { min: 0, max: 1e6 },
      0,
    ),
    amortizationYears: c.number(
      "datacenter.amortizationYears",
      dc.amortizationYears,
      { gt: 0, max: 100 },
      DEFAULTS.amortizationYears.value,
    ),
  };
  if (datacenter.usdPerChipHour === 0 && chip && !chip.priceUSD)
    c.warnings.push(
      warning(
        costField,
        "cost-electricity-only",
        { chip: chip.id },
        `${isCustomChip(chip) ? "the custom chip" : chip.id} has no ${isCustomChip(chip) ? "priceUSD" : "catalog price"}; cost counts electricity only (give datacenter.usdPerChipHour or cluster.chip.priceUSD)`,
      ),
    );
  return datacenter;
}

export function resolve(input: unknown): Resolution {
  const c = new Checker();
  const s = c.record("", input, true);
  if (!s)
    return {
      ok: false,
      errors: [
        issue(
          "",
          "wrong-type",
          { expected: "a JSON object", got: describe(input) },
          `a scenario must be a JSON object, got ${describe(input)}`,
        ),
      ],
      warnings: [],
    };
  c.known("", s, [
    "model",
    "training",
    "cluster",
    "parallelism",
    "datacenter",
    "reliability",
    "constraints",
    "name",
    "description",
  ]);

  const model = requiredModel(c, s.model);

  const tr = c.record("training", s.training, true) ?? {};
  c.known("training", tr, [
    "tokens",
    "seqLen",
    "globalBatch",
    "precision",
    "moeImbalance",
    "stack",
  ]);
  const training = {
    tokens: c.number("training.tokens", tr.tokens, { min: 1, max: 1e18 }),
    seqLen: c.number("training.seqLen", tr.seqLen, { integer: true, min: 1, max: 1e8 }),
    globalBatch: c.number("training.globalBatch", tr.globalBatch, {
      integer: true,
      min: 1,
      max: 1e9,
    }),
    precision: c.choice(
      "training.precision",
      tr.precision,
      ["bf16", "fp16", "fp8"] as const,
      "bf16",
    ),
    moeImbalance: c.number("training.moeImbalance", tr.moeImbalance, { min: 1, max: 100 }, 1),
  };

  const { count, chip, system: systemInput } = resolveCluster(c, s.cluster);
  let system: ResolvedSystem | undefined;
  const estimated: EstimatedFigure[] = [];
  if (chip) {
    // A chip without BF16 (V100, Ascend 910) trains its 16-bit runs in FP16, as FP8 falls back to BF16.
    if (training.precision !== "fp16" && !chip.bf16Tflops && chip.fp16Tflops) {
      c.warnings.push(
        warning(
          "training.precision",
          "precision-fallback",
          { chip: chip.id, asked: training.precision, used: "fp16" },
          `${chip.id} has no BF16 peak; the run is modelled in FP16 on its ${chip.fp16Tflops} TFLOPS FP16 peak`,
        ),
      );
      training.precision = "fp16";
    }
    const used = new Set<string>(["hbmGB", "hbmTBps"]);
    if (training.precision === "fp16" && chip.fp16Tflops) used.add("fp16Tflops");
    else {
      need(c, chip, "bf16Tflops", "compute time needs the dense 16-bit peak");
      used.add("bf16Tflops");
    }
    if (training.precision === "fp8" && chip.fp8Tflops) used.add("fp8Tflops");
    need(c, chip, "hbmGB", "memory fit needs the capacity");
    need(c, chip, "hbmTBps", "memory-bound operations need the bandwidth");
    system = resolveSystem(c, systemInput, chip, Number.isFinite(count) ? count : 1, used);
    if (training.precision === "fp8" && !chip.fp8Tflops)
      c.warnings.push(
        warning(
          "training.precision",
          "precision-fallback",
          { chip: chip.id, asked: "fp8", used: "bf16" },
          `${chip.id} has no FP8 peak in the catalog; the run is modelled in BF16`,
        ),
      );
    estimated.push(...estimatedFigures(c, chip, used));
  }

  const stackId =
    tr.stack === undefined
      ? undefined
      : typeof tr.stack === "string" && (STACK_IDS as string[]).includes(tr.stack)
        ? (tr.stack as StackId)
        : (c.fail(
            "training.stack",
            "not-one-of",
            { options: [...STACK_IDS], got: describe(tr.stack) },
            `must be one of ${STACK_IDS.map((x) => JSON.stringify(x)).join(", ")}, got ${describe(tr.stack)}${typeof tr.stack === "string" ? didYouMean(tr.stack, STACK_IDS) : ""}`,
          ),
          undefined);
  const stack = chip
    ? stackId
      ? { id: stackId, chosen: "scenario" as const }
      : { id: defaultStack(chip), chosen: "chip default" as const }
    : undefined;

  const plan = resolvePlan(c, s.parallelism);
  if (
    plan !== "auto" &&
    stack &&
    isRecord(s.parallelism) &&
    s.parallelism.tpCommOverlap === undefined
  )
    plan.tpCommOverlap = tpCommOverlapDefault(stack.id, plan);

  const datacenter = resolveDatacenter(c, s.datacenter, chip);

  const rel = c.record("reliability", s.reliability, false) ?? {};
  c.known("reliability", rel, ["failuresPerChipHour", "checkpointGBpsPerChip", "restartMinutes"]);
  const reliability = {
    failuresPerChipHour: c.number(
      "reliability.failuresPerChipHour",
      rel.failuresPerChipHour,
      { min: 0, max: 1 },
      DEFAULTS.failuresPerChipHour.value,
    ),
    checkpointGBpsPerChip: c.number(
      "reliability.checkpointGBpsPerChip",
      rel.checkpointGBpsPerChip,
      { gt: 0, max: 1e6 },
      DEFAULTS.checkpointGBpsPerChip.value,
    ),
    restartMinutes: c.number(
      "reliability.restartMinutes",
      rel.restartMinutes,
      { min: 0, max: 1e6 },
      DEFAULTS.restartMinutes.value,
    ),
  };

  const cons = c.record("constraints", s.constraints, false) ?? {};
  const LIMITS = ["deadlineDays", "powerMW", "energyMWh", "budgetUSD", "maxChips"] as const;
  c.known("constraints", cons, LIMITS);
  const constraints: Constraints = {};
  for (const key of LIMITS) {
    if (cons[key] === undefined) continue;
    const v = c.number(
      `constraints.${key}`,
      cons[key],
      key === "maxChips" ? { integer: true, min: 1, max: 1e9 } : { gt: 0, max: 1e15 },
    );
    if (Number.isFinite(v)) constraints[key] = v;
  }

  // The validation's largest open gap, said where it applies (bench/validation, README "Accuracy").
  if (model?.shape.moe)
    c.warnings.push(
      warning(
        "model.moe",
        "moe-optimistic",
        {},
        "MoE step times are the model's least certain: its grouped-GEMM loss is fitted on six Megatron-Core MoE benchmarks, four of which it still runs 10-18% faster than they ran (README, Accuracy); read MoE days as optimistic",
      ),
    );
  if (model && plan !== "auto") {
    for (const e of planIssues(plan, { model: model.shape, training, count })) c.errors.push(e);
    if (system && chip) for (const e of offloadIssues(plan, system, chip)) c.errors.push(e);
    plan.recomputeModules = applicableModules(plan, model.shape, c.warnings);
    // Only on a valid ep: a bad one is named as an error already.
    if (plan.overlapAllToAll && (!model.shape.moe || plan.ep === 1))
      c.warnings.push(
        warning(
          "parallelism.overlapAllToAll",
          "overlap-no-effect",
          { dense: !model.shape.moe },
          `no expert all-to-all to overlap (${model.shape.moe ? "ep is 1" : "a dense model"}); it changes nothing`,
        ),
      );
    if (plan.tpCommOverlap && !tpOverlapApplies(plan))
      c.warnings.push(
        warning(
          "parallelism.tpCommOverlap",
          "tp-overlap-no-effect",
          { tp: plan.tp, sequenceParallel: plan.sequenceParallel },
          `TP communication overlap needs tp > 1 and sequence parallelism (Transformer Engine userbuffers); it changes nothing here`,
        ),
      );
    if (model.shape.moe && plan.tp > 1 && !plan.sequenceParallel)
      c.warnings.push(
        warning(
          "parallelism.sequenceParallel",
          "moe-needs-sp",
          { tp: plan.tp },
          "Megatron-Core's MoE layer refuses to train with tp > 1 and no sequence parallelism (megatron/core/transformer/moe/moe_layer.py); modelled anyway, each TP rank dispatching every token",
        ),
      );
  }
  if (c.errors.length > 0 || !model || !chip || !system || !stack)
    return { ok: false, errors: c.errors, warnings: c.warnings };
  return {
    ok: true,
    value: {
      model: model.shape,
      modelId: model.id,
      training,
      stack,
      chip,
      system,
      count,
      plan,
      datacenter,
      reliability,
      constraints,
      estimated,
      warnings: c.warnings,
    },
  };
}
