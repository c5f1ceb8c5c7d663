// What a search engine offers the analyses above it: the options and results of one simulation and
// one plan search, the order plans rank in, and the Planner interface the analyses call. The
// Simulator implements it; feasible, match, nearby, sweep, limits and frontier depend on this file
// only, never on the Simulator, so dependencies point one way (simulator -> analyses -> planner).
import type { Calibration, Failure, Limiter, SimulateResult } from "../contract/result.js";
import type { FullPlan } from "../contract/scenario.js";
import type { BudgetOptions, StoppedEarly } from "../contract/budget.js";
import type { Shard } from "./search.js";

export interface SimulateOptions {
  /** Replace calibration constants (fitting, sensitivity, uncertainty bands). */
  calibration?: Partial<Calibration>;
  /**
   * The most work this call may do (plans scored, milliseconds); a search that reaches it stops
   * and says so (`stoppedEarly`), or fails with code "budget" when it found no plan yet. Calls that
   * run many searches (feasible, match, limits, sweep) share one budget across them.
   */
  budget?: BudgetOptions;
}

export interface SearchOptions extends SimulateOptions {
  /** How many of the best plans to return: an integer from 1 to 1000 (default 5). */
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
  /** Null when every plan was scored; else why the search stopped (its best so far is above). */
  stoppedEarly: StoppedEarly | null;
  elapsedMs: number;
}

/** What the analyses need from the simulator: one answer, and one plan search. */
export interface Planner {
  simulate(scenario: unknown, options?: SimulateOptions): SimulateResult | Failure;
  search(scenario: unknown, options?: SearchOptions): SearchResult | Failure;
}
