// Resolved scenario -> core input slots (SI units), core output slots -> typed result (the result
// types are the contract's: src/contract/result.ts).
import * as L from "../../assembly/layout.js";
import { CALIBRATION, type Constant } from "../calibration/calibration.js";
import type { Calibration, Limiter, SimulateResult } from "../contract/result.js";
import type { EarnedBand, StackUse } from "../calibration/stacks.js";
import type { FullPlan, RecomputeModule, Resolved, ResolvedTier } from "../contract/scenario.js";
import { type Issue } from "../contract/check.js";
import { issue, outOfRange, warning, wrongType } from "../contract/facts.js";
import { closest } from "../contract/suggest.js";

const TERA = 1e12;
const GIGA = 1e9;
const RECOMPUTE = { none: 0, selective: 1, full: 2 } as const;
const MODULE_BIT: Record<RecomputeModule, number> = {
  layernorm: L.RC_LAYERNORM,
  mla_up_proj: L.RC_MLA_UP_PROJ,
  moe_act: L.RC_MOE_ACT,
};

export function defaultCalibration(): Calibration {
  const out = {} as Calibration;
  for (const k of Object.keys(CALIBRATION) as (keyof Calibration)[]) out[k] = CALIBRATION[k].value;
  return out;
}

// Fractions of a peak or of an overlap: efficiencies in (0, 1], overlaps in [0, 1]; the rest >= 0.
const FRACTIONS = new Set([
  "matmulEfficiency",
  "attentionEfficiency",
  "memoryEfficiency",
  "scaleUpEfficiency",
  "scaleOutEfficiency",
  "fp8Efficiency",
  "loadFactor",
]);

// Assumption: below 1% of a peak (or of TDP, for loadFactor) a chip is not training; smaller values
// only underflow (a 5e-324 load factor draws 0 MW).
const MIN_FRACTION = 0.01;
// Assumption: a half-throughput GEMM side beyond 65,536 (past every hidden size in the catalog)
// leaves every GEMM of a real model below an eighth of peak, far outside the fitted runs.
const MAX_HALF_DIM = 65_536;

/** Calibration overrides that are not constants of the model or not in their range, by field. */
export function calibrationIssues(over: unknown): Issue[] {
  if (over === undefined) return [];
  if (typeof over !== "object" || over === null || Array.isArray(over))
    return [wrongType("calibration", "an object", over, "must be an object of constant overrides")];
  const out: Issue[] = [];
  for (const [k, v] of Object.entries(over)) {
    const path = `calibration.${k}`;
    if (!(k in CALIBRATION))
      out.push(
        issue(
          path,
          "unknown-id",
          {
            id: k,
            suggestions: closest(k, Object.keys(CALIBRATION)),
            known: Object.keys(CALIBRATION),
          },
          `is not a calibration constant (known: ${Object.keys(CALIBRATION).join(", ")})`,
        ),
      );
    else if (typeof v !== "number" || !Number.isFinite(v))
      out.push(wrongType(path, "a finite number", v));
    else if (FRACTIONS.has(k) && !(v >= MIN_FRACTION && v <= 1))
      out.push(
        outOfRange(
          path,
          v,
          { min: MIN_FRACTION, max: 1 },
          `must be in [${MIN_FRACTION}, 1], got ${v}`,
        ),
      );
    else if (k === "matmulHalfDim" && !(v <= MAX_HALF_DIM))
      out.push(
        outOfRange(
          path,
          v,
          { min: 0, max: MAX_HALF_DIM },
          `must be from 0 to ${MAX_HALF_DIM}, got ${v}`,
        ),
      );
    else if (
      (k === "tpOverlap" || k === "commSmShare" || k === "stragglerCv") &&
      !(v >= 0 && v <= 1)
    )
      out.push(outOfRange(path, v, { min: 0, max: 1 }, `must be in [0, 1], got ${v}`));
    else if (k === "serverMultiplier" && !(v >= 1))
      out.push(outOfRange(path, v, { min: 1 }, `must be at least 1, got ${v}`));
    else if (!(v >= 0)) out.push(outOfRange(path, v, { min: 0 }, `must not be negative, got ${v}`));
  }
  return out;
}

/**
 * Every uncertain constant at its pessimistic (0) or optimistic (1) end. A constant the caller set
 * keeps the range's relative spread around the caller's value (fractions capped at 1), so the
 * band always holds the answer it brackets.
 */
export function boundCalibration(base: Calibration, end: 0 | 1): Calibration {
  const out = { ...base };
  for (const k of Object.keys(CALIBRATION) as (keyof Calibration)[]) {
    const c = CALIBRATION[k] as Constant;
    if (!c.range) continue;
    const scaled = base[k] === c.value ? c.range[end] : (c.range[end] / c.value) * base[k];
    out[k] = FRACTIONS.has(k) ? Math.min(1, scaled) : scaled;
  }
  return out;
}

/** Writes a whole scenario and plan. */
export function encode(r: Resolved, plan: FullPlan, k: Calibration, i: Float64Array): void {
  encodeScenario(r, k, i);
  encodePlan(plan, i);
}

/** Writes only the plan slots: a search encodes the scenario once, then each plan. */
export function encodePlan(plan: FullPlan, i: Float64Array): void {
  i[L.P_TP] = plan.tp;
  i[L.P_PP] = plan.pp;
  i[L.P_DP] = plan.dp;
  i[L.P_CP] = plan.cp;
  i[L.P_EP] = plan.ep;
  i[L.P_VPP] = plan.vpp;
  i[L.P_MICRO_BATCH] = plan.microBatch;
  i[L.P_ZERO] = plan.zero;
  i[L.P_RECOMPUTE] = RECOMPUTE[plan.recompute];
  i[L.P_RECOMPUTE_MODULES] = plan.recomputeModules.reduce((bits, m) => bits | MODULE_BIT[m], 0);
  i[L.P_SP] = plan.sequenceParallel && plan.tp > 1 ? 1 : 0;
  i[L.P_FLASH] = plan.flashAttention ? 1 : 0;
  i[L.P_DP_OVERLAP] = plan.overlapGradReduce ? 1 : 0;
  i[L.P_EP_OVERLAP] = plan.overlapAllToAll ? 1 : 0;
  i[L.P_TP_COMM_OVERLAP] = plan.tpCommOverlap ? 1 : 0;
  i[L.P_ETP] = plan.etp;
  i[L.P_OFFLOAD_OPTIMIZER] = plan.offloadOptimizer ? 1 : 0;
  i[L.P_OFFLOAD_ACTIVATIONS] = plan.offloadActivations;
}

// Slots of each tier above the scale-out fabric, innermost first; the first is the pod tier's.
const TIER_SLOTS = [
  { chips: L.N_POD_CHIPS, oversub: L.N_POD_OVERSUB, lat: L.N_POD_LAT },
  { chips: L.N_TIER2_CHIPS, oversub: L.N_TIER2_OVERSUB, lat: L.N_TIER2_LAT },
  { chips: L.N_TIER3_CHIPS, oversub: L.N_TIER3_OVERSUB, lat: L.N_TIER3_LAT },
] as const;

function encodeTiers(tiers: readonly ResolvedTier[], i: Float64Array): void {
  tiers.forEach((tier, t) => {
    const slot = TIER_SLOTS[t];
    i[slot.chips] = tier.chips;
    i[slot.oversub] = tier.oversubscription;
    i[slot.lat] = tier.latencyUs * 1e-6;
  });
}

export function encodeScenario(r: Resolved, k: Calibration, i: Float64Array): void {
  const m = r.model,
    chip = r.chip,
    sys = r.system;
  i.fill(0);
  i[L.M_LAYERS] = m.layers;
  i[L.M_HIDDEN] = m.hidden;
  i[L.M_FFN] = m.ffnHidden;
  i[L.M_HEADS] = m.heads;
  i[L.M_KV_HEADS] = m.kvHeads;
  i[L.M_HEAD_DIM] = m.headDim;
  i[L.M_VOCAB] = m.vocab;
  i[L.M_GATED] = m.mlp === "swiglu" ? 1 : 0;
  i[L.M_TIED] = m.tiedEmbeddings ? 1 : 0;
  if (m.moe) {
    i[L.M_MOE_EXPERTS] = m.moe.experts;
    i[L.M_MOE_ACTIVE] = m.moe.active;
    i[L.M_MOE_SHARED] = m.moe.shared;
    i[L.M_MOE_FFN] = m.moe.expertFfnHidden;
    i[L.M_MOE_DENSE_LAYERS] = m.moe.denseLayers;
    i[L.M_MOE_MAX_NODES] = m.moe.maxNodes ?? 0;
  }
  if (m.mla) {
    i[L.M_MLA_Q_RANK] = m.mla.qLoraRank;
    i[L.M_MLA_KV_RANK] = m.mla.kvLoraRank;
    i[L.M_MLA_ROPE_DIM] = m.mla.ropeHeadDim;
    i[L.M_MLA_V_DIM] = m.mla.vHeadDim;
  }
  i[L.T_TOKENS] = r.training.tokens;
  i[L.T_SEQ] = r.training.seqLen;
  i[L.T_GLOBAL_BATCH] = r.training.globalBatch;
  // A chip without an FP8 peak trains in BF16 (scenario.ts warns).
  i[L.T_FP8] = r.training.precision === "fp8" && chip.fp8Tflops ? 1 : 0;
  i[L.T_MOE_IMBALANCE] = r.training.moeImbalance;
  // fp16 trains on the FP16 peak where the chip has no BF16 (V100) and reduces fp16 gradients;
  // bf16/fp8 reduce fp32 gradients (Megatron-LM forces accumulate_allreduce_grads_in_fp32 for bf16).
  i[L.P_GRAD_BYTES] = r.training.precision === "fp16" ? 2 : 4;
  i[L.C_PEAK_BF16] =
    (r.training.precision === "fp16"
      ? (chip.fp16Tflops ?? chip.bf16Tflops ?? 0)
      : (chip.bf16Tflops ?? 0)) * TERA;
  i[L.C_PEAK_FP8] = (chip.fp8Tflops ?? 0) * TERA;
  i[L.C_HBM_BYTES] = (chip.hbmGB ?? 0) * GIGA;
  i[L.C_HBM_BW] = (chip.hbmTBps ?? 0) * TERA;
  i[L.C_TDP_W] = chip.tdpW ?? 0;
  i[L.C_PRICE_USD] = chip.priceUSD ?? 0;
  i[L.N_DOMAIN] = sys.scaleUpDomain;
  i[L.N_UP_BW] = (sys.scaleUpGBps / 2) * GIGA; // catalog: bidirectional; core: per direction
  i[L.N_UP_LINKS] = sys.scaleUpMesh && sys.scaleUpDomain > 1 ? sys.scaleUpDomain - 1 : 0;
  i[L.N_UP_TORUS_DIMS] = sys.scaleUpTorusDims;
  i[L.N_UP_REDUCE] = sys.scaleUpReduction ? 1 : 0;
  i[L.N_OUT_REDUCE] = sys.scaleOutReduction ? 1 : 0;
  i[L.N_UP_LAT] = sys.scaleUpLatencyUs * 1e-6;
  i[L.N_OUT_BW] = (sys.scaleOutGbps / 8) * GIGA; // bits -> bytes, per direction
  i[L.N_OUT_LAT] = sys.scaleOutLatencyUs * 1e-6;
  i[L.N_OVERSUB] = sys.oversubscription;
  encodeTiers(sys.tiers, i);
  i[L.S_HOST_W] = sys.hostWPerChip;
  // Unknown host figures stay 0: resolve refuses a plan that offloads without them.
  i[L.S_HOST_LINK_BW] = ((sys.hostLinkGBps ?? 0) / 2) * GIGA; // catalog: bidirectional; core: per direction
  i[L.S_HOST_MEM_BYTES] = (sys.hostMemoryGB ?? 0) * GIGA;
  i[L.S_HOST_MEM_BW] = (sys.hostMemoryGBps ?? 0) * GIGA;
  i[L.S_COUNT] = r.count;
  i[L.D_PUE] = r.datacenter.pue;
  i[L.D_GCO2_PER_KWH] = r.datacenter.gridGCO2PerKWh;
  i[L.D_USD_PER_KWH] = r.datacenter.usdPerKWh;
  i[L.D_USD_PER_CHIP_HOUR] = r.datacenter.usdPerChipHour;
  i[L.D_AMORT_YEARS] = r.datacenter.amortizationYears;
  i[L.R_FAIL_PER_CHIP_HOUR] = r.reliability.failuresPerChipHour;
  i[L.R_CKPT_BW] = r.reliability.checkpointGBpsPerChip * GIGA;
  i[L.R_RESTART_S] = r.reliability.restartMinutes * 60;
  i[L.K_MATMUL_EFF] = k.matmulEfficiency;
  i[L.K_MATMUL_HALF_DIM] = k.matmulHalfDim;
  i[L.K_ATTN_EFF] = k.attentionEfficiency;
  i[L.K_MEM_EFF] = k.memoryEfficiency;
  i[L.K_UP_EFF] = k.scaleUpEfficiency;
  i[L.K_OUT_EFF] = k.scaleOutEfficiency;
  i[L.K_TP_OVERLAP] = k.tpOverlap;
  i[L.K_LOAD_FACTOR] = k.loadFactor;
  i[L.K_RESERVED_BYTES] = k.reservedGB * GIGA;
  i[L.K_FP8_EFF] = k.fp8Efficiency;
  i[L.K_STEP_OVERHEAD_S] = k.stepOverheadS;
  i[L.K_COMM_SM_SHARE] = k.commSmShare;
  i[L.K_STRAGGLER_CV] = k.stragglerCv;
  i[L.K_GROUPED_HALF_TOKENS] = k.groupedGemmHalfTokens;
}

/**
 * What backs a number's band: its stack, how many published runs calibrate it on this chip class
 * (0: none, calibrated false, and the band is the widest of every run's) and their error range.
 */
export interface Backing {
  stack: string;
  calibrated: boolean;
  records: number;
  /** Cross-validated error (predicted / published - 1), p10 and p90; uncalibrated: the widest. */
  errorRange: [number, number];
}

/** A training answer's backing, from its stack and band (src/calibration/stacks.ts earnedBand). */
export const backingOf = (r: SimulateResult): Backing => ({
  stack: r.stack.id,
  calibrated: r.stack.status === "calibrated",
  records: r.uncertainty.records,
  errorRange: r.uncertainty.errorRange,
});

/** What each core status (assembly/layout.ts ERR_*) asks to change, and where. */
const STATUS_MESSAGES: Record<number, [path: string, message: string]> = {
  [L.ERR_SHAPE]: ["model", "shape has a zero or inconsistent dimension"],
  [L.ERR_PLAN_PRODUCT]: ["parallelism", "tp*pp*dp*cp must equal cluster.count"],
  [L.ERR_BATCH]: ["parallelism.microBatch", "dp*microBatch must divide training.globalBatch"],
  [L.ERR_LAYERS]: ["parallelism.pp", "pp*vpp must not exceed model.layers"],
  [L.ERR_HEADS]: ["parallelism.tp", "tp must divide the attention heads"],
  [L.ERR_EXPERTS]: [
    "parallelism.ep",
    "ep must divide the experts and ep*etp must divide tp*cp*dp; etp must be 1 or tp",
  ],
  [L.ERR_SEQ]: ["parallelism.cp", "cp must divide training.seqLen"],
  [L.ERR_HARDWARE]: ["cluster.chip", "a hardware figure is zero or unknown"],
  [L.ERR_INTERLEAVE]: [
    "parallelism.vpp",
    "interleaving needs pp > 1 and microbatches divisible by pp",
  ],
};

export function statusIssue(status: number): Issue {
  const [path, message] = STATUS_MESSAGES[status] ?? ["", `core status ${status}`];
  return issue(path, "core-status", { status }, message);
}

const round = (x: number, digits = 6): number => Number(x.toPrecision(digits));

/** What a step spends its time on beyond compute: the largest overhead if it is over 10% of the step. */
export function limitedBy(o: Float64Array): Limiter {
  const parts: [Limiter, number][] = [
    ["bubble", o[L.O_BUBBLE_S]],
    ["tp-comm", o[L.O_TP_COMM_S]],
    ["pp-comm", o[L.O_PP_COMM_S]],
    ["dp-comm", o[L.O_DP_COMM_S]],
    ["ep-comm", o[L.O_EP_COMM_S]],
    ["cp-comm", o[L.O_CP_COMM_S]],
    ["stragglers", o[L.O_STRAGGLER_S]],
    ["offload", o[L.O_OFFLOAD_S]],
  ];
  let worst: [Limiter, number] = ["compute", 0.1 * o[L.O_STEP_S]];
  for (const p of parts) if (p[1] > worst[1]) worst = p;
  return worst[0];
}

export function decode(
  o: Float64Array,
  r: Resolved,
  plan: FullPlan,
  band: [number, number],
  stack: StackUse,
  earned: EarnedBand,
): SimulateResult {
  const chip = r.chip;
  const count = r.count;
  const stepS = o[L.O_STEP_S];
  const warnings = [...r.warnings];
  const fits = o[L.O_FITS] > 0;
  const capacityGB = chip.hbmGB ?? 0;
  if (o[L.O_MEM_TOTAL] > capacityGB * GIGA)
    warnings.push(
      warning(
        "memory",
        "memory-exceeded",
        { neededGB: round(o[L.O_MEM_TOTAL] / GIGA, 4), capacityGB },
        `needs ${round(o[L.O_MEM_TOTAL] / GIGA, 4)} GB per chip, ${chip.id} has ${capacityGB} GB; raise tp/pp, ZeRO or recompute (or recomputeModules, for MLA and MoE models)`,
      ),
    );
  if (o[L.O_HOST_FITS] <= 0)
    warnings.push(
      warning(
        "cluster.system.hostMemoryGB",
        "host-memory-exceeded",
        { neededGB: round(o[L.O_MEM_HOST] / GIGA, 4), capacityGB: r.system.hostMemoryGB ?? 0 },
        `the offloaded state needs ${round(o[L.O_MEM_HOST] / GIGA, 4)} GB of host memory per chip, the system has ${r.system.hostMemoryGB ?? 0} GB; offload fewer activations, raise ZeRO or add chips`,
      ),
    );
  const goodput = o[L.O_GOODPUT];
  if (goodput <= 0)
    warnings.push(
      warning(
        "run.goodput",
        "never-finishes",
        {},
        "failures arrive faster than checkpoints can be written; the run never finishes at this scale",
      ),
    );
  const podShare = o[L.O_DP_POD_SHARE];
  const limitingTier = dpLimitingTier(o);
  if (podShare < 1 && limitingTier !== null) {
    const tier = r.system.tiers[limitingTier];
    const units = limitingTier === 0 ? "pods" : `tier-${limitingTier + 1} units`;
    warnings.push(
      warning(
        tier.oversubscriptionPath,
        "dp-pod-limited",
        {
          share: round(podShare, 4),
          tier: limitingTier,
          podChips: tier.chips,
          podOversubscription: tier.oversubscription,
        },
        `data-parallel rings keep ${round(100 * podShare, 3)}% of a NIC's rate between ${units} of ${tier.chips} chips (${tier.oversubscription}:1 above them): too few ranks of each ring in one to share its uplinks; a larger dp (or smaller pp) spreads them`,
      ),
    );
  }
  const mtbf = o[L.O_MTBF_S];
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${Math.round(100 * x)}%`;
  const span = `${pct(earned.errorRange[0])} to ${pct(earned.errorRange[1])}`;
  if (stack.status === "uncalibrated")
    warnings.push(
      warning(
        "training.stack",
        "stack-uncalibrated",
        { stack: stack.id, chipClass: stack.chipClass, errorRange: earned.errorRange },
        `no published run of ${stack.name} on ${stack.chipClass} chips calibrates this answer; its band is the widest, every grade-A run's cross-validated error (${span})`,
      ),
    );
  return {
    ok: true,
    scenario: {
      model: r.modelId ?? r.model.name,
      chip: chip.id,
      system: r.system.id,
      count,
      // The precision modelled: FP8 on a chip without an FP8 peak runs as BF16 (a warning says so).
      precision: r.training.precision === "fp8" && !chip.fp8Tflops ? "bf16" : r.training.precision,
      tokens: r.training.tokens,
    },
    plan,
    step: {
      timeS: stepS,
      computeS: o[L.O_COMPUTE_S],
      bubbleS: o[L.O_BUBBLE_S],
      exposedCommS: o[L.O_EXPOSED_COMM_S],
      matmulS: o[L.O_MATMUL_S],
      memoryBoundS: o[L.O_MEMBOUND_S],
      optimizerS: o[L.O_OPTIMIZER_S],
      tpCommS: o[L.O_TP_COMM_S],
      ppCommS: o[L.O_PP_COMM_S],
      dpCommS: o[L.O_DP_COMM_S],
      epCommS: o[L.O_EP_COMM_S],
      cpCommS: o[L.O_CP_COMM_S],
      stragglerS: o[L.O_STRAGGLER_S],
      offloadS: o[L.O_OFFLOAD_S],
      dpPodShare: o[L.O_DP_POD_SHARE],
      tpUpShare: o[L.O_TP_UP_SHARE],
      torusSide: o[L.O_TORUS_SIDE],
      dpLimitingTier: dpLimitingTier(o),
      microbatches: o[L.O_MICROBATCHES],
      limitedBy: limitedBy(o),
    },
    throughput: {
      tokensPerS: o[L.O_TOKENS_PER_S],
      tokensPerSPerChip: o[L.O_TOKENS_PER_S] / count,
      modelTflopsPerChip: o[L.O_MODEL_FLOPS] / stepS / count / TERA,
      mfu: o[L.O_MFU],
      hfu: o[L.O_HFU],
    },
    memory: {
      perChipGB: o[L.O_MEM_TOTAL] / GIGA,
      capacityGB,
      fits,
      weightsGB: o[L.O_MEM_WEIGHTS] / GIGA,
      gradientsGB: o[L.O_MEM_GRADS] / GIGA,
      optimizerGB: o[L.O_MEM_OPTIMIZER] / GIGA,
      activationsGB: o[L.O_MEM_ACTIVATIONS] / GIGA,
      reservedGB: o[L.O_MEM_RESERVED] / GIGA,
      hostGB: o[L.O_MEM_HOST] / GIGA,
      hostCapacityGB: r.system.hostMemoryGB,
    },
    model: {
      params: o[L.O_PARAMS],
      activeParams: o[L.O_ACTIVE_PARAMS],
      modelFlopsPerStep: o[L.O_MODEL_FLOPS],
      hardwareFlopsPerStep: o[L.O_HW_FLOPS],
    },
    run: {
      steps: o[L.O_STEPS],
      days: o[L.O_TRAIN_S] / 86400,
      chipHours: (count * o[L.O_TRAIN_S]) / 3600,
      energyMWh: o[L.O_ENERGY_J] / 3.6e9,
      powerMW: o[L.O_FACILITY_POWER_W] / 1e6,
      powerBasis: r.system.powerBasis,
      chipPowerW: o[L.O_CHIP_POWER_W],
      co2Tonnes: o[L.O_CO2_KG] / 1000,
      costUSD: o[L.O_COST_USD],
      costBasis:
        r.datacenter.usdPerChipHour > 0
          ? "rental"
          : chip.priceUSD
            ? "capex+power"
            : "electricity only",
      goodput,
      effectiveDays: goodput > 0 ? o[L.O_EFFECTIVE_S] / 86400 : null,
      effectiveEnergyMWh: goodput > 0 ? o[L.O_ENERGY_J] / 3.6e9 / goodput : null,
      effectiveCostUSD: goodput > 0 ? o[L.O_COST_USD] / goodput : null,
      checkpointIntervalMin: o[L.O_CKPT_INTERVAL_S] / 60,
      checkpointWriteS: o[L.O_CKPT_WRITE_S],
      mtbfHours: mtbf > 0 ? mtbf / 3600 : null,
    },
    stack,
    uncertainty: {
      days: [(o[L.O_TRAIN_S] / 86400) * band[0], (o[L.O_TRAIN_S] / 86400) * band[1]],
      energyMWh: [(o[L.O_ENERGY_J] / 3.6e9) * band[0], (o[L.O_ENERGY_J] / 3.6e9) * band[1]],
      basis:
        (stack.status === "calibrated"
          ? `cross-validated error of ${earned.records} published ${earned.records === 1 ? "run" : "runs"} of ${stack.name} on ${stack.chipClass} chips (p10-p90: ${span}), plus every efficiency constant at the ends of its range`
          : `uncalibrated: no published run of ${stack.name} on ${stack.chipClass} chips; the widest band, every grade-A run's cross-validated error (${span}), plus every efficiency constant at the ends of its range`) +
        (earned.heldOut
          ? `; held out: ${earned.heldOut.records} published ${earned.heldOut.records === 1 ? "run" : "runs"} of it on ${stack.chipClass} chips, never fitted, came out ${pct(earned.heldOut.errorRange[0])} to ${pct(earned.heldOut.errorRange[1])}`
          : ""),
      ...earned,
    },
    estimatedFigures: r.estimated,
    warnings,
  };
}

/** True when every number in a result is finite: the contract never ships NaN or Infinity. */
export function allFinite(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(allFinite);
  if (v && typeof v === "object") return Object.values(v).every(allFinite);
  return true;
}

/** Index in the system's tiers of the one whose layer sets dpPodShare; null when none slows DP. */
function dpLimitingTier(o: Float64Array): number | null {
  const tier = o[L.O_DP_LIMITING_TIER]; // 1-based in the core, 0: none
  return tier > 0 ? tier - 1 : null;
}
