// Sweeps: one scenario varied along an axis, the best plan at every point, columnar output
// ready for charts (uPlot takes the columns as they are).
import type { Failure, SimulateResult } from "../contract/result.js";
import { describe, isRecord, type Issue } from "../contract/check.js";
import { factText, wrongType } from "../contract/facts.js";
import { closest } from "../contract/suggest.js";
import type { BudgetOptions, WorkBudget } from "../contract/budget.js";
import type { Planner } from "../engine/planner.js";
import { copyScenario } from "../contract/clone.js";
import { meshText, resolve } from "../contract/scenario.js";
import { CHIP_FIGURES } from "../contract/chip-figures.js";

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
/** Chip figures a sweep may vary (written as chip overrides): the page's chip sliders. */
const CHIP_AXES = CHIP_FIGURES;
const AXIS_IDS: string[] = [...Object.keys(SWEEP_AXES), ...CHIP_AXES];

export type SweepAxis = keyof typeof SWEEP_AXES | (typeof CHIP_AXES)[number];

export interface SweepOptions {
  axis: SweepAxis;
  /** Finite numbers, or strings for the id and choice axes. */
  values: (number | string)[];
  /** A second axis: one column set per value (e.g. chip count on x, one series per chip). */
  by?: { axis: SweepAxis; values: (number | string)[] };
  /** The most work of the whole sweep (every point's search shares it); see SimulateOptions.budget. */
  budget?: BudgetOptions;
}

export interface SweepColumns {
  x: (number | string)[];
  days: (number | null)[];
  effectiveDays: (number | null)[];
  energyMWh: (number | null)[];
  powerMW: (number | null)[];
  costUSD: (number | null)[];
  costBasis: (string | null)[];
  mfu: (number | null)[];
  tokensPerS: (number | null)[];
  stepS: (number | null)[];
  plan: (string | null)[];
  /** Why a point has no answer (no plan fits, invalid value), for people, else null. */
  error: (string | null)[];
  /** The first error of a point as data (its code and numbers), for programs, else null. Not in CSV. */
  issue: (Issue | null)[];
  /** What qualifies a point's answer (e.g. a cost without a chip price), "; "-joined, else null. */
  warnings: (string | null)[];
}

export interface SweepResult {
  ok: true;
  axis: SweepAxis;
  /** The columns of the first (or only) series. */
  columns: SweepColumns;
  /** With `by`: one column set per value of the second axis. */
  series?: { axis: SweepAxis; value: number | string; columns: SweepColumns }[];
  elapsedMs: number;
}

type Json = Record<string, unknown>;

// Own keys only: "constructor", "__proto__" or "toString" are not axes.
const axisKnown = (axis: unknown) =>
  typeof axis === "string" &&
  (Object.hasOwn(SWEEP_AXES, axis) || (CHIP_AXES as readonly string[]).includes(axis));

function checkAxis(errors: Issue[], path: string, axis: unknown, values: unknown): void {
  if (!axisKnown(axis))
    errors.push({
      path: `${path}axis`,
      code: "unknown-id",
      data: {
        id: typeof axis === "string" ? axis.slice(0, 40) : describe(axis),
        suggestions: typeof axis === "string" ? closest(axis, AXIS_IDS) : [],
        known: AXIS_IDS,
      },
      message: `unknown sweep axis ${typeof axis === "string" ? JSON.stringify(axis.slice(0, 40)) : describe(axis)}; one of ${[...Object.keys(SWEEP_AXES), ...CHIP_AXES].join(", ")}`,
    });
  if (!Array.isArray(values) || values.length === 0 || values.length > 10_000) {
    errors.push(wrongType(`${path}values`, "a list of 1 to 10,000 values", values));
    return;
  }
  // A point is a finite number or a catalog id / choice; NaN, Infinity, BigInt and objects name their place.
  const bad = values.findIndex(
    (v) => !(typeof v === "number" ? Number.isFinite(v) : typeof v === "string" && v.length <= 200),
  );
  if (bad >= 0)
    errors.push(
      wrongType(
        `${path}values[${bad}]`,
        "a finite number or a string (an id or a choice)",
        values[bad],
      ),
    );
}

/** The scenario field an axis writes: "cluster.count", "cluster.chip.hbmGB". */
const axisPath = (axis: SweepAxis) =>
  axis in SWEEP_AXES
    ? SWEEP_AXES[axis as keyof typeof SWEEP_AXES].join(".")
    : `cluster.chip.${axis}`;

/**
 * Values the scenario's contract refuses at the field their axis writes (a count of 0 or "abc",
 * an unknown chip id): each as an error at `values[k]` (`by.values[k]`), its code and data the
 * contract's and the field named in the message. A value that is valid but has no plan stays a
 * point with its error in the columns.
 */
function badValues(scenario: Json, options: SweepOptions): Issue[] {
  const out = new Map<string, Issue>();
  const axes = [
    { path: "values", axis: options.axis, values: options.values },
    ...(options.by
      ? [{ path: "by.values", axis: options.by.axis, values: options.by.values }]
      : []),
  ];
  for (const { path, axis, values } of axes) {
    const field = axisPath(axis);
    values.forEach((value, k) => {
      const r = resolve(applyAxis(structuredClone(scenario), axis, value));
      const e = r.ok
        ? undefined
        : r.errors.find((x) => x.path === field || x.path.startsWith(`${field}.`));
      if (e && !out.has(`${path}[${k}]`))
        out.set(`${path}[${k}]`, { ...e, path: `${path}[${k}]`, message: factText(e) });
    });
  }
  return [...out.values()];
}

/** The scenario with one axis set to `value`. */
function applyAxis(s: Json, axis: SweepAxis, value: number | string): Json {
  const cluster = (s.cluster ?? {}) as Json;
  if (axis === "chip" && isRecord(cluster.chip) && cluster.chip.id === value) {
    // The scenario's own chip keeps its figure overrides (a sweep over chips compares it as changed).
  } else if (axis in SWEEP_AXES) {
    const path = SWEEP_AXES[axis as keyof typeof SWEEP_AXES];
    if (path.length === 1) s[path[0]] = value;
    else s[path[0]] = { ...((s[path[0]] as Json) ?? {}), [path[1]]: value };
  } else {
    const chip =
      typeof cluster.chip === "string" ? { id: cluster.chip } : ((cluster.chip as Json) ?? {});
    s.cluster = { ...cluster, chip: { ...chip, [axis]: value } };
  }
  // A plan fixed for one point rarely divides another: every point gets its best plan.
  if (axis === "count" || axis === "model" || axis === "globalBatch" || axis === "seqLen")
    s.parallelism = "auto";
  return s;
}

export function sweep(
  planner: Planner,
  scenario: unknown,
  options: SweepOptions,
  onProgress?: (done: number, total: number) => void,
  budget?: WorkBudget,
): SweepResult | Failure {
  const errors: Issue[] = [];
  checkAxis(errors, "", options?.axis, options?.values);
  if (options?.by !== undefined) checkAxis(errors, "by.", options.by?.axis, options.by?.values);
  if (typeof scenario !== "object" || scenario === null)
    errors.push(wrongType("", "a JSON object", scenario, "a scenario must be a JSON object"));
  if (errors.length) return { ok: false, errors, warnings: [] };
  const copied = copyScenario(scenario as Json);
  if (!copied.ok) return copied;
  const bad = badValues(copied.value, options);
  if (bad.length) return { ok: false, errors: bad, warnings: [] };

  const t0 = performance.now();
  const seriesValues: (number | string | undefined)[] = options.by
    ? options.by.values
    : [undefined];
  const total = seriesValues.length * options.values.length;
  let done = 0;
  const series = seriesValues.map((seriesValue) => {
    const base =
      seriesValue === undefined
        ? copied.value
        : applyAxis(structuredClone(copied.value), options.by!.axis, seriesValue);
    const cols: SweepColumns = {
      x: [],
      days: [],
      effectiveDays: [],
      energyMWh: [],
      powerMW: [],
      costUSD: [],
      costBasis: [],
      mfu: [],
      tokensPerS: [],
      stepS: [],
      plan: [],
      error: [],
      issue: [],
      warnings: [],
    };
    for (const value of options.values) {
      const s = applyAxis(structuredClone(base), options.axis, value);
      const r: SimulateResult | Failure =
        s.parallelism === undefined || s.parallelism === "auto"
          ? (() => {
              const x = planner.search(s, { top: 1, budget });
              return x.ok ? x.best : x;
            })()
          : planner.simulate(s, { budget });
      const ok = r.ok ? r : null;
      cols.x.push(value);
      cols.days.push(ok ? ok.run.days : null);
      cols.effectiveDays.push(ok ? ok.run.effectiveDays : null);
      cols.energyMWh.push(ok ? ok.run.energyMWh : null);
      cols.powerMW.push(ok ? ok.run.powerMW : null);
      cols.costUSD.push(ok ? ok.run.costUSD : null);
      cols.costBasis.push(ok ? ok.run.costBasis : null);
      cols.mfu.push(ok ? ok.throughput.mfu : null);
      cols.tokensPerS.push(ok ? ok.throughput.tokensPerS : null);
      cols.stepS.push(ok ? ok.step.timeS : null);
      cols.plan.push(ok ? meshText(ok.plan) : null);
      cols.error.push(r.ok ? null : r.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
      cols.issue.push(r.ok ? null : r.errors[0]);
      cols.warnings.push(r.warnings.length ? r.warnings.map(factText).join("; ") : null);
      onProgress?.(++done, total);
    }
    return {
      axis: options.by?.axis ?? options.axis,
      value: seriesValue as number | string,
      columns: cols,
    };
  });
  return {
    ok: true,
    axis: options.axis,
    columns: series[0].columns,
    ...(options.by ? { series } : {}),
    elapsedMs: performance.now() - t0,
  };
}
