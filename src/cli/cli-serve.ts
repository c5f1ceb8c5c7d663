// Text output of the serving commands (`chipscale serve`, `chipscale serve-compare`).
import type { ServeResult } from "../engine/serve.js";
import type { ServeCompareResult, CompareFigure } from "../analyses/serve-compare.js";
import { factText } from "../contract/facts.js";
import type { Backing } from "../engine/wire.js";

/** A signed whole percent, "+6%" or "-10%": the CLI's one way to write an error range. */
export const signedPct = (x: number) => `${x >= 0 ? "+" : ""}${Math.round(100 * x)}%`;

/** What backs an answer, in one phrase: its stack's published runs, or UNCALIBRATED and the widest band. */
export function backingText(b: Backing): string {
  return b.calibrated
    ? `${b.stack}, ${b.records} published ${b.records === 1 ? "run" : "runs"}, error ${signedPct(b.errorRange[0])} to ${signedPct(b.errorRange[1])}`
    : `${b.stack}, UNCALIBRATED (0 published runs on this chip): widest band ${signedPct(b.errorRange[0])} to ${signedPct(b.errorRange[1])}`;
}

export const SERVE_HELP = {
  serve: `chipscale serve <scenario.json|-> [--format json|table]

Serves a model: prefill and decode throughput per chip, TTFT, TPOT, the largest batch whose KV
cache fits, power, tokens per joule and cost per million tokens. The scenario is
{model, cluster: {chip, count, system?}, serving: {precision: "bf16"|"fp8"|"int4", inputTokens,
outputTokens, batch: "auto"|n, ttftMs?, tpotMs?, stack?}, parallelism: "auto"|{tp, pp, ep}}; with
ttftMs or tpotMs, "auto" finds the layout and batch with the best throughput per chip that meets
them. stack: "tensorrt-llm" | "vllm-rocm" | "deepseek-ep" | "unprofiled" (default: the chip
vendor's usual one), each fitted on its published serving results.`,
  "serve-compare": `chipscale serve-compare [<serve.json|->] [--chips id1,id2,...] [--reference id] [--format json|table]

Training vs serving relative to a reference chip (default the H100): training, prefill and decode
throughput per chip, and one request's decode speed, each with the hardware figure that limits it
(compute, bandwidth, capacity, interconnect). A serve scenario, when given, sets the model (both
halves), the serving precision, context and latency targets; its cluster is not read. Default:
llama3-70b, BF16, 2,048 in / 512 out under TTFT 450 ms and TPOT 40 ms. "~" marks a ratio that
reads an estimated chip figure.`,
};

const n = (x: number, digits = 3) => Number(x.toPrecision(digits)).toLocaleString("en-US");

/** The latency targets in words: each one set, with what the answer reaches; none set is said so. */
export function latencyTargetText(r: ServeResult): string | null {
  const t = r.latencyTarget;
  if (!t) return null;
  const parts = [
    t.ttftMs === null ? "no TTFT target" : `TTFT ${n(r.ttftMs)} ms against ${n(t.ttftMs)} ms`,
    t.tpotMs === null ? "no TPOT target" : `TPOT ${n(r.tpotMs)} ms against ${n(t.tpotMs)} ms`,
  ];
  return `${t.met ? "met" : "NOT MET (closest shown)"}: ${parts.join(", ")}`;
}

export function serveTable(r: ServeResult): string {
  const p = r.plan;
  // Numbers computed from an estimated chip figure are estimates: "~" (the "estimated" row names them).
  const e = r.estimatedBehind.speed.length > 0 ? "~" : "";
  const ee = r.estimatedBehind.energy.length > 0 ? "~" : "";
  const rows: [string, string][] = [
    [
      "model / chip",
      `${r.scenario.model} on ${r.scenario.count} x ${r.scenario.chip} (${r.scenario.precision}), ${r.scenario.inputTokens} in / ${r.scenario.outputTokens} out`,
    ],
    [
      "layout",
      `tp ${p.tp}, pp ${p.pp}, ep ${p.ep}: ${p.instances} instance(s) of ${p.instanceChips} chips`,
    ],
    ["batch", `${r.batch} requests per instance (at most ${r.maxBatch} fit)`],
    ["stack", `${r.stack.name} (${r.stack.chosen}, ${r.stack.status})`],
    [
      "prefill",
      `${e}${n(r.prefill.tokensPerSPerChip)} tokens/s per chip, limited by ${r.prefill.limitedBy}`,
    ],
    [
      "decode",
      `${e}${n(r.decode.tokensPerSPerChip)} tokens/s per chip, limited by ${r.decode.limitedBy}`,
    ],
    [
      "requests end to end",
      `${e}${n(r.outputTokensPerSPerChip)} generated tokens/s per chip (band ${n(r.uncertainty.outputTokensPerSPerChip[0])}-${n(r.uncertainty.outputTokensPerSPerChip[1])}: ${r.uncertainty.basis})`,
    ],
    ["TTFT / TPOT", `${e}${n(r.ttftMs)} ms / ${e}${n(r.tpotMs)} ms`],
    [
      "memory per chip",
      `${n(r.memory.perChipGB)} of ${n(r.memory.usableGB)} usable GB (weights ${n(r.memory.weightsGB)}, KV cache ${n(r.memory.kvCacheGB)}; ${r.memory.fits ? "fits" : "DOES NOT FIT"})`,
    ],
    ["power", `${ee}${n(r.powerMW)} MW at the facility, ${ee}${n(r.tokensPerJoule)} tokens/J`],
    ["cost", `${ee}$${n(r.costPerMillionTokensUSD)} per million tokens (${r.costBasis})`],
  ];
  const target = latencyTargetText(r);
  if (target) rows.push(["latency target", target]);
  if (ee)
    rows.push([
      "estimated",
      `~ reads the chip's estimated ${r.estimatedBehind.energy.join(", ")} (\`chipscale chips ${r.scenario.chip}\` gives basis and range)`,
    ]);
  for (const w of r.warnings) rows.push(["warning", factText(w)]);
  const w = Math.max(...rows.map((x) => x[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

const cell = (f: CompareFigure | null) =>
  f ? `${f.estimated.length > 0 ? "~" : ""}x${f.ratio.toFixed(2)} (${f.limitedBy})` : "-";

const figures = (row: ServeCompareResult["rows"][number]) => [
  row.training,
  row.prefill,
  row.decode,
  row.decodeOneRequest,
];

/** A Markdown table: one row per chip, each figure with its limiter, then the reasons in words. */
export function compareTable(r: ServeCompareResult): string {
  const s = r.serving;
  const lines = [
    `Relative to ${r.referenceShort}, per chip. Training: ${r.training.model} on ${r.training.count} chips, ${r.training.precision}, seq ${r.training.seqLen}. Serving: ${s.model} on ${s.count} chips, ${s.precision}, ${s.inputTokens} in / ${s.outputTokens} out; decode at the best batch under TTFT ${s.ttftMs} ms and TPOT ${s.tpotMs} ms; one request alone on tp ${s.count}; every chip on the ${s.stack} stack's efficiencies.`,
    "",
    "| chip | training | prefill | decode | one request's decode |",
    "|---|---|---|---|---|",
  ];
  for (const row of r.rows)
    lines.push(
      `| ${row.short} | ${cell(row.training)} | ${cell(row.prefill)} | ${cell(row.decode)} | ${cell(row.decodeOneRequest)} |`,
    );
  // Every uncalibrated answer behind a row, by name: its ratios rest on the widest band.
  const uncalibrated = r.rows.flatMap((row) =>
    (["training", "serving"] as const).flatMap((phase) => {
      const b = row.calibration[phase];
      return b && !b.calibrated ? [`uncalibrated: ${row.short} ${phase}: ${backingText(b)}`] : [];
    }),
  );
  if (uncalibrated.length) lines.push("", ...uncalibrated);
  if (r.rows.some((row) => figures(row).some((f) => f && f.estimated.length > 0)))
    lines.push(
      "",
      "~ an estimate: the chip's or the reference's answer read an estimated chip figure (`chipscale chips <id>` gives its basis and range)",
    );
  return lines.join("\n");
}
