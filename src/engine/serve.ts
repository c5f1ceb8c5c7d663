// Serving a model: validate the scenario, run the core's serving model (assembly/serve.ts) on one
// layout or search the layouts (TP/PP/EP, batch) for the best throughput per chip under a latency
// target, and decode the result.
import { defaultStack } from "../calibration/stacks.js";
import {
  SERVING_STACK_IDS,
  defaultServingStack,
  servingErrorRange,
  servingStackConstants,
  servingStackUse,
  type ServingStackId,
  type ServingStackUse,
} from "../calibration/serve-stacks.js";
import { estimateWidening, estimatesBehind } from "../calibration/estimates.js";
import { didYouMean } from "../contract/suggest.js";
import type { Core } from "./core.js";
import * as L from "../../assembly/layout.js";
import { Checker, describe, type Issue } from "../contract/check.js";
import { copyScenario } from "../contract/clone.js";
import { issue, warning, wrongType, type Warning } from "../contract/facts.js";
import {
  requiredModel,
  resolveCluster,
  resolveSystem,
  resolveDatacenter,
  need,
  estimatedFigures,
  type EstimatedFigure,
  type Parsed,
  type Resolved,
  type ChipOverride,
  type SystemOverride,
} from "../contract/scenario.js";
import type { ModelShape } from "../catalog/types.js";
import {
  encodeScenario,
  defaultCalibration,
  calibrationIssues,
  allFinite,
  type Backing,
} from "./wire.js";
import type { Calibration, Failure } from "../contract/result.js";
import { DEFAULTS } from "../calibration/calibration.js";
import { divisors } from "./divisors.js";

export type ServePrecision = "bf16" | "fp8" | "int4";

/** A serving scenario, typed as the contract says; untyped input goes through parseServeScenario. */
export interface ServeScenario {
  model: string | ModelShape;
  cluster: { chip: string | ChipOverride; count: number; system?: string | SystemOverride };
  serving: {
    precision: ServePrecision;
    inputTokens: number;
    outputTokens: number;
    /** Concurrent requests per model instance; "auto": the most whose KV cache fits (or that meet tpotMs). */
    batch: "auto" | number;
    /** Target time to first token, ms. */
    ttftMs?: number;
    /** Target time per output token, ms. */
    tpotMs?: number;
    /** The serving software (src/calibration/serve-stacks.ts); default: the chip vendor's usual one. */
    stack?: ServingStackId;
  };
  parallelism: "auto" | { tp?: number; pp?: number; ep?: number };
  datacenter?: {
    pue?: number;
    usdPerKWh?: number;
    usdPerChipHour?: number;
    amortizationYears?: number;
  };
}

export interface ServePlan {
  tp: number;
  pp: number;
  ep: number;
  /** Chips of one pipeline stage: max(tp, ep); attention runs stage/tp data-parallel groups. */
  stageChips: number;
  /** Chips holding one copy of the model: stageChips x pp. */
  instanceChips: number;
  instances: number;
}

/** What paces a phase: the larger of its FLOP time, HBM time and communication time. */
export type ServeLimiter = "compute" | "bandwidth" | "interconnect";

export interface ServePhase {
  tokensPerSPerChip: number;
  /** Seconds of the phase: the batch's prefill, or one decode step. */
  timeS: number;
  /** FLOPs at the achievable matmul peak, HBM bytes at the achievable bandwidth, collectives. */
  computeS: number;
  memoryS: number;
  commS: number;
  limitedBy: ServeLimiter;
}

export interface ServeResult {
  ok: true;
  scenario: {
    model: string;
    chip: string;
    system: string | null;
    count: number;
    precision: ServePrecision;
    inputTokens: number;
    outputTokens: number;
  };
  plan: ServePlan;
  /** Concurrent requests per instance. */
  batch: number;
  /** The most concurrent requests per instance whose KV cache (at full context) fits. */
  maxBatch: number;
  prefill: ServePhase;
  /** One decode step at the average context of a generation (inputTokens + outputTokens / 2). */
  decode: ServePhase & { contextTokens: number };
  /** Generated tokens per second per chip over whole requests (prefill, then decode), as MLPerf offline counts them. */
  outputTokensPerSPerChip: number;
  /** One prompt prefilled alone on its instance (no queueing). */
  ttftMs: number;
  tpotMs: number;
  memory: {
    perChipGB: number;
    capacityGB: number;
    /** The share of capacity the server may fill (servingMemoryFraction). */
    usableGB: number;
    fits: boolean;
    weightsGB: number;
    kvCacheGB: number;
    kvCacheBytesPerToken: number;
  };
  powerMW: number;
  /** Generated tokens per facility joule (tokens/s per watt). */
  tokensPerJoule: number;
  costPerMillionTokensUSD: number;
  costBasis: "rental" | "capex+power" | "electricity only";
  /** Present when the scenario sets ttftMs or tpotMs: met, or the closest layout found. */
  latencyTarget?: { ttftMs: number | null; tpotMs: number | null; met: boolean };
  /** Layouts scored (1 for a given layout and batch). */
  evaluated: number;
  /** The serving stack whose fitted constants this answer runs on. */
  stack: ServingStackUse;
  /**
   * Generated tokens/s per chip, low and high: the stack's cross-validated errors on its published
   * results (p10-p90; the widest of all stacks when it has none), widened by the chip's estimates.
   */
  uncertainty: {
    outputTokensPerSPerChip: [number, number];
    records: number;
    basis: string;
  };
  /** The chip's estimated figures this answer reads (code "chip-figure-estimated"). */
  estimatedFigures: EstimatedFigure[];
  /**
   * Which of them each kind of number rests on (tables mark such a number "~"): speed (throughput,
   * batch, TTFT, TPOT) rests on every one but TDP; energy (power, tokens per joule, cost) on all.
   */
  estimatedBehind: { speed: string[]; energy: string[] };
  warnings: Warning[];
}

/** Serving constants that are not hardware facts, with their sources. */
export const SERVING = {
  memoryFraction: {
    value: 0.9,
    source:
      "vLLM's default gpu_memory_utilization = 0.9 (vLLM docs, Engine Arguments): the rest holds the runtime and activation workspace",
  },
} as const;

const BYTES: Record<ServePrecision, { weight: number; kv: number; fp8: boolean }> = {
  bf16: { weight: 2, kv: 2, fp8: false },
  // W8A8 with an FP8 KV cache (TensorRT-LLM's FP8 recipe, used in MLPerf Inference submissions).
  fp8: { weight: 1, kv: 1, fp8: true },
  // Weight-only INT4 (W4A16, AWQ: Lin et al. 2024, arXiv:2306.00978): BF16 matmuls and KV cache.
  int4: { weight: 0.5, kv: 2, fp8: false },
};

interface ResolvedServe {
  base: Resolved;
  stack: { id: ServingStackId; chosen: ServingStackUse["chosen"] };
  precision: ServePrecision;
  inputTokens: number;
  outputTokens: number;
  batch: "auto" | number;
  ttftMs: number | null;
  tpotMs: number | null;
  layout: "auto" | { tp: number; pp: number; ep: number };
}

/** What each core status (assembly/layout.ts ERR_*) asks to change in a serving scenario, and where. */
const STATUS_ISSUES: Record<number, [path: string, message: string]> = {
  [L.ERR_SHAPE]: ["model", "shape has a zero or inconsistent dimension"],
  [L.ERR_HARDWARE]: ["cluster.chip", "a hardware figure is zero or unknown"],
  [L.ERR_HEADS]: ["parallelism.tp", "tp must divide the attention heads and the KV heads"],
  [L.ERR_LAYERS]: ["parallelism.pp", "pp must not exceed model.layers"],
  [L.ERR_EXPERTS]: [
    "parallelism.ep",
    "ep must be 1 for a dense model; for MoE it divides the experts and nests with tp (one divides the other)",
  ],
  [L.ERR_PLAN_PRODUCT]: [
    "cluster.count",
    "must be a multiple of the chips of one instance, max(tp, ep) x pp",
  ],
  [L.ERR_BATCH]: ["serving.batch", "must be a whole number of requests"],
};

function serveStatusIssue(status: number): Issue {
  const [path, message] = STATUS_ISSUES[status] ?? ["", `core status ${status}`];
  return issue(path, "core-status", { status }, message);
}

/** The entry point for untyped serving input: `input` as a `ServeScenario`, or every problem by field. */
export function parseServeScenario(input: unknown): Parsed<ServeScenario> {
  const copied = copyScenario(input);
  if (!copied.ok) return copied;
  const r = resolveServe(copied.value);
  return r.ok
    ? { ok: true, scenario: copied.value as ServeScenario, warnings: r.value.base.warnings }
    : r;
}

/** Validates a serving scenario, naming every bad field. */
export function resolveServe(input: unknown): { ok: true; value: ResolvedServe } | Failure {
  const c = new Checker();
  const s = c.record("", input, true);
  if (!s)
    return {
      ok: false,
      errors: [
        wrongType(
          "",
          "a JSON object",
          input,
          `a scenario must be a JSON object, got ${describe(input)}`,
        ),
      ],
      warnings: [],
    };
  c.known("", s, [
    "model",
    "cluster",
    "serving",
    "parallelism",
    "datacenter",
    "name",
    "description",
  ]);
  const model = requiredModel(c, s.model);
  const { count, chip, system: systemInput } = resolveCluster(c, s.cluster);

  const sv = c.record("serving", s.serving, true) ?? {};
  c.known("serving", sv, [
    "precision",
    "inputTokens",
    "outputTokens",
    "batch",
    "ttftMs",
    "tpotMs",
    "stack",
  ]);
  const precision = c.choice(
    "serving.precision",
    sv.precision,
    ["bf16", "fp8", "int4"] as const,
    "bf16",
  );
  const inputTokens = c.number("serving.inputTokens", sv.inputTokens, {
    integer: true,
    min: 1,
    max: 1e7,
  });
  const outputTokens = c.number("serving.outputTokens", sv.outputTokens, {
    integer: true,
    min: 1,
    max: 1e7,
  });
  const batch =
    sv.batch === undefined || sv.batch === "auto"
      ? "auto"
      : typeof sv.batch === "string"
        ? (c.fail(
            "serving.batch",
            "wrong-type",
            { expected: '"auto" or a whole number', got: describe(sv.batch) },
            `must be "auto" or a whole number of requests, got ${describe(sv.batch)}`,
          ),
          NaN)
        : c.number("serving.batch", sv.batch, { integer: true, min: 1, max: 1e7 });
  const target = (key: "ttftMs" | "tpotMs") =>
    sv[key] === undefined ? null : c.number(`serving.${key}`, sv[key], { gt: 0, max: 1e9 });
  const ttftMs = target("ttftMs");
  const tpotMs = target("tpotMs");
  const stackId =
    sv.stack === undefined
      ? undefined
      : typeof sv.stack === "string" && (SERVING_STACK_IDS as string[]).includes(sv.stack)
        ? (sv.stack as ServingStackId)
        : (c.fail(
            "serving.stack",
            "not-one-of",
            { options: [...SERVING_STACK_IDS], got: describe(sv.stack) },
            `must be one of ${SERVING_STACK_IDS.map((x) => JSON.stringify(x)).join(", ")}, got ${describe(sv.stack)}${typeof sv.stack === "string" ? didYouMean(sv.stack, SERVING_STACK_IDS) : ""}`,
          ),
          undefined);

  let layout: ResolvedServe["layout"] = "auto";
  if (s.parallelism !== undefined && s.parallelism !== "auto") {
    const p = c.record("parallelism", s.parallelism, true);
    if (p) {
      c.known("parallelism", p, ["tp", "pp", "ep"]);
      const dim = (k: "tp" | "pp" | "ep") =>
        c.number(`parallelism.${k}`, p[k], { integer: true, min: 1, max: 1e6 }, 1);
      layout = { tp: dim("tp"), pp: dim("pp"), ep: dim("ep") };
      if (model && !model.shape.moe && layout.ep > 1)
        c.fail(
          "parallelism.ep",
          "needs-moe",
          { model: model.shape.name },
          `must be 1 for a dense model, got ${layout.ep}`,
        );
    }
  }

  let system: Resolved["system"] | undefined;
  let estimated: EstimatedFigure[] = [];
  if (chip) {
    need(c, chip, "bf16Tflops", "prefill needs the dense 16-bit peak");
    need(c, chip, "hbmGB", "the KV cache needs the capacity");
    need(c, chip, "hbmTBps", "decode reads weights and KV cache at this bandwidth");
    const used = new Set(["bf16Tflops", "hbmGB", "hbmTBps"]);
    if (precision === "fp8" && chip.fp8Tflops) used.add("fp8Tflops");
    system = resolveSystem(c, systemInput, chip, Number.isFinite(count) ? count : 1, used);
    estimated = estimatedFigures(c, chip, used);
    if (precision === "fp8" && !chip.fp8Tflops)
      c.warnings.push(
        warning(
          "serving.precision",
          "precision-fallback",
          { chip: chip.id, asked: "fp8", used: "bf16" },
          `${chip.id} has no FP8 peak in the catalog; FP8 weights and KV cache are modelled with BF16 matmuls`,
        ),
      );
  }
  const datacenter = resolveDatacenter(c, s.datacenter, chip, "costPerMillionTokensUSD");
  if (c.errors.length > 0 || !model || !chip || !system)
    return { ok: false, errors: c.errors, warnings: c.warnings };
  const base: Resolved = {
    model: model.shape,
    modelId: model.id,
    // Training slots the core's serving entry ignores; encodeScenario writes them.
    training: { tokens: 1, seqLen: 1, globalBatch: 1, precision: "bf16", moeImbalance: 1 },
    // Serving has no training stack; the vendor's usual one only fills the slot.
    stack: { id: defaultStack(chip), chosen: "chip default" },
    chip,
    system,
    count,
    plan: "auto",
    datacenter,
    reliability: {
      failuresPerChipHour: DEFAULTS.failuresPerChipHour.value,
      checkpointGBpsPerChip: DEFAULTS.checkpointGBpsPerChip.value,
      restartMinutes: DEFAULTS.restartMinutes.value,
    },
    constraints: {},
    estimated,
    warnings: c.warnings,
  };
  return {
    ok: true,
    value: {
      base,
      stack: stackId
        ? { id: stackId, chosen: "scenario" }
        : { id: defaultServingStack(chip), chosen: "chip default" },
      precision,
      inputTokens,
      outputTokens,
      batch,
      ttftMs,
      tpotMs,
      layout,
    },
  };
}

/** The serving slots of one layout and batch (0: the most that fit). */
function encodeServing(
  r: ResolvedServe,
  layout: { tp: number; pp: number; ep: number },
  batch: number,
  s: Float64Array,
): void {
  const b = BYTES[r.precision];
  s.fill(0);
  s[L.SV_WEIGHT_BYTES] = b.weight;
  s[L.SV_KV_BYTES] = b.kv;
  s[L.SV_FP8] = b.fp8 ? 1 : 0;
  s[L.SV_INPUT] = r.inputTokens;
  s[L.SV_OUTPUT] = r.outputTokens;
  s[L.SV_BATCH] = batch;
  s[L.SV_TP] = layout.tp;
  s[L.SV_PP] = layout.pp;
  s[L.SV_EP] = layout.ep;
  s[L.SV_MEM_FRACTION] = SERVING.memoryFraction.value;
}

const limiter = (computeS: number, memoryS: number, commS: number): ServeLimiter =>
  commS > Math.max(computeS, memoryS)
    ? "interconnect"
    : computeS >= memoryS
      ? "compute"
      : "bandwidth";

function decodeServe(
  o: Float64Array,
  r: ResolvedServe,
  layout: { tp: number; pp: number; ep: number },
  evaluated: number,
  warnings: Warning[],
): ServeResult {
  const { base } = r;
  const GIGA = 1e9;
  const fits = o[L.SO_FITS] > 0;
  const prefill = {
    computeS: o[L.SO_PREFILL_COMPUTE_S],
    memoryS: o[L.SO_PREFILL_MEM_S],
    commS: o[L.SO_PREFILL_COMM_S],
  };
  const decode = {
    computeS: o[L.SO_DECODE_COMPUTE_S],
    memoryS: o[L.SO_DECODE_MEM_S],
    commS: o[L.SO_DECODE_COMM_S],
  };
  return {
    ok: true,
    scenario: {
      model: base.modelId ?? base.model.name,
      chip: base.chip.id,
      system: base.system.id,
      count: base.count,
      precision: r.precision,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
    },
    plan: {
      ...layout,
      stageChips: o[L.SO_STAGE_CHIPS],
      instanceChips: o[L.SO_INSTANCE_CHIPS],
      instances: o[L.SO_INSTANCES],
    },
    batch: o[L.SO_BATCH],
    maxBatch: o[L.SO_MAX_BATCH],
    prefill: {
      tokensPerSPerChip: o[L.SO_PREFILL_TOK],
      timeS: o[L.SO_PREFILL_S],
      ...prefill,
      limitedBy: limiter(prefill.computeS, prefill.memoryS, prefill.commS),
    },
    decode: {
      tokensPerSPerChip: o[L.SO_DECODE_TOK],
      timeS: o[L.SO_TPOT_S],
      ...decode,
      limitedBy: limiter(decode.computeS, decode.memoryS, decode.commS),
      contextTokens: r.inputTokens + r.outputTokens / 2,
    },
    outputTokensPerSPerChip: o[L.SO_E2E_TOK],
    ttftMs: o[L.SO_TTFT_S] * 1e3,
    tpotMs: o[L.SO_TPOT_S] * 1e3,
    memory: {
      perChipGB: o[L.SO_MEM_TOTAL] / GIGA,
      capacityGB: base.chip.hbmGB ?? 0,
      usableGB: o[L.SO_CAPACITY] / GIGA,
      fits,
      weightsGB: o[L.SO_WEIGHTS] / GIGA,
      kvCacheGB: o[L.SO_KV] / GIGA,
      kvCacheBytesPerToken: o[L.SO_KV_PER_TOKEN],
    },
    powerMW: o[L.SO_FACILITY_W] / 1e6,
    tokensPerJoule: o[L.SO_TOKENS_PER_J],
    costPerMillionTokensUSD: o[L.SO_USD_PER_MTOK],
    costBasis:
      base.datacenter.usdPerChipHour > 0
        ? "rental"
        : base.chip.priceUSD
          ? "capex+power"
          : "electricity only",
    ...(r.ttftMs !== null || r.tpotMs !== null
      ? {
          latencyTarget: {
            ttftMs: r.ttftMs,
            tpotMs: r.tpotMs,
            met: meets(r, o[L.SO_TTFT_S] * 1e3, o[L.SO_TPOT_S] * 1e3),
          },
        }
      : {}),
    evaluated,
    stack: servingStackUse(r.stack.id, r.stack.chosen),
    uncertainty: band(r, o[L.SO_E2E_TOK]),
    estimatedFigures: base.estimated,
    estimatedBehind: {
      speed: estimatesBehind(base.estimated, "speed"),
      energy: estimatesBehind(base.estimated, "energy"),
    },
    warnings,
  };
}

/**
 * A throughput predicted with error e is the published one times (1 + e), so the stack's p10-p90
 * errors bound the true throughput by predicted / (1 + e); estimated chip figures stretch it as they
 * stretch a training step's time (src/calibration/estimates.ts), throughput being its inverse.
 */
function band(r: ResolvedServe, tok: number): ServeResult["uncertainty"] {
  const earned = servingErrorRange(r.stack.id);
  const w = estimateWidening(r.base.estimated);
  const name = r.stack.id;
  return {
    outputTokensPerSPerChip: [
      tok / (1 + earned.errorRange[1]) / w.days[1],
      tok / (1 + earned.errorRange[0]) / w.days[0],
    ],
    records: earned.records,
    basis:
      (earned.records > 0
        ? `${name}'s cross-validated error on its ${earned.records} published serving results (p10-p90)`
        : `${name} has no published serving result: the widest error of any stack's results`) +
      (r.base.estimated.length > 0
        ? `; widened for the chip's estimated ${r.base.estimated.map((e) => e.path.replace("cluster.chip.", "")).join(", ")}`
        : ""),
  };
}

/** A serving answer's backing: its stack's published serving results (servingErrorRange). */
export function serveBacking(r: ServeResult): Backing {
  const earned = servingErrorRange(r.stack.id);
  return {
    stack: r.stack.id,
    calibrated: r.stack.status === "calibrated",
    records: earned.records,
    errorRange: earned.errorRange,
  };
}

const meets = (r: ResolvedServe, ttftMs: number, tpotMs: number) =>
  (r.ttftMs === null || ttftMs <= r.ttftMs) && (r.tpotMs === null || tpotMs <= r.tpotMs);

/** How far a layout misses the targets: the worst ratio of achieved to target (<= 1 meets them). */
const miss = (r: ResolvedServe, ttftMs: number, tpotMs: number) =>
  Math.max(r.ttftMs === null ? 0 : ttftMs / r.ttftMs, r.tpotMs === null ? 0 : tpotMs / r.tpotMs);

/** Every layout the search tries: TP within the scale-up domain, PP up to 16, EP over the experts. */
function layouts(r: ResolvedServe): { tp: number; pp: number; ep: number }[] {
  const { model: m, system, count } = r.base;
  const out: { tp: number; pp: number; ep: number }[] = [];
  const tps = divisors(m.heads, Math.min(system.scaleUpDomain, count)).filter(
    (t) => m.mla !== undefined || m.kvHeads % t === 0,
  );
  const eps = m.moe ? divisors(m.moe.experts, count) : [1];
  for (const tp of tps)
    for (const ep of eps) {
      if (ep % tp !== 0 && tp % ep !== 0) continue;
      const stage = Math.max(tp, ep);
      for (const pp of divisors(count / stage, Math.min(16, m.layers)))
        if (Number.isInteger(count / stage)) out.push({ tp, pp, ep });
    }
  return out;
}

/** Serves a scenario on its layout, or finds the layout and batch with the best throughput per chip. */
export function serve(
  core: Core,
  scenario: unknown,
  options: { calibration?: Partial<Calibration> } = {},
): ServeResult | Failure {
  const res = resolveServe(scenario);
  const calIssues = calibrationIssues(options.calibration);
  if (!res.ok || calIssues.length)
    return {
      ok: false,
      errors: [...(res.ok ? [] : res.errors), ...calIssues],
      warnings: res.ok ? res.value.base.warnings : res.warnings,
    };
  const r = res.value;
  const warnings = [...r.base.warnings];
  // src/calibration/calibration.ts, then the serving stack's fitted constants, then the caller's overrides.
  encodeScenario(
    r.base,
    { ...defaultCalibration(), ...servingStackConstants(r.stack.id), ...options.calibration },
    core.input,
  );
  const run = (layout: { tp: number; pp: number; ep: number }, batch: number) => {
    encodeServing(r, layout, batch, core.serveInput);
    return core.serve();
  };

  // One layout: at the given batch, or the most that fit (and, with tpotMs, meet it).
  const scoreLayout = (layout: { tp: number; pp: number; ep: number }) => {
    let o = run(layout, r.batch === "auto" ? 0 : r.batch);
    if (o[L.SO_STATUS] !== L.ERR_NONE || r.batch !== "auto" || r.tpotMs === null) return o;
    if (o[L.SO_FITS] <= 0 || o[L.SO_TPOT_S] * 1e3 <= r.tpotMs) return o;
    // Decode time grows with the batch: the largest batch under the target, by bisection.
    let lo = 1,
      hi = o[L.SO_MAX_BATCH];
    if (run(layout, 1)[L.SO_TPOT_S] * 1e3 > r.tpotMs) return run(layout, 1);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (run(layout, mid)[L.SO_TPOT_S] * 1e3 <= r.tpotMs) lo = mid;
      else hi = mid;
    }
    return run(layout, lo);
  };

  if (r.layout !== "auto") {
    const o = scoreLayout(r.layout);
    const status = o[L.SO_STATUS];
    if (status !== L.ERR_NONE)
      return {
        ok: false,
        errors: [serveStatusIssue(status)],
        warnings,
      };
    if (o[L.SO_FITS] <= 0)
      warnings.push(
        warning(
          "memory",
          "memory-exceeded",
          {
            neededGB: Number((o[L.SO_MEM_TOTAL] / 1e9).toPrecision(4)),
            capacityGB: Number((o[L.SO_CAPACITY] / 1e9).toPrecision(4)),
          },
          `${(o[L.SO_MEM_TOTAL] / 1e9).toPrecision(4)} GB per chip needed, ${(o[L.SO_CAPACITY] / 1e9).toPrecision(4)} GB usable; raise tp, pp or ep, or lower serving.batch`,
        ),
      );
    return finish(decodeServe(o, r, r.layout, 1, warnings));
  }

  let best: { layout: { tp: number; pp: number; ep: number }; tok: number; miss: number } | null =
    null;
  let evaluated = 0;
  for (const layout of layouts(r)) {
    const o = scoreLayout(layout);
    evaluated++;
    if (o[L.SO_STATUS] !== L.ERR_NONE || o[L.SO_FITS] <= 0) continue;
    const entry = {
      layout,
      tok: o[L.SO_E2E_TOK],
      miss: Math.max(1, miss(r, o[L.SO_TTFT_S] * 1e3, o[L.SO_TPOT_S] * 1e3)),
    };
    // Meeting the target first (miss 1), then throughput per chip.
    if (!best || entry.miss < best.miss || (entry.miss === best.miss && entry.tok > best.tok))
      best = entry;
  }
  if (!best)
    return {
      ok: false,
      errors: [
        issue(
          "cluster.count",
          "no-layout-fits",
          { count: r.base.count, chip: r.base.chip.id, precision: r.precision },
          `no layout of ${r.base.count} ${r.base.chip.id} holds ${r.base.modelId ?? r.base.model.name}'s weights and one request's KV cache at ${r.precision}; add chips, pick a lower precision or shorter context`,
        ),
      ],
      warnings,
    };
  const o = scoreLayout(best.layout);
  if (best.miss > 1)
    warnings.push(
      warning(
        "latency",
        "latency-unmet",
        {
          ttftMs: r.ttftMs,
          tpotMs: r.tpotMs,
          closestTtftMs: Number((o[L.SO_TTFT_S] * 1e3).toPrecision(3)),
          closestTpotMs: Number((o[L.SO_TPOT_S] * 1e3).toPrecision(3)),
        },
        `no layout meets the target${r.ttftMs !== null ? ` ttft ${r.ttftMs} ms` : ""}${r.tpotMs !== null ? ` tpot ${r.tpotMs} ms` : ""}; the closest is shown (ttft ${(o[L.SO_TTFT_S] * 1e3).toPrecision(3)} ms, tpot ${(o[L.SO_TPOT_S] * 1e3).toPrecision(3)} ms)`,
      ),
    );
  return finish(decodeServe(o, r, best.layout, evaluated, warnings));
}

/** The contract never ships NaN or Infinity. */
function finish(result: ServeResult): ServeResult | Failure {
  if (allFinite(result)) return result;
  return {
    ok: false,
    errors: [
      issue(
        "",
        "overflow",
        {},
        "the scenario overflows the model's arithmetic (a value is too large); reduce it",
      ),
    ],
    warnings: result.warnings,
  };
}
