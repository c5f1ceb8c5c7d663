import type { Issue } from "./check.js";

/** A deep copy of user data; cycles are kept, functions and symbols are refused with a message. */
export function copyScenario<T>(
  x: T,
): { ok: true; value: T } | { ok: false; errors: Issue[]; warnings: string[] } {
  try {
    return { ok: true, value: structuredClone(x) };
  } catch {
    return {
      ok: false,
      errors: [
        {
          path: "",
          message: "a scenario must be plain data (objects, arrays, numbers, strings, booleans)",
        },
      ],
      warnings: [],
    };
  }
}
