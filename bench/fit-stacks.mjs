// Fits each software stack's constants on its own grade-A published runs and cross-validates them
// leave-one-source-out: every run is predicted by a fit that never saw its paper/table.
// Used by bench/validate.mjs (--fit-stacks prints the fit, --fit-stacks --write writes
// src/calibration/stacks.fit.ts, the per-stack table in every report) and by test/stacks.test.ts.
import { CALIBRATION, STACKS } from "../build/src/index.js";

const steps = (lo, hi, d) =>
  Array.from({ length: Math.round((hi - lo) / d) + 1 }, (_, k) => +(lo + k * d).toFixed(2));
// The grid each fittable constant is searched on.
const GRID = {
  matmulEfficiency: steps(0.4, 0.95, 0.01),
  attentionEfficiency: steps(0.4, 1, 0.05),
  fp8Efficiency: steps(0.5, 1, 0.02),
  scaleOutEfficiency: steps(0.05, 0.9, 0.01),
  groupedGemmHalfTokens: steps(0, 8000, 250),
};
const SLOTS = Object.keys(GRID);
// A fit starts from src/calibration/calibration.ts: a stack with no records left keeps these. The grouped-GEMM
// half-point starts from no loss: the shipped base is Megatron-Core's own fit, which would leak
// every MoE source into its own cross-validation.
const BASE = {
  ...Object.fromEntries(SLOTS.map((s) => [s, CALIBRATION[s].value])),
  groupedGemmHalfTokens: 0,
};

// A fit has more runs than constants: k constants on k runs would be those runs' own factors.
// With too few runs the stack's first constants (src/calibration/stacks.ts lists them by weight) are fitted.
const isFp8 = (r) => r.scenario.training.precision === "fp8";
/** The runs a stack is fitted and cross-validated on: its grade-A step times with published plans. */
export const fitRecords = (records) =>
  records.filter(
    (r) => r.simulated && r.checked && r.grade === "A" && r.stack && !r.validationOnly,
  );

const product = (slots) =>
  slots.reduce((acc, s) => acc.flatMap((c) => GRID[s].map((v) => ({ ...c, [s]: v }))), [{}]);

/**
 * A stack's constants on one chip class, fitted on `recs` (that stack's runs on that class; every
 * slot given, so nothing shipped leaks in): its 16-bit slots on its BF16/FP16 runs, then
 * fp8Efficiency on its FP8 runs with those fixed. A slot without runs enough to fit it keeps
 * src/calibration/calibration.ts's value; so does one the runs do not move (ties go to the base value).
 * MoE runs are cross-validated but not fitted: their gap is the MoE model's (README, Accuracy).
 * Score: mean |error| + max |error| / 4, as the global fit (bench/validate.mjs --fit).
 * Returns every slot's value (`cal`) and the slots actually fitted (`fitted`).
 */
export function fitStack(sim, stackId, recs) {
  const slots = STACKS[stackId].fits;
  const dense = recs.filter((r) => !r.moe);
  const distance = (c) => Object.entries(c).reduce((a, [k, v]) => a + Math.abs(v - BASE[k]), 0);
  const best = (candidates, rs, base) => {
    const fitted = candidates.slice(0, Math.max(0, rs.length - 1));
    const cands = product(fitted);
    if (cands.length === 1) return { cal: base, fitted };
    let top = null;
    for (const c of cands) {
      const cal = { ...base, ...c };
      const es = rs.map((r) => Math.abs(stepError(sim, r, cal)));
      const score = es.reduce((a, b) => a + b, 0) / es.length + Math.max(...es) / 4;
      const tie = top && Math.abs(score - top.score) < 1e-9;
      if (!top || (tie ? distance(c) < top.d : score < top.score))
        top = { score, cal, d: distance(c) };
    }
    return { cal: top.cal, fitted };
  };
  const b16 = best(
    slots.filter((s) => s !== "fp8Efficiency"),
    dense.filter((r) => !isFp8(r)),
    BASE,
  );
  const b8 = best(
    slots.filter((s) => s === "fp8Efficiency"),
    dense.filter(isFp8),
    b16.cal,
  );
  return { cal: b8.cal, fitted: [...b16.fitted, ...b8.fitted] };
}

/**
 * The constants a stack fits on its runs of every chip class (src/calibration/stacks.ts `fitsAcrossChips`),
 * with each class's own constants fixed: the grouped-GEMM half-point on its MoE runs, which are
 * the only runs it moves. Fewer constants than runs, as fitStack; none without such runs.
 */
export function fitAcrossChips(sim, stackId, recs, classFits) {
  const slots = STACKS[stackId].fitsAcrossChips ?? [];
  const rs = recs.filter((r) => r.moe);
  const fitted = slots.slice(0, Math.max(0, rs.length - 1));
  if (fitted.length === 0) return { values: {} };
  const calOf = (r, c) => ({ ...(classFits[r.chipClass]?.cal ?? BASE), ...c });
  let top = null;
  for (const c of product(fitted)) {
    const es = rs.map((r) => Math.abs(stepError(sim, r, calOf(r, c))));
    const score = es.reduce((a, b) => a + b, 0) / es.length + Math.max(...es) / 4;
    if (!top || score < top.score - 1e-9) top = { score, c };
  }
  return { values: top.c };
}

export function stepError(sim, rec, calibration) {
  const res = sim.simulate(rec.scenario, { calibration });
  if (!res.ok) throw new Error(`${rec.id}: ${JSON.stringify(res.errors)}`);
  return res.step.timeS / rec.published.value - 1;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q,
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
};
const r4 = (x) => Math.round(x * 1e4) / 1e4;

/**
 * Every stack with published runs, per chip class: its constants (fitted on all its runs on that
 * class), and per run the cross-validated error (every class refitted without the run's source)
 * beside the in-sample one; the class's band is the p10-p90 of those cross-validated errors.
 * `widest` spans every grade-A run's cross-validated error (the band of an uncalibrated answer).
 */
export function fitStacks(sim, records) {
  const recs = fitRecords(records).map((r) => ({
    ...r,
    chipClass: sim.simulate(r.scenario).stack.chipClass,
  }));
  const fitClasses = (id, rs) => {
    const out = {};
    for (const cls of new Set(rs.map((r) => r.chipClass)))
      out[cls] = fitStack(
        sim,
        id,
        rs.filter((r) => r.chipClass === cls),
      );
    return out;
  };
  // Class constants, then the stack's constants of every chip class (its kernels) on all its runs.
  const fitAll = (id, rs) => {
    const cls = fitClasses(id, rs);
    const wide = fitAcrossChips(sim, id, rs, cls);
    const calOf = (c) => ({ ...(cls[c]?.cal ?? BASE), ...wide.values });
    return { cls, wide, calOf };
  };
  const stacks = {},
    rows = [],
    fitByStack = {};
  for (const id of Object.keys(STACKS)) {
    const own = recs.filter((r) => r.stack === id);
    if (own.length === 0) continue;
    const { cls: cal, wide, calOf } = fitAll(id, own);
    fitByStack[id] = { calOf };
    const units = [...new Set(own.map((r) => r.sourceUnit))];
    const cv = new Map();
    for (const u of units) {
      const fitU = fitAll(
        id,
        own.filter((r) => r.sourceUnit !== u),
      );
      for (const r of own.filter((x) => x.sourceUnit === u))
        cv.set(r.id, stepError(sim, r, fitU.calOf(r.chipClass)));
    }
    const errors = {};
    for (const r of own) {
      const row = {
        id: r.id,
        stack: id,
        chipClass: r.chipClass,
        moe: r.moe,
        sourceUnit: r.sourceUnit,
        inSample: stepError(sim, r, calOf(r.chipClass)),
        crossValidated: cv.get(r.id),
      };
      rows.push(row);
      (errors[r.chipClass] ??= []).push(row.crossValidated);
    }
    stacks[id] = {
      records: own.length,
      sources: units.length,
      constants: wide.values,
      byChipClass: Object.fromEntries(
        Object.keys(errors)
          .sort()
          .map((cls) => [
            cls,
            {
              constants: Object.fromEntries(cal[cls].fitted.map((s) => [s, cal[cls].cal[s]])),
              n: errors[cls].length,
              p10: r4(quantile(errors[cls], 0.1)),
              p90: r4(quantile(errors[cls], 0.9)),
            },
          ]),
      ),
    };
  }
  const all = rows.map((r) => r.crossValidated);
  return {
    stacks,
    widest: { n: all.length, min: r4(Math.min(...all)), max: r4(Math.max(...all)) },
    heldOut: heldOutChecks(sim, records, fitByStack),
    rows,
  };
}

/**
 * The held-out runs (validationOnly: outside the reference, never fitted) per stack and chip
 * class, each predicted with the constants that stack ships for that class: how many and the
 * span of their step-time errors. An answer shows them beside its band, which they never set.
 */
function heldOutChecks(sim, records, fitByStack) {
  const out = {};
  for (const r of records.filter((x) => x.validationOnly && x.simulated && x.stack)) {
    const cls = sim.simulate(r.scenario).stack.chipClass;
    const e = stepError(sim, r, fitByStack[r.stack]?.calOf(cls) ?? BASE);
    const c = ((out[r.stack] ??= {})[cls] ??= { n: 0, min: Infinity, max: -Infinity });
    c.n++;
    c.min = Math.min(c.min, r4(e));
    c.max = Math.max(c.max, r4(e));
  }
  return out;
}

/** src/calibration/stacks.fit.ts's text for a fit (prettier formats it after writing). */
export function fitModule(fit) {
  const data = { stacks: fit.stacks, widest: fit.widest, heldOut: fit.heldOut };
  return `// Generated by \`node bench/validate.mjs --fit-stacks --write\` from bench/validation/records.json;
// do not edit (test/stacks.test.ts checks it is the fit of the current records and model).
export interface StackBand {
  /** The constants the stack's runs on this chip class fitted (src/calibration/calibration.ts for the rest). */
  constants: Partial<Record<"matmulEfficiency" | "attentionEfficiency" | "fp8Efficiency" | "scaleOutEfficiency", number>>;
  /** Grade-A published runs of the stack on the chip class. */
  n: number;
  /** Their cross-validated step-time errors' 10th and 90th percentiles (predicted / published - 1). */
  p10: number;
  p90: number;
}
export interface StackFit {
  records: number;
  sources: number;
  /** The constants its runs of every chip class fitted (its kernels, not a chip's). */
  constants: Partial<Record<"groupedGemmHalfTokens", number>>;
  byChipClass: Record<string, StackBand>;
}
/** Held-out runs of a stack on a chip class (never fitted): how many, and their errors' span. */
export interface HeldOutCheck {
  n: number;
  min: number;
  max: number;
}
export const STACK_FITS: {
  stacks: Record<string, StackFit>;
  widest: { n: number; min: number; max: number };
  heldOut: Record<string, Record<string, HeldOutCheck>>;
} = ${JSON.stringify(data, null, 2)};
`;
}
