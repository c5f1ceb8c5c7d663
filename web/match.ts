// The match panel: how many chips of another kind train the form's scenario as fast, at what
// power; and what the same power or the same purchase price buys (Simulator.match).
import type { MatchResult, MatchSide } from "chipscale";
import type { Catalog } from "./worker.js";
import type { Lane } from "./lane.js";
import { h, fill } from "./dom.js";
import { integer, days, power, energy } from "./format.js";
import { costText } from "./answer.js";
import { missingWhy } from "./export.js";

export async function runMatch(
  catalog: Catalog,
  lane: Lane,
  reference: Record<string, unknown>,
  target: string,
  out: HTMLElement,
): Promise<MatchResult | undefined> {
  delete out.dataset.stale;
  fill(out, h("p", { class: "hint" }, "Searching chip counts…"));
  // The library's match reports no progress: the lane's bar runs indeterminate.
  const done = await lane.run((api) => api.match(reference, { chip: target }));
  if (!done) return undefined;
  const r = done.result;
  if (!r.ok) {
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
  const headline = h(
    "p",
    { class: "verdict-main", id: "match-answer" },
    h("strong", {}, `${integer(r.count)} ${name(r.chip)}`),
    systems(r),
    ` match ${integer(ref.count)} ${name(ref.chip)}: ${wall(r)} vs ${wall(ref)} with failures, drawing `,
    h("strong", {}, power(r.powerMW)),
    ` vs ${power(ref.powerMW)} (${(r.powerMW / ref.powerMW).toFixed(1)}×). That is ${r.chipRatio.toFixed(1)}× the chips.`,
  );
  const col = (label: string, s: MatchSide | MatchResult | null, why = "no plan") =>
    s
      ? h(
          "tr",
          {},
          h("th", { scope: "row" }, label),
          h("td", {}, `${integer(s.count)} ${name(s.chip)}${systems(s)}`),
          h("td", {}, days(s.days)),
          h("td", {}, wall(s)),
          h("td", {}, power(s.powerMW)),
          h("td", {}, energy(s.energyMWh)),
          h("td", {}, costText(s.costUSD, s.costBasis)),
        )
      : h(
          "tr",
          {},
          h("th", { scope: "row" }, label),
          h("td", { colspan: "6" }, `not available (${why})`),
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
            ...["", "Cluster", "Training time", "With failures", "Power", "Energy"].map((t) =>
              h("th", { scope: "col" }, t),
            ),
            h(
              "th",
              {
                scope: "col",
                title:
                  "The training run's cost (chips amortised over the run, or rented, plus power), not the chips' purchase price",
              },
              "Run cost",
            ),
          ),
        ),
        h(
          "tbody",
          {},
          col("Reference", ref),
          col("Same time", r),
          col("Same power", r.equalPower, missingWhy(r, "equalPower")),
          col("Same capex", r.equalCapex, missingWhy(r, "equalCapex")),
        ),
      ),
    ),
    r.warnings.length
      ? h(
          "section",
          { class: "warnings" },
          h("h3", {}, "Notes"),
          h("ul", {}, ...r.warnings.map((w) => h("li", {}, w))),
        )
      : null,
  );
  return r;
}
