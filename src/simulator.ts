// The public simulator: validate, encode, run the core, decode.
import { instantiateCore, type Core, type WasmSource } from "./core.js";
import { resolve, type FullPlan, type Resolved, type Scenario } from "./scenario.js";
import {
  encode,
  encodePlan,
  encodeScenario,
  decode,
  defaultCalibration,
  boundCalibration,
  calibrationIssues,
  statusIssue,
  allFinite,
  limitedBy,
  type Calibration,
  type Failure,
  type Limiter,
  type SimulateResult,
} from "./wire.js";
import { planGroups, type Shard } from "./search.js";
import { divisors } from "./divisors.js";
import { feasible, match, type FeasibleResult, type MatchResult } from "./answers.js";
import { sweep, type SweepOptions, type SweepResult } from "./sweep.js";
import { limits, type LimitsResult, type LimitsOptions } from "./sensitivity.js";
import { frontier, type FrontierOptions, type FrontierResult } from "./frontier.js";
import * as L from "../assembly/layout.js";
import { chipClass, earnedBand, stackConstants, stackUse } from "./stacks.js";
import { serve, type ServeResult } from "./serve.js";
import {
  serveCompare,
  type ServeCompareOptions,
  type ServeCompareResult,
} from "./serve-compare.js";
import { estimateWidening } from "./estimates.js";

/** The band stretched by the chip's estimated figures (src/estimates.ts), said in its basis. */
function widenForEstimates(result: SimulateResult): SimulateResult {
  if (result.estimatedFigures.length === 0) return result;
  const w = estimateWidening(result.estimatedFigures);
  const u = result.uncertainty;
  result.uncertainty = {
    ...u, // whatever else the band carries (its records) stays
    days: [u.days[0] * w.days[0], u.days[1] * w.days[1]],
    energyMWh: [u.energyMWh[0] * w.energyMWh[0], u.energyMWh[1] * w.energyMWh[1]],
    basis: `${u.basis}; widened for the chip's estimated ${result.estimatedFigures.map((e) => e.path.replace("cluster.chip.", "")).join(", ")} (their stated ranges)`,
  };
  return result;
}

export interface SimulateOptions {
  /** Replace calibration constants (fitting, sensitivity, uncertainty bands). */
  calibration?: Partial<Calibration>;
}

export interface SearchOptions extends SimulateOptions {
  /** How many of the best plans to return. Default 5. */
  top?: number;
  /** Score every plan, without pruning (for checking that pruning never changes the answer). */
  exhaustive?: boolean;
  /** Search only this share of the mesh shapes (the worker pool splits a search this way). */
  shard?: Shard;
  /** Hears (mesh shapes done, total) as the search goes. */
  onProgress?: (done: number, total: number) => void;
}

const RECOMPUTE_RANK = { none: 0, selective: 1, full: 2 } as const;
// Modules rank between their level and the next: each adds a quarter (at most 3 of them).
const recomputeRank = (p: FullPlan) => RECOMPUTE_RANK[p.recompute] + p.recomputeModules.length / 4;
/**
 * Ranking of plans: fastest first; on equal time (a communication-bound step hides recompute) the
 * less sharded plan (lower ZeRO stage), then less recompute (the search's pruning keeps the
 * lightest level that fits), then less memory.
 */
export function rankBefore(a: RankedPlan, b: RankedPlan): boolean {
  if (Math.abs(a.stepS - b.stepS) > 1e-9 * b.stepS) return a.stepS < b.stepS;
  if (a.plan.zero !== b.plan.zero) return a.plan.zero < b.plan.zero;
  const ra = recomputeRank(a.plan),
    rb = recomputeRank(b.plan);
  return ra !== rb ? ra < rb : a.memoryGB < b.memoryGB;
}

/** Energy order: least energy first, then the time ranking. */
export function lessEnergy(a: RankedPlan, b: RankedPlan): boolean {
  return Math.abs(a.energyMWh - b.energyMWh) > 1e-9 * b.energyMWh
    ? a.energyMWh < b.energyMWh
    : rankBefore(a, b);
}

export interface RankedPlan {
  plan: FullPlan;
  stepS: number;
  memoryGB: number;
  fits: boolean;
  mfu: number;
  /** Facility energy of the whole run (failure-free) on this plan. */
  energyMWh: number;
  /** Why it is not faster: its largest overhead (bubble, a dimension's exposed communication) or compute. */
  limitedBy: Limiter;
}

export interface SearchResult {
  ok: true;
  best: SimulateResult;
  /**
   * The plan that uses the least energy. Power is TDP x a fixed load factor (chips.md Sec. 5.2),
   * so today this is the fastest plan; it is reported apart so that callers need not assume it.
   */
  byEnergy: SimulateResult;
  top: RankedPlan[];
  /** Valid plans enumerated. */
  candidates: number;
  /** Plans scored by the core. */
  evaluated: number;
  /** Plans skipped because a cheaper recompute level of the same plan already fits. */
  pruned: number;
  /** Scored plans that do not fit in memory. */
  rejectedOOM: number;
  elapsedMs: number;
}

export class Simulator {
  constructor(private readonly core: Core) {}

  /** Bytes of the core's linear memory; constant across calls. */
  get wasmMemoryBytes(): number {
    return this.core.memoryBytes;
  }

  simulate(scenario: Scenario | unknown, options: SimulateOptions = {}): SimulateResult | Failure {
    const r = resolveWith(scenario, options);
    if (!r.ok) return r;
    const { value, cal } = r;
    if (value.plan === "auto") {
      const s = this.searchResolved(value, cal, 1);
      return s.ok ? s.best : s;
    }
    return this.evaluate(value, value.plan, cal);
  }

  search(scenario: Scenario | unknown, options: SearchOptions = {}): SearchResult | Failure {
    const r = resolveWith(scenario, options);
    if (!r.ok) return r;
    const { value, cal } = r;
    const top =
      typeof options.top === "number" && Number.isFinite(options.top)
        ? Math.max(1, Math.min(1000, Math.floor(options.top)))
        : 5;
    return this.searchResolved(value, cal, top, options);
  }

  /** Verdict under `scenario.constraints`, each limit's margin, and what would make it feasible. */
  feasible(scenario: Scenario | unknown, options: SimulateOptions = {}): FeasibleResult | Failure {
    return feasible(this, scenario, options);
  }

  /** The fewest chips of another kind that train as fast as `reference`, plus equal-power and equal-capex views. */
  match(
    reference: Scenario | unknown,
    target: { chip: unknown; system?: unknown },
    options: SimulateOptions = {},
  ): MatchResult | Failure {
    return match(this, reference, target, options);
  }

  /** What limits the run: time saved by 10% more of each hardware figure, ranked, in words. */
  limits(scenario: Scenario | unknown, options: LimitsOptions = {}): LimitsResult | Failure {
    return limits(this, scenario, options);
  }

  /** One axis varied, the best plan at every point, columnar results. */
  sweep(
    scenario: Scenario | unknown,
    options: SweepOptions,
    onProgress?: (done: number, total: number) => void,
  ): SweepResult | Failure {
    return sweep(this, scenario, options, onProgress);
  }

  /** The fastest chip an export rule still allows for this scenario, its days and match, and days against TPP. */
  frontier(scenario: Scenario | unknown, options: FrontierOptions): FrontierResult | Failure {
    return frontier(this, scenario, options);
  }

  /** Serving: prefill and decode throughput, latency, memory, power and cost (src/serve.ts). */
  serve(scenario: unknown, options: SimulateOptions = {}): ServeResult | Failure {
    return serve(this.core, scenario, options);
  }

  /** Training vs serving throughput per chip relative to a reference chip, with the reason for each. */
  serveCompare(options: ServeCompareOptions = {}): ServeCompareResult | Failure {
    return serveCompare(this, options);
  }

  private evaluate(r: Resolved, plan: FullPlan, cal: Calibration): SimulateResult | Failure {
    encode(r, plan, cal, this.core.input);
    const out = this.core.run();
    const status = out[L.O_STATUS];
    if (status !== L.ERR_NONE)
      return { ok: false, errors: [statusIssue(status)], warnings: r.warnings };
    const stepS = out[L.O_STEP_S];
    // The band: the same plan with every uncertain constant at its optimistic, then pessimistic end,
    // widened to what the stack's published runs on this chip class earned: a run predicted with
    // error e took predicted / (1 + e), so the p10-p90 errors bound the true time.
    const band: [number, number] = [1, 1];
    for (const end of [1, 0] as const) {
      encode(r, plan, boundCalibration(cal, end), this.core.input);
      band[end === 1 ? 0 : 1] = this.core.run()[L.O_STEP_S] / stepS;
    }
    const cls = chipClass(r.chip);
    const earned = earnedBand(r.stack.id, cls);
    band[0] = Math.min(band[0], 1 / (1 + earned.errorRange[1]));
    band[1] = Math.max(band[1], 1 / (1 + earned.errorRange[0]));
    encode(r, plan, cal, this.core.input);
    const result = widenForEstimates(
      decode(this.core.run(), r, plan, band, stackUse(r.stack.id, r.stack.chosen, cls), earned),
    );
    if (!allFinite(result))
      return {
        ok: false,
        errors: [
          {
            path: "",
            message:
              "the scenario overflows the model's arithmetic (a value is too large); reduce it",
          },
        ],
        warnings: r.warnings,
      };
    return result;
  }

  private searchResolved(
    r: Resolved,
    cal: Calibration,
    top: number,
    opts: SearchOptions = {},
  ): SearchResult | Failure {
    const t0 = performance.now();
    const input = this.core.input;
    encodeScenario(r, cal, input);
    const ranked: RankedPlan[] = []; // the best `top`, fastest first
    let frugal: RankedPlan | undefined; // the least energy
    let candidates = 0,
      evaluated = 0,
      pruned = 0,
      oom = 0;
    const better = rankBefore;
    for (const group of planGroups(r, opts.shard, opts.onProgress)) {
      candidates += group.length;
      for (let k = 0; k < group.length; k++) {
        const plan = group[k];
        encodePlan(plan, input);
        const o = this.core.runFitting();
        evaluated++;
        if (o[L.O_STATUS] !== L.ERR_NONE) continue;
        if (o[L.O_FITS] <= 0) {
          oom++;
          continue;
        }
        const entry: RankedPlan = {
          plan,
          stepS: o[L.O_STEP_S],
          memoryGB: o[L.O_MEM_TOTAL] / 1e9,
          fits: true,
          mfu: o[L.O_MFU],
          energyMWh: o[L.O_ENERGY_J] / 3.6e9,
          limitedBy: limitedBy(o),
        };
        if (!frugal || lessEnergy(entry, frugal)) frugal = entry;
        if (ranked.length < top || better(entry, ranked[ranked.length - 1])) {
          let at = ranked.length;
          while (at > 0 && better(entry, ranked[at - 1])) at--;
          ranked.splice(at, 0, entry);
          if (ranked.length > top) ranked.pop();
        }
        // More recompute only adds time: once a level fits, the heavier ones cannot win.
        if (!opts.exhaustive) {
          pruned += group.length - 1 - k;
          break;
        }
      }
    }
    if (ranked.length === 0) {
      return {
        ok: false,
        errors: [
          {
            path: "parallelism",
            message:
              candidates === 0
                ? noPlanMessage(r)
                : `none of ${candidates} plans fits in ${r.chip.hbmGB} GB per chip; add chips or pick a chip with more memory`,
          },
        ],
        warnings: r.warnings,
      };
    }
    const best = this.evaluate(r, ranked[0].plan, cal);
    if (!best.ok) return best;
    const byEnergy =
      frugal === undefined || frugal.plan === ranked[0].plan
        ? best
        : this.evaluate(r, frugal.plan, cal);
    if (!byEnergy.ok) return byEnergy;
    return {
      ok: true,
      best,
      byEnergy,
      top: ranked,
      candidates,
      evaluated,
      pruned,
      rejectedOOM: oom,
      elapsedMs: performance.now() - t0,
    };
  }
}

/** Why no plan divides the cluster: above the most chips the batch and model can use, say so with the number. */
function noPlanMessage(r: Resolved): string {
  const { model: m, training: t, count } = r;
  const tp = Math.max(...divisors(m.heads, 128).filter((d) => m.mla || m.kvHeads % d === 0));
  const cp = t.seqLen >= 32768 ? Math.max(...divisors(t.seqLen, 64)) : 1;
  const most = t.globalBatch * tp * m.layers * cp;
  return count > most
    ? `at global batch ${t.globalBatch} this model can use at most ${most.toLocaleString("en-US")} chips (dp <= ${t.globalBatch} sequences, tp <= ${tp}, pp <= ${m.layers} layers${cp > 1 ? `, cp <= ${cp}` : ""}); use fewer chips or a larger training.globalBatch`
    : `no plan divides ${count.toLocaleString("en-US")} chips for this model and batch: tp x pp x dp x cp must equal cluster.count, with dp dividing training.globalBatch (${t.globalBatch}) and tp dividing the heads (${m.heads}); try a count like a power of two`;
}

/** Loads the wasm core (Node: from disk; browsers and bundlers: fetched next to this module). */
export async function load(options: { wasm?: WasmSource } = {}): Promise<Simulator> {
  return new Simulator(await instantiateCore(options.wasm));
}

/** The scenario resolved and the calibration with the caller's overrides, every bad field of both reported. */
function resolveWith(
  scenario: unknown,
  options: SimulateOptions,
): { ok: true; value: Resolved; cal: Calibration } | Failure {
  const r = resolve(scenario);
  const calIssues = calibrationIssues(options.calibration);
  if (!r.ok || calIssues.length)
    return {
      ok: false,
      errors: [...(r.ok ? [] : r.errors), ...calIssues],
      warnings: r.ok ? [] : r.warnings,
    };
  // src/calibration.ts, then the stack's fitted constants, then the caller's overrides.
  return {
    ok: true,
    value: r.value,
    cal: {
      ...defaultCalibration(),
      ...stackConstants(r.value.stack.id, chipClass(r.value.chip)),
      ...options.calibration,
    },
  };
}
