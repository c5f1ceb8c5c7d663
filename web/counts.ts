// Chip counts that plans divide. A typed count like 110,000 often has no plan (data parallelism
// must divide the batch, pipeline stages the layers), and a much smaller count can be faster:
// failures grow with the chip count and a batch only splits so far. The best use of at most n
// chips is found with the library's sweep, never by re-deriving its rules here.
import type { Remote } from "comlink";
import type { SimulateResult } from "chipscale";
import type { WorkerApi } from "./worker.js";

/** Smallest count tried: below it a training run of interest takes years either way. */
export const FLOOR = 8;

/**
 * Counts worth trying for "at most n": n and its largest multiples of 8 .. 65,536 (near the
 * target, where plans divide), and every 2^k and 1.5 x 2^k from FLOOR up to n (far below it,
 * where fewer chips can finish sooner). Largest first, no repeats.
 */
export function countsAtOrBelow(n: number): number[] {
  const out = new Set<number>([n]);
  for (let m = 8; m <= 65536; m *= 2) if (Math.floor(n / m) >= 1) out.add(Math.floor(n / m) * m);
  for (let p = FLOOR; p <= n; p *= 2) {
    out.add(p);
    if (1.5 * p <= n) out.add(1.5 * p);
  }
  return [...out].sort((a, b) => b - a);
}

export interface Best {
  count: number;
  result: SimulateResult;
  /** Whether a larger count at or below the target has a plan too (slower): more chips do not help. */
  largerIsSlower: boolean;
}

/** The fastest (wall time with failures) of those counts that has a plan, and its result; null if none has. */
export async function bestAtMost(api: Remote<WorkerApi>, scenario: Record<string, unknown>, n: number): Promise<Best | null> {
  const values = countsAtOrBelow(Math.max(1, Math.floor(n)));
  const sw = await api.sweep(scenario, { axis: "count", values });
  if (!sw.result.ok) return null;
  const c = sw.result.columns;
  let k = -1;
  const wall = (i: number) => (c.days[i] === null ? NaN : c.effectiveDays[i] ?? Infinity);
  // Ties go to the larger count (listed first): the same days with the asked size kept.
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(wall(i)) && (k < 0 || wall(i) < wall(k))) k = i;
  if (k < 0) return null;
  const cluster = (scenario.cluster ?? {}) as Record<string, unknown>;
  const one = await api.simulate({ ...scenario, parallelism: "auto", cluster: { ...cluster, count: values[k] } });
  const largerIsSlower = values.slice(0, k).some((_, i) => !Number.isNaN(wall(i)));
  return one.result.ok ? { count: values[k], result: one.result, largerIsSlower } : null;
}

/** "asked 110,000 → 65,536 used: more chips do not help at this batch", or null when the asked count is used. */
export function countNote(asked: number, best: Pick<Best, "count" | "largerIsSlower">): string | null {
  if (asked === best.count) return null;
  const why = best.largerIsSlower ? "more chips do not help at this batch" : "no larger count has a plan";
  return `asked ${asked.toLocaleString("en-US")} → ${best.count.toLocaleString("en-US")} used: ${why}`;
}
