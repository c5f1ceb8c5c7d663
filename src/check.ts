// A collector of field-named input problems: every bad field is reported, none stops the rest.
import { didYouMean } from "./suggest.js";

export interface Issue {
  path: string;
  message: string;
  /** A stable code where a program needs to tell this problem apart (e.g. "budget"). */
  code?: string;
}

export interface NumberRule {
  min?: number; // inclusive
  gt?: number; // exclusive lower bound
  max?: number;
  integer?: boolean;
}

export function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string")
    return v.length > 40 ? `a string "${v.slice(0, 40)}..."` : `the string "${v}"`;
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Checker {
  readonly errors: Issue[] = [];
  readonly warnings: string[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** A finite number obeying `rule`, or `fallback` when absent; NaN marks a reported failure. */
  number(path: string, v: unknown, rule: NumberRule, fallback?: number): number {
    if (v === undefined && fallback !== undefined) return fallback;
    if (v === undefined || v === null) {
      this.fail(path, "is required (a number)");
      return NaN;
    }
    if (typeof v !== "number" || !Number.isFinite(v)) {
      this.fail(path, `must be a finite number, got ${describe(v)}`);
      return NaN;
    }
    const what = rule.integer ? "an integer" : "a number";
    if (rule.integer && !Number.isInteger(v)) this.fail(path, `must be an integer, got ${v}`);
    else if (rule.gt !== undefined && !(v > rule.gt))
      this.fail(path, `must be ${what} > ${rule.gt}, got ${v}`);
    else if (rule.min !== undefined && v < rule.min)
      this.fail(path, `must be ${what} >= ${rule.min}, got ${v}`);
    else if (rule.max !== undefined && v > rule.max)
      this.fail(path, `must be ${what} <= ${rule.max}, got ${v}`);
    else return v;
    return NaN;
  }

  boolean(path: string, v: unknown, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") {
      this.fail(path, `must be true or false, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  choice<T extends string | number>(
    path: string,
    v: unknown,
    options: readonly T[],
    fallback?: T,
  ): T {
    if (v === undefined && fallback !== undefined) return fallback;
    if (!options.includes(v as T)) {
      this.fail(
        path,
        `must be one of ${options.map((o) => JSON.stringify(o)).join(", ")}, got ${describe(v)}`,
      );
      return fallback ?? options[0];
    }
    return v as T;
  }

  record(path: string, v: unknown, required: boolean): Record<string, unknown> | undefined {
    if (v === undefined && !required) return undefined;
    if (!isRecord(v)) {
      this.fail(
        path,
        v === undefined ? "is required (an object)" : `must be an object, got ${describe(v)}`,
      );
      return undefined;
    }
    return v;
  }

  /** Warn (not fail) on keys the schema does not know: a typo should not pass silently. */
  known(path: string, obj: Record<string, unknown>, keys: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!keys.includes(k))
        this.warnings.push(
          `${path ? path + "." : ""}${k}: unknown field, ignored${didYouMean(k, keys)}`,
        );
    }
  }
}
