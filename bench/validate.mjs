// Validates the model against published training runs (bench/validation/records.json).
//   npm run validate              table per record + summary
//   npm run validate -- --json    the same as one JSON object
//   npm run validate -- --fit     grid-fit the efficiency constants on these records
import { readFileSync } from "node:fs";
import { load, CALIBRATION } from "../build/src/index.js";

const records = JSON.parse(readFileSync(new URL("./validation/records.json", import.meta.url), "utf8"));
const args = new Set(process.argv.slice(2));
const sim = await load();

export function validate(calibration = {}) {
  return records.map((rec) => {
    const res = sim.simulate(rec.scenario, { calibration });
    if (!res.ok) return { id: rec.id, family: rec.family, error: null, failure: res.errors };
    const predicted = res.step.timeS;
    const error = predicted / rec.published.stepS - 1;
    const p = res.plan;
    return {
      id: rec.id, family: rec.family, chipGeneration: rec.chipGeneration,
      plan: `tp${p.tp} pp${p.pp} dp${p.dp}${p.vpp > 1 ? ` v${p.vpp}` : ""} mb${p.microBatch} ${p.recompute}${p.sequenceParallel ? " sp" : ""}`,
      predictedS: predicted, publishedS: rec.published.stepS, error, tolerance: rec.tolerance,
      withinTolerance: Math.abs(error) <= rec.tolerance, mfu: res.throughput.mfu, fits: res.memory.fits,
    };
  });
}

export function summarize(rows) {
  const errs = rows.filter((r) => r.error !== null).map((r) => Math.abs(r.error));
  const groups = {};
  for (const r of rows) (groups[r.family] ??= []).push(Math.abs(r.error ?? NaN));
  const stat = (xs) => ({ n: xs.length, meanAbs: xs.reduce((a, b) => a + b, 0) / xs.length, maxAbs: Math.max(...xs) });
  return { all: stat(errs), byFamily: Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, stat(v)])), failed: rows.filter((r) => r.error === null).length };
}

function fit() {
  let best = null;
  for (let m = 0.6; m <= 0.9001; m += 0.01) {
    for (let a = 0.4; a <= 1.0001; a += 0.05) for (const o of [0, 0.05, 0.1, 0.15, 0.2]) {
      const cal = { matmulEfficiency: +m.toFixed(2), attentionEfficiency: +a.toFixed(2), stepOverheadS: o };
      const s = summarize(validate(cal)).all;
      const score = s.meanAbs + 0.25 * s.maxAbs;
      if (!best || score < best.score) best = { score, cal, ...s };
    }
  }
  return best;
}

const pct = (x) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;
if (args.has("--fit")) {
  const best = fit();
  console.log(JSON.stringify(best, null, 1));
} else {
  const rows = validate();
  const summary = summarize(rows);
  if (args.has("--json")) {
    console.log(JSON.stringify({ calibration: Object.fromEntries(Object.entries(CALIBRATION).map(([k, v]) => [k, v.value])), rows, summary }, null, 1));
  } else {
    console.log("record                        plan                              predicted  published   error");
    for (const r of rows) {
      if (r.error === null) { console.log(`${r.id.padEnd(30)} FAILED ${JSON.stringify(r.failure)}`); continue; }
      console.log(`${r.id.padEnd(30)}${r.plan.padEnd(34)}${r.predictedS.toFixed(2).padStart(9)} s${r.publishedS.toFixed(2).padStart(9)} s ${pct(r.error).padStart(7)}${r.withinTolerance ? "" : "  OUT OF TOLERANCE"}`);
    }
    console.log("");
    for (const [fam, s] of Object.entries(summary.byFamily))
      console.log(`${fam.padEnd(40)} n=${s.n}  mean |error| ${(100 * s.meanAbs).toFixed(2)}%  max ${(100 * s.maxAbs).toFixed(2)}%`);
    console.log(`${"all".padEnd(40)} n=${summary.all.n}  mean |error| ${(100 * summary.all.meanAbs).toFixed(2)}%  max ${(100 * summary.all.maxAbs).toFixed(2)}%`);
  }
}
