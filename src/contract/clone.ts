import type { Issue, Warning } from "./check.js";
import { issue } from "./facts.js";

type Copied<T> = { ok: true; value: T } | { ok: false; errors: Issue[]; warnings: Warning[] };

const MAX_DEPTH = 64;

const join = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * A snapshot of user data, read once: every own enumerable string key, each getter called once,
 * cycles kept. Whatever cannot be read (a getter or Proxy trap that throws, a function, a symbol,
 * nesting deeper than 64) is refused with its path, so nothing downstream reads live user objects
 * again (a getter could answer differently, or throw, on the second read).
 */
export function copyScenario<T>(x: T, root = ""): Copied<T> {
  const seen = new Map<object, unknown>();
  let problem: Issue | null = null;
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (problem) return undefined;
    if (typeof v === "function" || typeof v === "symbol") {
      problem = issue(
        path,
        "unreadable-input",
        { reason: "not-plain-data" },
        `must be plain data (objects, arrays, numbers, strings, booleans), got a ${typeof v}`,
      );
      return undefined;
    }
    if (typeof v !== "object" || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    if (depth > MAX_DEPTH) {
      problem = issue(
        path,
        "unreadable-input",
        { reason: "too-deep" },
        `is nested more than ${MAX_DEPTH} levels deep`,
      );
      return undefined;
    }
    try {
      if (Array.isArray(v)) {
        const out: unknown[] = [];
        seen.set(v, out);
        const n = v.length;
        if (!(n <= 1e7)) throw new Error(`has ${n} elements`);
        for (let k = 0; k < n && !problem; k++) out.push(child(v, k, path, depth));
        return out;
      }
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const key of Object.keys(v)) {
        const field = child(v, key, path, depth);
        if (problem) break;
        // defineProperty: a "__proto__" key stays a plain key instead of setting the prototype.
        Object.defineProperty(out, key, {
          value: field,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } catch (e) {
      problem ??= issue(
        path,
        "unreadable-input",
        { reason: "threw" },
        `could not be read: ${errorText(e)}`,
      );
      return undefined;
    }
  };
  // A field read on its own: a getter that throws is named by its own path.
  const child = (v: object, key: string | number, path: string, depth: number): unknown => {
    let x: unknown;
    try {
      x = (v as Record<string | number, unknown>)[key];
    } catch (e) {
      problem ??= issue(
        join(path, key),
        "unreadable-input",
        { reason: "threw" },
        `could not be read: ${errorText(e)}`,
      );
      return undefined;
    }
    return walk(x, join(path, key), depth + 1);
  };
  const value = walk(x, root, 0) as T;
  return problem ? { ok: false, errors: [problem], warnings: [] } : { ok: true, value };
}

/** A thrown value as text, without trusting it (its message could itself be a throwing getter). */
export function errorText(e: unknown): string {
  try {
    const m = e instanceof Error ? e.message : String(e);
    return m.length > 200 ? `${m.slice(0, 200)}...` : m;
  } catch {
    return "an unreadable error";
  }
}
