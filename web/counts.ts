// Chip counts that plans divide. A typed count like 110,000 often has no plan (data parallelism
// must divide the batch, pipeline stages the layers), and a much smaller count can be faster:
// failures grow with the chip count and a batch only splits so far. The best use of at most n
// chips is found with the library's sweep, never by re-deriving its rules here.
import type { Remote } from "comlink";
import type { Issue, SimulateResult } from "chipscale";
import type { WorkerApi } from "./worker.js";
import { SOONER } from "./returns.js";

export interface Best {
  count: number;
  result: SimulateResult;
  /**
   * Whether the sweep shows that more chips do not help: some count above the one used has a
   * plan (at or below the target, or up to 4x beyond it), and none of them finishes more than 1% sooner.
   */
  largerIsSlower: boolean;
  /** Why the target count itself has no answer (the library's error); null when it has one, slower. */
  askedError?: Issue | null;
}

/** The fastest (wall time with failures) of those counts that has a plan, and its result; null if none has. */
export async function bestAtMost(
  api: Remote<WorkerApi>,
  scenario: Record<string, unknown>,
  n: number,
): Promise<Best | null> {
  const target = Math.max(1, Math.floor(n));
  const { atOrBelow: values, above } = await api.counts(target);
  // One sweep: the candidates, then the counts above the target (only to word the choice).
  const sw = await api.sweep(scenario, { axis: "count", values: [...values, ...above] });
  if (!sw.result.ok) return null;
  const c = sw.result.columns;
  let k = -1;
  const wall = (i: number) => (c.days[i] === null ? NaN : (c.effectiveDays[i] ?? Infinity));
  // Ties go to the larger count (listed first): the same days with the asked size kept.
  for (let i = 0; i < values.length; i++)
    if (!Number.isNaN(wall(i)) && (k < 0 || wall(i) < wall(k))) k = i;
  if (k < 0) return null;
  const cluster = (scenario.cluster ?? {}) as Record<string, unknown>;
  const one = await api.simulate({
    ...scenario,
    parallelism: "auto",
    cluster: { ...cluster, count: values[k] },
  });
  // Larger than the one used: those before it in the candidates, and every count above the target.
  const larger = [...values.keys()]
    .slice(0, k)
    .concat(above.map((_, j) => values.length + j))
    .filter((i) => !Number.isNaN(wall(i)));
  const largerIsSlower = larger.length > 0 && larger.every((i) => !(wall(i) < SOONER * wall(k)));
  const askedError = c.days[0] === null ? c.issue[0] : null;
  return one.result.ok
    ? { count: values[k], result: one.result, largerIsSlower, askedError }
    : null;
}

const n = (x: number) => x.toLocaleString("en-US");

/** Why the asked count was not used, from the library's own reason for it (its code and numbers). */
function askedWhy(asked: number, error: Issue | null): string {
  if (error === null) return `${n(asked)} chips finish later at this batch (with failures)`;
  if (error.code === "no-plan" && error.data.mostUsable !== null)
    return `this batch can use at most ${n(error.data.mostUsable)} chips`;
  if (error.code === "no-plan-fits") return `no plan for ${n(asked)} chips fits in memory`;
  return `no plan divides ${n(asked)} chips at this batch`;
}

/**
 * "asked 110,000 → 8,192 used: no plan divides 110,000 chips at this batch; 8,192 is the fastest
 * count at or below it, and more chips do not help at this batch": why the asked count was not used
 * (the library's reason), then, when the sweep shows it, that no larger count is faster; null when
 * the asked count is used. One note: the column that shows it needs no other.
 */
export function countNote(
  asked: number,
  best: Pick<Best, "count" | "largerIsSlower" | "askedError">,
): string | null {
  if (asked === best.count) return null;
  const more = best.largerIsSlower ? ", and more chips do not help at this batch" : "";
  const why = best.askedError === undefined ? "" : `${askedWhy(asked, best.askedError)}; `;
  return `asked ${n(asked)} → ${n(best.count)} used: ${why}${n(best.count)} is the fastest count at or below it${more}`;
}
