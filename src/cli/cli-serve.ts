// Text output of the serving commands (`chipscale serve`, `chipscale serve-compare`).
import type { ServeResult } from "../engine/serve.js";
import type { ServeCompareResult, CompareFigure } from "../analyses/serve-compare.js";
import { factText } from "../contract/facts.js";

export const SERVE_HELP = {
  serve: `chipscale serve <scenario.json|-> [--format json|table]

Serves a model: prefill and decode throughput per chip, TTFT, TPOT, the largest batch whose KV
cache fits, power, tokens per joule and cost per million tokens. The scenario is
{model, cluster: {chip, count, system?}, serving: {precision: "bf16"|"fp8"|"int4", inputTokens,
outputTokens, batch: "auto"|n, ttftMs?, tpotMs?, stack?}, parallelism: "auto"|{tp, pp, ep}}; with
ttftMs or tpotMs, "auto" finds the layout and batch with the best throughput per chip that meets
them. stack: "tensorrt-llm" | "vllm-rocm" | "deepseek-ep" | "unprofiled" (default: the chip
vendor's usual one), each fitted on its published serving results.`,
  "serve-compare": `chipscale serve-compare [--chips id1,id2,...] [--reference id] [--format json|table]

Training vs serving relative to a reference chip (default the H100): training, prefill and decode
throughput per chip, and one request's decode speed, each with the hardware figure that limits it
(compute, bandwidth, capacity, interconnect).`,
};

const n = (x: number, digits = 3) => Number(x.toPrecision(digits)).toLocaleString("en-US");

export function serveTable(r: ServeResult): string {
  const p = r.plan;
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
      `${n(r.prefill.tokensPerSPerChip)} tokens/s per chip, limited by ${r.prefill.limitedBy}`,
    ],
    [
      "decode",
      `${n(r.decode.tokensPerSPerChip)} tokens/s per chip, limited by ${r.decode.limitedBy}`,
    ],
    [
      "requests end to end",
      `${n(r.outputTokensPerSPerChip)} generated tokens/s per chip (band ${n(r.uncertainty.outputTokensPerSPerChip[0])}-${n(r.uncertainty.outputTokensPerSPerChip[1])}: ${r.uncertainty.basis})`,
    ],
    ["TTFT / TPOT", `${n(r.ttftMs)} ms / ${n(r.tpotMs)} ms`],
    [
      "memory per chip",
      `${n(r.memory.perChipGB)} of ${n(r.memory.usableGB)} usable GB (weights ${n(r.memory.weightsGB)}, KV cache ${n(r.memory.kvCacheGB)}; ${r.memory.fits ? "fits" : "DOES NOT FIT"})`,
    ],
    ["power", `${n(r.powerMW)} MW at the facility, ${n(r.tokensPerJoule)} tokens/J`],
    ["cost", `$${n(r.costPerMillionTokensUSD)} per million tokens (${r.costBasis})`],
  ];
  if (r.latencyTarget)
    rows.push([
      "latency target",
      `${r.latencyTarget.met ? "met" : "NOT MET (closest shown)"}: ttft ${r.latencyTarget.ttftMs ?? "-"} ms, tpot ${r.latencyTarget.tpotMs ?? "-"} ms`,
    ]);
  for (const w of r.warnings) rows.push(["warning", factText(w)]);
  const w = Math.max(...rows.map((x) => x[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

const cell = (f: CompareFigure | null) => (f ? `x${f.ratio.toFixed(2)} (${f.limitedBy})` : "-");

/** A Markdown table: one row per chip, each figure with its limiter, then the reasons in words. */
export function compareTable(r: ServeCompareResult): string {
  const s = r.serving;
  const lines = [
    `Relative to ${r.reference}, per chip. Training: ${r.training.model} on ${r.training.count} chips, ${r.training.precision}, seq ${r.training.seqLen}. Serving: ${s.model} on ${s.count} chips, ${s.precision}, ${s.inputTokens} in / ${s.outputTokens} out; decode at the best batch under TTFT ${s.ttftMs} ms and TPOT ${s.tpotMs} ms; one request alone on tp ${s.count}; every chip on the ${s.stack} stack's efficiencies.`,
    "",
    "| chip | training | prefill | decode | one request's decode |",
    "|---|---|---|---|---|",
  ];
  for (const row of r.rows)
    lines.push(
      `| ${row.chip} | ${cell(row.training)} | ${cell(row.prefill)} | ${cell(row.decode)} | ${cell(row.decodeOneRequest)} |`,
    );
  return lines.join("\n");
}
