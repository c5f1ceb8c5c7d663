// Downloads: the Answer tab's scenario and result (or its errors) as CSV or JSON, with the scaling
// sweep; each other tab's result (compare, match, racks) as its own table, from its own buttons.
import type { Issue, MatchResult, MatchSide, SimulateResult, SweepResult } from "chipscale";
import type { CompareRecord } from "./compare.js";
import { download } from "./dom.js";

export interface Snapshot {
  link: string;
  scenario: unknown;
  result: SimulateResult | null;
  sweep: SweepResult | null;
  /** Why there is no result: the library's errors, each with its field's path; empty when there is one. */
  errors?: Issue[];
}

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // Quote per RFC 4180, and defuse spreadsheet formulas in text cells.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Every leaf of an object as "a.b.c" -> value. */
function flatten(o: unknown, prefix: string, out: [string, unknown][]): void {
  if (o !== null && typeof o === "object" && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, Array.isArray(o) ? o.join(" | ") : o]);
}

export function toCsv(s: Snapshot): string {
  const rows: string[] = ["field,value"];
  const pairs: [string, unknown][] = [["link", s.link]];
  flatten({ scenario: s.scenario }, "", pairs);
  if (s.result) flatten({ result: s.result }, "", pairs);
  // An invalid scenario: what is wrong, field by field, rather than an empty result.
  (s.errors ?? []).forEach((e, i) =>
    pairs.push(
      [`errors.${i}.path`, e.path],
      [`errors.${i}.message`, e.message],
      [`errors.${i}.code`, e.code],
    ),
  );
  rows.push(...pairs.map(([k, v]) => `${cell(k)},${cell(v)}`));
  const series = s.sweep?.series ?? [];
  if (series.length) {
    rows.push("", "sweep: training days by chip count");
    rows.push(
      [
        "chip",
        "count",
        "days",
        "effectiveDays",
        "energyMWh",
        "powerMW",
        "costUSD",
        "costBasis",
        "mfu",
        "plan",
        "error",
      ].join(","),
    );
    for (const sr of series) {
      const c = sr.columns;
      c.x.forEach((x, i) =>
        rows.push(
          [
            sr.value,
            x,
            c.days[i],
            c.effectiveDays[i],
            c.energyMWh[i],
            c.powerMW[i],
            c.costUSD[i],
            c.costBasis[i],
            c.mfu[i],
            c.plan[i],
            c.error[i],
          ]
            .map(cell)
            .join(","),
        ),
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

/** A table: a header row and rows of cells, in column order. */
export interface Table {
  header: string[];
  rows: unknown[][];
}

const table = (t: Table) => [t.header.join(","), ...t.rows.map((r) => r.map(cell).join(","))];

export function compareTable(records: CompareRecord[]): Table {
  return {
    header: [
      "chip",
      "count asked",
      "count shown",
      "system",
      "days",
      "effectiveDays",
      "powerMW",
      "energyMWh",
      "co2Tonnes",
      "costUSD",
      "costBasis",
      "mfu",
      "errors",
    ],
    rows: records.map((c) => {
      const r = c.result;
      return [
        c.chip,
        c.count ?? c.countTyped,
        c.shownCount,
        r?.scenario.system ?? c.system,
        r?.run.days,
        r?.run.effectiveDays,
        r?.run.powerMW,
        r?.run.energyMWh,
        r?.run.co2Tonnes,
        r?.run.costUSD,
        r?.run.costBasis,
        r?.throughput.mfu,
        c.errors.join("; "),
      ];
    }),
  };
}

/** Why a match side is missing: the library's no-price note when a catalog price is unknown; otherwise no count had a plan. */
export function missingWhy(m: MatchResult, side: "equalPower" | "equalCapex"): string {
  if (side === "equalCapex" && m.notes.some((x) => x.code === "no-price")) return "unknown price";
  return side === "equalCapex" ? "no plan at that purchase price" : "no plan at that power";
}

/** A match row: its label on the page and in the CSV, its cluster, and why it is missing. */
export interface MatchRow {
  label: string;
  key: string;
  side: MatchSide | MatchResult | null;
  why: string;
}

/**
 * The clusters a match prints, the same on the page and in the CSV, each at the batch it ran: the
 * reference at the policy's batch (referenceBest) when fewer chips are not faster, else the given
 * cluster at its given batch beside the fewer, faster one.
 */
export function matchRows(m: MatchResult): MatchRow[] {
  const ref = m.reference,
    best = m.referenceBest;
  const same = best.count === ref.count;
  return [
    { label: "Reference", key: "reference", side: same ? best : ref, why: "" },
    ...(same
      ? []
      : [
          {
            label: "Reference, fastest at or below",
            key: "reference fastest at or below",
            side: best,
            why: "",
          },
        ]),
    { label: m.matched ? "Same time" : "Fastest", key: "same time", side: m, why: "" },
    {
      label: "Same power",
      key: "same power",
      side: m.equalPower,
      why: missingWhy(m, "equalPower"),
    },
    {
      label: "Same capex",
      key: "same capex",
      side: m.equalCapex,
      why: missingWhy(m, "equalCapex"),
    },
  ];
}

export function matchTable(m: MatchResult): Table {
  return {
    header: [
      "side",
      "chip",
      "count",
      "system",
      "systems",
      "globalBatch",
      "days",
      "effectiveDays",
      "powerMW",
      "energyMWh",
      "costUSD",
      "costBasis",
      "note",
    ],
    // An empty side keeps its row, with the reason in the note column.
    rows: matchRows(m).map(({ key, side: x, why }) =>
      x
        ? [
            key,
            x.chip,
            x.count,
            x.system,
            x.systems,
            x.globalBatch,
            x.days,
            x.effectiveDays,
            x.powerMW,
            x.energyMWh,
            x.costUSD,
            x.costBasis,
            "",
          ]
        : [key, "", "", "", "", "", "", "", "", "", "", "", `not available: ${why}`],
    ),
  };
}

/** One tab's result, titled, as CSV after the link and scenario it answers. */
export function tabCsv(link: string, scenario: unknown, title: string, t: Table): string {
  const pairs: [string, unknown][] = [["link", link]];
  flatten({ scenario }, "", pairs);
  return `${["field,value", ...pairs.map(([k, v]) => `${cell(k)},${cell(v)}`), "", title, ...table(t)].join("\n")}\n`;
}

export function exportCsv(s: Snapshot): void {
  download("chipscale.csv", new Blob([toCsv(s)], { type: "text/csv" }));
}

export function exportJson(s: Snapshot): void {
  download("chipscale.json", new Blob([JSON.stringify(s, null, 2)], { type: "application/json" }));
}
