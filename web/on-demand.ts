// The tabs that answer on demand (compare, match, racks, serve): each runs in its own lane, which
// cancels stale work, when its tab opens or its button is pressed; their last answers are what
// their exports save.
import type { BatchMode } from "chipscale";
import { byId, h, fill } from "./dom.js";
import { Lane } from "./lane.js";
import * as F from "./form.js";
import { LineChart } from "./charts.js";
import { runMatch } from "./match.js";
import { runRacks, racksTable } from "./racks.js";
import { compareTable, matchTable } from "./export.js";
import type { View } from "./tabs.js";
import { state, chipName, type TabExport } from "./page-state.js";
import { saveUrl, linkNow } from "./url-sync.js";
import { showMini } from "./live-answer.js";

const cancelled = (id: string, text: string) => () =>
  fill(byId(id), h("p", { class: "hint" }, text));
export const compareLane = new Lane(
  byId("compare-job"),
  cancelled("compare-out", "Comparison cancelled; edit a cluster to run it again."),
);
const matchLane = new Lane(byId("match-job"), cancelled("match-out", "Match cancelled."));
const racksLane = new Lane(byId("racks-job"), cancelled("racks-out", "Rack comparison cancelled."));
export const serveLane = new Lane(byId("serve-job"), cancelled("serve-out", "Serving cancelled."));

export const matchChart = new LineChart(byId("chart-match"), {
  title: "",
  xLabel: "chips",
  yLabel: "training days, with failures",
});

export function onView(v: View): void {
  state.view = v;
  showMini();
  saveUrl();
  if (v === "compare") void state.compare.run();
  // Match and racks answer on opening too (a shared link shows its answer), then on the button.
  const fresh = (id: string) =>
    byId(id).childElementCount === 0 || byId(id).dataset.stale === "true";
  if (v === "match" && fresh("match-out")) runMatchNow();
  if (v === "racks" && fresh("racks-out")) runRacksNow();
  if (v === "serve") state.serveTab.run();
}

export function runMatchNow(): void {
  const scenario = { ...F.scenario(), parallelism: "auto" },
    link = linkNow(),
    chip = byId<HTMLSelectElement>("matchChip").value,
    mode = byId<HTMLSelectElement>("matchBatch").value as BatchMode;
  void runMatch(state.catalog, matchLane, scenario, chip, mode, byId("match-out"), matchChart).then(
    (r) => {
      if (r)
        state.matchExport = {
          link,
          scenario,
          title: `match: ${chipName(chip)} against the form's cluster`,
          result: r,
          table: matchTable(r),
        };
    },
  );
}

export function runRacksNow(): void {
  const scenario = F.scenario(),
    link = linkNow();
  void runRacks(racksLane, scenario, byId<HTMLInputElement>("racks").value, byId("racks-out")).then(
    (r) => {
      if (r)
        state.racksExport = {
          link,
          scenario,
          title: "racks: designs at equal racks, power and chips",
          result: r,
          table: racksTable(r),
        };
    },
  );
}

/** Compare re-runs as the form changes while it is shown: its last table answers the form. */
export const compareExport = (): TabExport | undefined =>
  state.compare.last.length
    ? {
        link: linkNow(),
        scenario: F.scenario(),
        title: "compare: clusters side by side",
        result: state.compare.last,
        table: compareTable(state.compare.last),
      }
    : undefined;
