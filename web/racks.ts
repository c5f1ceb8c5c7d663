// Rack designs side by side: GB200 NVL72, CloudMatrix 384 and HGX H20 clusters at an equal
// number of compute racks, equal facility power and an equal number of chips; and the system
// ratios a reader checks against published analyses (compareSystems), each saying what it counts.
import type { SimulateResult, SystemComparison } from "chipscale";
import type { Lane } from "./lane.js";
import type { Table } from "./export.js";
import { h, fill, link } from "./dom.js";
import { integer, days, power, chips } from "./format.js";
import { bestAtMost, countNote, type Best } from "./counts.js";
import { costText } from "./answer.js";
import { typedNumber } from "./typed.js";

/**
 * Chips per compute rack: NVL72 is one rack of 72; CloudMatrix 384 spreads 384 chips over
 * 12 compute racks (SemiAnalysis, "Huawei AI CloudMatrix 384", Apr 2025); an HGX H20 rack holds
 * four 8-GPU servers (a common 40 kW air-cooled layout; an assumption).
 */
export const DESIGNS = [
  { name: "GB200 NVL72", chip: "nvidia-gb200-per-gpu", system: "nvidia-gb200-nvl72", perRack: 72 },
  {
    name: "CloudMatrix 384",
    chip: "huawei-ascend-910c",
    system: "huawei-cloudmatrix-384",
    perRack: 32,
  },
  { name: "HGX H20", chip: "nvidia-h20-96gb", system: "nvidia-hgx-h20", perRack: 32 },
] as const;

/** A design at a target count: the fastest count at or below it with a plan, and the count asked. */
type Cell = (Best & { asked: number }) | { count: number; error: string };

/** One cell as exported: a design at one comparison, the count asked and the count used. */
export interface RackRecord {
  design: string;
  comparison: string;
  asked: number;
  count: number;
  result: SimulateResult | null;
  error: string | null;
}

export function racksTable(records: RackRecord[]): Table {
  return {
    header: [
      "design",
      "comparison",
      "count asked",
      "count used",
      "days",
      "effectiveDays",
      "powerMW",
      "energyMWh",
      "costUSD",
      "costBasis",
      "error",
    ],
    rows: records.map((c) => [
      c.design,
      c.comparison,
      c.asked,
      c.count,
      c.result?.run.days,
      c.result?.run.effectiveDays,
      c.result?.run.powerMW,
      c.result?.run.energyMWh,
      c.result?.run.costUSD,
      c.result?.run.costBasis,
      c.error,
    ]),
  };
}

/** Shows the nine cells; returns them for export, or undefined when there is nothing new to show. */
export async function runRacks(
  lane: Lane,
  base: Record<string, unknown>,
  typed: string,
  out: HTMLElement,
): Promise<RackRecord[] | undefined> {
  delete out.dataset.stale;
  const given = typedNumber(typed);
  const racks = typeof given === "number" ? given : NaN;
  if (!Number.isInteger(racks) || racks < 1 || racks > 10_000) {
    lane.cancel(); // a run in flight must not replace the message
    fill(
      out,
      h(
        "p",
        { class: "error", id: "racks-error", role: "alert" },
        `Racks must be a whole number from 1 to 10,000, got ${JSON.stringify(typed.trim().slice(0, 40))}`,
      ),
    );
    return undefined;
  }
  fill(out, h("p", { class: "hint" }, "Planning nine clusters…"));
  const grid = await lane.run(async (api, onProgress) => {
    const scenario = (d: (typeof DESIGNS)[number], count: number) => ({
      ...base,
      parallelism: "auto",
      cluster: { chip: d.chip, system: d.system, count },
    });
    const best = async (d: (typeof DESIGNS)[number], n: number): Promise<Cell> => {
      const found = await bestAtMost(api, scenario(d, Math.floor(n)), n);
      if (found) return { ...found, asked: Math.floor(n) };
      const own = await api.simulate(scenario(d, Math.max(1, Math.floor(n)))); // says why there is no plan
      return {
        count: Math.floor(n),
        error: own.result.ok ? "no plan" : own.result.errors.map((e) => e.message).join("; "),
      };
    };
    const total = DESIGNS.length * 3;
    let done = 0;
    const tick = () => onProgress(++done, total);
    const equalRacks: Cell[] = [];
    for (const d of DESIGNS) {
      equalRacks.push(await best(d, racks * d.perRack));
      tick();
    }
    // Equal power: CloudMatrix's facility power at this many racks; the per-chip draw of each design from its own run.
    const ref = equalRacks[1];
    const equalPower: Cell[] = [];
    for (const [i, d] of DESIGNS.entries()) {
      const own = equalRacks[i];
      equalPower.push(
        "result" in ref && "result" in own
          ? await best(d, ref.result.run.powerMW / (own.result.run.powerMW / own.count))
          : { count: 0, error: "no reference power" },
      );
      tick();
    }
    // Equal chips: the exact count where a plan divides it; otherwise the fastest below, saying why.
    const equalChips: Cell[] = [];
    const n = racks * DESIGNS[1].perRack;
    for (const d of DESIGNS) {
      const exact = await api.simulate(scenario(d, n));
      equalChips.push(
        exact.result.ok
          ? { count: n, asked: n, result: exact.result, largerIsSlower: false }
          : await best(d, n),
      );
      tick();
    }
    const ratios = await api.compareSystems(DESIGNS[0].system, DESIGNS[1].system);
    return { equalRacks, equalPower, equalChips, ratios };
  });
  if (!grid) return undefined;
  // Designs are compared on days with failures, as the counts were chosen; null: never finishes.
  const wallText = (r: SimulateResult) =>
    r.run.effectiveDays === null ? "never finishes" : days(r.run.effectiveDays);
  const cell = (c: Cell) =>
    "result" in c
      ? h(
          "td",
          {},
          h("div", {}, chips(c.count)),
          c.count !== c.asked ? h("div", { class: "count-note" }, countNote(c.asked, c)) : null,
          h("div", { class: "strong" }, `${wallText(c.result)} with failures`),
          h(
            "div",
            { class: "hint" },
            `${power(c.result.run.powerMW)} · ${costText(c.result.run.costUSD, c.result.run.costBasis)}`,
          ),
        )
      : h("td", { class: "bad-text" }, `${chips(c.count)}: ${c.error}`);
  // Days per design, one group of bars per comparison, each scaled to its group's longest.
  const groups = (
    [
      ["Equal racks", grid.equalRacks],
      ["Equal power", grid.equalPower],
      ["Equal chips", grid.equalChips],
    ] as const
  ).map(([label, cells]) => {
    const longest = Math.max(
      0,
      ...cells.map((c) => ("result" in c ? (c.result.run.effectiveDays ?? 0) : 0)),
    );
    return h(
      "div",
      { class: "bar-group" },
      h("h4", {}, `${label}, days with failures`),
      ...cells.map((c, i) =>
        h(
          "div",
          { class: "hbar" },
          h("span", { class: "hbar-label" }, DESIGNS[i].name),
          h(
            "span",
            { class: "hbar-track" },
            !("result" in c)
              ? null
              : c.result.run.effectiveDays === null
                ? h("span", { class: "hbar-fill never" })
                : h("span", {
                    class: `hbar-fill d${i}`,
                    style: `width:${longest > 0 ? (c.result.run.effectiveDays / longest) * 100 : 0}%`,
                  }),
          ),
          h("span", { class: "hbar-value" }, "result" in c ? wallText(c.result) : "–"),
        ),
      ),
    );
  });
  const refPower =
    "result" in grid.equalRacks[1] ? power(grid.equalRacks[1].result.run.powerMW) : "?";
  fill(
    out,
    h(
      "div",
      {
        class: "bar-groups",
        role: "img",
        "aria-label": "Training days per design at equal racks, equal power and equal chips",
      },
      ...groups,
    ),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data compare", id: "racks-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Design"),
            h("th", { scope: "col" }, `Equal racks (${integer(racks)})`),
            h("th", { scope: "col" }, `Equal power (${refPower}, CloudMatrix's)`),
            h("th", { scope: "col" }, `Equal chips (${integer(racks * DESIGNS[1].perRack)})`),
          ),
        ),
        h(
          "tbody",
          {},
          ...DESIGNS.map((d, i) =>
            h(
              "tr",
              {},
              h(
                "th",
                { scope: "row" },
                `${d.name}`,
                h("div", { class: "hint" }, `${d.perRack} chips per rack`),
              ),
              cell(grid.equalRacks[i]),
              cell(grid.equalPower[i]),
              cell(grid.equalChips[i]),
            ),
          ),
        ),
      ),
    ),
    h(
      "p",
      { class: "hint" },
      "Each cell: chips (equal racks and equal power: the fastest count at or below the target that a plan divides; equal chips: exactly the count where a plan divides it; a different count than the target is noted with why), training days with failures, facility power (all-in per chip: chips, hosts, switches, optics, network racks) and run cost. Racks are compute racks; CloudMatrix's 4 optical-switch racks per 384 chips are not counted as racks, but their power is.",
    ),
    grid.ratios ? ratioTable(grid.ratios) : null,
  );
  const comparisons = [
    ["equal racks", grid.equalRacks],
    ["equal power", grid.equalPower],
    ["equal chips", grid.equalChips],
  ] as const;
  return comparisons.flatMap(([comparison, cells]) =>
    cells.map((c, i): RackRecord =>
      "result" in c
        ? {
            design: DESIGNS[i].name,
            comparison,
            asked: c.asked,
            count: c.count,
            result: c.result,
            error: null,
          }
        : {
            design: DESIGNS[i].name,
            comparison,
            asked: c.count,
            count: c.count,
            result: null,
            error: c.error,
          },
    ),
  );
}

const fmt = (x: number | null) =>
  x === null ? "unknown" : x.toLocaleString("en-US", { maximumSignificantDigits: 4 });

/** NVL72 against CloudMatrix 384 on the figures published analyses compare, beside their ratios. */
function ratioTable(c: SystemComparison): HTMLElement {
  const [a, b] = [DESIGNS[0].name, DESIGNS[1].name];
  return h(
    "section",
    { class: "block" },
    h("h4", {}, `${b} against ${a}, per system`),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data", id: "racks-ratios" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["Figure", a, b, "Ratio", "Published", "What it counts"].map((t) =>
              h("th", { scope: "col" }, t),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          ...c.rows.map((r) =>
            h(
              "tr",
              { "data-metric": r.metric },
              h("th", { scope: "row" }, `${r.label} (${r.unit})`),
              h("td", {}, fmt(r.a)),
              h("td", {}, fmt(r.b)),
              h(
                "td",
                { class: "strong" },
                r.ratio === null
                  ? "–"
                  : `${r.ratio.toFixed(2)}×${r.direction === "a/b" ? " worse" : ""}`,
              ),
              h(
                "td",
                {},
                r.published
                  ? link(
                      `~${r.published.ratio}×${r.direction === "a/b" ? " worse" : ""}`,
                      r.published.url,
                    )
                  : "–",
              ),
              h("td", { class: "hint" }, r.counts),
            ),
          ),
        ),
      ),
    ),
    h(
      "p",
      { class: "hint" },
      "Catalog figures: chips × each chip's figure; power all-in. Published: ",
      link(
        c.rows.find((r) => r.published)?.published?.source ?? "SemiAnalysis",
        c.rows.find((r) => r.published)?.published?.url ?? null,
      ),
      ".",
    ),
  );
}
