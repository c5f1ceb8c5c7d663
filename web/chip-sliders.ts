// Chip sliders: each figure of the picked chip on a log slider with a typed value beside it,
// seeded from the catalog and shown against it ("HBM 6 TB/s, +50% vs H20"), with resets; the
// chip's TPP, performance density and class under every export rule recomputed as they move
// (by the library, in the worker), and the catalog's recorded press claims beside each figure.
import type { Catalog, ChipOption, Standing } from "./worker.js";
import { Superseded, type LiveWorker } from "./live.js";
import type { Check } from "./url-state.js";
import { h, byId, fill } from "./dom.js";
import { sig, integer, exact } from "./format.js";
import { typedNumber as typed } from "./typed.js";
import type { Metric } from "chipscale";

const METRICS: readonly Metric[] = ["tpp", "pd", "io", "dram"];
const METRIC_NAMES: Record<Metric, string> = {
  tpp: "TPP",
  pd: "PD",
  io: "chip I/O GB/s",
  dram: "DRAM GB/s",
};

export type FigureKey =
  | "bf16Tflops"
  | "fp8Tflops"
  | "hbmGB"
  | "hbmTBps"
  | "scaleUpGBps"
  | "scaleUpDomain"
  | "scaleOutGbps"
  | "tdpW";

interface FigureSpec {
  key: FigureKey;
  label: string;
  /** The name in "HBM 6 TB/s, +50% vs H20". */
  short: string;
  unit: string;
  /** The slider's range as multiples of the catalog figure (log: each spans a decade or more). */
  span: [number, number];
  integer?: boolean;
}

/** The sliders, in the library's CHIP_FIGURES order; each key is also its URL parameter. */
export const FIGURES: readonly FigureSpec[] = [
  { key: "bf16Tflops", label: "Dense BF16", short: "BF16", unit: "TFLOPS", span: [1 / 16, 8] },
  { key: "fp8Tflops", label: "Dense FP8", short: "FP8", unit: "TFLOPS", span: [1 / 16, 8] },
  { key: "hbmGB", label: "HBM capacity", short: "HBM", unit: "GB", span: [1 / 4, 4] },
  { key: "hbmTBps", label: "HBM bandwidth", short: "HBM", unit: "TB/s", span: [1 / 8, 4] },
  {
    key: "scaleUpGBps",
    label: "Scale-up bandwidth",
    short: "Scale-up",
    unit: "GB/s bidir.",
    span: [1 / 16, 8],
  },
  {
    key: "scaleUpDomain",
    label: "Scale-up domain",
    short: "Domain",
    unit: "chips",
    span: [1 / 8, 64],
    integer: true,
  },
  { key: "scaleOutGbps", label: "NIC per chip", short: "NIC", unit: "Gb/s", span: [1 / 8, 8] },
  { key: "tdpW", label: "Power (TDP)", short: "TDP", unit: "W", span: [1 / 4, 4] },
];

const STEPS = 1000; // slider positions

/** The point a fraction `t` of the way from `lo` to `hi` on a log scale. */
const logBetween = (lo: number, hi: number, t: number) => lo * (hi / lo) ** t;

/** `n` log-spaced values from `lo` to `hi`, to 3 significant digits (whole numbers without repeats for an integer figure). */
export function logValues(lo: number, hi: number, n: number, integer: boolean): number[] {
  const out = Array.from({ length: n }, (_, k) => logBetween(lo, hi, k / (n - 1)));
  return integer
    ? [...new Set(out.map((v) => Math.max(1, Math.round(v))))]
    : out.map((v) => +v.toPrecision(3));
}
const text = (key: FigureKey) => byId<HTMLInputElement>(`fig-${key}`);
const slider = (key: FigureKey) => byId<HTMLInputElement>(`figSlider-${key}`);

/** A slider's position as the field shows it: three significant digits, no grouping (the field stays a number). */
const shown = (x: number) => String(+x.toPrecision(3));

export class ChipSliders {
  private chip: ChipOption | undefined;
  private asked = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly live: LiveWorker,
    private readonly root: HTMLElement,
  ) {
    this.build();
  }

  private build(): void {
    const rows = FIGURES.map((f) => {
      const reset = h(
        "button",
        { type: "button", class: "ghost small", id: `figReset-${f.key}` },
        "Reset",
      );
      reset.addEventListener("click", () => this.reset([f.key]));
      return h(
        "div",
        { class: "field fig", "data-paths": `cluster.chip.${f.key}` },
        h("label", { for: `fig-${f.key}` }, f.label, " ", h("span", { class: "unit" }, f.unit)),
        h(
          "div",
          { class: "count-row fig-row" },
          h("input", {
            id: `figSlider-${f.key}`,
            type: "range",
            min: "0",
            max: String(STEPS),
            step: "1",
            "aria-label": `${f.label}, logarithmic slider`,
          }),
          h("input", {
            id: `fig-${f.key}`,
            type: "text",
            inputmode: "decimal",
            spellcheck: "false",
          }),
          reset,
        ),
        h("p", { class: "hint fig-change", id: `figChange-${f.key}` }),
        h("div", { class: "fig-claims", id: `figClaims-${f.key}` }),
        h("p", { class: "error", role: "alert", hidden: "" }),
      );
    });
    const resetAll = h(
      "button",
      { type: "button", class: "ghost small", id: "figResetAll" },
      "Reset all to the catalog",
    );
    resetAll.addEventListener("click", () => this.reset(FIGURES.map((f) => f.key)));
    fill(
      this.root,
      h(
        "p",
        { class: "hint" },
        "What if this chip were different? Each change goes into the scenario as a chip override. ",
        resetAll,
      ),
      ...rows,
      h("div", { class: "fig-claims", id: "figClaims-general" }),
      h("div", { id: "chip-rules", "aria-live": "polite" }),
    );
    // Slider -> its text, before the form hears the input and reads the scenario.
    this.root.addEventListener("input", (ev) => {
      const el = ev.target as HTMLInputElement;
      const f = FIGURES.find((x) => el.id === `figSlider-${x.key}` || el.id === `fig-${x.key}`);
      if (!f) return;
      if (el.type === "range") text(f.key).value = shown(this.fromPosition(f, Number(el.value)));
      else this.placeSlider(f);
      this.describe(f);
      this.standing();
    });
  }

  /** The picked chip's catalog figures become every slider's value (a new chip starts unmodified). */
  seed(chipId: string): void {
    this.chip = this.catalog.chips.find((c) => c.id === chipId);
    for (const f of FIGURES) {
      const v = this.catalogValue(f);
      text(f.key).value = v === null ? "" : String(v); // the catalog's figure exactly (989.5, not 990)
      text(f.key).placeholder = v === null ? "unknown" : "";
    }
    this.refresh();
  }

  /** Sliders, change lines, claims and the rule panel from the fields as they are (after a link filled them). */
  refresh(): void {
    this.chip = this.catalog.chips.find((c) => c.id === this.chipId());
    // A custom chip has its own figure cells: the sliders are for a catalog chip.
    const set = this.root.closest("fieldset");
    if (set) set.hidden = !this.chip;
    for (const f of FIGURES) {
      this.placeSlider(f);
      this.describe(f);
    }
    this.claims();
    this.standing();
  }

  /** `cluster.chip` for the scenario: the id, or the id with every changed figure. */
  scenarioChip(id: string): string | Record<string, unknown> {
    const changed = this.changed();
    return Object.keys(changed).length ? { id, ...changed } : id;
  }

  /** The figures that differ from the catalog's, as typed (text the library will name stays text). */
  changed(): Partial<Record<FigureKey, number | string>> {
    const out: Partial<Record<FigureKey, number | string>> = {};
    for (const f of FIGURES) {
      const v = typed(text(f.key).value);
      const c = this.catalogValue(f);
      if (v === undefined) continue;
      if (typeof v === "number" && v === c) continue; // the seed
      out[f.key] = v;
    }
    return out;
  }

  /** The figure's value now: the typed number, else the catalog's (null when neither is known). */
  current(key: FigureKey): number | null {
    const v = typed(text(key).value);
    return typeof v === "number" && v > 0
      ? v
      : this.catalogValue(FIGURES.find((f) => f.key === key)!);
  }

  urlPairs(): [string, string][] {
    return Object.entries(this.changed()).map(([k, v]) => [k, String(v)]);
  }

  urlChecks(numberText: Check): Record<string, Check> {
    return Object.fromEntries(FIGURES.map((f) => [f.key, numberText]));
  }

  /** A link's figures, after the chip picker took the link's chip. */
  restore(values: Map<string, string>): void {
    this.seed(this.chipId());
    for (const f of FIGURES) {
      const v = values.get(f.key);
      if (v !== undefined) text(f.key).value = v;
    }
    this.refresh();
  }

  private chipId(): string {
    return byId<HTMLSelectElement>("chip").value;
  }

  private catalogValue(f: FigureSpec): number | null {
    return this.chip ? this.chip[f.key] : null;
  }

  private range(f: FigureSpec): [number, number] | null {
    const c = this.catalogValue(f);
    if (c === null) return null;
    return [f.integer ? Math.max(1, c * f.span[0]) : c * f.span[0], c * f.span[1]];
  }

  private fromPosition(f: FigureSpec, pos: number): number {
    const [lo, hi] = this.range(f)!;
    const v = logBetween(lo, hi, pos / STEPS);
    return f.integer ? Math.max(1, Math.round(v)) : v;
  }

  private placeSlider(f: FigureSpec): void {
    const r = this.range(f);
    const s = slider(f.key);
    s.disabled = r === null;
    const v = typed(text(f.key).value);
    if (!r || typeof v !== "number" || v <= 0) return;
    const pos = (STEPS * Math.log(v / r[0])) / Math.log(r[1] / r[0]);
    s.value = String(Math.round(Math.min(STEPS, Math.max(0, pos))));
    s.setAttribute("aria-valuetext", `${shown(v)} ${f.unit}`);
  }

  /** "HBM 6 TB/s, +50% vs H20", or the catalog's figure when unchanged. */
  private describe(f: FigureSpec): void {
    const el = byId(`figChange-${f.key}`);
    const v = typed(text(f.key).value);
    const c = this.catalogValue(f);
    const name = this.chip?.short ?? "the catalog";
    if (v === undefined)
      el.textContent = c === null ? `${f.short}: unknown in the catalog` : `${f.short}: catalog`;
    else if (typeof v !== "number") el.textContent = `${f.short}: "${v}" is not a number`;
    else if (c === null) el.textContent = `${f.short} ${sig(v)} ${f.unit} (unknown for ${name})`;
    else if (!(f.key in this.changed()))
      el.textContent = `${f.short} ${exact(v)} ${f.unit}, as ${name} (catalog)`;
    else {
      const d = v / c - 1;
      el.textContent = `${f.short} ${sig(v)} ${f.unit}, ${d > 0 ? "+" : ""}${sig(100 * d)}% vs ${name}`;
    }
    el.dataset.changed = String(f.key in this.changed());
  }

  /** The catalog's recorded conflicts (press claims, disagreeing sources), beside the figure they are about. */
  private claims(): void {
    const spots = new Map<string, HTMLElement[]>();
    for (const k of this.chip?.conflicts ?? []) {
      const at = FIGURES.some((f) => f.key === k.figure) ? k.figure! : "general";
      const item = h(
        "details",
        { class: "claim" },
        h("summary", {}, `Conflicting claims: ${k.field}`),
        h(
          "ul",
          {},
          ...k.values.map((v) => h("li", {}, h("b", {}, v.value), ` (source: ${v.source})`)),
        ),
        h("p", {}, `Catalog: ${k.resolution}`),
      );
      spots.set(at, [...(spots.get(at) ?? []), item]);
    }
    for (const f of FIGURES) fill(byId(`figClaims-${f.key}`), ...(spots.get(f.key) ?? []));
    fill(byId("figClaims-general"), ...(spots.get("general") ?? []));
  }

  /** TPP, PD and class under each rule, from the library in the worker; the newest request wins. */
  private standing(): void {
    const id = this.chipId();
    const figures = Object.fromEntries(
      Object.entries(this.changed()).filter(([, v]) => typeof v === "number" && v > 0),
    );
    const mine = ++this.asked;
    void this.live
      .ask((api) => api.standing(id, figures))
      .then(
        (s) => {
          if (mine === this.asked) this.showStanding(s);
        },
        (e) => {
          // A newer edit abandoned the request (its worker was replaced): ask again, if still newest.
          if (!(e instanceof Superseded)) throw e;
          if (mine === this.asked) this.standing();
        },
      );
  }

  private showStanding(s: Standing | null): void {
    const el = byId("chip-rules");
    if (!s) return fill(el);
    const num = (m: Metric, x: number | null) =>
      x === null ? "unknown" : m === "pd" ? sig(x) : integer(x);
    // A metric from an estimated figure reads "~5,120", as the figure does.
    const now = (m: Metric) => (s.estimated[m] && s.now[m] !== null ? "~" : "") + num(m, s.now[m]);
    const was = (m: Metric) =>
      (s.wasEstimated[m] && s.was[m] !== null ? "~" : "") + num(m, s.was[m]);
    const cls = (r: Standing["rules"][number]) => `${r.estimate ? "~" : ""}${r.class}`;
    const crossings = s.rules
      .filter((r) => r.class !== r.baseClass)
      .map((r) => {
        const m = r.moved[0] ?? "tpp";
        return h(
          "li",
          { "data-rule": r.id },
          `${METRIC_NAMES[m]} ${now(m)}: now ${cls(r)} under ${r.name} (catalog chip: ${r.baseEstimate ? "~" : ""}${r.baseClass})`,
        );
      });
    // Where the chip sits against each threshold the rule sets.
    const sits = (r: Standing["rules"][number]) =>
      METRICS.filter((m) => r.thresholds[m].length)
        .map((m) => {
          const v = s.now[m];
          const cuts = r.thresholds[m];
          if (v === null)
            return `${METRIC_NAMES[m]} unknown (thresholds ${cuts.map((t) => num(m, t)).join(", ")})`;
          const below = cuts.filter((t) => t <= v).pop();
          const above = cuts.find((t) => t > v);
          return `${METRIC_NAMES[m]} ${now(m)}: ${[below === undefined ? "" : `at or over ${num(m, below)}`, above === undefined ? "" : `under ${num(m, above)}`].filter(Boolean).join(", ")}`;
        })
        .join("; ");
    fill(
      el,
      h(
        "p",
        { id: "chip-tpp" },
        h("b", {}, "Export metrics: "),
        `TPP ${now("tpp")}, performance density ${now("pd")}`,
        s.now.tpp !== s.was.tpp ? ` (catalog: TPP ${was("tpp")}, PD ${was("pd")})` : "",
      ),
      crossings.length ? h("ul", { id: "chip-crossings", class: "crossings" }, ...crossings) : null,
      h(
        "ul",
        { class: "rules" },
        ...s.rules.map((r) =>
          h(
            "li",
            { "data-rule": r.id, "data-class": r.class, title: r.reason },
            h("b", {}, `${r.name}: `),
            h(
              "span",
              {
                class: `tag ${r.allowed ? "ok" : "bad"}`,
                ...(r.estimate ? { title: "an estimate: it rests on estimated figures" } : {}),
              },
              cls(r),
            ),
            sits(r) ? ` (${sits(r)})` : "",
          ),
        ),
      ),
    );
  }

  /** Back to the catalog figure(s); the form hears one input and recomputes. */
  private reset(keys: FigureKey[]): void {
    for (const key of keys) {
      const c = this.catalogValue(FIGURES.find((f) => f.key === key)!);
      text(key).value = c === null ? "" : String(c);
    }
    for (const f of FIGURES) {
      this.placeSlider(f);
      this.describe(f);
    }
    text(keys[0]).dispatchEvent(new Event("input", { bubbles: true }));
  }
}
