// The export-control frontier: the fastest hypothetical chip a rule still lets ship, built from
// the scenario's chip with its FLOP/s, memory and interconnect each at a user bound or just under
// one of the rule's thresholds; its days, how many of it match the scenario's cluster, and days
// against TPP (the hypothetical line and the catalog's real chips).
import { resolve } from "../contract/scenario.js";
import { chips } from "../catalog/index.js";
import {
  EXPORT_RULES,
  allowedBy,
  classify,
  metrics,
  thresholds,
  tpp,
  performanceDensity,
  type Metric,
} from "../catalog/export-control.js";
import { hypotheticalChip, type ChipFigures } from "../contract/chip-figures.js";
import type { Planner, SimulateOptions } from "../engine/planner.js";
import { match } from "./match.js";
import { copyScenario } from "../contract/clone.js";
import { describe, isRecord, type Issue } from "../contract/check.js";
import { closest, didYouMean } from "../contract/suggest.js";
import { issue, outOfRange, warning, wrongType, type Warning } from "../contract/facts.js";
import type { Failure, SimulateResult } from "../contract/result.js";
import { backingOf, type Backing } from "../engine/wire.js";
import type { ChipRecord } from "../catalog/types.js";

/** Upper bounds on the frontier chip's figures; each defaults to the scenario chip's own. */
export const FRONTIER_BOUNDS = [
  "bf16Tflops",
  "hbmGB",
  "hbmTBps",
  "scaleUpGBps",
  "scaleUpDomain",
  "scaleOutGbps",
  "dieAreaMm2",
] as const;
export type FrontierBound = (typeof FRONTIER_BOUNDS)[number];

export interface FrontierOptions {
  /** An export rule id with thresholds (oct2022, oct2023, jan2026). */
  rule: string;
  bounds?: Partial<Record<FrontierBound, number>>;
  /** Compute the days-vs-TPP line and the real chips (default true; false leaves both empty). */
  chart?: boolean;
}

/** What holds a figure of the frontier chip: a user bound, or a threshold of the rule on a metric. */
export type Held =
  | { by: "bound"; figure: FrontierBound; value: number }
  | { by: "threshold"; metric: Metric; threshold: number };

export interface FrontierChip {
  /** The scenario's `cluster.chip` for this chip: the base id with the changed figures. */
  override: ChipFigures & { id: string };
  bf16Tflops: number;
  fp8Tflops: number | null;
  hbmGB: number;
  hbmTBps: number;
  scaleUpGBps: number;
  scaleUpDomain: number;
  scaleOutGbps: number;
  dieAreaMm2: number | null;
  tpp: number;
  performanceDensity: number | null;
  class: string;
  /** What holds each of its FLOP/s, HBM bandwidth and scale-up figures where it is. */
  heldBy: Held[];
}

export interface FrontierPoint {
  tpp: number;
  days: number | null;
  allowed: boolean;
}

export interface FrontierRealChip {
  id: string;
  tpp: number;
  /** Days with failures for the scenario on this chip at the scenario's count; null: no plan. */
  days: number | null;
  class: string;
  allowed: boolean;
}

export interface FrontierResult {
  ok: true;
  rule: { id: string; name: string; allowed: string };
  bounds: Record<FrontierBound, number | null>;
  /** The scenario as given; days with failures, null when failures outpace checkpoints. */
  reference: {
    chip: string;
    count: number;
    tpp: number | null;
    class: string;
    days: number | null;
  };
  best: FrontierChip;
  /** The scenario on `best` at the scenario's count. */
  result: SimulateResult;
  /** What backs `result`'s days: calibrated false when no published run of its stack is on its chip class. */
  calibration: Backing;
  /** The fewest `best` chips as fast as the reference cluster (wall time with failures); null if none reach it. */
  match: { count: number; chipRatio: number; days: number | null } | null;
  /** Allowed chips tried that no other allowed chip beats on every figure. */
  candidates: number;
  /** Days against TPP for `best` scaled in FLOP/s only (the rest held), and the catalog's chips. */
  curve: FrontierPoint[];
  realChips: FrontierRealChip[];
  warnings: Warning[];
}

type Json = Record<string, unknown>;
const UNDER = 1; // one unit under a threshold: TPP, GB/s (a PD bound becomes a TPP via the die area)

const wall = (r: SimulateResult) => r.run.effectiveDays ?? Infinity;

/** The fastest chip the rule allows, its days and match, and the days-vs-TPP chart. */
export function frontier(
  planner: Planner,
  scenario: unknown,
  options: FrontierOptions,
  search: SimulateOptions = {},
): FrontierResult | Failure {
  const errors: Issue[] = [];
  const rule = EXPORT_RULES.find((r) => r.id === options?.rule);
  const thresholdRules = EXPORT_RULES.filter((r) => !r.products);
  if (!rule || rule.products)
    errors.push({
      path: "rule",
      code: "unknown-id",
      data: {
        id: typeof options?.rule === "string" ? options.rule.slice(0, 40) : describe(options?.rule),
        suggestions:
          typeof options?.rule === "string"
            ? closest(
                options.rule,
                thresholdRules.map((r) => r.id),
              )
            : [],
        known: thresholdRules.map((r) => r.id),
      },
      message: `${
        rule
          ? `${rule.id} names products, not thresholds`
          : `unknown rule ${typeof options?.rule === "string" ? JSON.stringify(options.rule.slice(0, 40)) : describe(options?.rule)}${
              typeof options?.rule === "string"
                ? didYouMean(
                    options.rule,
                    thresholdRules.map((r) => r.id),
                  )
                : ""
            }`
      }; one of ${thresholdRules.map((r) => r.id).join(", ")}`,
    });
  const given = options?.bounds ?? {};
  if (!isRecord(given)) errors.push(wrongType("bounds", "an object", given, "must be an object"));
  else
    for (const [k, v] of Object.entries(given)) {
      if (!(FRONTIER_BOUNDS as readonly string[]).includes(k))
        errors.push({
          path: `bounds.${k}`,
          code: "unknown-id",
          data: { id: k, suggestions: closest(k, FRONTIER_BOUNDS), known: [...FRONTIER_BOUNDS] },
          message: `unknown bound${didYouMean(k, FRONTIER_BOUNDS)}; one of ${FRONTIER_BOUNDS.join(", ")}`,
        });
      else if (typeof v !== "number" || !Number.isFinite(v) || v <= 0)
        errors.push(
          outOfRange(`bounds.${k}`, v, { gt: 0 }, `must be a number > 0, got ${describe(v)}`),
        );
      else if (k === "scaleUpDomain" && !Number.isInteger(v))
        errors.push(
          issue(`bounds.${k}`, "not-integer", { got: v }, `must be an integer, got ${v}`),
        );
    }
  const copied = copyScenario(scenario);
  if (!copied.ok) return copied;
  const res = resolve(scenario);
  if (!res.ok) errors.push(...res.errors);
  if (errors.length || !res.ok || !rule)
    return { ok: false, errors, warnings: res.ok ? [] : res.warnings };
  const r = res.value;
  const base = r.chip;
  const bounds: Record<FrontierBound, number | null> = {
    bf16Tflops: base.bf16Tflops,
    hbmGB: base.hbmGB,
    hbmTBps: base.hbmTBps,
    scaleUpGBps: r.system.scaleUpGBps,
    scaleUpDomain: r.system.scaleUpDomain,
    scaleOutGbps: r.system.scaleOutGbps,
    dieAreaMm2: base.dieAreaMm2,
    ...(given as Partial<Record<FrontierBound, number>>),
  };
  const baseTpp = tpp(base);
  if (baseTpp === null || !base.bf16Tflops)
    return fail(
      issue(
        "cluster.chip.bf16Tflops",
        "missing-figure",
        { figure: "bf16Tflops", chip: base.id, custom: base.id === "custom" },
        `unknown for ${base.id}: the frontier scales its TPP`,
      ),
    );
  const cuts = thresholds(rule);
  if (cuts.pd.length && bounds.dieAreaMm2 === null)
    return fail(
      issue(
        "bounds.dieAreaMm2",
        "missing-figure",
        { figure: "dieAreaMm2", chip: base.id, custom: base.id === "custom" },
        `unknown for ${base.id}, and ${rule.name} reads performance density (TPP / die area); give one`,
      ),
    );
  const tppPerTflop = baseTpp / base.bf16Tflops; // TPP follows BF16 at the base chip's precision mix

  // Candidates: each figure at its bound or one unit under a threshold below it.
  const area = bounds.dieAreaMm2;
  const tppBound = bounds.bf16Tflops! * tppPerTflop;
  const tppOptions = tppChoices(tppBound, bounds.bf16Tflops!, cuts.tpp, cuts.pd, area);
  const baseIo = metrics(base).io;
  const ioAtBound = baseIo === null ? null : baseIo + bounds.scaleUpGBps! - (base.scaleUpGBps ?? 0);
  const ioOptions: { value: number; held: Held }[] = [
    {
      value: bounds.scaleUpGBps!,
      held: { by: "bound", figure: "scaleUpGBps", value: bounds.scaleUpGBps! },
    },
  ];
  if (ioAtBound !== null)
    for (const t of cuts.io)
      if (t - UNDER < ioAtBound) {
        const up = bounds.scaleUpGBps! - (ioAtBound - (t - UNDER));
        if (up > 0)
          ioOptions.push({ value: up, held: { by: "threshold", metric: "io", threshold: t } });
      }
  const dramOptions: { value: number; held: Held }[] = [
    { value: bounds.hbmTBps!, held: { by: "bound", figure: "hbmTBps", value: bounds.hbmTBps! } },
    ...cuts.dram
      .filter((t) => t - UNDER < bounds.hbmTBps! * 1000)
      .map((t) => ({
        value: (t - UNDER) / 1000,
        held: { by: "threshold", metric: "dram", threshold: t } as Held,
      })),
  ];

  const chipOf = (bf16: number, hbmTBps: number, scaleUpGBps: number): ChipRecord =>
    hypotheticalChip(
      { ...base, dieAreaMm2: area },
      {
        bf16Tflops: bf16,
        ...(base.fp8Tflops ? { fp8Tflops: (base.fp8Tflops * bf16) / base.bf16Tflops! } : {}),
        hbmGB: bounds.hbmGB!,
        hbmTBps,
        scaleUpGBps,
        scaleUpDomain: bounds.scaleUpDomain!,
        scaleOutGbps: bounds.scaleOutGbps!,
      },
    );
  const classOf = (chip: ChipRecord) => classify(chip).find((c) => c.rule === rule.id)!;

  interface Candidate {
    chip: ChipRecord;
    figures: [number, number, number];
    heldBy: Held[];
  }
  const allowed: Candidate[] = [];
  for (const t of tppOptions)
    for (const d of dramOptions)
      for (const io of ioOptions) {
        const chip = chipOf(t.value / tppPerTflop, d.value, io.value);
        if (allowedBy(rule, classOf(chip)))
          allowed.push({
            chip,
            figures: [t.value, d.value, io.value],
            heldBy: [t.held, d.held, io.held],
          });
      }
  // Time never grows with a figure (more of each only adds plans or speed): drop the dominated.
  const front = allowed.filter(
    (a) =>
      !allowed.some(
        (b) =>
          b !== a &&
          b.figures.every((x, i) => x >= a.figures[i]) &&
          b.figures.some((x, i) => x > a.figures[i]),
      ),
  );
  if (front.length === 0)
    return fail(
      issue(
        "bounds",
        "nothing-allowed",
        { rule: rule.id },
        `no chip within these bounds is ${rule.allowed} under ${rule.name}; lower the bounds`,
      ),
    );

  const s = copied.value as Json;
  const cluster = s.cluster as Json;
  const overrideOf = (chip: ChipRecord): FrontierChip["override"] => ({
    id: base.id,
    bf16Tflops: chip.bf16Tflops!,
    ...(chip.fp8Tflops ? { fp8Tflops: chip.fp8Tflops } : {}),
    hbmGB: chip.hbmGB!,
    hbmTBps: chip.hbmTBps!,
    scaleUpGBps: chip.scaleUpGBps!,
    scaleUpDomain: chip.scaleUpDomain!,
    scaleOutGbps: chip.scaleOutGbps!,
  });
  // The frontier chip's interconnect rides on its override; a system override of it would shadow it.
  const system = isRecord(cluster.system)
    ? Object.fromEntries(
        Object.entries(cluster.system).filter(
          ([k]) => !["scaleUpGBps", "scaleUpDomain", "scaleOutGbps"].includes(k),
        ),
      )
    : cluster.system;
  const withChip = (chip: unknown): Json => ({
    ...s,
    cluster: { ...cluster, chip, ...(system === undefined ? {} : { system }) },
    parallelism: "auto",
  });
  const reference = planner.simulate(scenario, search);
  if (!reference.ok) return reference;

  let best: { c: Candidate; result: SimulateResult } | null = null;
  let lastFailure: Failure | null = null;
  for (const c of front) {
    const out = planner.simulate(withChip(overrideOf(c.chip)), search);
    if (!out.ok) {
      lastFailure = out;
      continue;
    }
    if (!best || wall(out) < wall(best.result)) best = { c, result: out };
  }
  if (!best) return lastFailure!;
  const chip = best.c.chip;
  const override = overrideOf(chip);

  // The batch may grow up to 8x, as match did when the frontier was written: the frontier asks what
  // the chip can do, and states the count, not a ratio at a batch limit.
  const m = match(
    planner,
    scenario,
    { chip: override },
    { ...search, batch: { mode: "grow", maxBatch: 8 * r.training.globalBatch } },
  );
  const curve: FrontierPoint[] = [];
  const realChips: FrontierRealChip[] = [];
  const chart = options.chart !== false;
  const tppBest = best.c.figures[0];
  const top = Math.max(tppBound, ...cuts.tpp, tppBest) * 1.25;
  const low = Math.min(tppBest, baseTpp) / 4;
  const STEPS = 14;
  for (let k = 0; chart && k <= STEPS; k++) {
    const t = low * (top / low) ** (k / STEPS);
    const point = chipOf(t / tppPerTflop, best.c.figures[1], best.c.figures[2]);
    const out = planner.simulate(withChip(overrideOf(point)), search);
    curve.push({
      tpp: t,
      days: out.ok ? out.run.effectiveDays : null,
      allowed: allowedBy(rule, classOf(point)),
    });
  }
  for (const c of chips) {
    const t = tpp(c);
    if (t === null || !chart) continue;
    const out = planner.simulate(
      {
        ...s,
        cluster: { count: r.count, chip: c.id },
        parallelism: "auto",
      },
      search,
    );
    const cls = classOf(c);
    realChips.push({
      id: c.id,
      tpp: t,
      days: out.ok ? out.run.effectiveDays : null,
      class: cls.class,
      allowed: allowedBy(rule, cls),
    });
  }

  return {
    ok: true,
    rule: { id: rule.id, name: rule.name, allowed: rule.allowed },
    bounds,
    reference: {
      chip: base.id,
      count: r.count,
      tpp: baseTpp,
      class: classOf(base).class,
      days: reference.run.effectiveDays,
    },
    best: {
      override,
      bf16Tflops: chip.bf16Tflops!,
      fp8Tflops: chip.fp8Tflops,
      hbmGB: chip.hbmGB!,
      hbmTBps: chip.hbmTBps!,
      scaleUpGBps: chip.scaleUpGBps!,
      scaleUpDomain: chip.scaleUpDomain!,
      scaleOutGbps: chip.scaleOutGbps!,
      dieAreaMm2: chip.dieAreaMm2,
      tpp: tpp(chip)!,
      performanceDensity: performanceDensity(chip),
      class: classOf(chip).class,
      heldBy: best.c.heldBy,
    },
    result: best.result,
    calibration: backingOf(best.result),
    // A match that found no count as fast has none to report (its count is the fastest found).
    match:
      m.ok && m.matched ? { count: m.count, chipRatio: m.chipRatio, days: m.effectiveDays } : null,
    candidates: front.length,
    curve,
    realChips,
    warnings: [
      ...r.warnings,
      ...(m.ok
        ? []
        : m.errors.map((e) =>
            warning("match", "part-failed", { part: "match", code: e.code }, e.message),
          )),
    ],
  };
}

/** TPP choices: the bound (from BF16's), and one unit under each TPP threshold, or PD threshold x area, below it. */
function tppChoices(
  bound: number,
  bf16Bound: number,
  tppCuts: number[],
  pdCuts: number[],
  area: number | null,
): { value: number; held: Held }[] {
  const out: { value: number; held: Held }[] = [
    { value: bound, held: { by: "bound", figure: "bf16Tflops", value: bf16Bound } },
  ];
  const cuts: [number, Held][] = [
    ...tppCuts.map((t): [number, Held] => [t, { by: "threshold", metric: "tpp", threshold: t }]),
    ...(area === null ? [] : pdCuts).map((pd): [number, Held] => [
      pd * area!,
      { by: "threshold", metric: "pd", threshold: pd },
    ]),
  ];
  for (const [t, held] of cuts)
    if (t - UNDER < bound && t - UNDER > 0) out.push({ value: t - UNDER, held });
  return out;
}

const fail = (e: Issue): Failure => ({ ok: false, errors: [e], warnings: [] });
