// How many chips of one kind match a cluster of another: days (with failures) against chip count
// for each chip on a fine grid of usable counts, the fastest-at-or-below envelope of each, and the
// ratios read off the two envelopes at equal time, equal facility power and equal purchase price.
import { resolve, meshText, type Resolved } from "../contract/scenario.js";
import { defaultSystem, findSystem, findModel } from "../catalog/index.js";
import type { Failure, SimulateResult } from "../contract/result.js";
import { backingOf, type Backing } from "../engine/wire.js";
import type { Issue } from "../contract/check.js";
import { issue, outOfRange, warning, wrongType, type Warning } from "../contract/facts.js";
import { copyScenario } from "../contract/clone.js";
import type { Planner, SearchOptions } from "../engine/planner.js";
import { meshFactors } from "../engine/counts.js";
import { nearestBatch } from "./nearby.js";

type Json = Record<string, unknown>;

/** How the global batch may change so that more chips can be used (data parallelism stops at dp = batch). */
export type BatchMode = "keep" | "grow" | "round";

export interface BatchPolicy {
  /** keep: the reference's batch; grow: up to maxBatch; round: the nearest batch a plan divides, within tolerance. Default grow. */
  mode?: BatchMode;
  /** grow: the largest batch (sequences). Default: the model's published batch, else a critical-batch estimate. */
  maxBatch?: number;
  /** round: the largest relative change of the batch. Default 0.05. */
  tolerance?: number;
}

export interface MatchOptions extends SearchOptions {
  batch?: BatchPolicy;
}

/** Why the largest batch allowed is what it is. */
export type MaxBatchSource = "given" | "published" | "critical-batch-estimate" | "reference";

export interface BatchUsed {
  mode: BatchMode;
  /** The reference's global batch (sequences). */
  reference: number;
  /** The batch of the concrete equal-time cluster (or of the fastest, when nothing matches). */
  used: number;
  /** The batch of the reference the ratio counts (referenceBest): the same policy and cap apply to it. */
  referenceUsed: number;
  /** The batches of the equal-power and equal-cost concrete clusters (null: no such row). */
  rows: { power: number | null; cost: number | null };
  /** grow: the largest batch allowed, and why. */
  max: number | null;
  maxSource: MaxBatchSource | null;
  /** round: the largest relative change allowed. */
  tolerance: number | null;
  changed: boolean;
}

/** One chip's days against count: columnar (uPlot takes the columns as they are). */
export interface Envelope {
  chip: string;
  system: string | null;
  counts: number[];
  /** Days with failures at each count (null: the run never finishes). */
  days: (number | null)[];
  /** The batch each count ran at. */
  batch: number[];
  /** Fastest at or below each count: the least days of any count up to it. */
  envelope: (number | null)[];
  /** The count that achieves the envelope there. */
  envelopeCount: number[];
  /** Facility MW per chip (power is linear in count). */
  mwPerChip: number;
}

export interface MatchSide {
  chip: string;
  count: number;
  plan: SimulateResult["plan"];
  days: number;
  effectiveDays: number | null;
  powerMW: number;
  /** With failures, as effectiveDays (RUN_BASIS; null: never finishes). */
  energyMWh: number | null;
  costUSD: number | null;
  costBasis: SimulateResult["run"]["costBasis"];
  goodput: number;
  system: string | null;
  systems: number | null; // catalog systems of the chip: 8-GPU nodes for HGX, racks for NVL72 or CloudMatrix 384
  globalBatch: number;
}

export type RatioBasis = "time" | "power" | "cost";

/** A ratio read off the two envelopes, interpolated in log-log between neighbouring grid counts. */
export interface RatioReading {
  basis: RatioBasis;
  /** Target chips per reference chip (targetChips / referenceChips). */
  chipRatio: number;
  /** The target count read off its envelope (not necessarily a usable count). */
  targetChips: number;
  /** Reference chips: the reference the headline counts (referenceBest) in every row. */
  referenceChips: number;
  /** Target days with failures there (interpolated). */
  days: number;
  /** days / the reference's days. */
  timeRatio: number;
  /** Target facility power there / the reference's. */
  powerRatio: number;
  /** The grid counts it lies between (equal when it is a grid count or the concrete cluster's own). */
  between: [number, number];
  /**
   * True: read off the envelopes between two grid counts. False: at a grid count, or the concrete
   * cluster's own ratios (onStep).
   */
  interpolated: boolean;
  /** The interpolated reading lay more than 10% from its concrete cluster (a step in the envelope; a note says so), so the row gives the cluster's own. */
  onStep: boolean;
  /** A concrete cluster that achieves it: the fewest chips at least as fast (time), or the fastest within the power or price. */
  concrete: MatchSide;
}

/** Stable codes for what an answer should tell its reader beside the numbers. */
export type MatchNoteCode =
  | "cannot-match" // no usable count reaches the reference's time at the batch allowed
  | "batch-changed" // a printed cluster (either side, any row) runs another batch than the given
  | "target-cliff" // the crossing lies on a step of the target's envelope
  | "reference-cliff" // fewer reference chips are as fast as the reference
  | "no-price"; // equal cost needs both chips' prices

/** The cannot-match note's data.suggestion: what would let more chips work. */
export type CannotMatchSuggestion =
  | "raise-max-batch" // grow: a larger batch cap than data.maxBatch
  | "grow-batch"; // keep or round: let the batch grow

/** The library's words for each suggestion; the CLI and the page name their own controls. */
const SUGGESTION_TEXT: Record<CannotMatchSuggestion, string> = {
  "raise-max-batch": "a larger batch cap lets more chips work",
  "grow-batch": "letting the batch grow lets more chips work",
};

export interface MatchNote {
  code: MatchNoteCode;
  /** Counts (and days) the note is about: the nearby usable counts and how they compare. */
  data: Record<string, number | string | null>;
  text: string;
}

export interface MatchResult {
  ok: true;
  /** The first line a reader quotes: the ratio, the concrete cluster and the batch policy. */
  headline: string;
  /** A usable count reaches the reference's time; else the concrete cluster is the fastest found. */
  matched: boolean;
  chip: string;
  count: number;
  plan: SimulateResult["plan"];
  days: number;
  effectiveDays: number | null;
  powerMW: number;
  /** With failures, as effectiveDays (RUN_BASIS; null: never finishes). */
  energyMWh: number | null;
  costUSD: number | null;
  costBasis: SimulateResult["run"]["costBasis"];
  goodput: number;
  system: string | null;
  /** Catalog systems at that count: 8-GPU nodes for HGX, racks for NVL72 or CloudMatrix 384. */
  systems: number | null;
  /** count / referenceBest's count (the concrete clusters). */
  chipRatio: number;
  /** Global batch (sequences) of the concrete cluster. */
  globalBatch: number;
  batch: BatchUsed;
  reference: MatchSide;
  /** The fastest reference at or below its count: the reference itself unless fewer chips finish sooner. */
  referenceBest: MatchSide;
  /** Ratios read off the envelopes; null where there is none (no match, no price). */
  ratios: Record<RatioBasis, RatioReading | null>;
  /** The other chip at the reference's facility power (fastest at or below that count). */
  equalPower: MatchSide | null;
  /** The other chip for the reference's purchase price (chips x catalog price). */
  equalCapex: MatchSide | null;
  envelopes: { reference: Envelope; target: Envelope };
  /** What days, energy and cost count on every side and row: with failures (RUN_BASIS). */
  runBasis: string;
  /** What each side's power counts: one basis for every system, all-in per chip (src/catalog/power-basis.ts). */
  powerBasis: { reference: string; target: string };
  /** What backs each side's days: a side with calibrated false has no published run of its stack on its chip class. */
  calibration: { reference: Backing; target: Backing };
  notes: MatchNote[];
  warnings: Warning[];
}

/** One basis for every number match compares: the run with failures, as feasible judges it. */
export const RUN_BASIS =
  "with failures: days, energy and cost count redone work, checkpoint writes and restarts (run.effectiveDays, effectiveEnergyMWh, effectiveCostUSD)";

const MAX_CHIPS = 10_000_000;
/** Grid spacing: neighbouring counts at most ~1% apart in log(count), above the node size. */
const STEP = 1.01;
/** Default relative tolerance of the round policy. */
const ROUND_TOLERANCE = 0.05;

const wallDays = (r: SimulateResult) => r.run.effectiveDays ?? Infinity;
const n = (x: number, d = 3) => Number(x.toPrecision(d)).toLocaleString("en-US");
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const nChips = (x: number) => `${int(x)} ${Math.round(x) === 1 ? "chip" : "chips"}`;

/**
 * The critical-batch estimate when a model publishes none: the compute-optimal batch of DeepSeek
 * LLM (Bi et al. 2024, arXiv:2401.02954, Eq. 1), B_opt = 0.292 C^0.3271 tokens at compute C = 6 N D.
 */
export function criticalBatchTokens(params: number, tokens: number): number {
  return 0.292 * (6 * params * tokens) ** 0.3271;
}

/** The largest batch the grow policy allows, in sequences, and why. */
function maxBatchOf(
  policy: BatchPolicy,
  ref: Resolved,
  params: number,
): { max: number; source: MaxBatchSource } {
  const B = ref.training.globalBatch;
  if (policy.maxBatch !== undefined) return { max: Math.max(B, policy.maxBatch), source: "given" };
  // The larger of the model's published batch and the estimate, in tokens, at this sequence length.
  const published = ref.modelId ? findModel(ref.modelId)?.training : undefined;
  const seq = ref.training.seqLen;
  const pub = published?.globalBatch
    ? Math.floor((published.globalBatch * published.seqLen) / seq)
    : 0;
  const estimate = Math.floor(criticalBatchTokens(params, ref.training.tokens) / seq);
  const max = Math.max(pub, estimate);
  if (max <= B) return { max: B, source: "reference" };
  return { max, source: pub >= estimate ? "published" : "critical-batch-estimate" };
}

/**
 * Usable counts in [lo, hi] at the batches a policy allows, each with the batches to try there. The
 * grid does not depend on lo and hi (a count is kept or not on its own), so two chips' grids agree
 * where their ranges overlap; `anchors` (the reference's count) are kept wherever a plan divides them.
 */
function gridOf(
  r: Resolved,
  mode: BatchMode,
  batches: number[],
  tolerance: number,
  lo: number,
  hi: number,
  unit: number,
  anchors: number[] = [],
): Map<number, number[]> {
  const f = meshFactors(r);
  const out = new Map<number, number[]>();
  const whole = (x: number) => x < unit || x % unit === 0;
  if (mode === "round") {
    // Every whole-node count on a fine geometric grid from 1, at the nearest batch some plan there divides.
    const wanted = new Set(anchors.filter((a) => a >= lo && a <= hi));
    for (let x = 1; x <= hi; x = Math.max(x + 1, Math.ceil(x * STEP)))
      if (x >= lo) wanted.add(x < unit ? x : Math.round(x / unit) * unit);
    for (const c of [...wanted].sort((a, b) => a - b)) {
      const b = nearestBatch(f, c, batches[0], tolerance);
      if (b !== null && c >= lo && c <= hi) out.set(c, [b]);
    }
    return out;
  }
  for (const b of batches)
    for (const tp of f.tps)
      for (const cp of f.cps)
        for (const pp of f.pps)
          for (const dp of f.dps(b)) {
            const c = tp * cp * pp * dp;
            if (c < lo || c > hi || !(whole(c) || anchors.includes(c))) continue;
            const at = out.get(c) ?? [];
            if (!at.includes(b)) at.push(b);
            out.set(c, at);
          }
  // Thin to the least count of each ~1% band of log(count) (every power of two and anchor kept):
  // the envelope needs no finer grid.
  const band = (c: number) => Math.floor(Math.log(c) / Math.log(STEP));
  const kept = new Map<number, number[]>();
  let last = -1;
  for (const c of [...out.keys()].sort((a, b) => a - b))
    if (band(c) !== last || (c & (c - 1)) === 0 || anchors.includes(c)) {
      kept.set(c, out.get(c)!);
      last = band(c);
    }
  return kept;
}

/** One chip's envelope over a grid: the best plan at each count (and each batch allowed there). */
class Scan {
  /** The best result at each usable count, and the batch it ran at. */
  readonly results = new Map<number, SimulateResult>();
  readonly batches = new Map<number, number>();
  /** The last search that failed (a spent work budget, say), to report when a needed count has none. */
  lastFailure: Failure | null = null;
  constructor(
    private readonly planner: Planner,
    private readonly scenario: Json,
    private readonly options: SearchOptions,
  ) {}

  /** Takes a known result at a count (the reference on its own plan) instead of searching there. */
  pin(count: number, result: SimulateResult, batch: number): void {
    this.results.set(count, result);
    this.batches.set(count, batch);
  }

  run(grid: Map<number, number[]>, chip: string, system: string | null): Envelope {
    const counts: number[] = [],
      days: (number | null)[] = [],
      batch: number[] = [];
    let mwPerChip = 0;
    for (const c of [...grid.keys()].sort((a, b) => a - b)) {
      let best: SimulateResult | null = this.results.get(c) ?? null,
        bestBatch = this.batches.get(c) ?? 0;
      for (const b of best ? [] : grid.get(c)!) {
        const s = structuredClone(this.scenario);
        s.cluster = { ...(s.cluster as Json), count: c };
        s.training = { ...(s.training as Json), globalBatch: b };
        s.parallelism = "auto";
        const r = this.planner.search(s, { ...this.options, top: 1 });
        if (!r.ok) this.lastFailure = r;
        // A larger batch only when it saves more than 0.5%: the least change that does the job.
        if (r.ok && (!best || wallDays(r.best) < wallDays(best) * (1 - 0.005))) {
          best = r.best;
          bestBatch = b;
        }
      }
      if (!best) continue;
      this.results.set(c, best);
      this.batches.set(c, bestBatch);
      counts.push(c);
      days.push(best.run.effectiveDays);
      batch.push(bestBatch);
      mwPerChip = best.run.powerMW / c;
    }
    const envelope: (number | null)[] = [],
      envelopeCount: number[] = [];
    let least = Infinity,
      at = counts[0] ?? 0;
    counts.forEach((c, k) => {
      const d = days[k] ?? Infinity;
      if (d < least) {
        least = d;
        at = c;
      }
      envelope.push(Number.isFinite(least) ? least : null);
      envelopeCount.push(at);
    });
    return { chip, system, counts, days, batch, envelope, envelopeCount, mwPerChip };
  }
}

/** Log-log interpolation: x where the line through (x0, y0), (x1, y1) reaches y. */
function logX(x0: number, y0: number, x1: number, y1: number, y: number): number {
  if (y0 === y1) return x1;
  const t = Math.log(y0 / y) / Math.log(y0 / y1);
  return Math.exp(Math.log(x0) + t * Math.log(x1 / x0));
}
/** Log-log interpolation: y at x on the line through (x0, y0), (x1, y1). */
function logY(x0: number, y0: number, x1: number, y1: number, x: number): number {
  if (x0 === x1) return y0;
  const t = Math.log(x / x0) / Math.log(x1 / x0);
  return Math.exp(Math.log(y0) + t * Math.log(y1 / y0));
}

/** The count where an envelope first reaches `days`, interpolated, with its grid neighbours. */
function countAt(e: Envelope, days: number): { chips: number; between: [number, number] } | null {
  const k = e.envelope.findIndex((d) => d !== null && d <= days * (1 + 1e-12));
  if (k < 0) return null;
  if (k === 0 || e.envelope[k - 1] === null || e.envelope[k] === days)
    return { chips: e.counts[k], between: [e.counts[k], e.counts[k]] };
  const chips = logX(e.counts[k - 1], e.envelope[k - 1]!, e.counts[k], e.envelope[k]!, days);
  return { chips, between: [e.counts[k - 1], e.counts[k]] };
}

/** The envelope's days at a count, interpolated, and the index of the grid count at or below it. */
function daysAt(
  e: Envelope,
  chips: number,
): { days: number; k: number; between: [number, number] } | null {
  let k = -1;
  while (k + 1 < e.counts.length && e.counts[k + 1] <= chips) k++;
  if (k < 0 || e.envelope[k] === null) return null;
  const next = k + 1 < e.counts.length ? k + 1 : k;
  const days =
    next === k || e.counts[k] === chips
      ? e.envelope[k]!
      : logY(e.counts[k], e.envelope[k]!, e.counts[next], e.envelope[next]!, chips);
  return { days, k, between: [e.counts[k], e.counts[next]] };
}

function side(r: SimulateResult, chipsPerSystem: number | null, globalBatch: number): MatchSide {
  return {
    chip: r.scenario.chip,
    count: r.scenario.count,
    plan: r.plan,
    days: r.run.days,
    effectiveDays: r.run.effectiveDays,
    powerMW: r.run.powerMW,
    energyMWh: r.run.effectiveEnergyMWh,
    costUSD: r.run.effectiveCostUSD,
    costBasis: r.run.costBasis,
    goodput: r.run.goodput,
    system: r.scenario.system,
    systems: chipsPerSystem ? Math.ceil(r.scenario.count / chipsPerSystem) : null,
    globalBatch,
  };
}

/** Whole-node granularity: 8-chip servers (HGX, CloudMatrix 384 nodes of 8 NPUs: chips.md Sec. 3) or two 4-GPU NVL72 trays. */
const NODE_CHIPS = 8;

export function match(
  planner: Planner,
  reference: unknown,
  target: { chip: unknown; system?: unknown },
  options: MatchOptions = {},
): MatchResult | Failure {
  const copied = copyScenario(reference);
  if (!copied.ok) return copied;
  const policyIssues = batchPolicyIssues(options.batch);
  const refRes = resolve(reference);
  if (!refRes.ok || policyIssues.length)
    return {
      ok: false,
      errors: [...(refRes.ok ? [] : refRes.errors), ...policyIssues],
      warnings: refRes.ok ? [] : refRes.warnings,
    };
  const ref = refRes.value;
  const { batch: policy = {}, ...searchOptions } = options;
  const refRun =
    ref.plan === "auto" ? planner.search(reference, { ...searchOptions, top: 1 }) : null;
  const refResult = refRun
    ? refRun.ok
      ? refRun.best
      : refRun
    : planner.simulate(reference, searchOptions);
  if (!refResult.ok) return refResult as Failure;

  const other = structuredClone(copied.value as Json);
  other.cluster = {
    ...(other.cluster as Json),
    chip: target.chip,
    system: target.system,
    count: 1,
  };
  other.parallelism = "auto";
  if (target.system === undefined) delete (other.cluster as Json).system;
  const otherRes = resolve(other);
  if (!otherRes.ok)
    return {
      ok: false,
      errors: otherRes.errors.map((e): Issue => ({
        ...e,
        path: e.path.replace(/^cluster\.chip/, "chip").replace(/^cluster\.system/, "system"),
      })),
      warnings: otherRes.warnings,
    };
  const o = otherRes.value;
  const sysId =
    typeof target.system === "string" ? target.system : (defaultSystem(o.chip.id)?.id ?? null);
  const perSystem = sysId ? (findSystem(sysId)?.chips ?? null) : null;
  const refSys = ref.system.id ? (findSystem(ref.system.id)?.chips ?? null) : null;

  // The batches the policy allows.
  const mode: BatchMode = policy.mode ?? "grow";
  const B = ref.training.globalBatch;
  const { max, source } =
    mode === "grow"
      ? maxBatchOf(policy, ref, refResult.model.activeParams)
      : { max: B, source: null };
  const tolerance = mode === "round" ? (policy.tolerance ?? ROUND_TOLERANCE) : 0;
  const batches = mode === "grow" ? growBatches(B, max) : [B];

  // The target's grid spans every count any of the three readings can need, four times over.
  const refPower = refResult.run.powerMW;
  const probe = planner.search(
    { ...other, cluster: { ...(other.cluster as Json), count: NODE_CHIPS } },
    { ...searchOptions, top: 1 },
  );
  const mwPerChip = probe.ok ? probe.best.run.powerMW / NODE_CHIPS : null;
  const byFlops = (ref.count * (ref.chip.bf16Tflops ?? 1)) / (o.chip.bf16Tflops ?? 1);
  const refPrice = ref.chip.priceUSD,
    otherPrice = o.chip.priceUSD;
  const byPrice = refPrice && otherPrice ? (ref.count * refPrice) / otherPrice : null;
  const byPower = mwPerChip ? refPower / mwPerChip : null;
  const wanted = [byFlops, byPower, byPrice].filter((x): x is number => x !== null);
  const lo = Math.max(1, Math.floor(Math.min(...wanted) / 4)),
    hi = Math.min(MAX_CHIPS, Math.ceil(Math.max(...wanted) * 4));
  const targetScan = new Scan(planner, other, searchOptions);
  const te = targetScan.run(
    gridOf(o, mode, batches, tolerance, lo, hi, NODE_CHIPS, [ref.count]),
    o.chip.id,
    sysId,
  );
  // The reference's envelope under the same batch policy and cap as the target's (a self-match is 1
  // under every policy), from the target's lowest count or a quarter of its own up to four times it.
  const refScenario = { ...(copied.value as Json), parallelism: "auto" };
  const refScan = new Scan(planner, refScenario, searchOptions);
  const refGrid = gridOf(
    ref,
    mode,
    batches,
    tolerance,
    Math.max(1, Math.min(lo, Math.floor(ref.count / 4))),
    ref.count * 4,
    NODE_CHIPS,
    [ref.count],
  );
  // A given plan runs as given, at the given batch.
  if (ref.plan !== "auto" || !refGrid.has(ref.count)) {
    refGrid.set(ref.count, [B]);
    refScan.pin(ref.count, refResult, B);
  }
  const re = refScan.run(refGrid, ref.chip.id, ref.system.id);
  // No result at the reference's own count (its searches failed, e.g. the work budget ran out).
  if (!refScan.results.has(ref.count))
    return (
      refScan.lastFailure ?? {
        ok: false,
        errors: [
          issue(
            "cluster.count",
            "no-plan",
            { count: ref.count, mostUsable: null, below: null, above: null },
            "no plan at the reference's count under the batch policy",
          ),
        ],
        warnings: [],
      }
    );
  // Equal time is the reference's envelope at its count: a smaller count may finish sooner.
  const refBest = re.envelopeCount[re.counts.indexOf(ref.count)];
  const bestRef = refScan.results.get(refBest)!;
  const refUsed = refScan.batches.get(refBest)!;
  const T = wallDays(bestRef);
  // Every row reads against the reference the headline counts: its count, power, price and batch.
  const bestPower = bestRef.run.powerMW;
  // The reference at its own count under the policy (its batch may have grown as the target's may).
  const refAt = refScan.results.get(ref.count)!;

  const notes: MatchNote[] = [];
  const warnings: Warning[] = [];
  const refChips = refBest;
  if (refBest < ref.count)
    notes.push({
      code: "reference-cliff",
      data: { count: ref.count, days: wallDays(refAt), fewer: refBest, fewerDays: T },
      text: `${int(refBest)} ${ref.chip.id} finish sooner than the ${int(ref.count)} given (${n(T)} vs ${n(wallDays(refAt))} days at batch ${int(refUsed)} and ${int(refScan.batches.get(ref.count)!)}): equal time is ${n(T)} days and the ratio counts ${int(refBest)} reference chips`,
    });

  // A reading more than 10% from its concrete cluster (in chips, days or power) is a reading of a
  // step in the envelope, not of a cluster: the row then gives the cluster's own ratios, and says so.
  const settle = (x: RatioReading): RatioReading => {
    const c = x.concrete;
    const days = c.effectiveDays ?? Infinity;
    const own = {
      chipRatio: c.count / refBest,
      timeRatio: days / T,
      powerRatio: c.powerMW / bestPower,
    };
    const near = (a: number, b: number) => Math.abs(a / b - 1) <= 0.1;
    if (
      near(x.chipRatio, own.chipRatio) &&
      near(x.timeRatio, own.timeRatio) &&
      near(x.powerRatio, own.powerRatio)
    )
      return x;
    const next =
      x.basis === "time"
        ? null
        : (te.counts.find((y, k) => y > x.targetChips && (te.days[k] ?? Infinity) < days) ?? null);
    const what = { time: "equal time", power: "equal power", cost: "equal cost" }[x.basis];
    notes.push({
      code: "target-cliff",
      data: {
        basis: x.basis,
        readChips: x.targetChips,
        readDays: x.days,
        at: c.count,
        atDays: days,
        sooner: next,
      },
      text: `${what}: the envelope steps between ${int(x.between[0])} and ${int(x.between[1])} ${o.chip.id}, so the row gives its cluster's own ratios (${nChips(c.count)}, ${n(days)} days) instead of the interpolated ${n(x.chipRatio)} chips per reference chip and ${n(x.days)} days${next ? `; ${int(next)} chips finish sooner (${n(wallDays(targetScan.results.get(next)!))} days) at more ${x.basis === "power" ? "power" : "cost"}` : ""}`,
    });
    return {
      ...x,
      ...own,
      targetChips: c.count,
      days,
      between: [c.count, c.count],
      interpolated: false,
      onStep: true,
    };
  };
  const targetSide = (c: number) =>
    side(targetScan.results.get(c)!, perSystem, targetScan.batches.get(c)!);
  // Equal time: the fewest target chips at least as fast as the reference.
  const crossing = countAt(te, T);
  let concrete: SimulateResult | null = null;
  let time: RatioReading | null = null;
  if (crossing) {
    const c = crossing.between[1];
    concrete = targetScan.results.get(c)!;
    time = settle({
      basis: "time",
      chipRatio: crossing.chips / refChips,
      targetChips: crossing.chips,
      referenceChips: refChips,
      days: T,
      timeRatio: 1,
      powerRatio: (crossing.chips * te.mwPerChip) / bestPower,
      between: crossing.between,
      interpolated: crossing.between[0] !== crossing.between[1],
      onStep: false,
      concrete: targetSide(c),
    });
    const k = te.counts.indexOf(c);
    const before = k > 0 ? te.envelope[k - 1] : null;
    // A step: the count just below is much slower than the crossing (no usable count between).
    if (time.interpolated && before !== null && before > 1.1 * wallDays(concrete))
      notes.push({
        code: "target-cliff",
        data: {
          basis: "time",
          below: te.envelopeCount[k - 1],
          belowDays: before,
          at: c,
          atDays: wallDays(concrete),
        },
        text: `a step at ${int(c)} ${o.chip.id}: no usable count from ${int(te.envelopeCount[k - 1])} (${n(before)} days) up to ${int(c)} (${n(wallDays(concrete))} days) is faster, so the interpolated ratio between them is a reading of the step, not a cluster`,
      });
  } else {
    // Nothing matches: the concrete cluster is the fastest found.
    let best = -1;
    te.days.forEach((d, k) => {
      if (d !== null && (best < 0 || d < te.days[best]!)) best = k;
    });
    if (best >= 0) concrete = targetScan.results.get(te.counts[best])!;
  }
  if (!concrete)
    return {
      ok: false,
      errors: [
        issue(
          "chip",
          "no-plan-in-range",
          { chip: o.chip.id, from: lo, to: hi },
          `${o.chip.id} admits no plan for this model between ${int(lo)} and ${int(hi)} chips`,
        ),
      ],
      warnings: [],
    };
  const matched = crossing !== null;
  const used = targetScan.batches.get(concrete.scenario.count)!;
  if (!matched) {
    // What to change: a larger cap (grow), else letting the batch grow; each front end words it.
    const suggestion: CannotMatchSuggestion = mode === "grow" ? "raise-max-batch" : "grow-batch";
    notes.push({
      code: "cannot-match",
      data: {
        bestCount: concrete.scenario.count,
        bestDays: wallDays(concrete),
        referenceDays: T,
        batch: used,
        maxBatch: mode === "grow" ? max : null,
        suggestion,
      },
      text: `cannot match ${n(T)} days: the best is ${n(wallDays(concrete))} days at ${int(concrete.scenario.count)} ${o.chip.id} (batch ${int(used)}${mode === "grow" && max > B ? ` of at most ${int(max)}` : ""}); ${SUGGESTION_TEXT[suggestion]}`,
    });
  }
  // Equal power and equal purchase price: the count is fixed by the reference; read the days there.
  const reading = (basis: RatioBasis, chips: number | null): RatioReading | null => {
    if (chips === null) return null;
    const at = daysAt(te, chips);
    if (!at) return null;
    const c = te.envelopeCount[at.k];
    return settle({
      basis,
      chipRatio: chips / refBest,
      targetChips: chips,
      referenceChips: refBest,
      days: at.days,
      timeRatio: at.days / T,
      powerRatio: (chips * te.mwPerChip) / bestPower,
      between: at.between,
      interpolated: at.between[0] !== at.between[1],
      onStep: false,
      concrete: targetSide(c),
    });
  };
  const power = reading("power", te.mwPerChip > 0 ? bestPower / te.mwPerChip : null);
  const cost = reading("cost", refPrice && otherPrice ? (refBest * refPrice) / otherPrice : null);
  const rows = {
    power: power ? power.concrete.globalBatch : null,
    cost: cost ? cost.concrete.globalBatch : null,
  };
  const changed = [used, refUsed, rows.power, rows.cost].some((b) => b !== null && b !== B);
  if (changed)
    notes.push({
      code: "batch-changed",
      data: {
        reference: B,
        used,
        referenceUsed: refUsed,
        power: rows.power,
        cost: rows.cost,
        max: mode === "grow" ? max : null,
      },
      text: `the batch changed from ${int(B)} sequences: ${int(used)} for ${o.chip.id} ${matched ? "at equal time" : "at its fastest"}, ${int(refUsed)} for the reference ${ref.chip.id}${rows.power === null ? "" : `, ${int(rows.power)} at equal power`}${rows.cost === null ? "" : `, ${int(rows.cost)} at equal cost`} (${mode}, the same policy for every row${mode === "grow" ? `, at most ${int(max)}: ${maxSourceText(source!)}` : `, within ${n(100 * tolerance)}%`}): the same tokens in fewer, larger steps`,
    });
  if (!refPrice || !otherPrice)
    notes.push({
      code: "no-price",
      data: { reference: refPrice ?? null, target: otherPrice ?? null },
      text: `equal cost: a catalog price is unknown for ${[!refPrice ? ref.chip.id : "", !otherPrice ? o.chip.id : ""].filter(Boolean).join(" and ")}`,
    });
  if (ref.plan !== "auto")
    warnings.push(
      warning(
        "parallelism",
        "reference-plan-fixed",
        { plan: meshText(refResult.plan) },
        `the reference runs its given plan (${meshText(refResult.plan)}) while ${o.chip.id} runs its best; set the reference's parallelism to "auto" to compare best with best`,
      ),
    );
  for (const w of [...refResult.warnings, ...concrete.warnings])
    if (w.code === "cost-electricity-only" && !warnings.some((x) => x.message === w.message))
      warnings.push(w);

  const batch: BatchUsed = {
    mode,
    reference: B,
    used,
    referenceUsed: refUsed,
    max: mode === "grow" ? max : null,
    maxSource: mode === "grow" ? source : null,
    tolerance: mode === "round" ? tolerance : null,
    rows,
    changed,
  };
  const r = concrete;
  const result: MatchResult = {
    ok: true,
    headline: "",
    matched,
    chip: o.chip.id,
    count: r.scenario.count,
    plan: r.plan,
    days: r.run.days,
    effectiveDays: r.run.effectiveDays,
    powerMW: r.run.powerMW,
    energyMWh: r.run.effectiveEnergyMWh,
    costUSD: r.run.effectiveCostUSD,
    costBasis: r.run.costBasis,
    goodput: r.run.goodput,
    system: sysId,
    systems: perSystem ? Math.ceil(r.scenario.count / perSystem) : null,
    chipRatio: r.scenario.count / refBest,
    globalBatch: used,
    batch,
    reference: side(refResult, refSys, B),
    referenceBest: side(bestRef, refSys, refUsed),
    ratios: { time, power, cost },
    equalPower: power?.concrete ?? null,
    equalCapex: cost?.concrete ?? null,
    envelopes: { reference: re, target: te },
    runBasis: RUN_BASIS,
    powerBasis: { reference: refResult.run.powerBasis, target: r.run.powerBasis },
    calibration: { reference: backingOf(refResult), target: backingOf(r) },
    notes,
    warnings,
  };
  result.headline = headline(result);
  return result;
}

/** B, 2B, 4B, ... up to max. */
function growBatches(B: number, max: number): number[] {
  const out: number[] = [];
  for (let b = B; b <= max; b *= 2) out.push(b);
  return out;
}

function maxSourceText(s: MaxBatchSource): string {
  return {
    given: "as given",
    published: "the model's published batch",
    "critical-batch-estimate": "the DeepSeek LLM compute-optimal batch, arXiv:2401.02954 Eq. 1",
    reference: "the reference's",
  }[s];
}

/** The batch policy in words, as the headline ends. */
export function batchText(b: BatchUsed, first = "at equal time"): string {
  if (!b.changed)
    return `batch ${int(b.reference)} kept${b.mode === "grow" && b.max! > b.reference ? ` (could grow to ${int(b.max!)})` : b.mode === "keep" ? " (policy: keep)" : ""}`;
  const how =
    b.mode === "grow"
      ? `grown, at most ${int(b.max!)}`
      : `rounded, within ${n(100 * b.tolerance!)}%`;
  const rows: [string, number | null][] = [
    ["reference", b.referenceUsed],
    ["equal power", b.rows.power],
    ["equal cost", b.rows.cost],
  ];
  const differ = rows.filter(([, x]) => x !== null && x !== b.used);
  const words = differ.length
    ? `${int(b.used)} ${first}, ${differ.map(([w, x]) => `${int(x!)} ${w}`).join(", ")}`
    : `${int(b.used)} on every row`;
  return `BATCH CHANGED from ${int(b.reference)} sequences: ${words} (the same policy for every row and both sides: ${how})`;
}

function headline(m: MatchResult): string {
  const t = m.ratios.time;
  const ref = m.reference;
  if (!m.matched || !t)
    return `cannot match ${int(m.referenceBest.count)} ${ref.chip} (${n(m.referenceBest.effectiveDays ?? Infinity)} days): the best is ${n(m.effectiveDays ?? Infinity)} days at ${int(m.count)} ${m.chip}; ${batchText(m.batch, "for the fastest")}`;
  const interp = t.interpolated
    ? `interpolated between ${int(t.between[0])} and ${nChips(t.between[1])}`
    : t.onStep
      ? "the concrete cluster's own: the envelope steps there"
      : "a grid count";
  const best = m.referenceBest;
  const given = `${int(ref.count)} given at batch ${int(ref.globalBatch)} take ${n(ref.effectiveDays ?? Infinity)}`;
  const refText =
    best.count === ref.count
      ? `${int(ref.count)} in ${n(best.effectiveDays ?? Infinity)}${best.globalBatch === ref.globalBatch ? "" : ` (the ${given})`}`
      : `${int(best.count)} in ${n(best.effectiveDays ?? Infinity)} (fewer than the ${given})`;
  return `${n(t.chipRatio)} ${m.chip} per ${ref.chip} at equal time (${interp}); concrete: ${nChips(m.count)} in ${n(m.effectiveDays ?? Infinity)} days vs ${refText} (${n(m.chipRatio)}x); ${batchText(m.batch)}`;
}

function batchPolicyIssues(p: unknown): Issue[] {
  if (p === undefined) return [];
  if (typeof p !== "object" || p === null)
    return [
      wrongType("batch", "an object", p, "must be an object { mode, maxBatch?, tolerance? }"),
    ];
  const b = p as Json;
  const out: Issue[] = [];
  if (b.mode !== undefined && !["keep", "grow", "round"].includes(b.mode as string))
    out.push(
      issue(
        "batch.mode",
        "not-one-of",
        { options: ["keep", "grow", "round"], got: JSON.stringify(b.mode) },
        `must be "keep", "grow" or "round", got ${JSON.stringify(b.mode)}`,
      ),
    );
  if (
    b.maxBatch !== undefined &&
    !(Number.isInteger(b.maxBatch) && (b.maxBatch as number) >= 1 && (b.maxBatch as number) <= 1e8)
  )
    out.push(
      outOfRange(
        "batch.maxBatch",
        b.maxBatch,
        { min: 1, max: 1e8 },
        `must be a whole number of sequences from 1 to 100,000,000, got ${JSON.stringify(b.maxBatch)}`,
      ),
    );
  if (
    b.tolerance !== undefined &&
    !(typeof b.tolerance === "number" && b.tolerance >= 0 && b.tolerance <= 0.5)
  )
    out.push(
      outOfRange(
        "batch.tolerance",
        b.tolerance,
        { min: 0, max: 0.5 },
        `must be a fraction from 0 to 0.5, got ${JSON.stringify(b.tolerance)}`,
      ),
    );
  return out;
}
