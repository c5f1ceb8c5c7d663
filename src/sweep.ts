// Sweeps: one scenario varied along an axis, the best plan at every point, columnar output
// ready for charts (uPlot takes the columns as they are).
import type { Failure, SimulateResult } from "./wire.js";
import type { Issue } from "./check.js";
import type { Planner } from "./answers.js";
import { copyScenario } from "./clone.js";

/** Where each axis writes in the scenario. */
export const SWEEP_AXES = {
  count: ["cluster", "count"],
  chip: ["cluster", "chip"],
  system: ["cluster", "system"],
  model: ["model"],
  tokens: ["training", "tokens"],
  seqLen: ["training", "seqLen"],
  globalBatch: ["training", "globalBatch"],
  precision: ["training", "precision"],
  pue: ["datacenter", "pue"],
} as const;
/** Chip figures a sweep may scale (written as chip overrides). */
const CHIP_AXES = ["bf16Tflops", "fp8Tflops", "hbmGB", "hbmTBps", "scaleUpGBps", "scaleOutGbps", "tdpW"] as const;

export type SweepAxis = keyof typeof SWEEP_AXES | (typeof CHIP_AXES)[number];

export interface SweepOptions {
  axis: SweepAxis;
  values: (number | string)[];
}

export interface SweepColumns {
  x: (number | string)[];
  days: (number | null)[];
  effectiveDays: (number | null)[];
  energyMWh: (number | null)[];
  powerMW: (number | null)[];
  costUSD: (number | null)[];
  mfu: (number | null)[];
  tokensPerS: (number | null)[];
  stepS: (number | null)[];
  plan: (string | null)[];
  /** Why a point has no answer (no plan fits, invalid value), else null. */
  error: (string | null)[];
}

export interface SweepResult {
  ok: true;
  axis: SweepAxis;
  columns: SweepColumns;
  elapsedMs: number;
}

type Json = Record<string, unknown>;

export function sweep(planner: Planner, scenario: unknown, options: SweepOptions, onProgress?: (done: number, total: number) => void): SweepResult | Failure {
  const errors: Issue[] = [];
  const axisOk = options.axis in SWEEP_AXES || (CHIP_AXES as readonly string[]).includes(options.axis);
  if (!axisOk) errors.push({ path: "axis", message: `unknown sweep axis ${JSON.stringify(options.axis)}; one of ${[...Object.keys(SWEEP_AXES), ...CHIP_AXES].join(", ")}` });
  if (!Array.isArray(options.values) || options.values.length === 0 || options.values.length > 10_000)
    errors.push({ path: "values", message: "must be a list of 1 to 10,000 values" });
  if (typeof scenario !== "object" || scenario === null) errors.push({ path: "", message: "a scenario must be a JSON object" });
  if (errors.length) return { ok: false, errors, warnings: [] };

  const t0 = performance.now();
  const cols: SweepColumns = { x: [], days: [], effectiveDays: [], energyMWh: [], powerMW: [], costUSD: [], mfu: [], tokensPerS: [], stepS: [], plan: [], error: [] };
  const copied = copyScenario(scenario as Json);
  if (!copied.ok) return copied;
  const base = copied.value;
  options.values.forEach((value, k) => {
    const s = structuredClone(base);
    if (options.axis in SWEEP_AXES) {
      const path = SWEEP_AXES[options.axis as keyof typeof SWEEP_AXES];
      if (path.length === 1) s[path[0]] = value;
      else s[path[0]] = { ...((s[path[0]] as Json) ?? {}), [path[1]]: value };
    } else {
      const cluster = (s.cluster ?? {}) as Json;
      const chip = typeof cluster.chip === "string" ? { id: cluster.chip } : ((cluster.chip as Json) ?? {});
      s.cluster = { ...cluster, chip: { ...chip, [options.axis]: value } };
    }
    // A plan fixed for one point rarely divides another: every point gets its best plan.
    if (options.axis === "count" || options.axis === "model" || options.axis === "globalBatch" || options.axis === "seqLen") s.parallelism = "auto";
    const r: SimulateResult | Failure = s.parallelism === undefined || s.parallelism === "auto"
      ? (() => { const x = planner.search(s, { top: 1 }); return x.ok ? x.best : x; })()
      : planner.simulate(s);
    cols.x.push(value);
    const ok = r.ok ? r : null;
    cols.days.push(ok ? ok.run.days : null);
    cols.effectiveDays.push(ok ? ok.run.effectiveDays : null);
    cols.energyMWh.push(ok ? ok.run.energyMWh : null);
    cols.powerMW.push(ok ? ok.run.powerMW : null);
    cols.costUSD.push(ok ? ok.run.costUSD : null);
    cols.mfu.push(ok ? ok.throughput.mfu : null);
    cols.tokensPerS.push(ok ? ok.throughput.tokensPerS : null);
    cols.stepS.push(ok ? ok.step.timeS : null);
    cols.plan.push(ok ? `tp${ok.plan.tp} pp${ok.plan.pp} dp${ok.plan.dp}${ok.plan.ep > 1 ? ` ep${ok.plan.ep}` : ""}${ok.plan.cp > 1 ? ` cp${ok.plan.cp}` : ""}` : null);
    cols.error.push(r.ok ? null : r.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
    onProgress?.(k + 1, options.values.length);
  });
  return { ok: true, axis: options.axis, columns: cols, elapsedMs: performance.now() - t0 };
}
