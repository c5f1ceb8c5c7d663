// Validates the model against every published run (bench/validation/records.json).
//   npm run validate              table per record + summaries (by family, by chip generation)
//   npm run validate -- --json    the same as one JSON object
//   npm run validate -- --summary the summaries only (the README's accuracy block)
//   npm run validate -- --fit     grid-fit matmulEfficiency/attentionEfficiency on the fitting set
//   npm run validate -- --fit-stragglers  fit stragglerCv on the scaling series' drift (LOSO CV)
//   npm run validate -- --fit-stacks [--write]  fit each stack on its own runs, cross-validated
//                                  leave-one-source-out (--write: src/calibration/stacks.fit.ts, then rebuild)
import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { load, CALIBRATION } from "../build/src/index.js";
import { fitStacks, fitModule } from "./fit-stacks.mjs";

export const records = JSON.parse(
  readFileSync(new URL("./validation/records.json", import.meta.url), "utf8"),
);
const sim = await load();

// The records each calibrated constant is fitted on (src/calibration/calibration.ts cites the same sets).
export const FIT_SETS = {
  matmulEfficiency: (r) =>
    r.id.startsWith("megatron2021_t1_") || r.family === "Korthikanti 2022 Table 5",
  // FP8 dense rows of the Megatron-Core stack with published plans (NeMo, Megatron-Bridge, DGX Cloud).
  fp8Efficiency: (r) =>
    r.grade === "A" &&
    !r.moe &&
    r.stack === "megatron-core" &&
    r.scenario?.training.precision === "fp8",
};

const MODULE_ABBR = { layernorm: "ln", mla_up_proj: "up", moe_act: "act" };
const planText = (p) =>
  `tp${p.tp} pp${p.pp} dp${p.dp}${p.cp > 1 ? ` cp${p.cp}` : ""}${p.ep > 1 ? ` ep${p.ep}` : ""}${p.vpp > 1 ? ` v${p.vpp}` : ""} mb${p.microBatch} z${p.zero} ${p.recompute}${p.recomputeModules.map((m) => `+${MODULE_ABBR[m]}`).join("")}${p.sequenceParallel ? " sp" : ""}`;

/** One row per record: predicted vs published on the record's metric, or why it is not simulated. */
export function validate(calibration = {}) {
  return records.map((rec) => {
    const head = {
      id: rec.id,
      validationOnly: rec.validationOnly ?? false,
      grade: rec.grade,
      family: rec.family,
      chipGeneration: rec.chipGeneration,
      moe: rec.moe ?? false,
      stack: rec.stack ?? null,
      sourceUnit: rec.sourceUnit,
      why: rec.toleranceReason ?? null,
    };
    if (!rec.simulated) return { ...head, simulated: false, reason: rec.reason };
    const res = sim.simulate(rec.scenario, { calibration });
    if (!res.ok)
      return {
        ...head,
        simulated: false,
        reason: `simulation failed: ${res.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      };
    const m = rec.published.metric;
    // Run totals compare with failures and restarts included (the published hours include downtime),
    // except Megatron's eq. (4) projections, which exclude them.
    const downtime = m !== "stepS" && !rec.id.startsWith("megatron2021_proj");
    const days = downtime && res.run.effectiveDays !== null ? res.run.effectiveDays : res.run.days;
    const predicted =
      m === "stepS" ? res.step.timeS : m === "days" ? days : days * 24 * rec.scenario.cluster.count;
    const error = predicted / rec.published.value - 1;
    const row = {
      ...head,
      simulated: true,
      checked: rec.checked,
      metric: m,
      predicted,
      published: rec.published.value,
      error,
      tolerance: rec.tolerance,
      withinTolerance: Math.abs(error) <= rec.tolerance,
      plan: planText(res.plan),
      // The stack the run used (the record's, or the chip's default) and the chip class of its band.
      stackUsed: res.stack.id,
      chipClass: res.stack.chipClass,
      // Convention-free throughput next to the step time; MFU is the model's own (precision's peak).
      tokensPerSPerChip: res.throughput.tokensPerSPerChip,
      publishedTokensPerSPerChip: rec.published.tokensPerSPerChip ?? null,
      mfu: res.throughput.mfu,
      fits: res.memory.fits,
      memoryGB: res.memory.perChipGB,
      limitedBy: res.step.limitedBy,
    };
    if (rec.energy) {
      row.energy = {
        predictedMWh: res.run.energyMWh,
        publishedMWh: rec.energy.publishedMWh,
        error: res.run.energyMWh / rec.energy.publishedMWh - 1,
        measured: rec.energy.measured,
      };
    }
    return row;
  });
}

/**
 * Scaling series (records with `series`: one model and plan at three or more chip counts): the
 * step-time error at every count and the drift, largest count's error minus smallest's. A model
 * whose per-chip throughput bends as the published one does keeps the drift near zero.
 */
export function scalingSeries(calibration = {}) {
  return records
    .filter((rec) => rec.series)
    .map((rec) => {
      const points = rec.series.map((pt) => {
        const scenario = structuredClone(rec.scenario);
        scenario.cluster.count = pt.count;
        if (scenario.cluster.system?.scaleUpDomain === rec.scenario.cluster.count)
          scenario.cluster.system.scaleUpDomain = pt.count; // a TPU slice is one ICI domain
        scenario.training.globalBatch = pt.globalBatch;
        scenario.parallelism.dp = pt.dp;
        scenario.parallelism.microBatch = pt.microBatch;
        const res = sim.simulate(scenario, { calibration });
        if (!res.ok) return { count: pt.count, published: pt.stepS, predicted: null, error: null };
        return {
          count: pt.count,
          published: pt.stepS,
          predicted: res.step.timeS,
          error: res.step.timeS / pt.stepS - 1,
        };
      });
      const ok = points.filter((pt) => pt.error !== null);
      const first = ok[0],
        last = ok[ok.length - 1];
      return {
        id: rec.id,
        grade: rec.grade,
        stack: rec.stack,
        points,
        drift: ok.length >= 2 ? last.error - first.error : null,
      };
    });
}

/**
 * Fits stragglerCv on the scaling series: the value whose mean |drift| over the series is least
 * (drift is free of each run's level, which the stacks' efficiencies set), on a grid of 0-10% by
 * 0.25%; cross-validated leave-one-source-out: each series' drift under the fit without its source.
 */
export function fitStragglers() {
  const grid = Array.from({ length: 41 }, (_, k) => +(k * 0.0025).toFixed(4));
  const drifts = new Map(grid.map((cv) => [cv, scalingSeries({ stragglerCv: cv })]));
  const best = (keep) => {
    let top = null;
    for (const cv of grid) {
      const ds = drifts.get(cv).filter(keep);
      const mean = ds.reduce((a, d) => a + Math.abs(d.drift), 0) / ds.length;
      if (!top || mean < top.meanAbsDrift - 1e-12) top = { stragglerCv: cv, meanAbsDrift: mean };
    }
    return top;
  };
  const unit = new Map(records.map((r) => [r.id, r.sourceUnit]));
  const all = best(() => true);
  const crossValidated = [];
  for (const u of new Set(drifts.get(0).map((d) => unit.get(d.id)))) {
    const f = best((d) => unit.get(d.id) !== u);
    for (const d of drifts.get(f.stragglerCv).filter((x) => unit.get(x.id) === u))
      crossValidated.push({ id: d.id, source: u, stragglerCv: f.stragglerCv, drift: d.drift });
  }
  const inSample = drifts.get(all.stragglerCv).map((d) => ({ id: d.id, drift: d.drift }));
  const abs = (xs) => stats(xs.map((x) => Math.abs(x.drift)));
  return {
    ...all,
    withoutStragglers: abs(drifts.get(0)),
    inSample: abs(inSample),
    crossValidatedStats: abs(crossValidated),
    crossValidated,
  };
}

/** The series table: error at the smallest and largest count, the drift, every point's error. */
export function seriesReport(series) {
  const pc = (x) => (x === null ? "   n/a" : pct(x).padStart(7));
  const out = [
    "scaling series (same model and plan at 3+ chip counts; step-time error; drift = largest - smallest, points)",
    `${"series".padEnd(30)}${"chips".padEnd(14)}${"smallest".padStart(9)}${"largest".padStart(9)}${"drift".padStart(8)}   every count`,
  ];
  for (const s of series) {
    const ok = s.points.filter((p) => p.error !== null);
    const a = ok[0],
      b = ok[ok.length - 1];
    out.push(
      `${s.id.padEnd(30)}${`${a.count}-${b.count}`.padEnd(14)}${pc(a.error).padStart(9)}${pc(b.error).padStart(9)}${(s.drift === null ? "n/a" : (100 * s.drift).toFixed(1)).padStart(8)}   ${s.points.map((p) => `${p.count}:${pc(p.error).trim()}`).join(" ")}`,
    );
  }
  const drifts = series.map((s) => Math.abs(s.drift ?? 0));
  out.push(
    `series ${series.length}; |drift| median ${(100 * quantile(drifts, 0.5)).toFixed(1)}, max ${(100 * Math.max(...drifts)).toFixed(1)} points; within 8 points: ${drifts.filter((d) => d <= 0.08).length} of ${series.length}`,
  );
  return out;
}

const quantile = (xs, q) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q,
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
};
export function stats(xs) {
  return {
    n: xs.length,
    meanAbs: xs.reduce((a, b) => a + b, 0) / (xs.length || 1),
    medianAbs: quantile(xs, 0.5),
    p90Abs: quantile(xs, 0.9),
    maxAbs: xs.length ? Math.max(...xs) : NaN,
  };
}

/**
 * Per stack, grade-A step time: the cross-validated error (each run predicted by a fit that never
 * saw its source) beside the in-sample one (the shipped constants, the table above).
 */
export function stackTable(rows, fit) {
  // Held-out runs are never in the fit, so never in this table.
  const cv = new Map(fit.rows.map((r) => [r.id, r.crossValidated]));
  const inFit = rows.filter((r) => cv.has(r.id));
  const entry = (rs) => ({
    n: rs.length,
    crossValidated: stats(rs.map((r) => Math.abs(cv.get(r.id)))),
    inSample: stats(rs.map((r) => Math.abs(r.error))),
  });
  const byStack = {};
  for (const id of Object.keys(fit.stacks))
    byStack[id] = entry(inFit.filter((r) => r.stack === id));
  return { byStack, all: entry(inFit), dense: entry(inFit.filter((r) => !r.moe)) };
}

/** The held-out runs (validationOnly: not in the reference, never fitted), each with its error. */
export function heldOut(rows) {
  const rs = rows.filter((r) => r.validationOnly && r.simulated);
  return { rows: rs, stats: stats(rs.map((r) => Math.abs(r.error))) };
}

export function summarize(allRows) {
  const rows = allRows.filter((r) => !r.validationOnly);
  const checked = rows.filter((r) => r.simulated && r.checked);
  const abs = (rs) => rs.map((r) => Math.abs(r.error));
  const group = (key, rs = checked) => {
    const g = {};
    for (const r of rs) (g[r[key]] ??= []).push(Math.abs(r.error));
    return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, stats(v)]));
  };
  return {
    gradeA: stats(abs(checked.filter((r) => r.grade === "A"))),
    gradeADense: stats(abs(checked.filter((r) => r.grade === "A" && !r.moe))),
    gradeAMoe: stats(abs(checked.filter((r) => r.grade === "A" && r.moe))),
    gradeB: stats(abs(checked.filter((r) => r.grade === "B"))),
    korthikantiT5: stats(abs(checked.filter((r) => r.family === "Korthikanti 2022 Table 5"))),
    byFamily: group("family"),
    byGeneration: group("chipGeneration"),
    gradeAByStack: group(
      "stackClass",
      checked
        .filter((r) => r.grade === "A")
        .map((r) => ({
          ...r,
          stackClass: `${r.stack ?? "unpublished"}, ${r.moe ? "MoE" : "dense"}`,
        })),
    ),
    gradeAByGeneration: group(
      "chipGeneration",
      checked.filter((r) => r.grade === "A"),
    ),
    shownByGeneration: group(
      "chipGeneration",
      rows.filter((r) => r.simulated && !r.checked),
    ),
    outOfTolerance: checked.filter((r) => !r.withinTolerance).map((r) => r.id),
    worst: [...checked]
      .sort((a, b) => Math.abs(b.error) - Math.abs(a.error))
      .slice(0, 10)
      .map((r) => ({ id: r.id, error: r.error, why: r.why })),
    simulated: rows.filter((r) => r.simulated).length,
    // Every published run ran, so it fitted: a plan the memory model calls over capacity is a memory-model miss.
    memoryMisses: rows.filter((r) => r.simulated && !r.fits).map((r) => r.id),
    notSimulated: rows.filter((r) => !r.simulated).length,
  };
}

// Grid fits, each on its own record set (FIT_SETS): score = mean |error| + max |error| / 4.
function fit() {
  const grid = (setName, cals) => {
    const set = records.filter(FIT_SETS[setName]).map((r) => r.id);
    let best = null;
    for (const cal of cals) {
      const s = stats(
        validate(cal)
          .filter((r) => set.includes(r.id))
          .map((r) => Math.abs(r.error)),
      );
      const score = s.meanAbs + 0.25 * s.maxAbs;
      if (!best || score < best.score) best = { score, cal, ...s, records: set };
    }
    return best;
  };
  const steps = (lo, hi, d) =>
    Array.from({ length: Math.round((hi - lo) / d) + 1 }, (_, k) => +(lo + k * d).toFixed(2));
  // FP8 scales the shipped BF16 constants (src/calibration/calibration.ts), whatever the BF16 grid prints.
  const bf16 = grid(
    "matmulEfficiency",
    steps(0.6, 0.9, 0.01).flatMap((m) =>
      steps(0.4, 1, 0.05).map((a) => ({ matmulEfficiency: m, attentionEfficiency: a })),
    ),
  );
  const fp8 = grid(
    "fp8Efficiency",
    steps(0.7, 1, 0.02).map((f) => ({ fp8Efficiency: f })),
  );
  return { matmulEfficiency: bf16, fp8Efficiency: fp8 };
}

const pct = (x) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;
const num = (x, metric) =>
  metric === "chipHours"
    ? `${(x / 1e6).toFixed(3)}M h`
    : metric === "days"
      ? `${x.toFixed(1)} d`
      : `${x.toFixed(2)} s`;
const line = (name, s) =>
  `${name.padEnd(Math.max(36, name.length + 1))} n=${String(s.n).padStart(2)}  median ${(100 * s.medianAbs).toFixed(1).padStart(5)}%  p90 ${(100 * s.p90Abs).toFixed(1).padStart(5)}%  max ${(100 * s.maxAbs).toFixed(1).padStart(5)}%  mean ${(100 * s.meanAbs).toFixed(2).padStart(5)}%`;

/** The report as text lines (also the README's accuracy block, scripts/update-readme.mjs). */
export function report(rows, summary, stacks, { table = true } = {}) {
  const out = [];
  if (table) out.push(...recordTable(rows));
  const pc = (x) => `${(100 * x).toFixed(1)}%`.padStart(6);
  const trio = (s) => `${pc(s.medianAbs)} ${pc(s.p90Abs)} ${pc(s.maxAbs)}`;
  const stackLine = (name, e) =>
    `${name.padEnd(24)} n=${String(e.n).padStart(2)}   ${trio(e.crossValidated)}     ${trio(e.inSample)}`;
  out.push(
    "by software stack, grade A step time (src/calibration/stacks.ts; |error|, cross-validated leave-one-source-out)",
    `${"".padEnd(30)}cross-validated            in-sample`,
    `${"stack".padEnd(30)}median    p90    max     median    p90    max`,
    ...Object.entries(stacks.byStack).map(([k, e]) => stackLine(k, e)),
    stackLine("all grade A", stacks.all),
    stackLine("  dense", stacks.dense),
    "",
  );
  const held = heldOut(rows);
  if (held.rows.length) {
    out.push(
      "held out (validationOnly: published runs outside ../shared/reference/published-runs.json, never fitted; |error|)",
      ...held.rows.map(
        (r) =>
          `  ${r.id.padEnd(36)}${r.grade}  ${`${r.stackUsed} on ${r.chipClass}`.padEnd(34)}${pct(r.error).padStart(7)}`,
      ),
      line("  all held out", held.stats),
      "",
    );
  }
  out.push("by family (checked records: grades A and B; |error|)");
  for (const [k, s] of Object.entries(summary.byFamily)) out.push(line(k, s));
  out.push("", "by chip generation (checked records)");
  for (const [k, s] of Object.entries(summary.byGeneration)) out.push(line(k, s));
  for (const [k, s] of Object.entries(summary.shownByGeneration))
    out.push(line(`${k} (grade C: shown, not checked)`, s));
  out.push("", "by training stack, grade A only");
  for (const [k, s] of Object.entries(summary.gradeAByStack)) out.push(line(k, s));
  out.push("", "by chip generation, grade A only (step time, published plan)");
  for (const [k, s] of Object.entries(summary.gradeAByGeneration)) out.push(line(k, s));
  out.push(
    "",
    line("grade A (step time, published plan)", summary.gradeA),
    line("  dense", summary.gradeADense),
    line("  MoE", summary.gradeAMoe),
    line("grade B (run totals)", summary.gradeB),
    line("Korthikanti 2022 Table 5", summary.korthikantiT5),
    `${"Calculon on Korthikanti Table 5".padEnd(36)} n= 5  as reported: mean 3.65%, max 8.87% (Isaev et al., SC'23)`,
    "",
    "worst ten, and why each is off (the reason is the record's, bench/validation/records.json):",
    ...summary.worst.map(
      (w) => `  ${w.id} ${pct(w.error)}: ${w.why ?? "within its grade's budget"}`,
    ),
    `memory: no run publishes per-chip memory; the model puts ${summary.memoryMisses.length} published plans over capacity: ${summary.memoryMisses.join(", ")}`,
    `simulated ${summary.simulated}, not simulated ${summary.notSimulated}, out of tolerance: ${summary.outOfTolerance.length ? summary.outOfTolerance.join(", ") : "none"}`,
  );
  return out;
}

function recordTable(rows) {
  const out = [];
  out.push(
    `${"record".padEnd(34)}${"gr".padEnd(3)}${"plan".padEnd(44)}${"predicted".padStart(12)}${"published".padStart(12)}   error`,
  );
  for (const r of rows) {
    if (!r.simulated) {
      out.push(`${r.id.padEnd(34)}${r.grade.padEnd(3)}not simulated: ${r.reason}`);
      continue;
    }
    const flag =
      (!r.checked
        ? "  (shown, not checked)"
        : r.withinTolerance
          ? ""
          : `  OUT OF TOLERANCE (${(100 * r.tolerance).toFixed(0)}%)`) +
      (r.fits
        ? ""
        : `  [model says ${r.memoryGB.toFixed(0)} GB/chip: over capacity, but the run ran]`);
    out.push(
      `${r.id.padEnd(34)}${r.grade.padEnd(3)}${r.plan.padEnd(44)}${num(r.predicted, r.metric).padStart(12)}${num(r.published, r.metric).padStart(12)} ${pct(r.error).padStart(7)}${flag}`,
    );
  }
  const energy = rows.filter((r) => r.energy);
  if (energy.length) {
    out.push(
      "",
      "energy (informational: every published figure here is GPU-hours x TDP or an assumed power, not a measurement)",
    );
    for (const r of energy)
      out.push(
        `${r.id.padEnd(34)}predicted ${r.energy.predictedMWh.toFixed(0).padStart(7)} MWh  published ${r.energy.publishedMWh.toFixed(0).padStart(7)} MWh ${pct(r.energy.error).padStart(7)}`,
      );
  }
  out.push("");
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  if (args.has("--fit")) console.log(JSON.stringify(fit(), null, 1));
  else if (args.has("--fit-stragglers")) console.log(JSON.stringify(fitStragglers(), null, 1));
  else if (args.has("--fit-stacks")) {
    const f = fitStacks(sim, records);
    if (args.has("--write")) {
      const target = fileURLToPath(new URL("../src/calibration/stacks.fit.ts", import.meta.url));
      writeFileSync(target, fitModule(f));
      execFileSync("npx", ["prettier", "--write", target]);
      console.log("wrote src/calibration/stacks.fit.ts: npm run build, then npm run validate");
    } else console.log(JSON.stringify({ stacks: f.stacks, widest: f.widest }, null, 1));
  } else {
    const rows = validate();
    const summary = summarize(rows);
    const fit = fitStacks(sim, records);
    const stacks = stackTable(rows, fit);
    if (args.has("--json")) {
      console.log(
        JSON.stringify(
          {
            calibration: Object.fromEntries(
              Object.entries(CALIBRATION).map(([k, v]) => [k, v.value]),
            ),
            rows,
            summary,
            stacks,
            series: scalingSeries(),
            heldOut: heldOut(rows).stats,
            // The runs the stack fits saw (held-out runs never are).
            fitIds: fit.rows.map((r) => r.id),
          },
          null,
          1,
        ),
      );
    } else {
      console.log(report(rows, summary, stacks, { table: !args.has("--summary") }).join("\n"));
      console.log(["", ...seriesReport(scalingSeries())].join("\n"));
    }
  }
}
