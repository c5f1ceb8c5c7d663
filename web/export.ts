// Downloads: the current scenario and result as CSV or JSON (with the scaling sweep).
import type { SimulateResult, SweepResult } from "chipscale";
import { download } from "./dom.js";

export interface Snapshot {
  link: string;
  scenario: unknown;
  result: SimulateResult | null;
  sweep: SweepResult | null;
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
  return `${rows.join("\n")}\n`;
}

export function exportCsv(s: Snapshot): void {
  download("chipscale.csv", new Blob([toCsv(s)], { type: "text/csv" }));
}

export function exportJson(s: Snapshot): void {
  download("chipscale.json", new Blob([JSON.stringify(s, null, 2)], { type: "application/json" }));
}
