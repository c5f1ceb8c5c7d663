// The export buttons: the Answer tab's CSV and JSON (its answer, errors and sweep), each chart's
// PNG, each on-demand tab's CSV and JSON of its last answer, and the copy-link button.
import { byId, download } from "./dom.js";
import * as F from "./form.js";
import { writeQuery } from "./url-state.js";
import { exportCsv, exportJson, tabCsv, type Snapshot } from "./export.js";
import { state, modelName } from "./page-state.js";
import { urlPairs } from "./url-sync.js";
import { scaling, energyChart } from "./count-sweep.js";
import { matchChart, compareExport } from "./on-demand.js";

function exportSnapshot(): Snapshot {
  // The Answer tab's own data only: each other tab exports its table from its own buttons.
  return {
    link: location.href,
    scenario: F.scenario(),
    result: state.lastOk,
    errors: state.lastErrors,
    sweep: state.lastSweep,
  };
}

export function wireExports(): void {
  const status = byId<HTMLElement>("export-status");
  byId("export-csv").addEventListener("click", () => {
    exportCsv(exportSnapshot());
    status.textContent = "CSV saved.";
  });
  byId("export-json").addEventListener("click", () => {
    exportJson(exportSnapshot());
    status.textContent = "JSON saved.";
  });
  const charts = [
    ["export-png-scaling", scaling, "chipscale-scaling.png", "Training days vs chip count", status],
    [
      "export-png-energy",
      energyChart,
      "chipscale-energy.png",
      "Energy and power vs chip count",
      status,
    ],
    [
      "match-png",
      matchChart,
      "chipscale-match.png",
      "Match: days vs chip count, both chips",
      byId("match-export-status"),
    ],
  ] as const;
  for (const [id, chart, name, title, says] of charts) {
    byId(id).addEventListener("click", async () => {
      const blob = await chart.png(`${title}: ${modelName(F.scenario())}`);
      if (!blob) {
        says.textContent = "The chart is not drawn yet.";
        return;
      }
      download(name, blob);
      says.textContent = "PNG saved.";
    });
  }
  for (const [tab, get] of [
    ["compare", compareExport],
    ["match", () => state.matchExport],
    ["racks", () => state.racksExport],
  ] as const) {
    const say = (text: string) => {
      byId(`${tab}-export-status`).textContent = text;
    };
    byId(`${tab}-csv`).addEventListener("click", () => {
      const x = get();
      if (!x) return say("Nothing to export yet.");
      download(
        `chipscale-${tab}.csv`,
        new Blob([tabCsv(x.link, x.scenario, x.title, x.table)], { type: "text/csv" }),
      );
      say("CSV saved.");
    });
    byId(`${tab}-json`).addEventListener("click", () => {
      const x = get();
      if (!x) return say("Nothing to export yet.");
      download(
        `chipscale-${tab}.json`,
        new Blob(
          [JSON.stringify({ link: x.link, scenario: x.scenario, [tab]: x.result }, null, 2)],
          { type: "application/json" },
        ),
      );
      say("JSON saved.");
    });
  }
  byId("copy-link").addEventListener("click", async () => {
    history.replaceState(null, "", `${location.pathname}${writeQuery(urlPairs())}`);
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Copy failed; the address bar holds the link.";
    }
  });
}
