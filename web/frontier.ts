// The export-control frontier view: for the form's scenario and a chosen rule, the fastest chip
// the rule still allows (the library's frontier, in a lane's worker), its days and match, and a
// chart of days against TPP with the catalog's chips placed on it; CSV and PNG export.
import type { FrontierResult, Issue } from "chipscale";
import type { Catalog } from "./worker.js";
import { h, fill, download } from "./dom.js";
import { Lane } from "./lane.js";
import { LineChart } from "./charts.js";
import { sig, integer, days, backingWords } from "./format.js";
import { issueLine } from "./form.js";
import { tabCsv } from "./export.js";
import { typedNumber as typed } from "./typed.js";

/** The bound fields' labels and units, by the library's bound name. */
const BOUND_LABELS: Record<string, [string, string]> = {
  bf16Tflops: ["Dense BF16 at most", "TFLOPS"],
  hbmGB: ["HBM capacity", "GB"],
  hbmTBps: ["HBM bandwidth at most", "TB/s"],
  scaleUpGBps: ["Scale-up at most", "GB/s bidir."],
  scaleUpDomain: ["Scale-up domain", "chips"],
  scaleOutGbps: ["NIC per chip", "Gb/s"],
  dieAreaMm2: ["Die area", "mm²"],
};

export class FrontierView {
  private readonly lane: Lane;
  private readonly chart: LineChart;
  private readonly out: HTMLElement;
  private readonly status: HTMLElement;
  private readonly rule: HTMLSelectElement;
  private last: { link: string; scenario: unknown; result: FrontierResult } | null = null;

  constructor(
    private readonly catalog: Catalog,
    root: HTMLElement,
    private readonly scenario: () => Record<string, unknown>,
    private readonly link: () => string,
    private readonly chipName: (id: string) => string,
  ) {
    this.rule = h(
      "select",
      { id: "frontierRule" },
      ...catalog.rules.map((r) => h("option", { value: r.id }, r.name)),
    ) as HTMLSelectElement;
    this.rule.value = "oct2023";
    const bounds = catalog.frontierBounds.map((b) =>
      h(
        "div",
        { class: "field", "data-bound": b },
        h(
          "label",
          { for: `bound-${b}` },
          BOUND_LABELS[b]?.[0] ?? b,
          " ",
          h("span", { class: "unit" }, BOUND_LABELS[b]?.[1] ?? ""),
        ),
        h("input", {
          id: `bound-${b}`,
          type: "text",
          inputmode: "decimal",
          placeholder: "the chip's",
          spellcheck: "false",
        }),
        h("p", { class: "error", role: "alert", hidden: "" }),
      ),
    );
    const go = h("button", { type: "button", class: "primary", id: "frontierGo" }, "Find it");
    go.addEventListener("click", () => void this.run());
    const job = h(
      "span",
      { class: "job", id: "frontier-job", hidden: "" },
      h("progress", { "aria-label": "Frontier progress" }),
      h("button", { type: "button", class: "small ghost" }, "Cancel"),
    );
    this.out = h("div", { id: "frontier-out", "aria-live": "polite" });
    const chartEl = h("div", { id: "chart-frontier", class: "chart" });
    this.status = h("span", { class: "hint", id: "frontier-export-status", "aria-live": "polite" });
    const csv = h("button", { type: "button", id: "frontier-csv" }, "Frontier CSV");
    const png = h("button", { type: "button", id: "frontier-png" }, "Frontier chart PNG");
    csv.addEventListener("click", () => this.csv());
    png.addEventListener("click", () => void this.png());
    fill(
      root,
      h("div", { class: "chart-head" }, h("h3", {}, "The best chip a rule still allows"), job),
      h(
        "p",
        { class: "hint" },
        "The form's chip with its FLOP/s held one unit under the rule's TPP and performance-density thresholds, and its memory and interconnect at most the bounds below (empty: the chip's own), each also kept under any threshold the rule sets on it. Its days for the form's scenario, how many of these chips match the form's cluster, and days against TPP with the catalog's chips placed at the form's count.",
      ),
      h(
        "div",
        { class: "row3" },
        h("div", { class: "field" }, h("label", { for: "frontierRule" }, "Rule"), this.rule),
        ...bounds,
      ),
      h("div", { class: "exports" }, go, csv, png, this.status),
      this.out,
      chartEl,
    );
    this.lane = new Lane(job, () => fill(this.out, h("p", { class: "hint" }, "Cancelled.")));
    this.chart = new LineChart(chartEl, {
      title: "",
      xLabel: "TPP",
      yLabel: "training days, with failures",
    });
  }

  private boundValues(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const b of this.catalog.frontierBounds) {
      const v = typed((document.getElementById(`bound-${b}`) as HTMLInputElement).value);
      if (v !== undefined) out[b] = v;
    }
    return out;
  }

  async run(): Promise<void> {
    const link = this.link(),
      scenario = this.scenario();
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("#frontier .error"))) {
      el.hidden = true;
      el.replaceChildren();
    }
    fill(this.out, h("p", { class: "hint" }, "Searching the chips the rule allows…"));
    const done = await this.lane.run((api) =>
      api.frontier(scenario, { rule: this.rule.value, bounds: this.boundValues() }),
    );
    if (!done) return;
    const r = done.result;
    if (!r.ok) {
      this.last = null;
      this.showErrors(r.errors);
      return;
    }
    this.last = { link, scenario, result: r };
    this.show(r, done.elapsedMs);
  }

  /** A bound's error at its field; the rest (the scenario's) as a list. */
  private showErrors(errors: Issue[]): void {
    const rest: Issue[] = [];
    for (const e of errors) {
      const b = /^bounds\.(\w+)$/.exec(e.path)?.[1];
      const line = b
        ? document.querySelector<HTMLElement>(`#frontier [data-bound="${b}"] .error`)
        : null;
      if (!line) {
        rest.push(e);
        continue;
      }
      line.append(issueLine(e));
      line.hidden = false;
    }
    fill(
      this.out,
      h("p", { class: "bad-text" }, "No frontier for these inputs."),
      rest.length ? h("ul", {}, ...rest.map((e) => h("li", {}, issueLine(e)))) : null,
    );
    this.chart.clear("No chart: fix the inputs above.");
  }

  private show(r: FrontierResult, ms: number): void {
    const b = r.best;
    const held = b.heldBy
      .map((x) =>
        x.by === "bound"
          ? `${BOUND_LABELS[x.figure]?.[0].replace(/ at most$/, "") ?? x.figure} at its bound`
          : `${x.metric === "tpp" ? "TPP" : x.metric === "pd" ? "performance density" : x.metric === "io" ? "chip I/O" : "DRAM bandwidth"} just under ${sig(x.threshold)}`,
      )
      .join("; ");
    const wall = r.result.run.effectiveDays;
    fill(
      this.out,
      h(
        "p",
        { id: "frontier-best" },
        h("b", {}, `Fastest chip ${r.rule.name} allows (${r.rule.allowed}): `),
        `${this.chipName(b.override.id)} with dense BF16 ${sig(b.bf16Tflops)} TFLOPS${b.fp8Tflops ? `, FP8 ${sig(b.fp8Tflops)}` : ""}, HBM ${sig(b.hbmGB)} GB at ${sig(b.hbmTBps)} TB/s, scale-up ${sig(b.scaleUpGBps)} GB/s × ${integer(b.scaleUpDomain)}, NIC ${sig(b.scaleOutGbps)} Gb/s: TPP ${integer(b.tpp)}${b.performanceDensity === null ? "" : `, PD ${sig(b.performanceDensity)}`}, ${b.class}. Held by ${held}.`,
      ),
      h(
        "p",
        { id: "frontier-days" },
        `On ${integer(r.reference.count)} of these chips the scenario trains in ${wall === null ? "never (failures outpace checkpoints)" : days(wall)} with failures; the form's ${this.chipName(r.reference.chip)} (TPP ${r.reference.tpp === null ? "unknown" : integer(r.reference.tpp)}, ${r.reference.class}) takes ${r.reference.days === null ? "forever (failures outpace checkpoints)" : days(r.reference.days)}. `,
        r.match
          ? `${integer(r.match.count)} of these chips (${sig(r.match.chipRatio)} per ${this.chipName(r.reference.chip)}) train as fast.`
          : "No count of this chip trains as fast.",
      ),
      h(
        "p",
        {
          class: "hint",
          id: "frontier-calibration",
          "data-calibrated": String(r.calibration.calibrated),
        },
        `Calibration: ${backingWords(r.calibration)}.`,
      ),
      h(
        "p",
        { class: "hint" },
        `${r.candidates} allowed design${r.candidates === 1 ? "" : "s"} compared in ${sig(ms)} ms.`,
      ),
    );
    // Days against TPP: the best chip scaled in FLOP/s (allowed, then not), and the catalog's chips.
    const real = r.realChips.filter((c) => c.days !== null);
    const xs = [...new Set([...r.curve.map((p) => p.tpp), ...real.map((c) => c.tpp)])].sort(
      (a, c) => a - c,
    );
    const at = (pts: { tpp: number; days: number | null }[]) =>
      xs.map((x) => pts.find((p) => p.tpp === x)?.days ?? null);
    // The allowed part of the line joins the first point that is not, so the line is unbroken.
    const firstOut = r.curve.findIndex((p) => !p.allowed);
    this.chart.setData(xs, [
      {
        label: "this chip scaled, allowed",
        values: at(r.curve.filter((p, i) => p.allowed || i === firstOut)),
        colour: "--c7",
        bold: true,
        spanGaps: true,
      },
      {
        label: "this chip scaled, not allowed",
        values: at(r.curve.filter((p) => !p.allowed)),
        colour: "--c5",
        dash: true,
        spanGaps: true,
      },
      {
        label: "catalog chips, allowed",
        values: at(real.filter((c) => c.allowed)),
        colour: "--c2",
        pointsOnly: true,
      },
      {
        label: "catalog chips, not allowed",
        values: at(real.filter((c) => !c.allowed)),
        colour: "--c4",
        pointsOnly: true,
      },
    ]);
    this.chart.setMarker(b.tpp, wall);
  }

  private csv(): void {
    if (!this.last) {
      this.status.textContent = "Nothing to export yet.";
      return;
    }
    const { link, scenario, result: r } = this.last;
    const text = tabCsv(
      link,
      scenario,
      `frontier under ${r.rule.name}: best chip ${JSON.stringify(r.best.override)}`,
      {
        header: ["kind", "id", "tpp", "days_with_failures", "class_or_allowed"],
        rows: [
          ["best", r.best.override.id, r.best.tpp, r.result.run.effectiveDays, r.best.class],
          ...r.curve.map((p) => [
            "scaled",
            r.best.override.id,
            p.tpp,
            p.days,
            p.allowed ? "allowed" : "not allowed",
          ]),
          ...r.realChips.map((c) => ["catalog", c.id, c.tpp, c.days, c.class]),
        ],
      },
    );
    download("chipscale-frontier.csv", new Blob([text], { type: "text/csv" }));
    this.status.textContent = "CSV saved.";
  }

  private async png(): Promise<void> {
    const blob = this.last
      ? await this.chart.png(`Days against TPP under ${this.last.result.rule.name}`)
      : null;
    if (!blob) {
      this.status.textContent = "The chart is not drawn yet.";
      return;
    }
    download("chipscale-frontier.png", blob);
    this.status.textContent = "PNG saved.";
  }
}
