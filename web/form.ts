// The scenario form: its controls, the scenario it describes, and errors shown at their fields.
// Input stays exactly as typed; the library validates it and names each problem's field.
import type { Issue } from "chipscale";
import type { Catalog, ChipOption } from "./worker.js";
import { h, byId, link } from "./dom.js";
import { spec, integer } from "./format.js";
import { CHIP_CELL_IDS, CUSTOM_CHIP, customChip } from "./custom-chip.js";
import { typedNumber as parse } from "./typed.js";

/** Form controls, by id; also the URL query keys. */
export const CONTROLS = [
  "model",
  "layers",
  "hidden",
  "ffnHidden",
  "heads",
  "kvHeads",
  "headDim",
  "vocab",
  "mlp",
  "experts",
  "active",
  "shared",
  "expertFfn",
  "denseLayers",
  "chip",
  ...CHIP_CELL_IDS,
  "count",
  "system",
  "tokens",
  "seqLen",
  "globalBatch",
  "precision",
  "stack",
  "planMode",
  "tp",
  "pp",
  "dp",
  "cp",
  "ep",
  "vpp",
  "microBatch",
  "zero",
  "recompute",
  "etp",
  "allToAll",
  "pue",
  "grid",
  "price",
  "deadline",
  "powerBudget",
] as const;
export type ControlId = (typeof CONTROLS)[number];
type Control = HTMLInputElement | HTMLSelectElement;

export const DEFAULTS = { model: "llama3-70b", chip: "nvidia-h100-sxm5-80gb" };
export const CUSTOM = "custom";

export const control = (id: ControlId) => byId<Control>(id);
export const form = () => byId<HTMLFormElement>("form");

// ---------- chip count slider: log scale, notches at 2^k and 1.5 x 2^k (counts that plans divide) ----------

export const notchCount = (i: number) => (i % 2 === 0 ? 2 ** (i / 2) : 1.5 * 2 ** ((i - 1) / 2));
/** The notch nearest to a count, in log terms. */
export function countNotch(count: number): number {
  let best = 0;
  for (let i = 0; i <= 40; i++)
    if (Math.abs(Math.log(notchCount(i) / count)) < Math.abs(Math.log(notchCount(best) / count)))
      best = i;
  return best;
}
export function syncSlider(): void {
  const n = parse(control("count").value);
  const slider = byId<HTMLInputElement>("countSlider");
  if (typeof n === "number" && n > 0) slider.value = String(countNotch(n));
  slider.setAttribute("aria-valuetext", `${control("count").value} chips`);
}

// ---------- pickers ----------

export function fillPickers(catalog: Catalog): void {
  const model = control("model") as HTMLSelectElement;
  const dense = h("optgroup", { label: "Dense" });
  const moe = h("optgroup", { label: "Mixture of experts" });
  for (const m of catalog.models) {
    // What "norms + proj." asks this model to recompute (recompute() reads it back): the norms always,
    // so that a dense model hears from the library why its fused norms change nothing.
    const modules = [
      "layernorm",
      ...(m.mla ? ["mla_up_proj"] : []),
      ...(m.moe ? ["moe_act"] : []),
    ].join(" ");
    (m.moe ? moe : dense).append(h("option", { value: m.id, "data-modules": modules }, m.name));
  }
  model.replaceChildren(dense, moe, h("option", { value: CUSTOM }, "Custom shape…"));
  model.value = DEFAULTS.model;
  model.disabled = false;

  const chip = control("chip") as HTMLSelectElement;
  chip.replaceChildren(...chipGroups(catalog), h("option", { value: CUSTOM_CHIP }, "Custom chip…"));
  chip.value = DEFAULTS.chip;
  chip.disabled = false;

  const stack = control("stack") as HTMLSelectElement;
  for (const s of catalog.stacks) stack.append(h("option", { value: s.id }, s.name));

  const sys = control("system") as HTMLSelectElement;
  for (const s of catalog.systems)
    sys.append(h("option", { value: s.id }, `${s.name} (${integer(s.chips)} chips)`));

  for (const [k, v] of [
    ["pue", catalog.defaults.pue],
    ["grid", catalog.defaults.gridGCO2PerKWh],
    ["price", catalog.defaults.usdPerKWh],
  ] as const) {
    control(k).setAttribute("placeholder", String(v));
    control(k).setAttribute("title", `empty: the library default, ${v}`);
  }
}

export function chipGroups(catalog: Catalog): HTMLElement[] {
  const groups = new Map<string, HTMLElement>();
  for (const c of catalog.chips) {
    let g = groups.get(c.vendor);
    if (!g) groups.set(c.vendor, (g = h("optgroup", { label: c.vendor })));
    g.append(h("option", { value: c.id }, c.name));
  }
  return [...groups.values()];
}

export function showChipSpecs(catalog: Catalog): void {
  const c = catalog.chips.find((x) => x.id === control("chip").value);
  const el = byId<HTMLElement>("chip-specs");
  const list = byId<HTMLElement>("chip-sources-list");
  byId("chip-sources").hidden = !c; // a custom chip's figures are the user's own
  if (!c) {
    el.replaceChildren();
    list.replaceChildren();
    return;
  }
  const controlled = c.exportClass !== "not controlled";
  // An estimated figure reads "~320 W", its basis and range in its tooltip.
  const fig = (field: keyof ChipOption & string, unit: string) => {
    const e = c.estimates[field];
    const text = spec(c[field] as number | null, unit);
    return e
      ? h(
          "span",
          {
            class: "estimate",
            "data-estimate": field,
            title: `estimate: ${e.basis} (range ${e.range[0]}-${e.range[1]})`,
          },
          `~${text}`,
        )
      : text;
  };
  const estimated = Object.keys(c.estimates);
  el.replaceChildren(
    h("span", {}, h("b", {}, "BF16 "), fig("bf16Tflops", "TFLOPS")),
    h("span", {}, h("b", {}, "FP8 "), fig("fp8Tflops", "TFLOPS")),
    h("span", {}, h("b", {}, "HBM "), fig("hbmGB", "GB"), ", ", fig("hbmTBps", "TB/s")),
    h("span", {}, h("b", {}, "Scale-up "), fig("scaleUpGBps", "GB/s")),
    h("span", {}, h("b", {}, "TDP "), fig("tdpW", "W")),
    h(
      "span",
      { class: "tags" },
      estimated.length
        ? h(
            "span",
            {
              class: "tag warn",
              id: "chip-estimates",
              title: `not published; chipscale's estimates (each figure's tooltip gives its basis): ${estimated.join(", ")}`,
            },
            `${estimated.length} ${estimated.length === 1 ? "figure" : "figures"} estimated`,
          )
        : null,
      h(
        "span",
        {
          class: `tag ${c.sourcing === "vendor" ? "ok" : "warn"}`,
          title: "How sure the catalog is of these figures",
        },
        `confidence: ${c.confidence}`,
      ),
      h(
        "span",
        {
          class: `tag ${controlled ? "bad" : "ok"}`,
          id: "export-class",
          title: `US export classification (ECCN 3A090, Oct 2023 rule), from TPP and performance density${c.exportClassEstimate ? "; an estimate: it rests on estimated figures" : ""}`,
        },
        `export: ${c.exportClassEstimate ? "~" : ""}${c.exportClass}`,
      ),
    ),
  );
  list.replaceChildren(
    ...c.sources.map((s) =>
      h(
        "li",
        {},
        h("b", {}, `${s.fields.join(", ")}: `),
        ...(s.links.length
          ? s.links.flatMap((l, i) => [i > 0 ? "; " : "", link(l.title, l.url)])
          : ["no source recorded"]),
      ),
    ),
  );
}

/**
 * Fills the empty custom-shape cells from a preset, so "Custom shape…" starts from something
 * real; what the user typed stays. The MLP picker (never empty) follows the preset on request.
 */
export function prefillCustom(catalog: Catalog, fromModel: string, withMlp: boolean): void {
  const m = catalog.models.find((x) => x.id === fromModel);
  if (!m) return;
  // The expert cells fill only with a fresh shape, never onto dimensions kept from earlier.
  const fresh = control("layers").value.trim() === "";
  for (const k of ["layers", "hidden", "ffnHidden", "heads", "kvHeads", "vocab"] as const)
    if (control(k).value.trim() === "") control(k).value = String(m.shape[k]);
  // Only a head dim the preset states: left empty, it follows hidden / heads as those are edited.
  if (m.shape.headDim !== null && control("headDim").value.trim() === "")
    control("headDim").value = String(m.shape.headDim);
  if (withMlp) control("mlp").value = m.shape.mlp;
  // An MoE preset fills the expert cells too; a dense one leaves them empty (a dense custom model).
  const moe = m.moe;
  if (moe && fresh && MOE_CELLS.every(([cell]) => control(cell).value.trim() === ""))
    for (const [cell, key] of MOE_CELLS) control(cell).value = String(moe[key]);
}

/** The custom shape's expert cells and the model.moe field each one fills. */
const MOE_CELLS = [
  ["experts", "experts"],
  ["active", "active"],
  ["shared", "shared"],
  ["expertFfn", "expertFfnHidden"],
  ["denseLayers", "denseLayers"],
] as const;
/** The custom shape's experts: an empty Experts cell means a dense model; the library names what else is missing or wrong. */
function customMoe(): Record<string, unknown> {
  if (value("experts") === undefined) return {};
  // An empty cell stays out, so the library's default (shared, dense layers) or its "is required" applies.
  return {
    moe: Object.fromEntries(
      MOE_CELLS.map(([cell, key]) => [key, value(cell)]).filter(([, v]) => v !== undefined),
    ),
  };
}

/**
 * A preset with a published run sets tokens, sequence length and (where published) the batch to
 * that run's, and says so with its source; one without leaves what was typed. Only on choosing a
 * preset: a link's explicit values are never overwritten on load.
 */
export function applyTraining(catalog: Catalog, modelId: string): void {
  const m = catalog.models.find((x) => x.id === modelId);
  const note = byId<HTMLElement>("model-training");
  const t = m?.training;
  if (!m || !t) {
    note.hidden = true;
    note.replaceChildren();
    return;
  }
  control("tokens").value = String(+(t.tokens / 1e12).toPrecision(6)); // the field is in trillions
  control("seqLen").value = String(t.seqLen);
  if (t.globalBatch !== null) control("globalBatch").value = String(t.globalBatch);
  const batch =
    t.globalBatch === null
      ? "batch unpublished (yours kept)"
      : `${integer(t.globalBatch)} per batch`;
  note.replaceChildren(
    `${m.name}'s published training: ${+(t.tokens / 1e12).toPrecision(6)}T tokens, ${integer(t.seqLen)}-token sequences, ${batch}. `,
    h("details", { class: "source" }, h("summary", { title: t.source }, "source"), t.source),
  );
  note.hidden = false;
}

// ---------- form -> scenario ----------

/** What `cluster.chip` is for the picked id: the id, or (set by the chip sliders) the id with changed figures. */
let chipFor: (id: string) => unknown = (id) => id;
export function setChipFor(f: (id: string) => unknown): void {
  chipFor = f;
}

export { parse };
export const value = (id: ControlId) => parse(control(id).value);

/** The scenario the form describes, goals as the library's constraints (it validates them too). */
export function scenario(): Record<string, unknown> {
  const tokensT = value("tokens");
  const manual = control("planMode").value === "manual";
  const custom = control("model").value === CUSTOM;
  const dc: Record<string, unknown> = {};
  for (const [id, key] of [
    ["pue", "pue"],
    ["grid", "gridGCO2PerKWh"],
    ["price", "usdPerKWh"],
  ] as const) {
    const v = value(id);
    if (v !== undefined) dc[key] = v;
  }
  const system = control("system").value;
  // Deadline is on wall time with failures, power at the facility (as `feasible` judges them).
  const goals: Record<string, unknown> = {};
  const d = value("deadline"),
    p = value("powerBudget");
  if (d !== undefined) goals.deadlineDays = d;
  if (p !== undefined) goals.powerMW = p;
  return {
    model: custom
      ? {
          name: "custom model",
          layers: value("layers"),
          hidden: value("hidden"),
          ffnHidden: value("ffnHidden"),
          heads: value("heads"),
          kvHeads: value("kvHeads"),
          ...(value("headDim") === undefined ? {} : { headDim: value("headDim") }),
          vocab: value("vocab"),
          mlp: control("mlp").value,
          ...customMoe(),
        }
      : control("model").value,
    training: {
      tokens: typeof tokensT === "number" ? tokensT * 1e12 : tokensT,
      seqLen: value("seqLen"),
      globalBatch: value("globalBatch"),
      precision: control("precision").value,
      ...(control("stack").value ? { stack: control("stack").value } : {}),
    },
    cluster: {
      chip:
        control("chip").value === CUSTOM_CHIP ? customChip(parse) : chipFor(control("chip").value),
      count: value("count"),
      ...(system ? { system } : {}),
    },
    parallelism: manual
      ? {
          tp: value("tp"),
          pp: value("pp"),
          dp: value("dp"),
          cp: value("cp"),
          ep: value("ep"),
          vpp: value("vpp"),
          microBatch: value("microBatch"),
          zero: Number(control("zero").value),
          ...recompute(custom),
          overlapAllToAll: control("allToAll").value === "overlapped",
          ...(control("etp").value === "1" ? { etp: 1 } : {}),
        }
      : "auto",
    ...(Object.keys(dc).length ? { datacenter: dc } : {}),
    ...(Object.keys(goals).length ? { constraints: goals } : {}),
  };
}

/** The recompute select: a level; "m:a,b": no level plus those modules; "modules": every module the model has. */
function recompute(custom: boolean): { recompute: string; recomputeModules?: string[] } {
  const level = control("recompute").value;
  if (level.startsWith("m:"))
    return { recompute: "none", recomputeModules: level.slice(2).split(",") };
  if (level !== "modules") return { recompute: level };
  return { recompute: "none", recomputeModules: modelModules(custom).split(" ") };
}

/** What "modules" asks of the chosen model (fillPickers stores it on the model's option). */
function modelModules(custom: boolean): string {
  const picked = (control("model") as HTMLSelectElement).selectedOptions[0];
  return custom
    ? value("experts") === undefined
      ? "layernorm"
      : "layernorm moe_act"
    : (picked?.dataset.modules ?? "layernorm");
}

/** The recompute select's value for a plan: its level, or its modules (all the model has, or one of the listed sets). */
export function recomputeChoice(
  p: { recompute: string; recomputeModules: string[] },
  custom: boolean,
): string {
  if (p.recomputeModules.length === 0 || p.recompute === "full") return p.recompute;
  if (p.recomputeModules.join(" ") === modelModules(custom)) return "modules";
  const set = `m:${p.recomputeModules.join(",")}`;
  return Array.from((control("recompute") as HTMLSelectElement).options).some(
    (o) => o.value === set,
  )
    ? set
    : "modules";
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

export function collectSlots(): void {
  slots = Array.from(form().querySelectorAll<HTMLElement>(".field[data-paths]")).map((field) => ({
    field,
    paths: (field.dataset.paths ?? "").split(/\s+/).filter(Boolean),
    own: field.querySelector<HTMLElement>(":scope > .error"),
    shared: field.dataset.errorInto ? document.getElementById(field.dataset.errorInto) : null,
  }));
}

/** The visible field whose path is the longest prefix of `path` ("cluster.chip.hbmGB" -> the chip picker). */
function slotFor(path: string): FieldSlot | undefined {
  let best: FieldSlot | undefined,
    bestLen = -1;
  for (const s of slots) {
    if (s.field.closest("[hidden]")) continue;
    for (const p of s.paths) {
      if ((path === p || path.startsWith(`${p}.`)) && p.length > bestLen) {
        best = s;
        bestLen = p.length;
      }
    }
  }
  return best;
}

export function issueLine(e: Issue): HTMLElement {
  const note = e.path === "training.tokens" ? " (this field is in trillions of tokens)" : "";
  return h(
    "span",
    { class: "issue" },
    e.path ? h("code", {}, e.path) : null,
    e.path ? " " : "",
    e.message,
    note,
  );
}

export function clearErrors(): void {
  const f = form();
  f.querySelectorAll<HTMLElement>(".error").forEach((el) => {
    el.hidden = true;
    el.replaceChildren();
  });
  f.querySelectorAll(".field.invalid").forEach((el) => el.classList.remove("invalid"));
  f.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

/**
 * The fields an error is shown at, by its code. The library files count problems under the plan:
 * no plan divides the count (auto) asks to change the count, so it goes there; a count above the
 * most the batch can use goes to both the count and the batch; a manual plan whose product must
 * equal cluster.count may be fixed at either, so it goes to both.
 */
function pathsFor(e: Issue): string[] {
  if (e.path !== "parallelism") return [e.path];
  if (e.code === "no-plan")
    return e.data.mostUsable === null
      ? ["cluster.count"]
      : ["cluster.count", "training.globalBatch"];
  if (e.code === "plan-product") return [e.path, "cluster.count"];
  return [e.path];
}

export type Placed = { placed: { issue: Issue; slot: FieldSlot }[]; unplaced: Issue[] };

/** Puts each error next to its field; returns the fields used and the errors no field claims. */
export function placeErrors(errors: Issue[]): Placed {
  const unplaced: Issue[] = [];
  const placed: { issue: Issue; slot: FieldSlot }[] = [];
  for (const e of errors) {
    let shown = false;
    for (const path of pathsFor(e)) {
      const s = slotFor(path);
      const shared = s?.shared && !s.shared.parentElement?.closest("[hidden]") ? s.shared : null;
      const line = shared ?? s?.own;
      if (!s || !line) continue;
      shown = true;
      placed.push({ issue: e, slot: s });
      // A plan error shown at the count or batch is labelled with that field, as the banner names it.
      line.append(
        issueLine(
          e.path === "parallelism" && !s.paths.includes("parallelism") ? { ...e, path } : e,
        ),
      );
      line.hidden = false;
      // The plan-mode picker is not what a plan error asks to change once the manual cells are shown.
      if (shared && s.field.dataset.mark === "own-error-only") continue;
      s.field.classList.add("invalid");
      s.field
        .querySelectorAll("input, select")
        .forEach((el) => el.setAttribute("aria-invalid", "true"));
    }
    if (!shown) unplaced.push(e);
  }
  return { placed, unplaced };
}
