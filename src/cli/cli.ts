// The `chipscale` command. Prints one JSON object (or a table) and exits 0; bad input exits 2,
// a NOT FEASIBLE verdict 3.
import { readFile, stat } from "node:fs/promises";
import { load } from "../simulator.js";
import { chips, systems, models, findChip, conflictFigure } from "../catalog/index.js";
import { STACKS, STACK_IDS, chipClass, defaultStack, stackFit } from "../calibration/stacks.js";
import { tpp, performanceDensity, classify, exportClass } from "../catalog/export-control.js";
import type { SimulateResult, Failure } from "../contract/result.js";
import type { FeasibleResult } from "../analyses/answers.js";
import type {
  MatchResult,
  MatchNote,
  MatchSide,
  RatioReading,
  BatchPolicy,
} from "../analyses/match.js";
import type { SweepResult, SweepAxis } from "../analyses/sweep.js";
import type { ChipRecord } from "../catalog/types.js";
import { closest, didYouMean } from "../contract/suggest.js";
import { factText, issue, type Issue } from "../contract/facts.js";
import {
  recomputeText,
  offloadText,
  meshText,
  parseScenario,
  type FullPlan,
  type Parsed,
} from "../contract/scenario.js";
import { parseServeScenario } from "../engine/serve.js";
import type { RankedPlan } from "../engine/planner.js";
import type { FrontierResult } from "../analyses/frontier.js";
import { SERVE_HELP, serveTable, compareTable, backingText, signedPct } from "./cli-serve.js";

const HELP: Record<string, string> = {
  main: `chipscale: can this model be trained on this cluster, in how many days, MWh and dollars?

Usage:
  chipscale simulate <scenario.json> [--format json|table]   one scenario, JSON result
  chipscale search <scenario.json> [--top N] [--format table] best parallel plans for it
  chipscale feasible <scenario.json> [--json]                verdict under its constraints, and fixes
  chipscale match <reference.json> --chip ID [--system ID] [--batch keep|grow|round]
        [--max-batch N] [--tolerance F] [--json]             chips of ID per reference chip
  chipscale sweep <scenario.json> --axis A --values v1,v2,.. [--by B --by-values w1,w2] [--format csv|json]
                                                             one axis varied, best plan at each point
  chipscale frontier <scenario.json> --rule R [--bounds k=v,..] [--format table]
                                                             fastest chip export rule R still allows
  chipscale serve <scenario.json> [--format json|table]      serving: prefill, decode, TTFT, TPOT, cost
  chipscale serve-compare [<serve.json>] [--chips a,b] [--format table]
                                                             training vs serving relative to the H100
  chipscale chips [<id>] [--json] [--format table]           the chip catalog, with sources
  chipscale systems [--json]                                 scale-up systems
  chipscale stacks [--json]                                  software stacks and what calibrates them
  chipscale models [--json]                                  model presets
  chipscale <command> --help                                 help for one command

Scenario files follow the contract in README.md; "-" reads standard input.
Exit codes: 0 ok, 3 feasible's verdict NOT FEASIBLE, 2 bad input (JSON
{"ok":false,"errors":[{"path","code","data","message"}]} on stdout), 1 an internal error or output
that cannot be written (a full disk, a closed pipe). With --format table or csv, errors
are "error: <field>: <message>" lines on stderr instead. Standard input is capped at
16 MiB, as files are.`,
  simulate: `chipscale simulate <scenario.json> [--format json|table]

Simulates one training run. The scenario names a model (preset id or shape), training
tokens/seqLen/globalBatch/precision, a cluster (chip id or overrides, count, system) and a
parallel plan ("auto" searches for the best). Prints the result JSON (or a table).`,
  search: `chipscale search <scenario.json> [--top N] [--format json|table]

Enumerates every valid plan (tp, pp, dp, cp, ep, etp, vpp, microBatch, ZeRO, recompute), scores
each with the core and prints {ok, best, byEnergy, top, candidates, evaluated, pruned, rejectedOOM,
elapsedMs}; --top N (1-1000, default 5) ranked plans; --format table prints the best plan's table
and the ranking.`,
  feasible: `chipscale feasible <scenario.json> [--json]

Judges a scenario against its "constraints": {"deadlineDays", "powerMW", "energyMWh",
"budgetUSD", "maxChips"} (each optional; the deadline counts failures and checkpoints), prints
each limit with its margin, and what would make it feasible: the fewest chips that meet the
deadline, the deadline reachable under the power cap or chip limit, a larger global batch (up to
8x) that meets it or finishes soonest. Exits 0 when feasible, 3 when not, 2 on bad input.`,
  match: `chipscale match <reference.json> --chip <id> [--system <id>] [--batch keep|grow|round] [--max-batch N] [--tolerance F] [--json]

How many chips of <id> per reference chip. Days with failures against chip count for both chips on
a fine grid of usable counts (whole 8-chip nodes), the fastest at or below each count, and the
ratios read off the two envelopes (interpolated between grid counts, stated as such) at equal time,
equal facility power and equal purchase price, each beside a concrete cluster that achieves it.
The first line is the headline: the ratio, the concrete cluster, and the batch policy.
  --batch keep    the reference's global batch ("cannot match" names the best count and days)
  --batch grow    (default) the batch may grow, 2x at a time, up to --max-batch (default: the
                  model's published batch, else the DeepSeek LLM compute-optimal batch estimate)
  --batch round   the batch nearest the reference's that a plan divides, within --tolerance
                  (default 0.05)
Power counts one basis for every system: chips + hosts + switches + optics + network racks.`,
  sweep: `chipscale sweep <scenario.json> --axis <axis> --values v1,v2,... [--by <axis> --by-values w1,w2,...] [--format csv|json]

Varies one axis (count, chip, system, model, tokens, seqLen, globalBatch, precision, pue, or a chip
figure: bf16Tflops, fp8Tflops, hbmGB, hbmTBps, scaleUpGBps, scaleUpDomain, scaleOutGbps, tdpW), finds the best
plan at every point and prints columns: x, days, effectiveDays, energyMWh, powerMW, costUSD, costBasis, mfu,
tokensPerS, stepS, plan, error. --by adds a second axis: one series per value (CSV: a first column).`,
  frontier: `chipscale frontier <scenario.json> --rule <id> [--bounds k=v,...] [--format json|table]

The fastest hypothetical chip that export rule <id> (oct2022, oct2023, jan2026) still allows: the
scenario's chip with its FLOP/s held under the rule's TPP and performance-density thresholds (one
unit under), its HBM bandwidth and scale-up I/O under any thresholds the rule puts on them, and
every figure at most its bound. Bounds default to the scenario chip's figures; move them with
--bounds bf16Tflops=1000,hbmGB=96,hbmTBps=4,scaleUpGBps=900,scaleUpDomain=8,scaleOutGbps=400,dieAreaMm2=814.
Prints that chip, its days for the scenario, how many of these chips match the scenario's cluster, and days
against TPP (the chip scaled in FLOP/s, and the catalog's chips at the scenario's count).`,
  chips: `chipscale chips [<id>] [--json] [--format table]

Lists the chip catalog (dense peaks, HBM, scale-up/out, TDP, confidence). With an id, prints
that chip with every source and documented conflict (JSON; --format table: one row per figure with
its sources, "~" and the range for an estimate). Unknown figures print as "unknown".`,
  systems: `chipscale systems [--json]\n\nLists the scale-up systems (domain size, bandwidth per chip, power).`,
  stacks: `chipscale stacks [--json]\n\nLists the software stacks (training.stack): per chip class, the constants fitted on the stack's\nown published runs, how many runs, and their cross-validated error (p10-p90) that bands an answer.`,
  models: `chipscale models [--json]\n\nLists the model presets and the source of each shape.`,
  ...SERVE_HELP,
};

/** A command-line mistake; `path` names the flag at fault ("" for the command line as a whole). */
class UsageError extends Error {
  constructor(
    message: string,
    readonly path = "",
  ) {
    super(message);
  }
}

function write(text: string): Promise<void> {
  // Resolves once the text is written; a failed write ends the process (the stdout error handler).
  return new Promise((done) => {
    process.stdout.write(text + "\n", (e) => {
      if (!e) done();
    });
  });
}

/** --format table or csv was asked for: errors are then lines on stderr, not the JSON object on stdout. */
let lineMode = false;

function writeErr(text: string): Promise<void> {
  return new Promise((done) => process.stderr.write(text + "\n", () => done()));
}

/** An error as a person reads it: `error: <field>: <message>` (the field left out when none). */
const errorLine = (e: Issue) => `error: ${e.path ? `${e.path}: ` : ""}${e.message}`;

/**
 * A failed answer, exit 2: with --format table or csv, one `error: <field>: <message>` line per problem
 * and then `notes` on stderr; else `json` (the failure's JSON object) on stdout.
 */
async function failed(f: Failure, json = JSON.stringify(f, null, 2), notes: string[] = []) {
  if (lineMode) await writeErr([...f.errors.map(errorLine), ...notes].join("\n"));
  else await write(json);
  return 2;
}

const failWith = (e: Issue): Failure => ({ ok: false, errors: [e], warnings: [] });
/** The input file (or standard input) could not be read as a scenario. */
const fail = (file: string, message: string): Failure =>
  failWith(issue("", "file", { file }, message));

const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The scenario file (or standard input) read and checked against the contract: the scenario typed
 * as `parse` says (a training Scenario, or a ServeScenario), or every problem with it.
 */
async function readScenario<T>(
  file: string | undefined,
  parse: (input: unknown) => Parsed<T>,
): Promise<Parsed<T>> {
  const json = await readJson(file);
  return isFailure(json) ? json : parse(json);
}

async function readJson(file: string | undefined): Promise<unknown | Failure> {
  if (!file)
    return failWith(
      issue("", "usage", {}, "missing scenario file: chipscale simulate <scenario.json>"),
    );
  let text: string;
  try {
    if (file === "-") {
      // Standard input is capped like a file: reading stops past the limit instead of filling memory.
      const parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_FILE_BYTES)
          return fail(
            file,
            `standard input is over ${MAX_FILE_BYTES} bytes; scenarios are at most that`,
          );
        parts.push(chunk as Buffer);
      }
      text = Buffer.concat(parts).toString("utf8");
    } else {
      const info = await stat(file);
      if (!info.isFile()) return fail(file, `${file} is not a file`);
      if (info.size > MAX_FILE_BYTES)
        return fail(file, `${file} is ${info.size} bytes; scenarios are at most ${MAX_FILE_BYTES}`);
      text = await readFile(file, "utf8");
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      file,
      code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file}: ${code ?? String(e)}`,
    );
  }
  if (text.trim() === "") return fail(file, `${file === "-" ? "standard input" : file} is empty`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return fail(
      file,
      `${file === "-" ? "standard input" : file} is not valid JSON: ${(e as Error).message}`,
    );
  }
}

const isFailure = (v: unknown): v is Failure =>
  typeof v === "object" &&
  v !== null &&
  (v as Failure).ok === false &&
  Array.isArray((v as Failure).errors);

/**
 * A TPP as people read it: a grouped integer rounded down ("20,919" for 20919.2), so a chip just
 * under a threshold never reads as at it; the export class compares the raw number.
 */
const tppText = (x: number | null) =>
  x === null ? "unknown" : Math.floor(x).toLocaleString("en-US");

function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return "unknown";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  // Grouped digits read better than exponents up to quadrillions ($33,100,000, not $3.31e+7).
  if (abs >= 1e15 || abs < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toLocaleString("en-US");
}

function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

function planLine(p: FullPlan): string {
  return `tp ${p.tp}, pp ${p.pp}, dp ${p.dp}, cp ${p.cp}, ep ${p.ep}${p.ep > 1 ? `, etp ${p.etp}` : ""}, vpp ${p.vpp}, microBatch ${p.microBatch}, ZeRO ${p.zero}, recompute ${recomputeText(p)}${p.sequenceParallel && p.tp > 1 ? ", SP" : ""}${p.tpCommOverlap ? ", TP comm overlapped" : ""}${p.overlapAllToAll && p.ep > 1 ? ", all-to-all overlapped" : ""}${offloadText(p) ? `, offload ${offloadText(p)}` : ""}`;
}

/** The search's ranking under the best plan's table: step, memory and limiter per plan. */
function rankedTable(top: RankedPlan[]): string {
  return table(
    top.map((t, k) => [
      `#${k + 1}  ${fmt(t.stepS)} s`,
      `${planLine(t.plan)}; ${fmt(t.memoryGB)} GB; limited by ${t.limitedBy}`,
    ]),
  );
}

/** The share of a NIC data-parallel rings keep across the tiers above the fabric, when one slows them. */
function dpTierRow(r: SimulateResult): [string, string][] {
  const t = r.step.dpLimitingTier;
  if (t === null) return [];
  const share = `${(100 * r.step.dpPodShare).toFixed(1)}% of a NIC`;
  return [["DP across tiers", `rings keep ${share}, limited by cluster.system.tiers[${t}]`]];
}

function resultTable(r: SimulateResult): string {
  const p = r.plan;
  return table([
    [
      "model / chip",
      `${r.scenario.model} on ${r.scenario.count} x ${r.scenario.chip} (${r.scenario.precision})`,
    ],
    ["plan", planLine(p)],
    [
      "step time",
      `${fmt(r.step.timeS)} s (compute ${fmt(r.step.computeS)}, bubble ${fmt(r.step.bubbleS)}, exposed comm ${fmt(r.step.exposedCommS)})`,
    ],
    [
      "step breakdown",
      `exposed DP ${fmt(r.step.dpCommS)} s, exposed TP ${fmt(r.step.tpCommS)} s, exposed EP ${fmt(r.step.epCommS)} s, bubble ${fmt(r.step.bubbleS)} s, stragglers ${fmt(r.step.stragglerS)} s${r.step.offloadS > 0 ? `, offload ${fmt(r.step.offloadS)} s` : ""}`,
    ],
    ...dpTierRow(r),
    [
      "throughput",
      `${fmt(r.throughput.tokensPerS)} tokens/s, ${fmt(r.throughput.modelTflopsPerChip)} model TFLOP/s per chip`,
    ],
    [
      "MFU / HFU",
      `${(100 * r.throughput.mfu).toFixed(1)}% / ${(100 * r.throughput.hfu).toFixed(1)}%`,
    ],
    [
      "memory per chip",
      `${fmt(r.memory.perChipGB)} of ${fmt(r.memory.capacityGB)} GB (${r.memory.fits ? "fits" : "DOES NOT FIT"})`,
    ],
    ...(r.memory.hostGB > 0
      ? [
          [
            "host memory per chip",
            `${fmt(r.memory.hostGB)}${r.memory.hostCapacityGB === null ? "" : ` of ${fmt(r.memory.hostCapacityGB)}`} GB offloaded`,
          ] as [string, string],
        ]
      : []),
    [
      "training time",
      `${fmt(r.run.days)} days (band ${fmt(r.uncertainty.days[0])}-${fmt(r.uncertainty.days[1])}; ${r.run.effectiveDays === null ? "never finishes" : fmt(r.run.effectiveDays) + " days"} with failures, goodput ${(100 * r.run.goodput).toFixed(1)}%)`,
    ],
    ["chip-hours", fmt(r.run.chipHours)],
    ["stack", stackLine(r)],
    ["power", `${fmt(r.run.powerMW)} MW at the facility`],
    ["energy", `${fmt(r.run.energyMWh)} MWh, ${fmt(r.run.co2Tonnes)} t CO2`],
    ["cost", `$${fmt(r.run.costUSD)} (${r.run.costBasis})`],
    ...r.warnings.map((w): [string, string] => ["warning", factText(w)]),
  ]);
}

/** The stack the answer assumes and what backs its band, in one line. */
function stackLine(r: SimulateResult): string {
  const u = r.uncertainty;
  const backing =
    r.stack.status === "calibrated"
      ? `band from ${u.records} published ${u.records === 1 ? "run" : "runs"} on ${r.stack.chipClass}, cross-validated error ${signedPct(u.errorRange[0])} to ${signedPct(u.errorRange[1])}`
      : `UNCALIBRATED on ${r.stack.chipClass} (0 published runs): widest band, ${signedPct(u.errorRange[0])} to ${signedPct(u.errorRange[1])}`;
  const held = u.heldOut
    ? `; held-out check: ${u.heldOut.records} ${u.heldOut.records === 1 ? "run" : "runs"} never fitted, ${signedPct(u.heldOut.errorRange[0])} to ${signedPct(u.heldOut.errorRange[1])}`
    : "";
  return `${r.stack.name}${r.stack.chosen === "chip default" ? " (chip default; set training.stack)" : ""}; ${backing}${held}`;
}

function chipSummary(c: ChipRecord) {
  const pd = performanceDensity(c);
  return {
    id: c.id,
    name: c.name,
    vendor: c.vendor,
    year: c.year,
    bf16Tflops: c.bf16Tflops,
    fp8Tflops: c.fp8Tflops,
    fp4Tflops: c.fp4Tflops,
    hbmGB: c.hbmGB,
    hbmTBps: c.hbmTBps,
    scaleUpGBps: c.scaleUpGBps,
    scaleUpConvention: "bidirectional aggregate per chip (per direction = half)",
    scaleUpDomain: c.scaleUpDomain,
    scaleOutGbps: c.scaleOutGbps,
    tdpW: c.tdpW,
    dieAreaMm2: c.dieAreaMm2,
    priceUSD: c.priceUSD,
    confidence: c.confidence,
    // The stack an answer on this chip assumes unless training.stack names one (src/calibration/stacks.ts).
    chipClass: chipClass(c),
    defaultStack: defaultStack(c),
    /** Figures no source gives: chipscale's estimate of each, with its basis and range. */
    estimates: c.estimates,
    tpp: tpp(c),
    performanceDensity: pd === null ? null : Number(pd.toFixed(2)),
    exportClass: exportClass(c),
    exportControl: classify(c),
    sources: c.sources,
    conflicts: c.conflicts,
  };
}

/** The figures `chips <id> --format table` shows, each with its unit. */
const CHIP_FIGURES: [keyof ChipRecord, string][] = [
  ["bf16Tflops", "BF16 dense TFLOP/s"],
  ["fp8Tflops", "FP8 dense TFLOP/s"],
  ["fp4Tflops", "FP4 dense TFLOP/s"],
  ["hbmGB", "HBM GB"],
  ["hbmTBps", "HBM TB/s"],
  ["scaleUpGBps", "scale-up GB/s (bidir)"],
  ["scaleUpDomain", "scale-up domain"],
  ["scaleOutGbps", "NIC Gb/s"],
  ["tdpW", "TDP W"],
  ["dieAreaMm2", "die mm2"],
  ["priceUSD", "price USD"],
];

/** One chip for people: each figure ("~" when estimated, with its range), its sources, its class. */
function chipTable(c: ChipRecord): string {
  const rows = CHIP_FIGURES.map(([f, label]): [string, string] => {
    const v = c[f] as number | null,
      est = c.estimates[f as keyof typeof c.estimates];
    const value = v === null ? "unknown" : `${est ? "~" : ""}${v.toLocaleString("en-US")}`;
    const why = est
      ? `estimate, ${est.range[0].toLocaleString("en-US")} to ${est.range[1].toLocaleString("en-US")}: ${est.basis}`
      : (c.fieldSources[f as keyof typeof c.fieldSources] ?? []).join(", ");
    return [label, `${value.padEnd(10)}  ${why || "no source gives it"}`];
  });
  const pd = performanceDensity(c);
  return [
    `${c.id}: ${c.name} (${c.vendor}, ${c.year}), confidence ${c.confidence}`,
    table([
      ...rows,
      ["TPP", tppText(tpp(c))],
      ["PD", pd === null ? "unknown" : pd.toFixed(2)],
      ...classify(c).map((x): [string, string] => [
        x.rule,
        `${x.class} (${x.reason})${x.estimate ? ", from an estimated figure" : ""}`,
      ]),
      ...c.conflicts.map((k): [string, string] => [
        "conflict",
        `${k.field}: ${k.values.map((v) => `${JSON.stringify(v.value)} (${v.source})`).join(" vs ")}. ${k.resolution}`,
      ]),
      ...c.sources.map((x): [string, string] => [x.id, `${x.title}${x.url ? ` ${x.url}` : ""}`]),
    ]),
    "~ an estimate, not a published figure",
  ].join("\n");
}

/** Table columns that show a chip figure, by the figure's field name. */
const TABLE_FIGURES = [
  "bf16Tflops",
  "fp8Tflops",
  "hbmGB",
  "hbmTBps",
  "scaleUpGBps",
  "scaleUpDomain",
  "scaleOutGbps",
  "tdpW",
] as const;

function chipsTable(): string {
  const u = (x: number | null) => (x === null ? "unknown" : String(x));
  // An estimated figure reads "~320": `chipscale chips <id>` gives its basis and range.
  const e = (c: ChipRecord, f: keyof ChipRecord) =>
    (f in c.estimates ? "~" : "") + u(c[f] as number | null);
  const head = [
    "id",
    "BF16 TF",
    "FP8 TF",
    "HBM GB",
    "HBM TB/s",
    "scale-up GB/s (bidir)",
    "domain",
    "NIC Gb/s",
    "TDP W",
    "TPP",
    "PD",
    "US export class",
    "confidence",
  ];
  // A recorded conflict (a press claim, a disagreeing source) is marked [n] beside its figure, or
  // beside the id when it is about no figure in the table; the notes under the table give the sources.
  const notes: string[] = [];
  const rows = chips.map((c) => {
    const marks = new Map<string, string>();
    for (const k of c.conflicts) {
      const figure = conflictFigure(k);
      const at = figure && (TABLE_FIGURES as readonly string[]).includes(figure) ? figure : "id";
      notes.push(
        `[${notes.length + 1}] ${c.id} ${k.field}: ${k.values.map((v) => `${JSON.stringify(v.value)} (${v.source})`).join(" vs ")}. ${k.resolution}`,
      );
      marks.set(at, `${marks.get(at) ?? ""}[${notes.length}]`);
    }
    const cell = (key: string, text: string) => text + (marks.get(key) ?? "");
    const pd = performanceDensity(c);
    return [
      cell("id", c.id),
      ...TABLE_FIGURES.map((f) => cell(f, e(c, f))),
      tppText(tpp(c)),
      pd === null ? "unknown" : pd.toFixed(2),
      exportClass(c),
      c.confidence,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const body = [head, ...rows]
    .map((r) =>
      r
        .map((x, i) => x.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .concat(
      "\n~ an estimate, not a published figure: `chipscale chips <id>` gives its basis and range",
    )
    .join("\n");
  return `${body}\n\nRecorded conflicts and press claims ([n] beside a figure):\n${notes.join("\n")}`;
}

function feasibleText(r: FeasibleResult): string {
  const lines = [
    `${r.feasible ? "FEASIBLE" : "NOT FEASIBLE"}: ${r.result.scenario.model} on ${r.result.scenario.count} x ${r.result.scenario.chip}, ` +
      (r.result.run.effectiveDays === null
        ? "never finishes (failures outpace checkpoints)"
        : `${fmt(r.result.run.effectiveDays)} days, ${fmt(r.result.run.effectiveEnergyMWh)} MWh and $${fmt(r.result.run.effectiveCostUSD)} (${r.result.run.costBasis}) with failures`) +
      `, ${fmt(r.result.run.powerMW)} MW`,
  ];
  for (const c of r.constraints)
    lines.push(
      `  ${c.binding ? "VIOLATED" : "ok      "}  ${c.name} ${fmt(c.value)} of ${fmt(c.limit)}${c.margin === null ? "" : ` (margin ${(100 * c.margin).toFixed(1)}%)`}`,
    );
  if (r.constraints.length === 0)
    lines.push(
      '  (no constraints given: add "constraints": {"deadlineDays", "powerMW", "energyMWh", "budgetUSD", "maxChips"})',
    );
  for (const s of r.suggestions) lines.push(`  -> ${s.message}`);
  if (r.limits.length) lines.push(`  what limits it: ${r.limits.map((l) => l.words).join("; ")}`);
  for (const w of r.result.warnings) lines.push(`  warning: ${factText(w)}`);
  return lines.join("\n");
}

function matchText(r: MatchResult): string {
  const side = (s: MatchSide) =>
    `${fmt(s.count, 6)} x ${s.chip}: ${fmt(s.effectiveDays)} days, ${fmt(s.energyMWh)} MWh and $${fmt(s.costUSD)}${s.costBasis === "electricity only" ? " (electricity only)" : ""} with failures (${fmt(s.days)} days without, goodput ${(100 * s.goodput).toFixed(1)}%), ` +
    `${fmt(s.powerMW)} MW${s.systems ? `, ${fmt(s.systems, 6)} x ${s.system}` : ""}; ${meshText(s.plan)}, batch ${fmt(s.globalBatch, 6)}`;
  const reading = (x: RatioReading | null, none: string) =>
    x
      ? `${fmt(x.chipRatio)} ${fmt(x.chipRatio) === "1" ? "chip" : "chips"} per reference chip (${
          x.interpolated
            ? `about ${fmt(Math.round(x.targetChips), 9)} chips, interpolated between ${fmt(x.between[0], 9)} and ${fmt(x.between[1], 9)}`
            : x.onStep
              ? "the concrete cluster's own: the envelope steps there"
              : "a grid count"
        }): ${fmt(x.days)} days (x${fmt(x.timeRatio)}), power x${fmt(x.powerRatio)}; concrete: ${side(x.concrete)}`
      : none;
  // The reference every row reads against is the headline's (referenceBest: its batch under the
  // policy, or fewer chips that finish sooner); the cluster as given follows when it differs.
  const best = r.referenceBest,
    given = r.reference;
  const differs = best.count !== given.count || best.globalBatch !== given.globalBatch;
  return [
    r.headline,
    table([
      ["reference", side(best)],
      ...(differs ? [["as given", side(given)] as [string, string]] : []),
      [r.matched ? "match" : "fastest", side(r)],
      ["equal time", reading(r.ratios.time, "no usable count matches")],
      ["equal power", reading(r.ratios.power, "no usable count at that power")],
      ["equal cost", reading(r.ratios.cost, "no price for one of the chips")],
      ["run basis", r.runBasis],
      [
        "power basis",
        `${r.reference.chip}: ${r.powerBasis.reference}; ${r.chip}: ${r.powerBasis.target}`,
      ],
      [
        "calibration",
        `${r.reference.chip}: ${backingText(r.calibration.reference)}; ${r.chip}: ${backingText(r.calibration.target)}`,
      ],
      ...r.notes.map((x): [string, string] => ["note", `${x.text}${cliHow(x)}`]),
      ...r.warnings.map((w): [string, string] => ["warning", factText(w)]),
    ]),
  ].join("\n");
}

/** A cannot-match note's suggestion as the flag that does it. */
function cliHow(x: MatchNote): string {
  if (x.code !== "cannot-match") return "";
  return x.data.suggestion === "raise-max-batch"
    ? ` (--max-batch above ${fmt(x.data.maxBatch as number, 9)})`
    : " (--batch grow)";
}

/** --batch, --max-batch and --tolerance as the library's batch policy (it checks the values). */
function batchPolicy(flags: Map<string, string | true>): BatchPolicy {
  const mode = flags.get("batch"),
    max = flags.get("max-batch"),
    tol = flags.get("tolerance");
  const num = (v: string | true | undefined, name: string) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (typeof v !== "string" || !Number.isFinite(x))
      throw new UsageError(`--${name} must be a number, got ${String(v)}`, `--${name}`);
    return x;
  };
  if (mode !== undefined && mode !== "keep" && mode !== "grow" && mode !== "round")
    throw new UsageError(`--batch must be keep, grow or round, got ${String(mode)}`, "--batch");
  return { mode, maxBatch: num(max, "max-batch"), tolerance: num(tol, "tolerance") };
}

function sweepCsv(r: SweepResult): string {
  const cell = (v: unknown) =>
    v === null
      ? ""
      : typeof v === "string" && /[",\n]/.test(v)
        ? `"${v.replace(/"/g, '""')}"`
        : String(v);
  const series = r.series ?? [{ axis: r.axis, value: "", columns: r.columns }];
  // The issue column is the error column's data, for programs: JSON carries it, CSV the words.
  const keys = (Object.keys(r.columns) as (keyof SweepResult["columns"])[]).filter(
    (k) => k !== "issue",
  );
  const head = [...(r.series ? [r.series[0].axis] : []), ...keys].join(",");
  const rows = series.flatMap((s) =>
    s.columns.x.map((_, k) =>
      [...(r.series ? [cell(s.value)] : []), ...keys.map((key) => cell(s.columns[key][k]))].join(
        ",",
      ),
    ),
  );
  return [head, ...rows].join("\n");
}

/** "--bounds hbmTBps=4,hbmGB=96" as an object; a value that is not a number goes through for the library to name. */
function parseBounds(v: string | true | undefined): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (v === true) throw new UsageError("--bounds needs k=v,... (e.g. hbmTBps=4)", "--bounds");
  const out: Record<string, unknown> = {};
  for (const part of v.split(",")) {
    const [k, x] = part.split("=", 2);
    if (!k || x === undefined)
      throw new UsageError(`--bounds: "${part.slice(0, 40)}" is not name=value`, "--bounds");
    out[k.trim()] = x.trim() !== "" && Number.isFinite(Number(x)) ? Number(x) : x.trim();
  }
  return out;
}

function frontierText(r: FrontierResult): string {
  const b = r.best;
  const held = b.heldBy
    .map((h) =>
      h.by === "bound"
        ? `${h.figure} at its bound ${fmt(h.value)}`
        : `${h.metric} one unit under ${fmt(h.threshold)}`,
    )
    .join("; ");
  const lines = table([
    ["rule", `${r.rule.name} (${r.rule.id}); allowed class: ${r.rule.allowed}`],
    [
      "best allowed chip",
      `${b.override.id} with BF16 ${fmt(b.bf16Tflops)} TF, FP8 ${fmt(b.fp8Tflops)} TF, HBM ${fmt(b.hbmGB)} GB at ${fmt(b.hbmTBps)} TB/s, scale-up ${fmt(b.scaleUpGBps)} GB/s x ${b.scaleUpDomain}, NIC ${fmt(b.scaleOutGbps)} Gb/s`,
    ],
    [
      "its standing",
      `TPP ${tppText(b.tpp)}, PD ${fmt(b.performanceDensity)}: ${b.class}; held by ${held}`,
    ],
    [
      "days",
      `${fmt(r.result.run.effectiveDays)} with failures on ${fmt(r.reference.count, 9)} ${r.reference.count === 1 ? "chip" : "chips"} (${meshText(r.result.plan)}); reference ${r.reference.chip} (TPP ${tppText(r.reference.tpp)}, ${r.reference.class}): ${fmt(r.reference.days)}`,
    ],
    [
      "match",
      r.match
        ? `${fmt(r.match.count, 9)} of these chips (${fmt(r.match.chipRatio)} per ${r.reference.chip}) train as fast as ${fmt(r.reference.count, 9)} ${r.reference.chip}`
        : `no count of these chips trains as fast as ${fmt(r.reference.count, 9)} ${r.reference.chip}`,
    ],
    ["calibration", backingText(r.calibration)],
    ...r.warnings.map((w): [string, string] => ["warning", factText(w)]),
  ]);
  const curve = r.curve
    .map(
      (p) =>
        `  TPP ${tppText(p.tpp).padStart(7)}  ${p.days === null ? "no plan" : `${fmt(p.days)} days`}${p.allowed ? "" : "  (not allowed)"}`,
    )
    .join("\n");
  const real = r.realChips
    .map(
      (c) =>
        `  ${c.id.padEnd(30)} TPP ${tppText(c.tpp).padStart(7)}  ${c.days === null ? "no answer" : `${fmt(c.days)} days`}  ${c.class}`,
    )
    .join("\n");
  return `${lines}\n\ndays against TPP (the best chip scaled in FLOP/s):\n${curve}\n\ncatalog chips, ${fmt(r.reference.count, 9)} of each:\n${real}`;
}

/** Each command's options (besides --help) and how many file arguments it takes. */
const OPTIONS: Record<string, { options: readonly string[]; files: number }> = {
  simulate: { options: ["format"], files: 1 },
  search: { options: ["format", "top"], files: 1 },
  feasible: { options: ["json"], files: 1 },
  match: { options: ["chip", "system", "batch", "max-batch", "tolerance", "json"], files: 1 },
  sweep: { options: ["axis", "values", "by", "by-values", "format"], files: 1 },
  frontier: { options: ["rule", "bounds", "format"], files: 1 },
  chips: { options: ["json", "format"], files: 1 },
  systems: { options: ["json"], files: 0 },
  stacks: { options: ["json"], files: 0 },
  models: { options: ["json"], files: 0 },
  serve: { options: ["format"], files: 1 },
  "serve-compare": { options: ["chips", "reference", "format"], files: 1 },
};

/** Options that take a value (--top 3 or --top=3). */
const VALUED = [
  "format",
  "top",
  "chip",
  "system",
  "axis",
  "values",
  "by",
  "by-values",
  "batch",
  "max-batch",
  "tolerance",
  "rule",
  "bounds",
  "chips",
  "reference",
];

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  lineMode = rest.some((a, k) =>
    ["table", "csv"].some((f) => a === `--format=${f}` || (a === "--format" && rest[k + 1] === f)),
  );
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    if (a.startsWith("--")) {
      const [name, value] = a.slice(2).split("=", 2);
      if (value !== undefined) flags.set(name, value);
      else if (VALUED.includes(name)) {
        if (k + 1 >= rest.length || rest[k + 1].startsWith("--"))
          throw new UsageError(`--${name} needs a value`, `--${name}`);
        flags.set(name, rest[++k]);
      } else flags.set(name, true);
    } else positional.push(a);
  }
  if (!command || command === "--help" || command === "-h" || command === "help") {
    await write(HELP.main);
    return 0;
  }
  // Own keys only: "constructor", "__proto__" or "toString" are not commands.
  if (!Object.hasOwn(HELP, command) || command === "main")
    throw new UsageError(`unknown command "${command}"; try chipscale --help`);
  if (flags.has("help")) {
    await write(HELP[command]);
    return 0;
  }
  // A mistyped option must not be ignored silently (--fromat table would print JSON).
  const allowed = OPTIONS[command];
  for (const name of flags.keys()) {
    if (!allowed.options.includes(name))
      throw new UsageError(
        `unknown option --${name} for ${command}${didYouMean(
          `--${name}`,
          allowed.options.map((o) => `--${o}`),
        )}; chipscale ${command} --help`,
        `--${name}`,
      );
  }
  if (positional.length > allowed.files)
    throw new UsageError(
      `${command} takes ${allowed.files === 0 ? "no file" : "one file"}, got ${positional.length}: ${positional.map((p) => JSON.stringify(p.slice(0, 60))).join(" ")}`,
    );
  const json = flags.has("json");

  if (command === "chips") {
    if (positional[0]) {
      const c = findChip(positional[0]);
      if (!c) {
        return failed(
          failWith(
            issue(
              "id",
              "unknown-id",
              {
                id: positional[0].slice(0, 60),
                suggestions: closest(
                  positional[0],
                  chips.map((x) => x.id),
                ),
                known: chips.map((x) => x.id),
              },
              `unknown chip "${positional[0].slice(0, 60)}"${didYouMean(
                positional[0],
                chips.map((x) => x.id),
              )}; chipscale chips lists ${chips.length} ids`,
            ),
          ),
        );
      }
      const format = flags.get("format") ?? "json";
      if (format !== "json" && format !== "table")
        throw new UsageError(`--format must be json or table, got ${String(format)}`, "--format");
      await write(
        format === "table"
          ? chipTable(c)
          : JSON.stringify(
              { ...chipSummary(c), notes: c.notes, fieldSources: c.fieldSources },
              null,
              2,
            ),
      );
      return 0;
    }
    await write(json ? JSON.stringify(chips.map(chipSummary), null, 2) : chipsTable());
    return 0;
  }
  if (command === "systems") {
    await write(
      json
        ? JSON.stringify(systems, null, 2)
        : table(
            systems.map((s) => [
              s.id,
              `${s.chips} x ${s.chip}, domain ${s.scaleUpDomain ?? "unknown"}, ${s.scaleUpGBps ?? "unknown"} GB/s/chip bidir, ${s.powerKW ?? "unknown"} kW`,
            ]),
          ),
    );
    return 0;
  }
  if (command === "stacks") {
    await write(
      json
        ? JSON.stringify(
            STACK_IDS.map((id) => ({ ...STACKS[id], byChipClass: stackFit(id) })),
            null,
            2,
          )
        : table(
            STACK_IDS.map((id) => {
              const fit = Object.entries(stackFit(id));
              return [
                id,
                `${STACKS[id].name}: ${
                  fit.length
                    ? fit
                        .map(
                          ([cls, b]) =>
                            `${cls} ${b.n} runs (${
                              Object.entries(b.constants)
                                .map(([k, v]) => `${k} ${v}`)
                                .join(", ") || "too few dense runs to fit: base constants"
                            }; cross-validated ${signedPct(b.p10)} to ${signedPct(b.p90)})`,
                        )
                        .join("; ")
                    : "no published run: uncalibrated everywhere"
                }`,
              ];
            }),
          ),
    );
    return 0;
  }
  if (command === "models") {
    await write(
      json
        ? JSON.stringify(models, null, 2)
        : table(
            models.map((m) => [
              m.id,
              `${m.layers} layers, hidden ${m.hidden}, ${m.moe ? `MoE ${m.moe.experts}x top-${m.moe.active}` : "dense"} — ${m.source}`,
            ]),
          ),
    );
    return 0;
  }

  if (command === "serve-compare") {
    const format = flags.get("format") ?? "table";
    if (format !== "json" && format !== "table")
      throw new UsageError(`--format must be json or table, got ${String(format)}`, "--format");
    const list = flags.get("chips"),
      ref = flags.get("reference");
    if (list === true || ref === true)
      throw new UsageError(
        "--chips and --reference take a value",
        list === true ? "--chips" : "--reference",
      );
    // A serve scenario, when given, sets the model, precision, context and latency targets compared.
    const given =
      positional[0] === undefined ? null : await readScenario(positional[0], parseServeScenario);
    if (given && !given.ok) return failed(given);
    const sv = given?.scenario.serving;
    const r = (await load()).serveCompare({
      ...(typeof list === "string" ? { chips: list.split(",").map((c) => c.trim()) } : {}),
      ...(typeof ref === "string" ? { reference: ref } : {}),
      ...(given && sv
        ? {
            model: given.scenario.model,
            serving: {
              precision: sv.precision,
              inputTokens: sv.inputTokens,
              outputTokens: sv.outputTokens,
              ttftMs: sv.ttftMs,
              tpotMs: sv.tpotMs,
            },
          }
        : {}),
    });
    // The library names its options chips[i] and reference; on the command line they are flags.
    // A failure in the scenario's model or serving keeps its path in the scenario file.
    if (!r.ok)
      for (const e of r.errors)
        if (e.path.startsWith("chips")) e.path = "--chips";
        else if (!(given && /^(model|serving)\b/.test(e.path))) e.path = "--reference";
    if (!r.ok) return failed(r);
    await write(format === "table" ? compareTable(r) : JSON.stringify(r, null, 2));
    return 0;
  }

  const sim = await load();
  if (command === "serve") {
    const format = flags.get("format") ?? "json";
    if (format !== "json" && format !== "table")
      throw new UsageError(`--format must be json or table, got ${String(format)}`, "--format");
    const parsed = await readScenario(positional[0], parseServeScenario);
    if (!parsed.ok && parsed.errors.some((e) => e.code === "file" || e.code === "usage"))
      return failed(parsed, JSON.stringify(parsed));
    const result = parsed.ok ? sim.serve(parsed.scenario) : parsed;
    if (!result.ok) return failed(result);
    await write(format === "table" ? serveTable(result) : JSON.stringify(result, null, 2));
    return 0;
  }
  const parsed = await readScenario(positional[0], parseScenario);
  if (!parsed.ok) {
    // A file that cannot be read is one line; a scenario that breaks the contract is said as each
    // command says a failed answer: lines in a simulate table, else the JSON object.
    const unread = parsed.errors.some((e) => e.code === "file" || e.code === "usage");
    return failed(parsed, unread ? JSON.stringify(parsed) : JSON.stringify(parsed, null, 2));
  }
  const scenario = parsed.scenario;
  if (command === "feasible") {
    const r = sim.feasible(scenario);
    await write(
      json || !r.ok
        ? JSON.stringify(
            r.ok ? { ...r, result: undefined, plan: r.result.plan, run: r.result.run } : r,
            null,
            2,
          )
        : feasibleText(r),
    );
    return !r.ok ? 2 : r.feasible ? 0 : 3;
  }
  if (command === "match") {
    const chip = flags.get("chip");
    if (typeof chip !== "string") throw new UsageError("match needs --chip <id>", "--chip");
    const system = flags.get("system");
    const r = sim.match(
      scenario,
      { chip, system: typeof system === "string" ? system : undefined },
      { batch: batchPolicy(flags) },
    );
    // The library names its options chip and system; on the command line they are --chip and --system.
    if (!r.ok)
      for (const e of r.errors)
        if (e.path === "chip" || e.path === "system") e.path = `--${e.path}`;
        else if (e.path.startsWith("batch."))
          e.path = { mode: "--batch", maxBatch: "--max-batch", tolerance: "--tolerance" }[
            e.path.slice(6)
          ]!;
    await write(json || !r.ok ? JSON.stringify(r, null, 2) : matchText(r));
    return r.ok ? 0 : 2;
  }
  if (command === "sweep") {
    const fmtOut = flags.get("format") ?? "csv";
    if (fmtOut !== "csv" && fmtOut !== "json")
      throw new UsageError(`--format must be csv or json, got ${String(fmtOut)}`, "--format");
    const axis = flags.get("axis"),
      values = flags.get("values");
    if (typeof axis !== "string" || typeof values !== "string")
      throw new UsageError(
        "sweep needs --axis <axis> --values v1,v2,...",
        typeof axis !== "string" ? "--axis" : "--values",
      );
    const parse = (list: string) =>
      list
        .split(",")
        .map((v) => (v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v.trim()));
    const by = flags.get("by"),
      byValues = flags.get("by-values");
    if ((by === undefined) !== (byValues === undefined) || by === true || byValues === true)
      throw new UsageError(
        "--by <axis> and --by-values v1,v2,... go together",
        by === undefined || by === true ? "--by" : "--by-values",
      );
    const r = sim.sweep(scenario, {
      axis: axis as SweepAxis,
      values: parse(values),
      ...(typeof by === "string" && typeof byValues === "string"
        ? { by: { axis: by as SweepAxis, values: parse(byValues) } }
        : {}),
    });
    // The library names its options axis, values[k], by.axis, by.values[k]; here they are flags.
    if (!r.ok)
      for (const e of r.errors)
        e.path = e.path
          .replace(/^by\.values/, "--by-values")
          .replace(/^by\.axis$/, "--by")
          .replace(/^(axis|values)/, "--$1");
    if (!r.ok) return failed(r);
    await write(fmtOut === "json" ? JSON.stringify(r, null, 2) : sweepCsv(r));
    return 0;
  }
  const format = flags.get("format") ?? "json";
  if (format !== "json" && format !== "table")
    throw new UsageError(`--format must be json or table, got ${String(format)}`, "--format");
  if (command === "frontier") {
    const rule = flags.get("rule");
    if (typeof rule !== "string") throw new UsageError("frontier needs --rule <id>", "--rule");
    const r = sim.frontier(scenario, { rule, bounds: parseBounds(flags.get("bounds")) });
    // The library names its options rule and bounds; on the command line they are flags.
    if (!r.ok)
      for (const e of r.errors)
        if (e.path === "rule" || e.path.startsWith("bounds")) e.path = `--${e.path}`;
    if (!r.ok) return failed(r);
    await write(format === "table" ? frontierText(r) : JSON.stringify(r, null, 2));
    return 0;
  }
  if (command === "simulate") {
    const result = sim.simulate(scenario);
    // The same guidance as the page: the usable counts either side, a smaller count or a nearby
    // batch that finishes sooner (bad input has none: nearby fails as the scenario does).
    const near = sim.nearby(scenario);
    const nearby = near.ok ? { below: near.below, above: near.above, notes: near.notes } : null;
    if (result.ok && format === "table")
      await write(
        [resultTable(result), ...(nearby?.notes ?? []).map((x) => `note: ${x.text}`)].join("\n"),
      );
    else if (!result.ok)
      return failed(
        result,
        JSON.stringify(nearby ? { ...result, nearby } : result, null, 2),
        (nearby?.notes ?? []).map((x) => `note: ${x.text}`),
      );
    else await write(JSON.stringify(nearby ? { ...result, nearby } : result, null, 2));
    return result.ok ? 0 : 2;
  }
  // Decimal digits only: "0x10" or "1e2" are not counts a person types.
  const topText = flags.get("top") ?? "5";
  const top = typeof topText === "string" && /^[0-9]{1,4}$/.test(topText) ? Number(topText) : NaN;
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    throw new UsageError("--top must be an integer from 1 to 1000", "--top");
  const result = sim.search(scenario, { top });
  if (!result.ok) return failed(result);
  await write(
    format === "table"
      ? `${resultTable(result.best)}\n\n${rankedTable(result.top)}`
      : JSON.stringify(result, null, 2),
  );
  return 0;
}

// Output that could not be written (a full disk, a reader that closed the pipe) is a failure, not
// a crash and not a success: say so on stderr and exit 1.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  process.stderr.write(`chipscale: cannot write the output: ${e.code ?? e.message}\n`, () =>
    process.exit(1),
  );
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (e: unknown) => {
    const usage = e instanceof UsageError;
    const f = failWith(
      usage
        ? issue(e.path, "usage", {}, e.message)
        : issue("", "internal", {}, `internal error: ${(e as Error).message ?? String(e)}`),
    );
    await failed(f, JSON.stringify(f));
    process.exitCode = usage ? 2 : 1;
  },
);
