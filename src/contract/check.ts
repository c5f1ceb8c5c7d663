// A collector of field-named input problems: every bad field is reported, none stops the rest.
import { closest, didYouMean } from "./suggest.js";
import {
  describeValue,
  issue,
  warning,
  type Issue,
  type IssueCode,
  type IssueData,
  type Warning,
} from "./facts.js";

export type { Issue, Warning };

export interface NumberRule {
  min?: number; // inclusive
  gt?: number; // exclusive lower bound
  max?: number;
  integer?: boolean;
}

export const describe = describeValue;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Checker {
  readonly errors: Issue[] = [];
  readonly warnings: Warning[] = [];

  fail<C extends IssueCode>(path: string, code: C, data: IssueData[C], message: string): void {
    this.errors.push(issue(path, code, data, message));
  }

  /** An id that is not one of `known`: named, with the closest known ones. */
  unknownId(path: string, id: string, known: readonly string[], message: string): void {
    this.fail(
      path,
      "unknown-id",
      { id, suggestions: closest(id, known), known: [...known] },
      message,
    );
  }

  /** A finite number obeying `rule`, or `fallback` when absent; NaN marks a reported failure. */
  number(path: string, v: unknown, rule: NumberRule, fallback?: number): number {
    if (v === undefined && fallback !== undefined) return fallback;
    if (v === undefined || v === null) {
      this.fail(path, "required", { expected: "a number" }, "is required (a number)");
      return NaN;
    }
    if (typeof v !== "number" || !Number.isFinite(v)) {
      const got = describe(v);
      this.fail(
        path,
        "wrong-type",
        { expected: "a finite number", got },
        `must be a finite number, got ${got}`,
      );
      return NaN;
    }
    const what = rule.integer ? "an integer" : "a number";
    const range = { got: v, ...rule };
    delete (range as { integer?: boolean }).integer;
    if (rule.integer && !Number.isInteger(v))
      this.fail(path, "not-integer", { got: v }, `must be an integer, got ${v}`);
    else if (rule.gt !== undefined && !(v > rule.gt))
      this.fail(path, "out-of-range", range, `must be ${what} > ${rule.gt}, got ${v}`);
    else if (rule.min !== undefined && v < rule.min)
      this.fail(path, "out-of-range", range, `must be ${what} >= ${rule.min}, got ${v}`);
    else if (rule.max !== undefined && v > rule.max)
      this.fail(path, "out-of-range", range, `must be ${what} <= ${rule.max}, got ${v}`);
    else return v;
    return NaN;
  }

  boolean(path: string, v: unknown, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") {
      const got = describe(v);
      this.fail(
        path,
        "wrong-type",
        { expected: "true or false", got },
        `must be true or false, got ${got}`,
      );
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
      const got = describe(v);
      this.fail(
        path,
        "not-one-of",
        { options: [...options], got },
        `must be one of ${options.map((o) => JSON.stringify(o)).join(", ")}, got ${got}`,
      );
      return fallback ?? options[0];
    }
    return v as T;
  }

  record(path: string, v: unknown, required: boolean): Record<string, unknown> | undefined {
    if (v === undefined && !required) return undefined;
    if (!isRecord(v)) {
      if (v === undefined)
        this.fail(path, "required", { expected: "an object" }, "is required (an object)");
      else {
        const got = describe(v);
        this.fail(
          path,
          "wrong-type",
          { expected: "an object", got },
          `must be an object, got ${got}`,
        );
      }
      return undefined;
    }
    return v;
  }

  /** Warn (not fail) on keys the schema does not know: a typo should not pass silently. */
  known(path: string, obj: Record<string, unknown>, keys: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!keys.includes(k))
        this.warnings.push(
          warning(
            path ? `${path}.${k}` : k,
            "unknown-field",
            { field: k, suggestions: closest(k, keys) },
            `unknown field, ignored${didYouMean(k, keys)}`,
          ),
        );
    }
  }
}
