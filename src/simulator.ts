// The public simulator: validate, encode, run the core, decode.
import { instantiateCore, type Core, type WasmSource } from "./engine/core.js";
import {
  resolve,
  type FullPlan,
  type MatchTarget,
  type Resolved,
  type Scenario,
} from "./contract/scenario.js";
import {
  encode,
  encodePlan,
  encodeScenario,
  decode,
  defaultCalibration,
  boundCalibration,
  statusIssue,
  allFinite,
  limitedBy,
} from "./engine/wire.js";
import type { Calibration, Failure, SimulateResult } from "./contract/result.js";
import { planGroups } from "./engine/search.js";
import { divisors } from "./engine/divisors.js";
import { tpFitsHeads } from "./contract/plan-rules.js";
import { usableNeighbours } from "./engine/counts.js";
import { feasible, type FeasibleResult } from "./analyses/answers.js";
import { match, type MatchOptions, type MatchResult } from "./analyses/match.js";
import { nearby, type NearbyResult } from "./analyses/nearby.js";
import { sweep, type SweepOptions, type SweepResult } from "./analyses/sweep.js";
import { limits, type LimitsResult, type LimitsOptions } from "./analyses/sensitivity.js";
import { copyScenario, errorText } from "./contract/clone.js";
import { readOptions, type ReadOptions } from "./engine/options.js";
import { DEFAULT_ANSWER_BUDGET, type StoppedEarly } from "./contract/budget.js";
import { isRecord, type Issue } from "./contract/check.js";
import { issue, warning, wrongType } from "./contract/facts.js";
import { frontier, type FrontierOptions, type FrontierResult } from "./analyses/frontier.js";
import * as L from "../assembly/layout.js";
import { chipClass, earnedBand, stackConstants, stackUse } from "./calibration/stacks.js";
import { serve, type ServeResult, type ServeScenario } from "./engine/serve.js";
import {
  serveCompare,
  type ServeCompareOptions,
  type ServeCompareResult,
} from "./analyses/serve-compare.js";
import { estimateWidening } from "./calibration/estimates.js";
import {
  lessEnergy,
  rankBefore,
  type RankedPlan,
  type SearchOptions,
  type SearchResult,
  type SimulateOptions,
} from "./engine/planner.js";

/** The band stretched by the chip's estimated figures (src/calibration/estimates.ts), said in its basis. */
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

/** Calls nested deeper than this (a progress callback that calls back in) are refused by name. */
const MAX_NESTING = 16;

type Outcome<T> = T | Failure;
const failure = (e: Issue): Failure => ({ ok: false, errors: [e], warnings: [] });

export class Simulator {
  constructor(private readonly core: Core) {}

  /** Calls in progress (a progress callback may call in again). */
  private depth = 0;
  /** Set when a call nested too deep: the calls around it stop as well. */
  private overflowed = false;
  /** Counts writes of a scenario into the core's input: a search re-writes its own after a callback wrote another. */
  private writes = 0;

  /** Runs one public call: nested calls are counted and bounded; a budget spent by the call is named. */
  private guarded<T>(f: () => Outcome<T>): Outcome<T> {
    if (this.depth >= MAX_NESTING) {
      this.overflowed = true; // every call below the top fails too, instead of fanning out
      return nestingFailure();
    }
    this.depth++;
    try {
      return f();
    } finally {
      if (--this.depth === 0) this.overflowed = false;
    }
  }

  /** As guarded, for the answers that run many searches: a spent budget fails the whole answer. */
  private bounded<T>(
    options: unknown,
    f: (o: ReadOptions) => Outcome<T>,
    what: string,
  ): Outcome<T> {
    return this.guarded(() => {
      const o = readOptions(options, DEFAULT_ANSWER_BUDGET);
      if (!o.ok) return o;
      const out = f(o.value);
      const b = o.value.budget;
      return b.reached ? { ok: false, errors: [b.issue(what)], warnings: [] } : out;
    });
  }

  private writeScenario(r: Resolved, cal: Calibration): number {
    encodeScenario(r, cal, this.core.input);
    return ++this.writes;
  }

  /** Bytes of the core's linear memory; constant across calls. */
  get wasmMemoryBytes(): number {
    return this.core.memoryBytes;
  }

  simulate(scenario: Scenario, options?: SimulateOptions | null): SimulateResult | Failure {
    return this.guarded(() => {
      const r = resolveWith(scenario, options);
      if (!r.ok) return r;
      const { value, cal, options: o } = r;
      if (value.plan === "auto") {
        const s = this.searchResolved(value, cal, { ...o, top: 1 });
        if (!s.ok) return s;
        return s.stoppedEarly ? { ...s.best, stoppedEarly: s.stoppedEarly } : s.best;
      }
      return this.evaluate(value, value.plan, cal);
    });
  }

  search(scenario: Scenario, options?: SearchOptions | null): SearchResult | Failure {
    return this.guarded(() => {
      const r = resolveWith(scenario, options);
      return r.ok ? this.searchResolved(r.value, r.cal, r.options) : r;
    });
  }

  /** Verdict under `scenario.constraints`, each limit's margin, and what would make it feasible. */
  feasible(scenario: Scenario, options?: SimulateOptions | null): FeasibleResult | Failure {
    return this.bounded(
      options,
      (o) => {
        const s = copyScenario(scenario);
        return s.ok ? feasible(this, s.value, { calibration: o.calibration, budget: o.budget }) : s;
      },
      "feasible's plan searches",
    );
  }

  /**
   * How many chips of another kind train as fast as `reference` (and what the same power or the same
   * purchase price buys): both chips' envelopes over a fine grid of counts, under a batch policy.
   */
  match(
    reference: Scenario,
    target: MatchTarget,
    options?: MatchOptions | null,
  ): MatchResult | Failure {
    return this.bounded(
      options,
      (o) => {
        const s = copyScenario(reference);
        if (!s.ok) return s;
        const t = copyScenario(target);
        if (!t.ok) return t;
        if (!isRecord(t.value))
          return failure(
            wrongType(
              "chip",
              "{chip, system?}",
              t.value,
              "match needs a target {chip, system?} naming the other chip",
            ),
          );
        const { chip, system } = t.value;
        return match(
          this,
          s.value,
          { chip, ...(system === undefined ? {} : { system }) },
          { calibration: o.calibration, budget: o.budget, batch: o.batch as MatchOptions["batch"] },
        );
      },
      "match's plan searches",
    );
  }

  /**
   * What lies near a scenario: the nearest usable counts either side, a smaller count that finishes
   * sooner, a batch within 5% that finishes much sooner; each a note with a code and its numbers.
   */
  nearby(scenario: Scenario, options?: SimulateOptions | null): NearbyResult | Failure {
    return this.bounded(
      options,
      (o) => {
        const s = copyScenario(scenario);
        return s.ok ? nearby(this, s.value, { calibration: o.calibration, budget: o.budget }) : s;
      },
      "nearby's plan searches",
    );
  }

  /** What limits the run: time saved by 10% more of each hardware figure, ranked, in words. */
  limits(scenario: Scenario, options?: LimitsOptions | null): LimitsResult | Failure {
    return this.bounded(
      options,
      (o) => {
        const s = copyScenario(scenario);
        return s.ok ? limits(this, s.value, { replan: o.replan, budget: o.budget }) : s;
      },
      "limits' plan searches",
    );
  }

  /** One axis varied, the best plan at every point, columnar results. */
  sweep(
    scenario: Scenario,
    options: SweepOptions,
    onProgress?: (done: number, total: number) => void,
  ): SweepResult | Failure {
    return this.guarded(() => {
      const o = copyScenario(options);
      if (!o.ok) return o;
      const b = readOptions(
        isRecord(o.value) ? { budget: o.value.budget } : {},
        DEFAULT_ANSWER_BUDGET,
      );
      if (!b.ok) return b;
      const budget = b.value.budget;
      const s = copyScenario(scenario);
      if (!s.ok) return s;
      if (onProgress !== undefined && typeof onProgress !== "function")
        return failure(wrongType("onProgress", "a function", onProgress, "must be a function"));
      // A callback that throws (or nests too deep) stops the sweep: its error, named, is the answer.
      let threw: unknown = undefined;
      const progress = onProgress
        ? (d: number, t: number) => {
            try {
              onProgress(d, t);
            } catch (e) {
              threw = e;
            }
            if (this.overflowed) threw ??= NESTED;
            if (threw !== undefined) throw STOP;
          }
        : undefined;
      let out: SweepResult | Failure;
      try {
        out = sweep(this, s.value, o.value as SweepOptions, progress, budget);
      } catch (e) {
        if (e !== STOP) throw e;
        return callbackFailure(threw);
      }
      return budget.reached
        ? { ok: false, errors: [budget.issue("the sweep's plan searches")], warnings: [] }
        : out;
    });
  }

  /** The fastest chip an export rule still allows for this scenario, its days and match, and days against TPP. */
  frontier(
    scenario: Scenario,
    options: FrontierOptions & Pick<SimulateOptions, "calibration" | "budget">,
  ): FrontierResult | Failure {
    return this.bounded(
      options,
      (o) => {
        const s = copyScenario(scenario);
        if (!s.ok) return s;
        // Only the frontier's own keys: calibration and budget were read above.
        const f = copyScenario(
          isRecord(options)
            ? { rule: options.rule, bounds: options.bounds, chart: options.chart }
            : options,
          "options",
        );
        if (!f.ok) return f;
        const search = { calibration: o.calibration, budget: o.budget };
        return frontier(this, s.value, f.value as FrontierOptions, search);
      },
      "the frontier's plan searches",
    );
  }

  /**
   * Serving: prefill and decode throughput, latency, memory, power and cost (src/engine/serve.ts).
   * Checks `scenario` at run time too; untyped input goes through parseServeScenario first.
   */
  serve(scenario: ServeScenario, options: SimulateOptions = {}): ServeResult | Failure {
    return serve(this.core, scenario, options);
  }

  /** Training vs serving throughput per chip relative to a reference chip, with the reason for each. */
  serveCompare(options: ServeCompareOptions = {}): ServeCompareResult | Failure {
    return serveCompare(this, options);
  }

  private evaluate(r: Resolved, plan: FullPlan, cal: Calibration): SimulateResult | Failure {
    this.writes++;
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
          issue(
            "",
            "overflow",
            {},
            "the scenario overflows the model's arithmetic (a value is too large); reduce it",
          ),
        ],
        warnings: r.warnings,
      };
    return result;
  }

  private searchResolved(r: Resolved, cal: Calibration, opts: ReadOptions): SearchResult | Failure {
    const t0 = performance.now();
    const { top, budget } = opts;
    const input = this.core.input;
    let mine = this.writeScenario(r, cal);
    const ranked: RankedPlan[] = []; // the best `top`, fastest first
    let frugal: RankedPlan | undefined; // the least energy
    let candidates = 0,
      evaluated = 0,
      pruned = 0,
      oom = 0;
    let meshesDone = 0,
      meshesTotal = 0,
      threw: unknown = undefined;
    const progress = (done: number, total: number) => {
      meshesDone = done;
      meshesTotal = total;
      if (!opts.onProgress || threw !== undefined) return;
      try {
        opts.onProgress(done, total);
      } catch (e) {
        threw = e;
      }
      if (this.overflowed) threw = NESTED;
      // The callback may have run another simulation on this core: write this scenario back.
      if (this.writes !== mine) mine = this.writeScenario(r, cal);
    };
    const better = rankBefore;
    // A second pass offloads the optimizer to host memory, only when no plan fits without it and the
    // system's host figures are known: offloading costs time, so it never beats a plan that fits.
    const passes = canOffloadOptimizer(r) ? [false, true] : [false];
    search: for (const offload of passes) {
      if (offload && (ranked.length > 0 || budget.reached)) break;
      for (const group of planGroups(r, opts.shard, progress, offload)) {
        if (threw !== undefined) break;
        if (!offload) candidates += group.length; // the second pass scores the same plans, offloaded
        for (let k = 0; k < group.length; k++) {
          if (!budget.take()) break search;
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
    }
    if (threw !== undefined) return callbackFailure(threw);
    const stoppedEarly: StoppedEarly | null = budget.reached
      ? { code: "budget", evaluated, limit: budget.reached, meshesDone, meshesTotal }
      : null;
    if (ranked.length === 0 && stoppedEarly)
      return { ok: false, errors: [budget.issue()], warnings: r.warnings };
    if (ranked.length === 0) {
      return {
        ok: false,
        errors: [
          candidates === 0
            ? noPlanIssue(r)
            : issue(
                "parallelism",
                "no-plan-fits",
                { candidates, capacityGB: r.chip.hbmGB ?? 0 },
                `none of ${candidates} plans fits in ${r.chip.hbmGB} GB per chip; add chips or pick a chip with more memory`,
              ),
        ],
        warnings: r.warnings,
      };
    }
    const found = this.evaluate(r, ranked[0].plan, cal);
    if (!found.ok) return found;
    // A search that stopped early says so beside its plan, in words as well as in stoppedEarly.
    const best: SimulateResult = stoppedEarly
      ? {
          ...found,
          warnings: [
            ...found.warnings,
            warning(
              "parallelism",
              "search-stopped",
              { evaluated, meshesDone, meshesTotal },
              `the plan search stopped at its budget after ${evaluated.toLocaleString("en-US")} plans (${meshesDone} of ${meshesTotal} mesh shapes); this is the best plan of those`,
            ),
          ],
        }
      : found;
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
      stoppedEarly,
      elapsedMs: performance.now() - t0,
    };
  }
}

/** The host figures an optimizer offload needs are known (src/contract/scenario.ts offloadIssues). */
const canOffloadOptimizer = (r: Resolved): boolean =>
  r.system.hostLinkGBps !== null &&
  r.system.hostMemoryGB !== null &&
  r.system.hostMemoryGBps !== null;

/**
 * Why no plan divides the cluster: above the most chips the batch and model can use, that number;
 * else the nearest counts a plan divides, below and above (what to try instead).
 */
function noPlanIssue(r: Resolved): Issue {
  const { model: m, training: t, count } = r;
  const tp = Math.max(...divisors(m.heads, 128).filter((d) => tpFitsHeads(m, d)));
  const cp = t.seqLen >= 32768 ? Math.max(...divisors(t.seqLen, 64)) : 1;
  const most = t.globalBatch * tp * m.layers * cp;
  if (count > most)
    return issue(
      "parallelism",
      "no-plan",
      { count, mostUsable: most, below: null, above: null },
      `at global batch ${t.globalBatch} this model can use at most ${most.toLocaleString("en-US")} chips (dp <= ${t.globalBatch} sequences, tp <= ${tp}, pp <= ${m.layers} layers${cp > 1 ? `, cp <= ${cp}` : ""}); use fewer chips or a larger training.globalBatch`,
    );
  const { below, above } = usableNeighbours(r, count);
  const n = (x: number) => x.toLocaleString("en-US");
  const one = below ?? above;
  const nearest =
    below !== null && above !== null
      ? `the nearest usable counts are ${n(below)} and ${n(above)}`
      : one !== null
        ? `the nearest usable count is ${n(one)}`
        : "no nearby count is usable";
  return issue(
    "parallelism",
    "no-plan",
    { count, mostUsable: null, below, above },
    `no plan divides ${n(count)} chips for this model and batch: tp x pp x dp x cp must equal cluster.count, with dp dividing training.globalBatch (${t.globalBatch}) and tp dividing the heads (${m.heads}); ${nearest}`,
  );
}

/** Loads the wasm core (Node: from disk; browsers and bundlers: fetched next to this module). */
export async function load(options: { wasm?: WasmSource } = {}): Promise<Simulator> {
  return new Simulator(await instantiateCore(options.wasm));
}

const NESTED = Symbol("nested too deep");
const STOP = Symbol("stop the sweep");
const nestingFailure = () =>
  failure(
    issue(
      "onProgress",
      "nesting",
      { limit: MAX_NESTING },
      `calls nested more than ${MAX_NESTING} deep (a progress callback that calls the simulator, which calls it back); stop the recursion`,
    ),
  );

/** A progress callback that threw: named, never rethrown. */
function callbackFailure(e: unknown): Failure {
  if (e === NESTED) return nestingFailure();
  return failure(
    issue("onProgress", "callback", {}, `the progress callback threw: ${errorText(e)}`),
  );
}

/** The scenario (read once) resolved, the options read, and the calibration with the caller's overrides; every bad field of both reported. */
function resolveWith(
  scenario: unknown,
  options: unknown,
): { ok: true; value: Resolved; cal: Calibration; options: ReadOptions } | Failure {
  const o = readOptions(options);
  const copied = copyScenario(scenario);
  const r = copied.ok ? resolve(copied.value) : copied;
  if (!r.ok || !o.ok)
    return {
      ok: false,
      errors: [...(r.ok ? [] : r.errors), ...(o.ok ? [] : o.errors)],
      warnings: r.ok ? [] : r.warnings,
    };
  return {
    ok: true,
    value: r.value,
    // src/calibration/calibration.ts, then the stack's fitted constants, then the caller's overrides.
    cal: {
      ...defaultCalibration(),
      ...stackConstants(r.value.stack.id, chipClass(r.value.chip)),
      ...o.value.calibration,
    },
    options: o.value,
  };
}
