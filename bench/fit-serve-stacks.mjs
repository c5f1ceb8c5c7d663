// Fits each serving stack's constants on its own published serving results and cross-validates them
// leave-one-source-out: every result is predicted by a fit that never saw its source (one MLPerf
// round's entries of one submitter, or one report). Used by bench/validate-serve.mjs (--fit prints
// the fit, --fit --write writes src/calibration/serve-stacks.fit.ts) and by test/serve-stacks.test.ts.
import { CALIBRATION, SERVING_STACKS } from "../build/src/index.js";

const steps = (lo, hi, d) =>
  Array.from({ length: Math.round((hi - lo) / d) + 1 }, (_, k) => +(lo + k * d).toFixed(2));
// The grid each fittable constant is searched on.
const GRID = {
  memoryEfficiency: steps(0.5, 1, 0.02),
  matmulEfficiency: steps(0.3, 0.96, 0.02),
};
// A fit starts from src/calibration/calibration.ts: a stack with too few results keeps these.
const BASE = Object.fromEntries(Object.keys(GRID).map((s) => [s, CALIBRATION[s].value]));

const METRIC = {
  outputTokensPerSPerChip: (r) => r.outputTokensPerSPerChip,
  decodeTokensPerSPerChip: (r) => r.decode.tokensPerSPerChip,
  prefillTokensPerSPerChip: (r) => r.prefill.tokensPerSPerChip,
};

/** A record's throughput error (predicted / published - 1) under the given constants. */
export function servingError(sim, rec, calibration) {
  const res = sim.serve(rec.scenario, calibration ? { calibration } : {});
  if (!res.ok) throw new Error(`${rec.id}: ${JSON.stringify(res.errors)}`);
  return METRIC[rec.published.metric](res) / rec.published.value - 1;
}

/** The results a stack is fitted and cross-validated on: those that publish their configuration. */
export const fitRecords = (records) => records.filter((r) => r.publishedConfig && r.stack);

const product = (slots) =>
  slots.reduce((acc, s) => acc.flatMap((c) => GRID[s].map((v) => ({ ...c, [s]: v }))), [{}]);

/**
 * A stack's constants fitted on `recs`: its first k slots (src/calibration/serve-stacks.ts lists them by
 * weight) with k < the number of results, so a fit is never a result's own factor. Score: mean
 * |error| + max |error| / 4, as the training fits; ties go to the values nearest src/calibration/calibration.ts.
 */
export function fitServingStack(sim, stackId, recs) {
  const fitted = SERVING_STACKS[stackId].fits.slice(0, Math.max(0, recs.length - 1));
  const cands = product(fitted);
  if (cands.length === 1) return { cal: BASE, fitted };
  const distance = (c) => Object.entries(c).reduce((a, [k, v]) => a + Math.abs(v - BASE[k]), 0);
  let top = null;
  for (const c of cands) {
    const cal = { ...BASE, ...c };
    const es = recs.map((r) => Math.abs(servingError(sim, r, cal)));
    const score = es.reduce((a, b) => a + b, 0) / es.length + Math.max(...es) / 4;
    const tie = top && Math.abs(score - top.score) < 1e-9;
    if (!top || (tie ? distance(c) < top.d : score < top.score))
      top = { score, cal, d: distance(c) };
  }
  return { cal: top.cal, fitted };
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
 * Every stack with results: its constants (fitted on all of them), and per result the in-sample
 * error beside the cross-validated one (the stack refitted without the result's source); the
 * stack's band is the p10-p90 of the cross-validated errors, `widest` spans all of them.
 */
export function fitServingStacks(sim, records) {
  const recs = fitRecords(records);
  const stacks = {},
    rows = [];
  for (const id of Object.keys(SERVING_STACKS)) {
    const own = recs.filter((r) => r.stack === id);
    if (own.length === 0) continue;
    const all = fitServingStack(sim, id, own);
    const units = [...new Set(own.map((r) => r.sourceUnit))];
    const cv = new Map();
    for (const u of units) {
      const fit = fitServingStack(
        sim,
        id,
        own.filter((r) => r.sourceUnit !== u),
      );
      for (const r of own.filter((x) => x.sourceUnit === u))
        cv.set(r.id, servingError(sim, r, fit.cal));
    }
    for (const r of own)
      rows.push({
        id: r.id,
        stack: id,
        sourceUnit: r.sourceUnit,
        inSample: servingError(sim, r, all.cal),
        crossValidated: cv.get(r.id),
      });
    const errs = rows.filter((x) => x.stack === id).map((x) => x.crossValidated);
    stacks[id] = {
      constants: Object.fromEntries(all.fitted.map((s) => [s, all.cal[s]])),
      n: own.length,
      sources: units.length,
      p10: r4(quantile(errs, 0.1)),
      p90: r4(quantile(errs, 0.9)),
    };
  }
  const cvs = rows.map((r) => r.crossValidated);
  return {
    stacks,
    widest: { n: cvs.length, min: r4(Math.min(...cvs)), max: r4(Math.max(...cvs)) },
    rows,
  };
}

/** src/calibration/serve-stacks.fit.ts's text for a fit (prettier formats it after writing). */
export function fitModule(fit) {
  const data = { stacks: fit.stacks, widest: fit.widest };
  return `// Generated by \`npm run validate:serve -- --fit --write\` from bench/validation/serving-records.json;
// do not edit (test/serve-stacks.test.ts checks it is the fit of the current records and model).
export interface ServingStackFit {
  /** The constants the stack's results fitted (src/calibration/calibration.ts for the rest). */
  constants: Partial<Record<"memoryEfficiency" | "matmulEfficiency", number>>;
  /** Published results of the stack that publish their configuration, and their sources. */
  n: number;
  sources: number;
  /** Their cross-validated throughput errors' 10th and 90th percentiles (predicted / published - 1). */
  p10: number;
  p90: number;
}
export const SERVING_STACK_FITS: {
  stacks: Record<string, ServingStackFit>;
  widest: { n: number; min: number; max: number };
} = ${JSON.stringify(data, null, 2)};
`;
}
