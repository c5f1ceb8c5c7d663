// A bound on the work of one call: plans scored by the core and wall time. A search that reaches
// it stops and says so (best so far, or a named error when it found nothing); the answers that
// run many searches (feasible, match, limits, sweep) share one budget across all of them.
import type { Issue } from "./check.js";
import { describe, isRecord } from "./check.js";
import { issue, outOfRange } from "./facts.js";

export interface BudgetOptions {
  /** Plans the core may score in this call (default 2,000,000 for a search, 20,000,000 for the answers that run many). */
  plans?: number;
  /** Milliseconds this call may take (default: no time limit; the plan count bounds it). */
  ms?: number;
}

/** Why a search stopped before scoring every plan; `code` is stable, the rest is for people. */
export interface StoppedEarly {
  code: "budget";
  /** Plans scored when it stopped. */
  evaluated: number;
  /** The limit that was reached: "plans" (the count) or "ms" (the time). */
  limit: "plans" | "ms";
  /** Mesh shapes (tp, cp, pp) searched of those the search would have tried. */
  meshesDone: number;
  meshesTotal: number;
}

/** One search's default: about 1-4 s on one busy core; DeepSeek-V3 on 2,048 H800 scores 630k plans. */
export const DEFAULT_PLAN_BUDGET = 2_000_000;
/**
 * The default of the answers that run many searches (feasible, match, limits, sweep): matching
 * DeepSeek-V3 on 2,048 H800 with H20 scores 16.6 million plans (bench/budget.mjs prints these).
 */
export const DEFAULT_ANSWER_BUDGET = 20_000_000;
const MAX_PLAN_BUDGET = 1e9;

/** One call's budget; passed down (by reference) to every search the call runs. */
export class WorkBudget {
  spent = 0;
  private readonly deadline: number;
  /** Which limit was reached, once one was. */
  reached: "plans" | "ms" | null = null;

  constructor(
    readonly plans = DEFAULT_PLAN_BUDGET,
    readonly ms = Infinity,
  ) {
    this.deadline = performance.now() + ms;
  }

  /** Takes one plan; false once the budget is spent (the time is looked at every 4,096 plans). */
  take(): boolean {
    if (this.reached) return false;
    this.spent++;
    if (this.spent > this.plans) this.reached = "plans";
    else if ((this.spent & 4095) === 0 && performance.now() > this.deadline) this.reached = "ms";
    return this.reached === null;
  }

  /** The named error of a call that ran out before it had an answer. */
  issue(what = "the plan search"): Issue {
    return {
      path: "parallelism",
      code: "budget",
      data: {
        limit: this.reached ?? "plans",
        plans: this.plans,
        ms: this.ms,
        evaluated: this.spent,
      },
      message:
        this.reached === "ms"
          ? `${what} stopped at its time budget (${this.ms} ms) after ${this.spent.toLocaleString("en-US")} plans; give a fixed parallelism, fewer chips or a smaller batch, or raise budget.ms`
          : `${what} stopped at its budget of ${this.plans.toLocaleString("en-US")} plans before finding one that fits; give a fixed parallelism, fewer chips or a smaller batch, or raise budget.plans`,
    };
  }
}

/** The caller's budget checked: `budget` may be absent, an object of limits, or one passed down. */
export function readBudget(
  v: unknown,
  errors: Issue[],
  defaultPlans = DEFAULT_PLAN_BUDGET,
): WorkBudget {
  if (v instanceof WorkBudget) return v;
  if (v === undefined) return new WorkBudget(defaultPlans);
  if (!isRecord(v)) {
    errors.push(
      issue(
        "budget",
        "wrong-type",
        { expected: "an object", got: describe(v) },
        `must be an object {plans?, ms?}, got ${describe(v)}`,
      ),
    );
    return new WorkBudget(defaultPlans);
  }
  const plans = v.plans,
    ms = v.ms;
  let okPlans = defaultPlans,
    okMs = Infinity;
  if (plans !== undefined) {
    if (
      typeof plans === "number" &&
      Number.isInteger(plans) &&
      plans >= 1 &&
      plans <= MAX_PLAN_BUDGET
    )
      okPlans = plans;
    else
      errors.push(
        outOfRange(
          "budget.plans",
          plans,
          { min: 1, max: MAX_PLAN_BUDGET },
          `must be an integer from 1 to ${MAX_PLAN_BUDGET.toExponential()}, got ${describe(plans)}`,
        ),
      );
  }
  if (ms !== undefined) {
    if (typeof ms === "number" && ms > 0 && ms <= 86_400_000) okMs = ms;
    else
      errors.push(
        outOfRange(
          "budget.ms",
          ms,
          { gt: 0, max: 86_400_000 },
          `must be a number of milliseconds in (0, 86,400,000], got ${describe(ms)}`,
        ),
      );
  }
  return new WorkBudget(okPlans, okMs);
}
