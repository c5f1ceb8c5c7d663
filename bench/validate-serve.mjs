// Validates the serving model against published serving results (bench/validation/serving-records.json).
//   npm run validate:serve              one row per record, then the median |error|
//   npm run validate:serve -- --json    the rows and the summary as one JSON object
//   npm run validate:serve -- --summary the table in Markdown (the README's serving-accuracy block)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { load } from "../build/src/index.js";

export const records = JSON.parse(
  readFileSync(new URL("./validation/serving-records.json", import.meta.url), "utf8"),
);
const sim = await load();

const METRIC = {
  outputTokensPerSPerChip: (r) => r.outputTokensPerSPerChip,
  decodeTokensPerSPerChip: (r) => r.decode.tokensPerSPerChip,
  prefillTokensPerSPerChip: (r) => r.prefill.tokensPerSPerChip,
};

/** One row per record: predicted vs published, and whether it counts toward the median. */
export function validateServe() {
  return records.map((rec) => {
    const res = sim.serve(rec.scenario);
    const head = { id: rec.id, name: rec.name, counted: rec.publishedConfig };
    if (!res.ok)
      return {
        ...head,
        counted: false,
        error: null,
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
  const counted = rows.filter((r) => r.counted && r.error !== null).map((r) => Math.abs(r.error));
  return {
    records: rows.length,
    counted: counted.length,
    medianAbsError: median(counted),
    maxAbsError: Math.max(...counted),
  };
}

const pct = (x) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;

function markdown(rows, s) {
  const out = [
    "| record | metric | published | chipscale | error | layout (searched or given) | counted |",
    "|---|---|---:|---:|---:|---|---|",
  ];
  for (const r of rows)
    out.push(
      `| ${r.name} | ${r.metric ?? "-"} | ${r.published?.toFixed(0) ?? "-"} | ${r.predicted?.toFixed(0) ?? "-"} | ${r.error === null ? "-" : pct(r.error)} | ${r.layout ?? "-"} | ${r.counted ? "yes" : `no: ${r.reason}`} |`,
    );
  out.push(
    "",
    `Median |error| over the ${s.counted} records that publish their configuration: ${(100 * s.medianAbsError).toFixed(1)}% (max ${(100 * s.maxAbsError).toFixed(1)}%).`,
  );
  return out.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = validateServe();
  const s = summarize(rows);
  if (process.argv.includes("--json")) console.log(JSON.stringify({ rows, summary: s }, null, 1));
  else if (process.argv.includes("--summary")) console.log(markdown(rows, s));
  else {
    for (const r of rows)
      console.log(
        `${r.id.padEnd(24)} ${r.error === null ? "failed".padStart(8) : pct(r.error).padStart(8)}  published ${String(r.published?.toFixed(0)).padStart(6)}  chipscale ${String(r.predicted?.toFixed(0)).padStart(6)}  ${r.layout ?? ""}${r.counted ? "" : `  (not counted: ${r.reason})`}`,
      );
    console.log(
      `median |error| ${(100 * s.medianAbsError).toFixed(1)}% over ${s.counted} records (max ${(100 * s.maxAbsError).toFixed(1)}%)`,
    );
  }
}
