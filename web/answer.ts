// The live answer: a plain-language verdict, headline numbers with units, the step-time and
// memory breakdowns, and the chosen plan. Every number is the library's; this only words it.
import type { Failure, LimitsResult, SimulateResult, Warning } from "chipscale";
import { offloadText } from "chipscale";
import { h, fill, type Child } from "./dom.js";
import {
  sig,
  pct,
  integer,
  compactNum,
  seconds,
  days,
  daysRange,
  energy,
  energyRange,
  power,
  tonnes,
  usd,
  chips,
  factLine,
} from "./format.js";
import { issueLine, type Placed } from "./form.js";

export interface Goals {
  deadlineDays?: number;
  powerMW?: number;
}

/** The step's largest overhead beyond compute (the library's `limitedBy`). */
const LIMITER: Record<string, string> = {
  compute: "compute-bound",
  bubble: "largest overhead: the pipeline bubble",
  "tp-comm": "largest overhead: tensor-parallel communication",
  "pp-comm": "largest overhead: pipeline communication",
  "dp-comm": "largest overhead: data-parallel communication",
  "ep-comm": "largest overhead: the expert all-to-all",
  "cp-comm": "largest overhead: context-parallel communication",
  stragglers: "largest overhead: waiting for the slowest rank",
  offload: "largest overhead: offload to host memory",
};

const LEVER: Record<string, string> = {
  peakFlops: "peak compute",
  hbmBandwidth: "HBM bandwidth",
  hbmCapacity: "HBM capacity",
  scaleUpBandwidth: "scale-up bandwidth",
  scaleOutBandwidth: "scale-out bandwidth",
  domainSize: "scale-up domain size",
};

/** "Fits in 41 d at 23 MW; limited by …", and whether the goals are met. */
export function verdict(
  r: SimulateResult,
  goals: Goals,
): { text: string; tone: "ok" | "warn" | "bad"; goalLines: string[] } {
  const { run, memory: mem } = r;
  if (!mem.fits)
    return {
      text: `Does not fit: needs ${sig(mem.perChipGB)} GB per chip, the chip has ${sig(mem.capacityGB)} GB`,
      tone: "bad",
      goalLines: [],
    };
  const wall = run.effectiveDays;
  const goalLines: string[] = [];
  let tone: "ok" | "warn" | "bad" = run.goodput > 0 ? "ok" : "bad";
  if (goals.deadlineDays !== undefined) {
    const met = wall !== null && wall <= goals.deadlineDays;
    if (!met) tone = "bad";
    goalLines.push(
      wall === null
        ? `never finishes, so misses the ${sig(goals.deadlineDays)}-day deadline`
        : met
          ? `meets the ${sig(goals.deadlineDays)}-day deadline with ${days(goals.deadlineDays - wall)} to spare`
          : `misses the ${sig(goals.deadlineDays)}-day deadline by ${days(wall - goals.deadlineDays)}`,
    );
  }
  if (goals.powerMW !== undefined) {
    const met = run.powerMW <= goals.powerMW;
    if (!met) tone = "bad";
    goalLines.push(
      met
        ? `stays within the ${power(goals.powerMW)} power budget`
        : `draws ${power(run.powerMW - goals.powerMW)} more than the ${power(goals.powerMW)} budget`,
    );
  }
  // No wall time: "Fits in never finishes" would read as a fit; say the run cannot end, and why.
  if (wall === null)
    return {
      text: `Never finishes: at ${chips(r.scenario.count)} failures arrive faster than checkpoints can be written (goodput 0; ${days(run.days)} without failures, at ${power(run.powerMW)})`,
      tone: "bad",
      goalLines,
    };
  const time = `${days(run.days)}${Math.abs(wall - run.days) > 0.005 * run.days ? ` (${days(wall)} with failures)` : ""}`;
  return { text: `Fits in ${time} at ${power(run.powerMW)}`, tone, goalLines };
}

/** What a cost counts, in words, from the library's `costBasis` (a chip with no price and no rental rate: electricity alone). */
export const COST_BASIS: Record<SimulateResult["run"]["costBasis"], string> = {
  rental: "rented chip-hours",
  "capex+power": "chips amortised + power",
  "electricity only": "electricity only: no chip price",
};

/** A plan's mesh for people: "TP 2 × PP 8 × DP 16, EP 32 × ETP 1" (ETP also when it is not TP). */
export const planText = (p: SimulateResult["plan"]) =>
  `TP ${p.tp} × PP ${p.pp} × DP ${p.dp}${p.cp > 1 ? ` × CP ${p.cp}` : ""}${p.ep > 1 ? `, EP ${p.ep} × ETP ${p.etp}` : p.etp !== p.tp ? `, ETP ${p.etp}` : ""}`;

/** A cost, marked when it counts electricity alone ("$153 k (electricity only)"). */
export const costText = (usdValue: number, basis: SimulateResult["run"]["costBasis"]) =>
  `${usd(usdValue)}${basis === "electricity only" ? " (electricity only)" : ""}`;

/**
 * The band, in the value's own unit ("range 13.0–15.6 years, 14 runs" for a 14.1-year run): the
 * cross-validated error of the stack's published runs on this chip class; the tooltip says so.
 */
function band(r: SimulateResult, text: string): HTMLElement {
  const n = r.uncertainty.records;
  return h(
    "span",
    { class: "band", title: `Range: ${r.uncertainty.basis} (README, "Accuracy").` },
    r.stack.status === "calibrated"
      ? `range ${text}, ${n} published ${n === 1 ? "run" : "runs"}`
      : `uncalibrated range ${text}`,
  );
}

/** Which software stack the answer assumes, and whether published runs back it. */
export function stackWords(r: SimulateResult): string {
  const n = r.uncertainty.records;
  return `${r.stack.name}${r.stack.chosen === "chip default" ? ", the chip's usual stack" : ""}: ${
    r.stack.status === "calibrated"
      ? `its band is the cross-validated error of ${n} published ${n === 1 ? "run" : "runs"} on ${r.stack.chipClass} chips`
      : `no published run on ${r.stack.chipClass} chips, so the widest band`
  }${heldOutWords(r)}`;
}

/** The stack's held-out runs on this chip class (never fitted, never the band), as a check. */
function heldOutWords(r: SimulateResult): string {
  const h = r.uncertainty.heldOut;
  if (!h) return "";
  const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(Math.round(100 * x))}%`;
  return `; ${h.records} held-out published ${h.records === 1 ? "run" : "runs"}, never fitted, came out ${pct(h.errorRange[0])} to ${pct(h.errorRange[1])}`;
}

export const limiterWords = (r: SimulateResult) => LIMITER[r.step.limitedBy] ?? r.step.limitedBy;

/**
 * The verdict's reason: the hardware figure that moves time most (the library's limits), after
 * the step's largest overhead when that is not compute (a bubble is no hardware figure).
 */
export function whyWords(r: SimulateResult, l: LimitsResult): string {
  const top = l.levers.find((x) => x.saves >= 0.005);
  const lever = top ? `${LEVER[top.parameter] ?? top.parameter} (${top.words})` : null;
  if (r.step.limitedBy === "compute") return lever ? `limited most by ${lever}` : limiterWords(r);
  return lever ? `${limiterWords(r)}; of the hardware, ${lever} matters most` : limiterWords(r);
}

function row(label: string, val: Child, note?: Child): HTMLElement {
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, label),
    h("td", {}, val),
    h("td", { class: "note" }, note ?? ""),
  );
}

function table(caption: string, rows: HTMLElement[], id?: string): HTMLElement {
  return h("table", { class: "data", id }, h("caption", {}, caption), h("tbody", {}, ...rows));
}

/** A horizontal stacked bar; widths relative to `total`. */
function bar(
  parts: { label: string; value: number; cls: string; text: string }[],
  total: number,
  label: string,
): HTMLElement {
  const el = h("div", { class: "bar", role: "img", "aria-label": label });
  for (const p of parts) {
    if (!(p.value > 0) || !(total > 0)) continue;
    const seg = h("span", { class: `seg ${p.cls}`, title: `${p.label}: ${p.text}` });
    seg.style.width = `${Math.min(100, (p.value / total) * 100)}%`;
    el.append(seg);
  }
  return el;
}

function legend(parts: { label: string; value: number; cls: string; text: string }[]): HTMLElement {
  return h(
    "ul",
    { class: "legend" },
    ...parts
      .filter((p) => p.value > 0)
      .map((p) =>
        h(
          "li",
          {},
          h("i", { class: `swatch ${p.cls}` }),
          `${p.label} `,
          h("span", { class: "num" }, p.text),
        ),
      ),
  );
}

function warningsBlock(warnings: Warning[]): HTMLElement | null {
  if (warnings.length === 0) return null;
  return h(
    "section",
    { class: "warnings", id: "warnings" },
    h("h3", {}, "Warnings"),
    h("ul", {}, ...warnings.map((w) => h("li", { "data-code": w.code }, factLine(w)))),
  );
}

const card = (label: string, id: string, text: string, sub?: Child, value?: number) =>
  h(
    "div",
    { class: "card" },
    h("div", { class: "label" }, label),
    h(
      "div",
      { class: "value", id, "data-value": value === undefined ? undefined : String(value) },
      text,
    ),
    sub ? h("div", { class: "sub" }, sub) : null,
  );

export function renderOk(
  el: HTMLElement,
  r: SimulateResult,
  names: { model: string; chip: string; recompute: string },
  goals: Goals,
  elapsedMs: number,
  planMode: string,
): void {
  const { run, step, memory: mem, throughput: tp, plan } = r;
  const v = verdict(r, goals);

  const verdictEl = h(
    "section",
    { class: `verdict ${v.tone}`, id: "verdict" },
    h(
      "p",
      { class: "verdict-main" },
      h("span", { id: "verdict-text" }, v.text),
      "; ",
      h("span", { id: "verdict-why" }, limiterWords(r)),
      ".",
    ),
    v.goalLines.length
      ? h("p", { class: "verdict-goals", id: "verdict-goals" }, `It ${v.goalLines.join(", and ")}.`)
      : null,
  );

  const cards = h(
    "div",
    { class: "cards" },
    // A run that never finishes has no training time to headline: its days without failures are the sub-line.
    run.effectiveDays === null
      ? card(
          "Training time",
          "days-card",
          "never finishes",
          `failures outpace checkpoints; ${days(run.days)} without failures`,
        )
      : card(
          "Training time",
          "days-card",
          days(run.days),
          band(r, daysRange(r.uncertainty.days, run.days)),
          run.days,
        ),
    card("Chip-hours", "chip-hours", compactNum(run.chipHours), chips(r.scenario.count)),
    card(
      "Energy",
      "energy",
      energy(run.energyMWh),
      band(r, energyRange(r.uncertainty.energyMWh, run.energyMWh)),
    ),
    card("Power drawn", "power", power(run.powerMW), "at the facility, incl. PUE"),
    card("CO₂", "co2", tonnes(run.co2Tonnes), "from grid intensity"),
    card("Cost", "cost", usd(run.costUSD), COST_BASIS[run.costBasis]),
    card("MFU", "mfu", pct(tp.mfu), `HFU ${pct(tp.hfu)}`),
    card(
      "Memory per chip",
      "mem-card",
      `${sig(mem.perChipGB)} / ${sig(mem.capacityGB)} GB`,
      mem.fits ? "fits" : "does not fit",
    ),
  );

  const runTable = table(
    "Run",
    [
      row(
        "Training time",
        h("span", { id: "days", "data-value": String(run.days) }, sig(run.days)),
        run.effectiveDays !== null
          ? `days; ${sig(run.effectiveDays)} with failures (goodput ${pct(run.goodput)})`
          : `days without failures; with them it never finishes (goodput ${pct(run.goodput)})`,
      ),
      row("Chip-hours", integer(run.chipHours), chips(r.scenario.count)),
      row("Energy", `${sig(run.energyMWh)} MWh`, `${sig(run.chipPowerW)} W per chip at load`),
      row("Power", `${sig(run.powerMW)} MW`, "facility, incl. host, network and PUE"),
      row("CO₂", `${sig(run.co2Tonnes)} t`),
      row("Cost", usd(run.costUSD), COST_BASIS[run.costBasis]),
      row(
        "Steps",
        integer(run.steps),
        `${integer(step.microbatches)} microbatch${step.microbatches === 1 ? "" : "es"} per step`,
      ),
    ],
    "run-table",
  );

  const perfTable = table(
    "Throughput",
    [
      row("MFU", pct(tp.mfu), `HFU ${pct(tp.hfu)}`),
      row("Tokens/s", compactNum(tp.tokensPerS), `${sig(tp.tokensPerSPerChip)} per chip`),
      row("Model TFLOP/s per chip", sig(tp.modelTflopsPerChip)),
      row(
        "Parameters",
        compactNum(r.model.params),
        r.model.activeParams !== r.model.params
          ? `${compactNum(r.model.activeParams)} active`
          : undefined,
      ),
    ],
    "perf-table",
  );

  const gb = (x: number) => `${sig(x)} GB`;
  const memParts = [
    { label: "Weights", value: mem.weightsGB, cls: "mem-w" },
    { label: "Gradients", value: mem.gradientsGB, cls: "mem-g" },
    { label: "Optimizer", value: mem.optimizerGB, cls: "mem-o" },
    { label: "Activations", value: mem.activationsGB, cls: "mem-a" },
    { label: "Reserved", value: mem.reservedGB, cls: "mem-r" },
  ].map((p) => ({ ...p, text: gb(p.value) }));
  const memScale = Math.max(mem.capacityGB, mem.perChipGB);
  const memBlock = h(
    "section",
    { class: "block", id: "memory" },
    h(
      "h3",
      {},
      "Memory per chip vs capacity ",
      h(
        "span",
        { class: `badge ${mem.fits ? "ok" : "bad"}`, id: "fits" },
        mem.fits ? "fits" : "does not fit",
      ),
    ),
    h(
      "p",
      { class: "big" },
      h("span", { id: "mem-used" }, sig(mem.perChipGB)),
      " of ",
      h("span", { id: "mem-cap" }, sig(mem.capacityGB)),
      " GB",
    ),
    h(
      "div",
      { class: "bar-wrap" },
      bar(memParts, memScale, `memory ${gb(mem.perChipGB)} of ${gb(mem.capacityGB)}`),
      h("span", {
        class: "cap-mark",
        style: `left:${(mem.capacityGB / memScale) * 100}%`,
        title: `capacity ${gb(mem.capacityGB)}`,
      }),
    ),
    legend(memParts),
    ...(mem.hostGB > 0
      ? [
          h(
            "p",
            { id: "mem-host" },
            `Host memory: ${gb(mem.hostGB)} offloaded per chip`,
            mem.hostCapacityGB === null ? "" : ` of ${gb(mem.hostCapacityGB)}`,
          ),
        ]
      : []),
  );

  const other = Math.max(
    0,
    step.timeS - step.computeS - step.bubbleS - step.exposedCommS - step.stragglerS - step.offloadS,
  );
  // Exposed communication by dimension (the library's per-dimension figures sum to exposedCommS).
  const stepParts = [
    { label: "Matmul", value: step.matmulS, cls: "st-mm" },
    { label: "Memory-bound", value: step.memoryBoundS, cls: "st-mb" },
    { label: "Optimizer", value: step.optimizerS, cls: "st-opt" },
    { label: "Pipeline bubble", value: step.bubbleS, cls: "st-bub" },
    { label: "TP comm", value: step.tpCommS, cls: "st-tp" },
    { label: "PP comm", value: step.ppCommS, cls: "st-pp" },
    { label: "DP comm", value: step.dpCommS, cls: "st-dp" },
    { label: "EP comm", value: step.epCommS, cls: "st-ep" },
    { label: "CP comm", value: step.cpCommS, cls: "st-cp" },
    { label: "Stragglers", value: step.stragglerS, cls: "st-strag" },
    { label: "Offload", value: step.offloadS, cls: "st-off" },
    { label: "Other", value: other > step.timeS * 1e-6 ? other : 0, cls: "st-other" },
  ].map((p) => ({ ...p, text: seconds(p.value) }));
  const comms = (
    [
      ["TP", step.tpCommS],
      ["PP", step.ppCommS],
      ["DP", step.dpCommS],
      ["EP", step.epCommS],
      ["CP", step.cpCommS],
    ] as const
  )
    .filter(([, x]) => x > 0)
    .map(([k, x]) => `${k} ${seconds(x)}`)
    .join(", ");
  const stepBlock = h(
    "section",
    { class: "block", id: "step" },
    h(
      "h3",
      {},
      "Step time ",
      h(
        "span",
        { class: `badge ${step.limitedBy === "compute" ? "ok" : "warn"}`, id: "limited-by" },
        limiterWords(r),
      ),
    ),
    h("p", { class: "big" }, h("span", { id: "step-time" }, seconds(step.timeS)), " per step"),
    bar(stepParts, step.timeS, `step time ${seconds(step.timeS)}`),
    legend(stepParts),
    table(
      "Breakdown",
      [
        row(
          "Compute",
          seconds(step.computeS),
          `matmul ${seconds(step.matmulS)}, memory-bound ${seconds(step.memoryBoundS)}, optimizer ${seconds(step.optimizerS)}`,
        ),
        row("Pipeline bubble", seconds(step.bubbleS)),
        row("Exposed communication", seconds(step.exposedCommS), comms || "none"),
        row(
          "Stragglers",
          seconds(step.stragglerS),
          "waiting for the slowest of the ranks that synchronise each step",
        ),
        ...(step.offloadS > 0
          ? [
              row(
                "Offload",
                seconds(step.offloadS),
                "host-link transfers and the CPU's optimizer step not hidden by compute",
              ),
            ]
          : []),
      ],
      "step-table",
    ),
  );

  const shown = planText(plan);
  const planBlock = h(
    "section",
    { class: "block", id: "plan" },
    h("h3", {}, planMode === "auto" ? "Chosen plan" : "Plan"),
    h("p", { class: "big", id: "plan-text" }, shown),
    h(
      "dl",
      { class: "plan" },
      ...(
        [
          ["VPP", plan.vpp],
          ["Micro-batch", plan.microBatch],
          ["ZeRO", plan.zero],
          ["Recompute", names.recompute],
          // Experts only: whether they split over TP (ETP) and whether their all-to-all runs beside compute.
          ...(plan.ep > 1
            ? ([
                ["Expert TP", plan.etp],
                ["EP all-to-all", plan.overlapAllToAll ? "overlapped" : "serial"],
              ] as const)
            : []),
          ["Sequence parallel", plan.sequenceParallel && plan.tp > 1 ? "on" : "off"],
          ["TP comm", plan.tpCommOverlap ? "pipelined with GEMMs" : "serial"],
          ["Flash attention", plan.flashAttention ? "on" : "off"],
          // Only a plan that offloads says so (parallelism.offloadOptimizer, offloadActivations).
          ...(offloadText(plan) ? ([["Offload", offloadText(plan)]] as const) : []),
        ] as const
      ).flatMap(([k, x]) => [h("dt", {}, k), h("dd", {}, String(x))]),
    ),
  );

  fill(
    el,
    h(
      "p",
      { class: "summary" },
      h("strong", {}, names.model),
      " on ",
      h("strong", {}, `${integer(r.scenario.count)} × ${names.chip}`),
      `, ${r.scenario.precision.toUpperCase()}, ${sig(r.scenario.tokens / 1e12)}T tokens`,
    ),
    verdictEl,
    cards,
    h(
      "p",
      { class: `stack-line ${r.stack.status}`, id: "stack-line", "data-status": r.stack.status },
      `Software stack: ${stackWords(r)}.`,
    ),
    warningsBlock(r.warnings),
    h(
      "div",
      { class: "grid" },
      h("div", { class: "col" }, stepBlock, memBlock),
      h("div", { class: "col" }, planBlock, runTable, perfTable),
    ),
    h(
      "p",
      { class: "status", id: "status" },
      `computed in ${elapsedMs < 1 ? "<1" : sig(elapsedMs)} ms`,
    ),
  );
}

export function renderFailure(el: HTMLElement, f: Failure, where: Placed): void {
  const n = f.errors.length;
  // Fields with errors, as buttons that jump to them (the full messages sit at the fields).
  const jumps = [...new Set(where.placed.map((p) => p.slot))].map((slot) => {
    // A plan error shown at the count or batch is named by that field: it is what to change there.
    const name = (p: Placed["placed"][number]) =>
      p.issue.path === "parallelism" && !slot.paths.includes("parallelism")
        ? slot.paths[0]
        : p.issue.path;
    const b = h(
      "button",
      { type: "button", class: "jump" },
      [...new Set(where.placed.filter((p) => p.slot === slot).map(name))].join(", "),
    );
    b.addEventListener("click", () =>
      slot.field.querySelector<HTMLElement>("input, select")?.focus(),
    );
    return h("li", {}, b);
  });
  fill(
    el,
    h(
      "section",
      { class: "failure", id: "errors" },
      h("h3", {}, n === 1 ? "This scenario has a problem" : `This scenario has ${n} problems`),
      jumps.length > 0 ? h("p", {}, "Marked at the fields concerned:") : null,
      jumps.length > 0 ? h("ul", { class: "jumps" }, ...jumps) : null,
      where.unplaced.length > 0
        ? h("ul", {}, ...where.unplaced.map((e) => h("li", {}, issueLine(e))))
        : null,
    ),
    warningsBlock(f.warnings),
  );
}

export function renderFatal(el: HTMLElement, message: string): void {
  el.replaceChildren(
    h(
      "section",
      { class: "failure", id: "errors" },
      h("h3", {}, "The simulator failed"),
      h("p", {}, message),
    ),
  );
}
