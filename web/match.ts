// The match panel: how many chips of another kind train the form's scenario as fast, at what
// power; and what the same power or the same purchase price buys (Simulator.match): the headline
// with its batch policy, both chips' envelopes on one log-log chart with the three readings
// marked, the concrete clusters, and the library's notes on any step the answer lies on.
import type { BatchMode, MatchNote, MatchResult, MatchSide, RatioReading } from "chipscale";
import type { LineChart, Marker } from "./charts.js";
import type { Catalog } from "./worker.js";
import type { Lane } from "./lane.js";
import { h, fill } from "./dom.js";
import { integer, days, power, energy, factLine, backingWords } from "./format.js";
import { costText } from "./answer.js";
import { matchRows, type MatchRow } from "./export.js";

export async function runMatch(
  catalog: Catalog,
  lane: Lane,
  reference: Record<string, unknown>,
  target: string,
  mode: BatchMode,
  out: HTMLElement,
  chart: LineChart,
): Promise<MatchResult | undefined> {
  delete out.dataset.stale;
  fill(out, h("p", { class: "hint" }, "Searching chip counts…"));
  // The library's match reports no progress: the lane's bar runs indeterminate.
  const done = await lane.run((api) => api.match(reference, { chip: target }, { batch: { mode } }));
  if (!done) return undefined;
  const r = done.result;
  if (!r.ok) {
    chart.clear("No match to chart.");
    document.getElementById("match-legend")?.replaceChildren();
    fill(
      out,
      h(
        "section",
        { class: "failure", id: "match-errors" },
        h("h3", {}, "No match"),
        h("ul", {}, ...r.errors.map((e) => h("li", {}, `${e.path || "scenario"}: ${e.message}`))),
      ),
    );
    return undefined;
  }
  const name = (id: string) => catalog.chips.find((c) => c.id === id)?.short ?? id;
  const sysName = (id: string | null) =>
    id ? (catalog.systems.find((s) => s.id === id)?.name ?? id) : null;
  const ref = r.reference;
  const wall = (s: { effectiveDays: number | null; days: number }) =>
    s.effectiveDays === null ? "never finishes" : days(s.effectiveDays);
  const systems = (s: MatchSide | MatchResult) =>
    s.systems && sysName(s.system) ? ` (${integer(s.systems)} × ${sysName(s.system)})` : "";
  const best = r.referenceBest;
  const t = r.ratios.time;
  const b = r.batch;
  // Rows at another batch than the headline's are named: no row reads at a batch unsaid.
  const given =
    best.count === ref.count
      ? ""
      : ` (fewer than the ${integer(ref.count)} given, which take ${wall(ref)} at batch ${integer(ref.globalBatch)})`;
  const rowBatches = (
    [
      [b.rows.power, "same power"],
      [b.rows.cost, "same capex"],
    ] as const
  )
    .filter(([x]) => x !== null && x !== b.used)
    .map(([x, w]) => `; ${w} at ${integer(x!)}`)
    .join("");
  // The same headline as the library's (and the CLI's first line), in the page's words.
  const batchWords = b.changed
    ? h(
        "strong",
        { class: "bad-text", id: "match-batch" },
        `Batch changed: ${integer(b.reference)} → ${integer(b.used)} sequences (${b.referenceUsed === b.used ? "both sides" : `the reference ${integer(b.referenceUsed)}`}${rowBatches}; the same policy for both: ${b.mode === "grow" ? `grow, at most ${integer(b.max!)}` : `round, within ${(100 * b.tolerance!).toFixed(0)}%`}).`,
      )
    : h(
        "span",
        { id: "match-batch" },
        `Batch ${integer(r.batch.reference)} kept (${r.batch.mode}).`,
      );
  const headline = t
    ? h(
        "p",
        { class: "verdict-main", id: "match-answer" },
        h(
          "strong",
          { id: "match-ratio" },
          `${t.chipRatio.toFixed(2)} ${name(r.chip)} per ${name(ref.chip)}`,
        ),
        ` at equal time (read off the envelopes${t.between[0] === t.between[1] ? "" : `, interpolated between ${integer(t.between[0])} and ${integer(t.between[1])} chips`}). Concrete: `,
        h("strong", {}, `${integer(r.count)} ${name(r.chip)}`),
        systems(r),
        ` in ${wall(r)} vs ${integer(best.count)} ${name(ref.chip)} in ${wall(best)}${given}, drawing `,
        h("strong", {}, power(r.powerMW)),
        ` vs ${power(best.powerMW)}. `,
        batchWords,
      )
    : h(
        "p",
        { class: "verdict-main", id: "match-answer" },
        h("strong", { id: "match-ratio" }, "Cannot match"),
        ` ${wall(best)} of ${integer(best.count)} ${name(ref.chip)}${given}: the best is ${wall(r)} at ${integer(r.count)} ${name(r.chip)}. `,
        batchWords,
      );
  drawEnvelopes(chart, r, name);
  const col = ({ label, side: s, why }: MatchRow) =>
    s
      ? h(
          "tr",
          {},
          h("th", { scope: "row" }, label),
          h("td", {}, `${integer(s.count)} ${name(s.chip)}${systems(s)}`),
          h("td", {}, integer(s.globalBatch)),
          h("td", {}, days(s.days)),
          h("td", {}, wall(s)),
          h("td", {}, power(s.powerMW)),
          h("td", {}, s.energyMWh === null ? "never finishes" : energy(s.energyMWh)),
          h("td", {}, s.costUSD === null ? "never finishes" : costText(s.costUSD, s.costBasis)),
        )
      : h(
          "tr",
          {},
          h("th", { scope: "row" }, label),
          h("td", { colspan: "7" }, `not available (${why})`),
        );
  fill(
    out,
    h("section", { class: "verdict ok" }, headline),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data compare", id: "match-table" },
        // Every row's cost is its training run's (the same-capex row too), never the purchase price.
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...[
              "",
              "Cluster",
              "Batch",
              "Training time",
              "With failures",
              "Power",
              "Energy, with failures",
            ].map((t) => h("th", { scope: "col" }, t)),
            h(
              "th",
              {
                scope: "col",
                title:
                  "The training run's cost (chips amortised over the run, or rented, plus power), not the chips' purchase price",
              },
              "Run cost, with failures",
            ),
          ),
        ),
        h("tbody", {}, ...matchRows(r).map(col)),
      ),
    ),
    h(
      "table",
      { class: "data", id: "match-ratios" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["Reading", "Chips per reference chip", "Days", "Power", "Read between"].map((x) =>
            h("th", { scope: "col" }, x),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        ...(["time", "power", "cost"] as const).map((basis) => ratioRow(basis, r.ratios[basis])),
      ),
    ),
    h("p", { class: "hint", id: "match-run-basis" }, `Days, energy and cost: ${r.runBasis}.`),
    h(
      "p",
      { class: "hint", id: "match-power-basis" },
      `Power counts ${r.powerBasis.reference} for ${name(ref.chip)}; ${r.powerBasis.target} for ${name(r.chip)}.`,
    ),
    h(
      "p",
      {
        class: "hint",
        id: "match-calibration",
        "data-calibrated": `${r.calibration.reference.calibrated},${r.calibration.target.calibrated}`,
      },
      `Calibration: ${name(ref.chip)} ${backingWords(r.calibration.reference)}; ${name(r.chip)} ${backingWords(r.calibration.target)}.`,
    ),
    r.notes.length || r.warnings.length
      ? h(
          "section",
          { class: "warnings", id: "match-notes" },
          h("h3", {}, "Notes"),
          h(
            "ul",
            {},
            ...r.notes.map((x) => h("li", { "data-code": x.code }, `${x.text}${pageHow(x)}`)),
            ...r.warnings.map((w) => h("li", { "data-code": w.code }, factLine(w))),
          ),
        )
      : null,
  );
  return r;
}

/** A cannot-match note's suggestion in the page's controls (its batch cap is not one of them). */
function pageHow(x: MatchNote): string {
  if (x.code !== "cannot-match") return "";
  return x.data.suggestion === "raise-max-batch"
    ? ` (the page caps the batch at ${integer(x.data.maxBatch as number)}; a larger cap is the library's batch.maxBatch)`
    : ' (choose "may grow" under Global batch)';
}

const READING = { time: "Equal time", power: "Equal power", cost: "Equal cost (price)" } as const;
const MARK_COLOUR = { time: "--c5", power: "--c7", cost: "--c4" } as const;

function ratioRow(basis: keyof typeof READING, x: RatioReading | null): HTMLElement {
  return x
    ? h(
        "tr",
        { "data-basis": basis },
        h("th", { scope: "row" }, READING[basis]),
        h("td", {}, `${x.chipRatio.toFixed(2)} (${integer(x.targetChips)} chips)`),
        h("td", {}, `${days(x.days)} (×${x.timeRatio.toFixed(2)})`),
        h("td", {}, `×${x.powerRatio.toFixed(2)}`),
        h(
          "td",
          {},
          x.between[0] === x.between[1]
            ? "a grid count"
            : `${integer(x.between[0])}–${integer(x.between[1])} (interpolated)`,
        ),
      )
    : h(
        "tr",
        { "data-basis": basis },
        h("th", { scope: "row" }, READING[basis]),
        h("td", { colspan: "4" }, "none"),
      );
}

/** Both envelopes (and each count's own days) on one log-log chart, the three readings marked. */
function drawEnvelopes(chart: LineChart, r: MatchResult, name: (id: string) => string): void {
  const { reference: re, target: te } = r.envelopes;
  const x = [...new Set([...re.counts, ...te.counts])].sort((a, b) => a - b);
  const column = (counts: number[], values: (number | null)[]) => {
    const at = new Map(counts.map((c, k) => [c, values[k]]));
    return x.map((c) => at.get(c) ?? null);
  };
  chart.setData(x, [
    {
      label: `${name(re.chip)}, fastest at or below`,
      values: column(re.counts, re.envelope),
      colour: "--c1",
      bold: true,
      spanGaps: true,
    },
    {
      label: `${name(re.chip)}, each count`,
      values: column(re.counts, re.days),
      colour: "--c1",
      dash: true,
      spanGaps: true,
    },
    {
      label: `${name(te.chip)}, fastest at or below`,
      values: column(te.counts, te.envelope),
      colour: "--c3",
      bold: true,
      spanGaps: true,
    },
    {
      label: `${name(te.chip)}, each count`,
      values: column(te.counts, te.days),
      colour: "--c3",
      dash: true,
      spanGaps: true,
    },
  ]);
  const marks: Marker[] = [];
  for (const basis of ["time", "power", "cost"] as const) {
    const reading = r.ratios[basis];
    if (reading)
      marks.push({
        x: reading.targetChips,
        y: reading.days,
        label: `equal ${basis} ×${reading.chipRatio.toFixed(2)}`,
        colour: MARK_COLOUR[basis],
      });
  }
  // The reference cluster as its table row gives it (at the policy's batch unless fewer chips are
  // faster): where its own ring sits against both envelopes.
  const ref = matchRows(r)[0].side!;
  if (ref.effectiveDays !== null)
    marks.push({
      x: ref.count,
      y: ref.effectiveDays,
      label: `reference ${integer(ref.count)} ${name(ref.chip)}`,
      colour: "--text",
    });
  chart.setMarkers(marks);
  // What the line styles and rings mean, in words under the chart (uPlot's legend names the series).
  const legend = document.getElementById("match-legend");
  if (legend)
    legend.textContent = `Solid lines: the fastest at or below each count (the envelopes the ratios read); dashed: each count's own days, which can be slower than a smaller count. Blue: ${name(re.chip)}; violet: ${name(te.chip)}; rings: the equal-time, equal-power and equal-cost readings on the ${name(te.chip)} envelope, and the reference cluster as the table's first row gives it. Both axes are logarithmic.`;
}
