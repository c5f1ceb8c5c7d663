// Validates the serving model against published serving results (bench/validation/serving-records.json).
//   npm run validate:serve                  one row per record (in-sample and cross-validated error)
//   npm run validate:serve -- --json        the rows and the summary as one JSON object
//   npm run validate:serve -- --summary     the table in Markdown (the README's serving-accuracy block)
//   npm run validate:serve -- --fit --write refit the serving stacks, write src/calibration/serve-stacks.fit.ts
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { load } from "../build/src/index.js";
import { fitServingStacks, fitModule } from "./fit-serve-stacks.mjs";

export const records = JSON.parse(
  readFileSync(new URL("./validation/serving-records.json", import.meta.url), "utf8"),
);
const sim = await load();

const METRIC = {
  outputTokensPerSPerChip: (r) => r.outputTokensPerSPerChip,
  decodeTokensPerSPerChip: (r) => r.decode.tokensPerSPerChip,
  prefillTokensPerSPerChip: (r) => r.prefill.tokensPerSPerChip,
};

/**
 * One row per record: predicted (on its stack's shipped constants) vs published, the error a fit
 * that never saw the record's source makes, and whether it counts toward the median.
 */
export function validateServe(fit = fitServingStacks(sim, records)) {
  const cv = new Map(fit.rows.map((r) => [r.id, r.crossValidated]));
  return records.map((rec) => {
    const res = sim.serve(rec.scenario);
    const head = { id: rec.id, name: rec.name, stack: rec.stack, counted: rec.publishedConfig };
    if (!res.ok)
      return {
        ...head,
        counted: false,
        error: null,
        crossValidated: null,
        reason: res.errors.map((e) => `${e.path}: ${e.message}`).join("; "),
      };
    const predicted = METRIC[rec.published.metric](res);
    const p = res.plan;
    return {
      ...head,
      metric: rec.published.metric,
      published: rec.published.value,
      predicted,
      error: predicted / rec.published.value - 1,
      crossValidated: cv.get(rec.id) ?? null,
      layout: `tp${p.tp} pp${p.pp}${p.ep > 1 ? ` ep${p.ep}` : ""} batch ${res.batch}`,
      limitedBy: res.decode.limitedBy,
      reason: rec.reason ?? null,
    };
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function summarize(rows) {
  const counted = rows.filter((r) => r.counted && r.error !== null);
  const abs = (key) => counted.map((r) => Math.abs(r[key]));
  return {
    records: rows.length,
    counted: counted.length,
    medianAbsError: median(abs("error")),
    maxAbsError: Math.max(...abs("error")),
    medianAbsCrossValidated: median(abs("crossValidated")),
    maxAbsCrossValidated: Math.max(...abs("crossValidated")),
  };
}

const pct = (x) =>
  x === null || x === undefined ? "-" : `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;

function markdown(rows, s, fit) {
  const out = [
    "| record | stack | published | chipscale | in-sample | cross-validated | layout (searched or given) | counted |",
    "|---|---|---:|---:|---:|---:|---|---|",
  ];
  for (const r of rows)
    out.push(
      `| ${r.name} | ${r.stack} | ${r.published?.toFixed(0) ?? "-"} | ${r.predicted?.toFixed(0) ?? "-"} | ${pct(r.error)} | ${pct(r.crossValidated)} | ${r.layout ?? "-"} | ${r.counted ? "yes" : `no: ${r.reason}`} |`,
    );
  out.push(
    "",
    `Median |error| over the ${s.counted} records that publish their configuration: ${(100 * s.medianAbsError).toFixed(1)}% in-sample (max ${(100 * s.maxAbsError).toFixed(1)}%), ${(100 * s.medianAbsCrossValidated).toFixed(1)}% cross-validated leave-one-source-out (max ${(100 * s.maxAbsCrossValidated).toFixed(1)}%).`,
    "",
    "| stack | results (sources) | fitted constants | cross-validated p10 / p90 |",
    "|---|---|---|---|",
  );
  for (const [id, f] of Object.entries(fit.stacks))
    out.push(
      `| ${id} | ${f.n} (${f.sources}) | ${
        Object.entries(f.constants)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none (too few results)"
      } | ${pct(f.p10)} / ${pct(f.p90)} |`,
    );
  return out.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fit = fitServingStacks(sim, records);
  if (process.argv.includes("--fit")) {
    const text = fitModule(fit);
    if (process.argv.includes("--write")) {
      writeFileSync(new URL("../src/calibration/serve-stacks.fit.ts", import.meta.url), text);
      console.log(
        "wrote src/calibration/serve-stacks.fit.ts (run npx prettier --write on it, then npm run build)",
      );
    } else console.log(text);
  } else {
    const rows = validateServe(fit);
    const s = summarize(rows);
    if (process.argv.includes("--json")) console.log(JSON.stringify({ rows, summary: s }, null, 1));
    else if (process.argv.includes("--summary")) console.log(markdown(rows, s, fit));
    else {
      console.log(
        `${"record".padEnd(30)} ${"in-sample".padStart(9)} ${"cv".padStart(8)}  published  chipscale`,
      );
      for (const r of rows)
        console.log(
          `${r.id.padEnd(30)} ${(r.error === null ? "failed" : pct(r.error)).padStart(9)} ${pct(r.crossValidated).padStart(8)}  ${String(r.published?.toFixed(0)).padStart(9)}  ${String(r.predicted?.toFixed(0)).padStart(9)}  ${r.stack} ${r.layout ?? ""}${r.counted ? "" : `  (not counted: ${r.reason})`}`,
        );
      console.log(
        `median |error| over ${s.counted} records: ${(100 * s.medianAbsError).toFixed(1)}% in-sample (max ${(100 * s.maxAbsError).toFixed(1)}%), ${(100 * s.medianAbsCrossValidated).toFixed(1)}% cross-validated (max ${(100 * s.maxAbsCrossValidated).toFixed(1)}%)`,
      );
    }
  }
}
