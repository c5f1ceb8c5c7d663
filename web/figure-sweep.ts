// One chip figure swept (any of the chip sliders' figures): the library's sweep over that axis for
// the form's scenario, days and energy against the figure, with the current value marked; CSV and
// PNG export.
import type { SweepResult } from "chipscale";
import type { ChipSliders, FigureKey } from "./chip-sliders.js";
import { FIGURES, logValues } from "./chip-sliders.js";
import { h, fill, download } from "./dom.js";
import { Lane } from "./lane.js";
import { LineChart } from "./charts.js";
import { sig } from "./format.js";
import { tabCsv } from "./export.js";
import { issueLine } from "./form.js";
import { typedNumber } from "./typed.js";

const POINTS = 9;

export class FigureSweep {
  private readonly lane: Lane;
  private readonly chart: LineChart;
  private readonly figure: HTMLSelectElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly out: HTMLElement;
  private readonly chartEl: HTMLElement;
  private last: { link: string; scenario: unknown; key: FigureKey; sweep: SweepResult } | null =
    null;

  constructor(
    root: HTMLElement,
    private readonly sliders: ChipSliders,
    private readonly scenario: () => Record<string, unknown>,
    private readonly link: () => string,
  ) {
    this.figure = h(
      "select",
      { id: "figSweepAxis" },
      ...FIGURES.map((f) => h("option", { value: f.key }, `${f.label} (${f.unit})`)),
    ) as HTMLSelectElement;
    this.figure.value = "hbmTBps";
    const num = (id: string) =>
      h("input", {
        id,
        type: "text",
        inputmode: "decimal",
        placeholder: "auto",
        spellcheck: "false",
      }) as HTMLInputElement;
    this.from = num("figSweepFrom");
    this.to = num("figSweepTo");
    const go = h("button", { type: "button", class: "primary", id: "figSweepGo" }, "Sweep");
    go.addEventListener("click", () => void this.run());
    const csv = h("button", { type: "button", id: "figSweep-csv" }, "Sweep CSV");
    const png = h("button", { type: "button", id: "figSweep-png" }, "Sweep chart PNG");
    csv.addEventListener("click", () => this.csv());
    png.addEventListener("click", () => void this.png());
    const job = h(
      "span",
      { class: "job", id: "figSweep-job", hidden: "" },
      h("progress", { "aria-label": "Sweep progress" }),
      h("button", { type: "button", class: "small ghost" }, "Cancel"),
    );
    this.status = h("span", { class: "hint", "aria-live": "polite" });
    this.out = h("p", { class: "hint", id: "figSweep-out", "aria-live": "polite" });
    const chartEl = (this.chartEl = h("div", { id: "chart-figure", class: "chart" }));
    const field = (label: string, el: HTMLElement) =>
      h("div", { class: "field" }, h("label", { for: el.id }, label), el);
    fill(
      root,
      h("div", { class: "chart-head" }, h("h3", {}, "Training time against one chip figure"), job),
      h(
        "p",
        { class: "hint" },
        `The form's scenario with one chip figure at ${POINTS} values (log-spaced; empty: a quarter to four times the current one), the best plan at each; the ring marks the current value.`,
      ),
      h(
        "div",
        { class: "row3" },
        field("Figure", this.figure),
        field("From", this.from),
        field("To", this.to),
      ),
      h("div", { class: "exports" }, go, csv, png, this.status),
      this.out,
      chartEl,
    );
    this.lane = new Lane(job, () => {
      this.out.textContent = "Sweep cancelled.";
    });
    this.chart = new LineChart(chartEl, {
      title: "",
      xLabel: "figure",
      yLabel: "training days, with failures",
      y2Label: "energy, MWh",
    });
  }

  async run(): Promise<void> {
    const key = this.figure.value as FigureKey;
    const spec = FIGURES.find((f) => f.key === key)!;
    const now = this.sliders.current(key);
    const read = (el: HTMLInputElement, fallback: number | null) => {
      const v = typedNumber(el.value);
      return v === undefined ? fallback : typeof v === "number" ? v : NaN;
    };
    const lo = read(this.from, now === null ? null : now / 4);
    const hi = read(this.to, now === null ? null : now * 4);
    if (lo === null || hi === null || !(lo > 0) || !(hi > lo) || !Number.isFinite(hi)) {
      this.out.textContent =
        now === null && (lo === null || hi === null)
          ? `${spec.label} is unknown for this chip: type From and To.`
          : "From and To must be numbers with 0 < From < To.";
      return;
    }
    // The current value is one of the points, so the ring sits on the curve.
    const values = [
      ...new Set([
        ...logValues(lo, hi, POINTS, spec.integer === true),
        ...(now !== null && now >= lo && now <= hi ? [now] : []),
      ]),
    ].sort((a, b) => a - b);
    const link = this.link(),
      scenario = this.scenario();
    this.out.textContent = `Sweeping ${spec.label}…`;
    const done = await this.lane.run((api, onProgress) =>
      api.sweep(scenario, { axis: key, values }, onProgress),
    );
    if (!done) return;
    if (!done.result.ok) {
      this.last = null;
      fill(this.out, "No sweep: ", ...done.result.errors.map((e) => issueLine(e)));
      this.chart.clear("No chart: fix the scenario.");
      return;
    }
    const sw = done.result;
    this.last = { link, scenario, key, sweep: sw };
    const gaps = sw.columns.days.filter((d) => d === null).length;
    this.out.textContent = `${values.length} values of ${spec.label} in ${sig(sw.elapsedMs)} ms${gaps ? `; ${gaps} have no plan that fits` : ""}.`;
    this.chart.setData(values, [
      { label: "days with failures", values: sw.columns.effectiveDays, colour: "--c1", bold: true },
      {
        label: "energy, MWh",
        values: sw.columns.energyMWh,
        colour: "--c4",
        scale: "y2",
        dash: true,
      },
    ]);
    this.chartEl.dataset.axis = key;
    const k = now === null ? -1 : values.indexOf(now);
    if (k >= 0) this.chart.setMarker(values[k], sw.columns.effectiveDays[k]);
  }

  private csv(): void {
    const x = this.last;
    if (!x) {
      this.status.textContent = "Nothing to export yet.";
      return;
    }
    const c = x.sweep.columns;
    const text = tabCsv(x.link, x.scenario, `sweep: training against ${x.key}`, {
      header: [
        x.key,
        "days",
        "effectiveDays",
        "energyMWh",
        "powerMW",
        "costUSD",
        "mfu",
        "plan",
        "error",
      ],
      rows: c.x.map((v, i) => [
        v,
        c.days[i],
        c.effectiveDays[i],
        c.energyMWh[i],
        c.powerMW[i],
        c.costUSD[i],
        c.mfu[i],
        c.plan[i],
        c.error[i],
      ]),
    });
    download("chipscale-figure-sweep.csv", new Blob([text], { type: "text/csv" }));
    this.status.textContent = "CSV saved.";
  }

  private async png(): Promise<void> {
    const blob = this.last ? await this.chart.png(`Training days against ${this.last.key}`) : null;
    if (!blob) {
      this.status.textContent = "The chart is not drawn yet.";
      return;
    }
    download("chipscale-figure-sweep.png", blob);
    this.status.textContent = "PNG saved.";
  }
}
