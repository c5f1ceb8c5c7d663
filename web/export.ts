// Downloads: the current scenario and result as CSV or JSON (with the scaling sweep).
import type { SimulateResult, SweepResult } from "chipscale";
import type { CompareRecord } from "./compare.js";
import { download } from "./dom.js";

export interface Snapshot {
  link: string;
  scenario: unknown;
  result: SimulateResult | null;
  sweep: SweepResult | null;
  /** The last side-by-side comparison, if one was run. */
  compare: CompareRecord[];
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
  rows.push(...pairs.map(([k, v]) => `${cell(k)},${cell(v)}`));
  const series = s.sweep?.series ?? [];
  if (series.length) {
    rows.push("", "sweep: training days by chip count");
    rows.push(["chip", "count", "days", "effectiveDays", "energyMWh", "powerMW", "costUSD", "mfu", "plan", "error"].join(","));
    for (const sr of series) {
      const c = sr.columns;
      c.x.forEach((x, i) => rows.push([sr.value, x, c.days[i], c.effectiveDays[i], c.energyMWh[i], c.powerMW[i], c.costUSD[i], c.mfu[i], c.plan[i], c.error[i]].map(cell).join(",")));
    }
  }
  if (s.compare.length) {
    rows.push("", "compare: clusters side by side");
    rows.push(["chip", "count asked", "count shown", "system", "days", "effectiveDays", "powerMW", "energyMWh", "co2Tonnes", "costUSD", "mfu", "errors"].join(","));
    for (const c of s.compare) {
      const r = c.result;
      rows.push([c.chip, c.count, c.shownCount, r?.scenario.system ?? c.system, r?.run.days, r?.run.effectiveDays, r?.run.powerMW, r?.run.energyMWh, r?.run.co2Tonnes, r?.run.costUSD, r?.throughput.mfu, c.errors.join("; ")].map(cell).join(","));
    }
  }
  return `${rows.join("\n")}\n`;
}

export function exportCsv(s: Snapshot): void {
  download("chipscale.csv", new Blob([toCsv(s)], { type: "text/csv" }));
}

export function exportJson(s: Snapshot): void {
  download("chipscale.json", new Blob([JSON.stringify(s, null, 2)], { type: "application/json" }));
}
