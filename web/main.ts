// The page: reads the form, asks the worker (never the wasm) for a result, renders it.
// Input stays exactly as typed; the library validates it and every error is shown at its field.
import { wrap } from "comlink";
import type { Catalog, ChipOption, Computed, WorkerApi } from "./worker.js";
import type { Failure, Issue, SimulateResult } from "chipscale";

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const api = wrap<WorkerApi>(worker);

const DEBOUNCE_MS = 150;
const DEFAULTS = { model: "llama3-70b", chip: "nvidia-h100-sxm5-80gb" };
/** Form controls, by id; also the URL query keys. */
const CONTROLS = ["model", "chip", "count", "tokens", "seqLen", "globalBatch", "precision", "planMode",
  "tp", "pp", "dp", "cp", "ep", "vpp", "microBatch", "zero", "recompute"] as const;
type ControlId = (typeof CONTROLS)[number];
type Control = HTMLInputElement | HTMLSelectElement;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}
const control = (id: ControlId) => byId<Control>(id);
const form = byId<HTMLFormElement>("form");
const resultEl = byId<HTMLElement>("result");
const manualEl = byId<HTMLElement>("manual");

let catalog: Catalog = { chips: [], models: [] };
let lastOk: SimulateResult | undefined;

// ---------- small DOM helper (text only: user and catalog strings never become markup) ----------

type Child = Node | string | number | null | undefined | false;
function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
  return el;
}

/** Replaces an element's children, skipping absent ones. */
function fill(el: HTMLElement, ...children: (HTMLElement | null)[]): void {
  el.replaceChildren(...children.filter((c): c is HTMLElement => c !== null));
}

// ---------- number formatting (display only; every value comes from the library) ----------

const fmtSig = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const fmtSpec = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const fmtUSD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumSignificantDigits: 3 });
const fmtCompact = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 3 });
const fmtInt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

const sig = (x: number) => fmtSig.format(x);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const spec = (x: number | null, unit: string) => (x === null ? "unknown" : `${fmtSpec.format(x)} ${unit}`);
function seconds(s: number): string {
  if (s === 0) return "0 s";
  if (s >= 1) return `${sig(s)} s`;
  if (s >= 1e-3) return `${sig(s * 1e3)} ms`;
  return `${sig(s * 1e6)} µs`;
}

// ---------- pickers ----------

function chipLabel(c: ChipOption): string {
  const tf = c.bf16Tflops === null ? "? TF" : `${fmtSpec.format(c.bf16Tflops)} TF`;
  const gb = c.hbmGB === null ? "? GB" : `${fmtSpec.format(c.hbmGB)} GB`;
  return `${c.name} · ${tf} · ${gb}`;
}

function fillPickers(): void {
  const model = control("model") as HTMLSelectElement;
  const dense = h("optgroup", { label: "Dense" });
  const moe = h("optgroup", { label: "Mixture of experts" });
  for (const m of catalog.models) (m.moe ? moe : dense).append(h("option", { value: m.id }, m.name));
  model.replaceChildren(dense, moe);
  model.value = DEFAULTS.model;
  model.disabled = false;

  const chip = control("chip") as HTMLSelectElement;
  const groups = new Map<string, HTMLElement>();
  for (const c of catalog.chips) {
    let g = groups.get(c.vendor);
    if (!g) groups.set(c.vendor, (g = h("optgroup", { label: c.vendor })));
    g.append(h("option", { value: c.id }, chipLabel(c)));
  }
  chip.replaceChildren(...groups.values());
  chip.value = DEFAULTS.chip;
  chip.disabled = false;
}

function showChipSpecs(): void {
  const c = catalog.chips.find((x) => x.id === control("chip").value);
  const el = byId<HTMLElement>("chip-specs");
  if (!c) return void el.replaceChildren();
  el.replaceChildren(
    h("span", {}, h("b", {}, "BF16 "), spec(c.bf16Tflops, "TFLOPS")),
    h("span", {}, h("b", {}, "FP8 "), spec(c.fp8Tflops, "TFLOPS")),
    h("span", {}, h("b", {}, "HBM "), `${spec(c.hbmGB, "GB")}, ${spec(c.hbmTBps, "TB/s")}`),
    h("span", {}, h("b", {}, "TDP "), spec(c.tdpW, "W")),
  );
}

// ---------- form -> scenario ----------

/** A number if the text is one ("2,048" and "1e3" too); otherwise the text itself, for the library to reject by name. */
function parse(raw: string): number | string | undefined {
  const t = raw.trim().replace(/[,_\s]/g, "");
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : raw.trim();
}
const value = (id: ControlId) => parse(control(id).value);

function scenario(): unknown {
  const tokensT = value("tokens");
  const manual = control("planMode").value === "manual";
  return {
    model: control("model").value,
    training: {
      tokens: typeof tokensT === "number" ? tokensT * 1e12 : tokensT,
      seqLen: value("seqLen"),
      globalBatch: value("globalBatch"),
      precision: control("precision").value,
    },
    cluster: { chip: control("chip").value, count: value("count") },
    parallelism: manual
      ? {
          tp: value("tp"), pp: value("pp"), dp: value("dp"), cp: value("cp"), ep: value("ep"), vpp: value("vpp"),
          microBatch: value("microBatch"), zero: Number(control("zero").value), recompute: control("recompute").value,
        }
      : "auto",
  };
}

// ---------- URL state (shareable; restores the form exactly as typed) ----------

function saveUrl(): void {
  const q = new URLSearchParams();
  for (const id of CONTROLS) {
    if (control(id).closest("[hidden]")) continue;
    q.set(id, control(id).value);
  }
  history.replaceState(null, "", `${location.pathname}?${q}`);
}

function restoreUrl(): void {
  const q = new URLSearchParams(location.search);
  for (const id of CONTROLS) {
    const v = q.get(id);
    if (v === null) continue;
    const el = control(id);
    if (el instanceof HTMLSelectElement && !Array.from(el.options).some((o) => o.value === v)) continue;
    el.value = v;
  }
}

// ---------- errors at their fields ----------

interface FieldSlot {
  field: HTMLElement;
  paths: string[];
  /** The field's own error line, if it has one. */
  own: HTMLElement | null;
  /** A shared error line used while visible (the manual plan's grid has one for all its cells). */
  shared: HTMLElement | null;
}
let slots: FieldSlot[] = [];

function collectSlots(): void {
  slots = Array.from(form.querySelectorAll<HTMLElement>(".field[data-paths]")).map((field) => ({
    field,
    paths: (field.dataset.paths ?? "").split(/\s+/).filter(Boolean),
    own: field.querySelector<HTMLElement>(":scope > .error"),
    shared: field.dataset.errorInto ? document.getElementById(field.dataset.errorInto) : null,
  }));
}

/** The visible field whose path is the longest prefix of `path` ("cluster.chip.hbmGB" -> the chip picker). */
function slotFor(path: string): FieldSlot | undefined {
  let best: FieldSlot | undefined, bestLen = -1;
  for (const s of slots) {
    if (s.field.closest("[hidden]")) continue;
    for (const p of s.paths) {
      if ((path === p || path.startsWith(`${p}.`)) && p.length > bestLen) { best = s; bestLen = p.length; }
    }
  }
  return best;
}

function issueLine(e: Issue): HTMLElement {
  const note = e.path === "training.tokens" ? " (this field is in trillions of tokens)" : "";
  return h("span", { class: "issue" }, e.path ? h("code", {}, e.path) : null, e.path ? " " : "", e.message, note);
}

function clearErrors(): void {
  form.querySelectorAll<HTMLElement>(".error").forEach((el) => { el.hidden = true; el.replaceChildren(); });
  form.querySelectorAll(".field.invalid").forEach((el) => el.classList.remove("invalid"));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

/** Puts each error next to its field; returns the fields used and the errors no field claims. */
function placeErrors(errors: Issue[]): { placed: { issue: Issue; slot: FieldSlot }[]; unplaced: Issue[] } {
  const unplaced: Issue[] = [];
  const placed: { issue: Issue; slot: FieldSlot }[] = [];
  for (const e of errors) {
    const s = slotFor(e.path);
    const shared = s?.shared && !s.shared.parentElement?.closest("[hidden]") ? s.shared : null;
    const line = shared ?? s?.own;
    if (!s || !line) { unplaced.push(e); continue; }
    placed.push({ issue: e, slot: s });
    line.append(issueLine(e));
    line.hidden = false;
    // The plan-mode picker is not what a plan error asks to change once the manual cells are shown.
    if (shared && s.field.dataset.mark === "own-error-only") continue;
    s.field.classList.add("invalid");
    s.field.querySelectorAll("input, select").forEach((el) => el.setAttribute("aria-invalid", "true"));
  }
  return { placed, unplaced };
}

// ---------- rendering ----------

function warningsBlock(warnings: string[]): HTMLElement | null {
  if (warnings.length === 0) return null;
  return h("section", { class: "warnings", id: "warnings" },
    h("h3", {}, "Warnings"),
    h("ul", {}, ...warnings.map((w) => h("li", {}, w))));
}

function row(label: string, val: Child, note?: Child, attrs: Record<string, string> = {}): HTMLElement {
  return h("tr", attrs, h("th", { scope: "row" }, label), h("td", {}, val), h("td", { class: "note" }, note ?? ""));
}

function table(caption: string, rows: HTMLElement[], id?: string): HTMLElement {
  return h("table", { class: "data", id }, h("caption", {}, caption), h("tbody", {}, ...rows));
}

/** A horizontal stacked bar; widths relative to `total`. */
function bar(parts: { label: string; value: number; cls: string }[], total: number, label: string): HTMLElement {
  const el = h("div", { class: "bar", role: "img", "aria-label": label });
  for (const p of parts) {
    if (!(p.value > 0) || !(total > 0)) continue;
    const seg = h("span", { class: `seg ${p.cls}`, title: `${p.label}: ${p.cls.startsWith("mem") ? `${sig(p.value)} GB` : seconds(p.value)}` });
    seg.style.width = `${Math.min(100, (p.value / total) * 100)}%`;
    el.append(seg);
  }
  return el;
}

function legend(parts: { label: string; value: number; cls: string; text: string }[]): HTMLElement {
  return h("ul", { class: "legend" }, ...parts.filter((p) => p.value > 0).map((p) =>
    h("li", {}, h("i", { class: `swatch ${p.cls}` }), `${p.label} `, h("span", { class: "num" }, p.text))));
}

const LIMITER: Record<string, string> = {
  compute: "compute-bound", bubble: "limited by the pipeline bubble", "tp-comm": "limited by TP communication",
  "pp-comm": "limited by PP communication", "dp-comm": "limited by DP communication",
  "ep-comm": "limited by EP all-to-all", "cp-comm": "limited by CP communication",
};

function renderOk(r: SimulateResult, elapsedMs: number): void {
  lastOk = r;
  const modelName = catalog.models.find((m) => m.id === r.scenario.model)?.name ?? r.scenario.model;
  const chipName = catalog.chips.find((c) => c.id === r.scenario.chip)?.name ?? r.scenario.chip;
  const { run, step, memory: mem, throughput: tp, plan } = r;

  const card = (label: string, valueEl: HTMLElement, unit: string, sub?: string) =>
    h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value" }, valueEl, h("span", { class: "unit" }, unit)),
      sub ? h("div", { class: "sub" }, sub) : null);

  const headline = h("div", { class: "cards" },
    card("Training time", h("span", { id: "days", "data-value": String(run.days) }, sig(run.days)), "days",
      `range ${sig(r.uncertainty.days[0])}–${sig(r.uncertainty.days[1])} days`),
    card("Energy", h("span", { id: "energy" }, sig(run.energyMWh)), "MWh", `${sig(run.powerMW)} MW at the facility`),
    card("Cost", h("span", { id: "cost" }, fmtUSD.format(run.costUSD)), "", `${fmtCompact.format(run.chipHours)} chip-hours`),
    card("MFU", h("span", { id: "mfu" }, pct(tp.mfu)), "", `HFU ${pct(tp.hfu)}`),
  );

  const runTable = table("Run", [
    row("Training time", `${sig(run.days)} days`, run.effectiveDays !== null ? `${sig(run.effectiveDays)} days with failures (goodput ${pct(run.goodput)})` : `goodput ${pct(run.goodput)}`),
    row("Chip-hours", fmtInt.format(run.chipHours), `${fmtInt.format(r.scenario.count)} chips`),
    row("Energy", `${sig(run.energyMWh)} MWh`, `range ${sig(r.uncertainty.energyMWh[0])}–${sig(r.uncertainty.energyMWh[1])}; ${sig(run.chipPowerW)} W per chip at load`),
    row("Power", `${sig(run.powerMW)} MW`, "facility, incl. host, network and PUE"),
    row("CO₂", `${sig(run.co2Tonnes)} t`),
    row("Cost", fmtUSD.format(run.costUSD)),
    row("Steps", fmtInt.format(run.steps), `${step.microbatches} microbatches per step`),
  ], "run-table");

  const perfTable = table("Throughput", [
    row("MFU", pct(tp.mfu), `HFU ${pct(tp.hfu)}`),
    row("Tokens/s", fmtCompact.format(tp.tokensPerS), `${sig(tp.tokensPerSPerChip)} per chip`),
    row("Model TFLOP/s per chip", sig(tp.modelTflopsPerChip)),
    row("Parameters", fmtCompact.format(r.model.params), r.model.activeParams !== r.model.params ? `${fmtCompact.format(r.model.activeParams)} active` : undefined),
  ], "perf-table");

  const memParts = [
    { label: "Weights", value: mem.weightsGB, cls: "mem-w" },
    { label: "Gradients", value: mem.gradientsGB, cls: "mem-g" },
    { label: "Optimizer", value: mem.optimizerGB, cls: "mem-o" },
    { label: "Activations", value: mem.activationsGB, cls: "mem-a" },
    { label: "Reserved", value: mem.reservedGB, cls: "mem-r" },
  ];
  const memScale = Math.max(mem.capacityGB, mem.perChipGB);
  const memTable = h("section", { class: "block", id: "memory" },
    h("h3", {}, "Memory per chip ",
      h("span", { class: `badge ${mem.fits ? "ok" : "bad"}`, id: "fits" }, mem.fits ? "fits" : "does not fit")),
    h("p", { class: "big" }, h("span", { id: "mem-used" }, sig(mem.perChipGB)), " of ", h("span", { id: "mem-cap" }, sig(mem.capacityGB)), " GB"),
    h("div", { class: "bar-wrap" }, bar(memParts, memScale, `memory ${sig(mem.perChipGB)} of ${sig(mem.capacityGB)} GB`),
      mem.capacityGB < memScale ? h("span", { class: "cap-mark", style: `left:${(mem.capacityGB / memScale) * 100}%` }) : null),
    legend(memParts.map((p) => ({ ...p, text: `${sig(p.value)} GB` }))),
  );

  const other = Math.max(0, step.timeS - step.computeS - step.bubbleS - step.exposedCommS);
  const stepParts = [
    { label: "Matmul", value: step.matmulS, cls: "st-mm" },
    { label: "Memory-bound", value: step.memoryBoundS, cls: "st-mb" },
    { label: "Optimizer", value: step.optimizerS, cls: "st-opt" },
    { label: "Pipeline bubble", value: step.bubbleS, cls: "st-bub" },
    { label: "Exposed comm", value: step.exposedCommS, cls: "st-comm" },
    { label: "Other", value: other > step.timeS * 1e-6 ? other : 0, cls: "st-other" },
  ];
  const comms = ([["TP", step.tpCommS], ["PP", step.ppCommS], ["DP", step.dpCommS], ["EP", step.epCommS], ["CP", step.cpCommS]] as const)
    .filter(([, v]) => v > 0).map(([k, v]) => `${k} ${seconds(v)}`).join(", ");
  const stepBlock = h("section", { class: "block", id: "step" },
    h("h3", {}, "Step time ", h("span", { class: `badge ${step.limitedBy === "compute" ? "ok" : "warn"}`, id: "limited-by" }, LIMITER[step.limitedBy] ?? step.limitedBy)),
    h("p", { class: "big" }, h("span", { id: "step-time" }, seconds(step.timeS)), " per step"),
    bar(stepParts, step.timeS, `step time ${seconds(step.timeS)}`),
    legend(stepParts.map((p) => ({ ...p, text: seconds(p.value) }))),
    table("Breakdown", [
      row("Compute", seconds(step.computeS), `matmul ${seconds(step.matmulS)}, memory-bound ${seconds(step.memoryBoundS)}, optimizer ${seconds(step.optimizerS)}`),
      row("Pipeline bubble", seconds(step.bubbleS)),
      row("Exposed communication", seconds(step.exposedCommS), comms ? `before overlap: ${comms}` : "none"),
      ...(stepParts[5].value > 0 ? [row("Other", seconds(other), "per-step overhead")] : []),
    ], "step-table"),
  );

  const planText = `TP ${plan.tp} × PP ${plan.pp} × DP ${plan.dp}${plan.cp > 1 ? ` × CP ${plan.cp}` : ""}`;
  const planBlock = h("section", { class: "block", id: "plan" },
    h("h3", {}, control("planMode").value === "auto" ? "Chosen plan" : "Plan"),
    h("p", { class: "big", id: "plan-text" }, planText),
    h("dl", { class: "plan" },
      ...([["EP", plan.ep], ["VPP", plan.vpp], ["Micro-batch", plan.microBatch], ["ZeRO", plan.zero], ["Recompute", plan.recompute],
        ["Sequence parallel", plan.sequenceParallel && plan.tp > 1 ? "on" : "off"], ["Flash attention", plan.flashAttention ? "on" : "off"]] as const)
        .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])),
  );

  fill(resultEl,
    h("p", { class: "summary" }, h("strong", {}, modelName), " on ", h("strong", {}, `${fmtInt.format(r.scenario.count)} × ${chipName}`),
      `, ${r.scenario.precision.toUpperCase()}, ${sig(r.scenario.tokens / 1e12)}T tokens`),
    headline,
    warningsBlock(r.warnings),
    h("div", { class: "grid" }, h("div", { class: "col" }, runTable, memTable), h("div", { class: "col" }, perfTable, planBlock)),
    stepBlock,
    h("p", { class: "status", id: "status" }, `computed in ${elapsedMs < 1 ? "<1" : sig(elapsedMs)} ms`),
  );
}

function renderFailure(f: Failure, where: ReturnType<typeof placeErrors>): void {
  const n = f.errors.length;
  // Fields with errors, as buttons that jump to them (the full messages sit at the fields).
  const jumps = [...new Set(where.placed.map((p) => p.slot))].map((slot) => {
    const b = h("button", { type: "button", class: "jump" }, where.placed.filter((p) => p.slot === slot).map((p) => p.issue.path).join(", "));
    b.addEventListener("click", () => slot.field.querySelector<HTMLElement>("input, select")?.focus());
    return h("li", {}, b);
  });
  fill(resultEl,
    h("section", { class: "failure", id: "errors" },
      h("h3", {}, n === 1 ? "This scenario has a problem" : `This scenario has ${n} problems`),
      jumps.length > 0 ? h("p", {}, "Marked at the fields concerned:") : null,
      jumps.length > 0 ? h("ul", { class: "jumps" }, ...jumps) : null,
      where.unplaced.length > 0 ? h("ul", {}, ...where.unplaced.map((e) => h("li", {}, issueLine(e)))) : null),
    warningsBlock(f.warnings),
  );
}

function renderFatal(message: string): void {
  resultEl.replaceChildren(h("section", { class: "failure", id: "errors" }, h("h3", {}, "The simulator failed"), h("p", {}, message)));
}

// ---------- compute loop: debounced, one request in flight, stale results dropped ----------

let generation = 0; // bumped on every input change
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight = false;
let rerun = false;

function setBusy(busy: boolean): void {
  resultEl.classList.toggle("busy", busy);
  resultEl.setAttribute("aria-busy", String(busy));
}

function schedule(): void {
  generation++;
  setBusy(true);
  clearTimeout(timer);
  timer = setTimeout(compute, DEBOUNCE_MS);
}

async function compute(): Promise<void> {
  if (inFlight) { rerun = true; return; }
  inFlight = true;
  const gen = generation;
  saveUrl();
  let done: Computed | undefined, failure: string | undefined;
  try {
    done = await api.simulate(scenario());
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  inFlight = false;
  if (rerun) { rerun = false; void compute(); return; }
  if (gen !== generation) return; // stale: a newer input is already scheduled
  clearErrors();
  if (failure !== undefined) renderFatal(failure);
  else if (done!.result.ok) renderOk(done!.result, done!.elapsedMs);
  else renderFailure(done!.result, placeErrors(done!.result.errors));
  setBusy(false);
}

function onPlanMode(): void {
  const manual = control("planMode").value === "manual";
  manualEl.hidden = !manual;
  // Start a manual plan from the last plan shown, unless the user already typed one.
  if (manual && lastOk && control("tp").value.trim() === "" && control("pp").value.trim() === "" && control("dp").value.trim() === "") {
    const p = lastOk.plan;
    const set = (id: ControlId, v: number | string) => { control(id).value = String(v); };
    set("tp", p.tp); set("pp", p.pp); set("dp", p.dp); set("cp", p.cp); set("ep", p.ep); set("vpp", p.vpp);
    set("microBatch", p.microBatch); set("zero", p.zero); set("recompute", p.recompute);
  }
}

async function start(): Promise<void> {
  collectSlots();
  try {
    catalog = await api.catalog();
  } catch (e) {
    renderFatal(`could not start the worker: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  fillPickers();
  restoreUrl();
  manualEl.hidden = control("planMode").value !== "manual";
  showChipSpecs();
  form.addEventListener("input", (ev) => {
    if (ev.target === control("chip")) showChipSpecs();
    schedule();
  });
  form.addEventListener("change", (ev) => {
    if (ev.target === control("chip")) showChipSpecs();
    if (ev.target === control("planMode")) onPlanMode();
    schedule();
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  schedule();
}

void start();
