// Chip counts that plans divide. A typed count like 110,000 often has no plan (data parallelism
// must divide the batch, pipeline stages the layers), and a slightly smaller count with a better
// shape can be faster. The best use of at most n chips is found with the library's sweep, never
// by re-deriving its rules here.
import type { Remote } from "comlink";
import type { SimulateResult } from "chipscale";
import type { WorkerApi } from "./worker.js";

/** `n` and the largest multiples of 8, 16, ... 65,536 at or below it, largest first. */
export function countsAtOrBelow(n: number): number[] {
  const out = new Set<number>([n]);
  for (let m = 8; m <= 65536; m *= 2) if (Math.floor(n / m) >= 1) out.add(Math.floor(n / m) * m);
  return [...out].sort((a, b) => b - a).slice(0, 13);
}

/** The fastest (wall time with failures) of those counts that has a plan, and its result; null if none has. */
export async function bestAtMost(api: Remote<WorkerApi>, scenario: Record<string, unknown>, n: number): Promise<{ count: number; result: SimulateResult } | null> {
  const values = countsAtOrBelow(Math.max(1, Math.floor(n)));
  const sw = await api.sweep(scenario, { axis: "count", values });
  if (!sw.result.ok) return null;
  const c = sw.result.columns;
  let k = -1;
  const wall = (i: number) => (c.days[i] === null ? NaN : c.effectiveDays[i] ?? Infinity);
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(wall(i)) && (k < 0 || wall(i) < wall(k))) k = i;
  if (k < 0) return null;
  const cluster = (scenario.cluster ?? {}) as Record<string, unknown>;
  const one = await api.simulate({ ...scenario, parallelism: "auto", cluster: { ...cluster, count: values[k] } });
  return one.result.ok ? { count: values[k], result: one.result } : null;
}
