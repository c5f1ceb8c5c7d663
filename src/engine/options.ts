// Options of the public calls, read once and checked: null or absent means none; a getter or
// Proxy that throws, a wrong type or a value out of range is a named error, never a throw.
import { describe, isRecord, type Issue, type Warning } from "../contract/check.js";
import { issue, outOfRange, wrongType } from "../contract/facts.js";
import { copyScenario, errorText } from "../contract/clone.js";
import { calibrationIssues } from "./wire.js";
import type { Calibration } from "../contract/result.js";
import { readBudget, WorkBudget, DEFAULT_PLAN_BUDGET } from "../contract/budget.js";
import type { Shard } from "./search.js";

export const MAX_TOP = 1000;
const MAX_SHARDS = 1024;

/** What every call's options hold once read. */
export interface ReadOptions {
  calibration?: Partial<Calibration>;
  budget: WorkBudget;
  top: number;
  exhaustive: boolean;
  shard?: Shard;
  onProgress?: (done: number, total: number) => void;
  replan?: boolean;
  /** match's batch policy, copied as given; match checks it. */
  batch?: unknown;
}

/**
 * Reads `options` (absent or null: none). Only the keys a call knows are read, each once; others
 * are left alone, as callers pass one options object to several calls.
 */
export function readOptions(
  options: unknown,
  defaultPlans = DEFAULT_PLAN_BUDGET,
): { ok: true; value: ReadOptions } | { ok: false; errors: Issue[]; warnings: Warning[] } {
  const errors: Issue[] = [];
  const get = (key: string): unknown => {
    try {
      return (options as Record<string, unknown>)[key];
    } catch (e) {
      errors.push(
        issue(key, "unreadable-input", { reason: "threw" }, `could not be read: ${errorText(e)}`),
      );
      return undefined;
    }
  };
  if (options === undefined || options === null)
    return {
      ok: true,
      value: { budget: readBudget(undefined, errors, defaultPlans), top: 5, exhaustive: false },
    };
  if (typeof options !== "object" || Array.isArray(options))
    return {
      ok: false,
      errors: [wrongType("options", "an object", options)],
      warnings: [],
    };

  const out: ReadOptions = {
    budget: readBudget(undefined, [], defaultPlans),
    top: 5,
    exhaustive: false,
  };
  const calibration = get("calibration");
  if (calibration !== undefined) {
    const c = copyScenario(calibration, "calibration");
    if (!c.ok) errors.push(...c.errors);
    else {
      errors.push(...calibrationIssues(c.value));
      out.calibration = c.value as Partial<Calibration>;
    }
  }
  const budget = get("budget");
  if (isShared(budget)) out.budget = budget;
  else if (budget !== undefined) {
    const b = copyScenario(budget, "budget");
    if (!b.ok) errors.push(...b.errors);
    else out.budget = readBudget(b.value, errors, defaultPlans);
  }
  const top = get("top");
  if (top !== undefined) {
    if (typeof top === "number" && Number.isInteger(top) && top >= 1 && top <= MAX_TOP)
      out.top = top;
    else
      errors.push(
        outOfRange(
          "top",
          top,
          { min: 1, max: MAX_TOP },
          `must be an integer from 1 to ${MAX_TOP}, got ${describe(top)}`,
        ),
      );
  }
  const exhaustive = get("exhaustive");
  if (exhaustive !== undefined) {
    if (typeof exhaustive === "boolean") out.exhaustive = exhaustive;
    else errors.push(wrongType("exhaustive", "true or false", exhaustive));
  }
  const batch = get("batch");
  if (batch !== undefined) {
    const b = copyScenario(batch, "batch");
    if (!b.ok) errors.push(...b.errors);
    else out.batch = b.value;
  }
  const replan = get("replan");
  if (replan !== undefined) {
    if (typeof replan === "boolean") out.replan = replan;
    else errors.push(wrongType("replan", "true or false", replan));
  }
  const onProgress = get("onProgress");
  if (onProgress !== undefined) {
    if (typeof onProgress === "function")
      out.onProgress = onProgress as (done: number, total: number) => void;
    else errors.push(wrongType("onProgress", "a function", onProgress));
  }
  const shard = get("shard");
  if (shard !== undefined) {
    const s = copyScenario(shard, "shard");
    const v = s.ok ? s.value : undefined;
    const count = isRecord(v) ? v.count : undefined,
      index = isRecord(v) ? v.index : undefined;
    if (!s.ok) errors.push(...s.errors);
    else if (
      typeof count === "number" &&
      typeof index === "number" &&
      Number.isInteger(count) &&
      Number.isInteger(index) &&
      count >= 1 &&
      count <= MAX_SHARDS &&
      index >= 0 &&
      index < count
    )
      out.shard = { index, count };
    else
      errors.push(
        wrongType(
          "shard",
          "{index, count}",
          v,
          `must be {index, count} with integers 0 <= index < count <= ${MAX_SHARDS}`,
        ),
      );
  }
  return errors.length ? { ok: false, errors, warnings: [] } : { ok: true, value: out };
}

/** A budget passed down from an outer call (shared as it is); a Proxy's prototype trap may throw. */
function isShared(v: unknown): v is WorkBudget {
  try {
    return v instanceof WorkBudget;
  } catch {
    return false;
  }
}
