// The result types of a training run and of a failed call: the public contract, decoded from the
// core's output slots by src/engine/wire.ts.
import type { CALIBRATION } from "../calibration/calibration.js";
import type { EarnedBand, StackUse } from "../calibration/stacks.js";
import type { StoppedEarly } from "./budget.js";
import type { Issue, Warning } from "./check.js";
import type { EstimatedFigure, FullPlan } from "./scenario.js";

/** Overrides of the calibration constants, e.g. for fitting or uncertainty bands. */
export type Calibration = { -readonly [K in keyof typeof CALIBRATION]: number };

export interface SimulateResult {
  ok: true;
  scenario: {
    model: string;
    chip: string;
    system: string | null;
    count: number;
    precision: string;
    tokens: number;
  };
  plan: FullPlan;
  step: {
    timeS: number;
    computeS: number;
    bubbleS: number;
    exposedCommS: number;
    matmulS: number;
    memoryBoundS: number;
    optimizerS: number;
    /** Exposed (not hidden behind compute) communication of each dimension per step; they sum to exposedCommS. */
    tpCommS: number;
    ppCommS: number;
    dpCommS: number;
    epCommS: number;
    cpCommS: number;
    /** Waiting for the slowest of the synchronising ranks (per-rank compute jitter), per step. */
    stragglerS: number;
    /**
     * Offload to host memory not hidden by compute, per step (parallelism.offloadOptimizer,
     * offloadActivations): transfers over the chip-to-host link and the CPU's Adam step; 0 without offload.
     */
    offloadS: number;
    /**
     * Share of its NIC rate a data-parallel ring keeps between pods, over the oversubscribed layer
     * above them (cluster.system.podChips, podOversubscription), or the least over the tiers
     * (cluster.system.tiers); 1 when no boundary slows it.
     */
    dpPodShare: number;
    /**
     * Share of the chip's scale-up rate a TP collective uses: 1 switched; (tp-1)/(domain-1) in a full
     * mesh; spanned axes / dimensions on a torus (cluster.system.scaleUpTorusDims); 1 when tp = 1.
     */
    tpUpShare: number;
    /** Side of the job's torus slice in chips (a cube, or a square in 2D); 0 without a torus. */
    torusSide: number;
    /** Index in cluster.system.tiers of the tier that sets dpPodShare (0: the pod shorthand); null when it is 1. */
    dpLimitingTier: number | null;
    microbatches: number;
    /** The largest overhead beyond compute, when it exceeds 10% of the step; else "compute". */
    limitedBy: Limiter;
  };
  throughput: {
    tokensPerS: number;
    tokensPerSPerChip: number;
    modelTflopsPerChip: number;
    mfu: number;
    hfu: number;
  };
  memory: {
    perChipGB: number;
    capacityGB: number;
    fits: boolean;
    weightsGB: number;
    gradientsGB: number;
    optimizerGB: number;
    activationsGB: number;
    reservedGB: number;
    /** Host memory per chip holding offloaded optimizer state, gradients and activations (0 without offload). */
    hostGB: number;
    /** Host memory per chip (cluster.system.hostMemoryGB); null when unknown. */
    hostCapacityGB: number | null;
  };
  model: {
    params: number;
    activeParams: number;
    modelFlopsPerStep: number;
    hardwareFlopsPerStep: number;
  };
  run: {
    steps: number;
    days: number;
    chipHours: number;
    energyMWh: number;
    powerMW: number;
    /** What powerMW counts per chip: all-in (chips, hosts, switches, optics, network racks) and its source. */
    powerBasis: string;
    chipPowerW: number;
    co2Tonnes: number;
    costUSD: number;
    /** What costUSD counts: rented chip-hours, owned chips amortised plus power, or power alone (no chip price). */
    costBasis: "rental" | "capex+power" | "electricity only";
    goodput: number;
    effectiveDays: number | null;
    /** Energy and cost with failures: redone work, checkpoint writes and restarts at the same draw and rate (null: never finishes). */
    effectiveEnergyMWh: number | null;
    effectiveCostUSD: number | null;
    checkpointIntervalMin: number;
    checkpointWriteS: number;
    mtbfHours: number | null;
  };
  /** The software stack the constants come from (training.stack, or the chip vendor's usual one). */
  stack: StackUse;
  /**
   * [optimistic, pessimistic]: the calibration ranges (src/calibration/calibration.ts) widened to the
   * cross-validated error of the stack's published runs on this chip class (p10-p90), with how
   * many runs back it.
   */
  uncertainty: {
    days: [number, number];
    energyMWh: [number, number];
    basis: string;
  } & EarnedBand;
  /** The chip's figures this run reads that are estimates (code "chip-figure-estimated"), each with its basis and range. */
  estimatedFigures: EstimatedFigure[];
  warnings: Warning[];
  /** Present when an auto plan's search stopped at its budget: the plan is the best of those scored. */
  stoppedEarly?: StoppedEarly;
}

export interface Failure {
  ok: false;
  errors: Issue[];
  warnings: Warning[];
}

export type Limiter =
  | "compute"
  | "bubble"
  | "tp-comm"
  | "pp-comm"
  | "dp-comm"
  | "ep-comm"
  | "cp-comm"
  | "stragglers"
  | "offload";
