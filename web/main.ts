// The page: wires the form, the live answer (its own worker), the charts, compare, match and
// rack views (each in a lane that cancels stale work), the URL and the exports.
import type { BatchMode, Issue, SimulateResult, SweepResult } from "chipscale";
import type { Catalog, Computed } from "./worker.js";
import { byId, h, fill, download } from "./dom.js";
import { Lane } from "./lane.js";
import { LiveWorker } from "./live.js";
import * as F from "./form.js";
import { CUSTOM_CHIP, prefillCustomChip } from "./custom-chip.js";
import { renderOk, renderFailure, renderFatal, whyWords, verdict, costText } from "./answer.js";
import { LineChart } from "./charts.js";
import { readQuery, writeQuery, linkState, numberText, oneOf, type Check } from "./url-state.js";
import { Compare, encodeRows, decodeRows } from "./compare.js";
import { runMatch } from "./match.js";
import { runRacks, racksTable } from "./racks.js";
import { setupServe, type ServeTab } from "./serve.js";
import {
  exportCsv,
  exportJson,
  tabCsv,
  compareTable,
  matchTable,
  type Snapshot,
  type Table,
} from "./export.js";
import { setupTheme } from "./theme.js";
import { setupTabs, VIEWS, type View } from "./tabs.js";
import { integer, sig, days, power, chips } from "./format.js";
import { bestAtMost } from "./counts.js";
import { fewerToName, fewerAsFastWords } from "./returns.js";
import { ChipSliders } from "./chip-sliders.js";
import { FrontierView } from "./frontier.js";
import { FigureSweep } from "./figure-sweep.js";

const live = new LiveWorker();
const cancelled = (id: string, text: string) => () =>
  fill(byId(id), h("p", { class: "hint" }, text));
const sweepLane = new Lane(byId("sweep-job"), () => {
  state.sweepKey = ""; // so the next change sweeps again
  byId("sweep-status").textContent = "Sweep cancelled; it runs again when the scenario changes.";
});
const adviceLane = new Lane();
const compareLane = new Lane(
  byId("compare-job"),
  cancelled("compare-out", "Comparison cancelled; edit a cluster to run it again."),
);
const matchLane = new Lane(byId("match-job"), cancelled("match-out", "Match cancelled."));
const racksLane = new Lane(byId("racks-job"), cancelled("racks-out", "Rack comparison cancelled."));
const serveLane = new Lane(byId("serve-job"), cancelled("serve-out", "Serving cancelled."));

const resultEl = byId<HTMLElement>("result");
const adviceEl = byId<HTMLElement>("advice");
const scaling = new LineChart(byId("chart-scaling"), {
  title: "",
  xLabel: "chips",
  yLabel: "training days, with failures",
});
const energyChart = new LineChart(byId("chart-energy"), {
  title: "",
  xLabel: "chips",
  yLabel: "energy, MWh",
  y2Label: "power, MW",
});
const matchChart = new LineChart(byId("chart-match"), {
  title: "",
  xLabel: "chips",
  yLabel: "training days, with failures",
});

/**
 * Chips always drawn on the scaling chart, beside the one picked, each in its own colour in every
 * scenario (picked or not), so a line reads the same from one scenario to the next; a picked chip
 * not among them is blue. The picked chip's line is drawn wider.
 */
const CHART_CHIPS: Record<string, string> = {
  "nvidia-h100-sxm5-80gb": "--c5",
  "nvidia-h20-96gb": "--c4",
  "huawei-ascend-910c": "--c3",
  "nvidia-gb200-per-gpu": "--c2",
};
const PICKED = "--c1";
const chipColour = (id: string) => CHART_CHIPS[id] ?? PICKED;
const SWEEP_COUNTS = Array.from({ length: 16 }, (_, i) => 2 ** (i + 3)); // 8 .. 262,144

/**
 * Everything the page remembers between events, in one place: the components made at start, the
 * tab shown, the last answer and sweep (what exports read), and the live answer's bookkeeping.
 */
const state = {
  catalog: undefined as unknown as Catalog,
  compare: undefined as unknown as Compare,
  sliders: undefined as unknown as ChipSliders,
  serveTab: undefined as unknown as ServeTab,
  view: "answer" as View,
  lastOk: null as SimulateResult | null,
  /** Why the Answer tab has no result (its export says so); empty while it has one. */
  lastErrors: [] as Issue[],
  lastSweep: null as SweepResult | null,
  /** The scenario of the last answer shown, and the sweep key the last finished sweep was for. */
  lastScenario: null as Record<string, unknown> | null,
  sweptKey: "",
  sweepKey: "",
  urlTimer: undefined as ReturnType<typeof setTimeout> | undefined,
  /** Bumped by every input: an answer computed for an older generation is stale. */
  generation: 0,
  secondaryTimer: undefined as ReturnType<typeof setTimeout> | undefined,
  inFlight: false,
  scheduledKey: "",
  matchExport: undefined as TabExport | undefined,
  racksExport: undefined as TabExport | undefined,
};

const chipName = (id: string) =>
  id === CUSTOM_CHIP ? "custom chip" : (state.catalog.chips.find((c) => c.id === id)?.short ?? id);

// ---------- URL ----------

/** Throttled: browsers limit how often history can be rewritten, and sliders move fast. */
function saveUrl(): void {
  if (state.urlTimer !== undefined) return;
  state.urlTimer = setTimeout(() => {
    state.urlTimer = undefined;
    history.replaceState(null, "", `${location.pathname}${writeQuery(urlPairs())}`);
  }, 200);
}

function urlPairs(): [string, string][] {
  const out: [string, string][] = [];
  for (const id of F.CONTROLS)
    if (!F.control(id).closest("[hidden]")) out.push([id, F.control(id).value]);
  out.push(
    ["view", state.view],
    ["cmp", encodeRows(state.compare.rows)],
    ["matchChip", byId<HTMLSelectElement>("matchChip").value],
    ["matchBatch", byId<HTMLSelectElement>("matchBatch").value],
    ["racks", byId<HTMLInputElement>("racks").value],
    ...state.sliders.urlPairs(),
    ...state.serveTab.urlPairs(),
  );
  return out;
}

function urlChecks(): Record<string, Check> {
  const checks: Record<string, Check> = {};
  for (const id of F.CONTROLS) {
    const el = F.control(id);
    checks[id] =
      el instanceof HTMLSelectElement
        ? oneOf(Array.from(el.options).map((o) => o.value))
        : numberText;
  }
  checks.view = oneOf(VIEWS);
  checks.cmp = (v) => {
    const r = decodeRows(v, state.catalog);
    return typeof r === "string" ? r : null;
  };
  checks.matchChip = oneOf(state.catalog.chips.map((c) => c.id));
  checks.matchBatch = oneOf(["grow", "keep", "round"]);
  checks.racks = numberText;
  Object.assign(checks, state.sliders.urlChecks(numberText));
  Object.assign(checks, state.serveTab.urlChecks(numberText));
  return checks;
}

function restoreUrl(): View {
  const { values, problems } = readQuery(linkState(location), urlChecks());
  for (const id of F.CONTROLS) {
    const v = values.get(id);
    if (v !== undefined) F.control(id).value = v;
  }
  const cmp = values.get("cmp");
  if (cmp !== undefined) {
    const read = decodeRows(cmp, state.catalog) as Exclude<ReturnType<typeof decodeRows>, string>;
    state.compare.rows = read.rows;
    problems.push(...read.problems.map((p) => `cmp: ${p}`));
  }
  if (values.has("matchChip"))
    byId<HTMLSelectElement>("matchChip").value = values.get("matchChip")!;
  if (values.has("matchBatch"))
    byId<HTMLSelectElement>("matchBatch").value = values.get("matchBatch")!;
  if (values.has("racks")) byId<HTMLInputElement>("racks").value = values.get("racks")!;
  state.sliders.restore(values);
  state.serveTab.restore(values);
  const msg = byId<HTMLElement>("url-message");
  if (problems.length) {
    const close = h("button", { type: "button", class: "ghost small" }, "Dismiss");
    close.addEventListener("click", () => {
      msg.hidden = true;
    });
    fill(
      msg,
      h("strong", {}, "Parts of this link were not used: "),
      h("ul", {}, ...problems.map((p) => h("li", {}, p))),
      close,
    );
    msg.hidden = false;
  }
  return (values.get("view") as View | undefined) ?? "answer";
}

// ---------- live answer: one request in flight, the newest input wins ----------

function setBusy(busy: boolean): void {
  resultEl.classList.toggle("busy", busy);
  resultEl.setAttribute("aria-busy", String(busy));
}

function schedule(): void {
  // A text field's "change" on blur repeats its last "input": the same scenario, nothing to redo
  // (and redoing it would redraw what the user is about to click).
  const key = JSON.stringify(F.scenario());
  if (key === state.scheduledKey) return;
  state.scheduledKey = key;
  state.generation++;
  clearTimeout(state.secondaryTimer); // the pending why/sweep belonged to the previous input
  setBusy(true);
  saveUrl();
  if (!state.inFlight) void compute();
  else live.supersede(); // a slow answer to an older edit is dropped, not waited for
}

async function compute(): Promise<void> {
  state.inFlight = true;
  const gen = state.generation;
  const sc = F.scenario();
  let done: Computed<SimulateResult> | undefined, failure: string | undefined;
  try {
    done = await live.ask((api) => api.simulate(sc));
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    // A worker that stopped answering was replaced: an auto plan's search is the work that runs long.
    if (sc.parallelism === "auto")
      done = {
        result: {
          ok: false,
          errors: [{ path: "parallelism", code: "internal", data: {}, message: failure }],
          warnings: [],
        },
        elapsedMs: 0,
      };
  }
  state.inFlight = false;
  if (gen !== state.generation) {
    void compute();
    return;
  } // stale: compute the newest input instead
  F.clearErrors();
  if (failure !== undefined && done === undefined) {
    state.lastOk = null;
    state.lastErrors = [{ path: "", code: "internal", data: {}, message: failure }];
    renderFatal(resultEl, failure);
    clearCharts();
  } else if (done!.result.ok) {
    const r = done!.result;
    state.lastOk = r;
    state.lastErrors = [];
    state.lastScenario = sc;
    const goals = (sc.constraints ?? {}) as { deadlineDays?: number; powerMW?: number };
    // The plan's recompute in the library's words (the page does not load the library, only its catalog).
    const { recompute, recomputeModules } = r.plan;
    const words = recomputeModules.map((m) => state.catalog.recomputeWords[m]).join(", ");
    renderOk(
      resultEl,
      r,
      {
        model: modelName(sc),
        chip: chipName(r.scenario.chip),
        recompute: recompute + (words ? ` + ${words}` : ""),
      },
      goals,
      done!.elapsedMs,
      F.control("planMode").value,
    );
    scaling.setMarker(r.scenario.count, r.run.effectiveDays);
    energyChart.setMarker(r.scenario.count, r.run.energyMWh);
    // The cost with its basis marker, as the tiles and tables show it; a run that never ends says so.
    showMini(
      `${r.run.effectiveDays === null ? "never finishes" : days(r.run.days)} · ${power(r.run.powerMW)} · ${costText(r.run.costUSD, r.run.costBasis)}${r.memory.fits ? "" : " · does not fit"}`,
    );
    noteReturns();
    scheduleSecondary(sc, r);
  } else {
    state.lastOk = null;
    state.lastErrors = done!.result.errors;
    renderFailure(resultEl, done!.result, F.placeErrors(done!.result.errors));
    showMini(
      `${done!.result.errors.length} problem${done!.result.errors.length === 1 ? "" : "s"} in the scenario`,
    );
    fill(adviceEl);
    const countError = done!.result.errors.find((e) => e.code === "no-plan");
    if (countError?.code === "no-plan") void offerCount(sc, countError.data.mostUsable);
    clearCharts();
  }
  setBusy(false);
}

/**
 * On phones the form comes first: a bar at the bottom keeps the answer in sight. Only on the
 * Answer tab: elsewhere it would cover that tab's inputs with numbers that are not its own.
 */
function showMini(text?: string): void {
  const mini = byId<HTMLButtonElement>("mini");
  if (text !== undefined) mini.textContent = text;
  mini.hidden = state.view !== "answer" || !mini.textContent;
}

function modelName(sc: Record<string, unknown>): string {
  return typeof sc.model === "string"
    ? (state.catalog.models.find((m) => m.id === sc.model)?.name ?? sc.model)
    : "Custom model";
}

// ---------- secondary work: the why (limits), advice under goals, the sweep ----------

function scheduleSecondary(sc: Record<string, unknown>, r: SimulateResult): void {
  clearTimeout(state.secondaryTimer);
  // Wait for a pause in slider moves: these searches take longer than one answer.
  state.secondaryTimer = setTimeout(() => {
    void advise(sc, r);
    void sweep(sc);
    if (state.view === "compare") void state.compare.run();
    if (state.view === "serve") state.serveTab.run();
  }, 120);
}

async function advise(sc: Record<string, unknown>, r: SimulateResult): Promise<void> {
  const goals = (sc.constraints ?? {}) as { deadlineDays?: number; powerMW?: number };
  const missed = verdict(r, goals).tone === "bad" && r.memory.fits && Object.keys(goals).length > 0;
  const out = await adviceLane.run(async (api) => {
    const lim = await api.limits({ ...sc, parallelism: r.plan }, sc.parallelism === "auto");
    const feas = missed ? await api.feasible(sc) : null;
    return { lim, feas };
  });
  if (!out || state.lastOk !== r) return;
  const why = out.lim.result.ok ? whyWords(r, out.lim.result) : null;
  const whyEl = document.getElementById("verdict-why");
  if (why && whyEl) whyEl.textContent = why;
  const levers = out.lim.result.ok ? out.lim.result.levers : [];
  const suggestions = out.feas?.result.ok ? out.feas.result.suggestions : [];
  // What would meet missed goals belongs with the verdict that says they are missed.
  if (suggestions.length)
    document
      .getElementById("verdict")
      ?.append(
        h(
          "div",
          { id: "suggestions" },
          h("p", { class: "verdict-goals" }, "What would meet them:"),
          h("ul", {}, ...suggestions.map((x) => h("li", { "data-code": x.code }, x.message))),
        ),
      );
  fill(
    adviceEl,
    levers.length
      ? h(
          "details",
          { class: "block", id: "levers" },
          h("summary", {}, "What limits this run (10% better hardware, one figure at a time)"),
          h("ul", {}, ...levers.map((l) => h("li", {}, l.words))),
        )
      : null,
  );
}

/**
 * A count no plan divides, or one above what the batch can use (`most`): offer the fastest count at
 * or below it (or `most`) by days with failures. A count that never finishes is never offered.
 */
async function offerCount(sc: Record<string, unknown>, most: number | null): Promise<void> {
  const n = (sc.cluster as { count: unknown }).count;
  if (typeof n !== "number") return;
  const limit = most ?? n;
  if (limit < 8) return;
  const gen = state.generation;
  const found = await adviceLane.run((api) => bestAtMost(api, sc, limit));
  if (!found || gen !== state.generation) return;
  const head =
    most !== null
      ? `At this batch the model can use at most ${chips(most)}.`
      : `No plan divides ${chips(n)} for this model and batch.`;
  const wall = found.result.run.effectiveDays;
  if (wall === null) {
    fill(
      adviceEl,
      h(
        "section",
        { class: "block", id: "best-count" },
        h(
          "p",
          {},
          `${head} No count up to ${integer(limit)} that a plan divides finishes: failures outpace checkpoints at every one.`,
        ),
      ),
    );
    return;
  }
  // Nothing was used yet (the field still holds the count typed): say what is offered, not "asked → used".
  const more = found.largerIsSlower ? " More chips do not help at this batch." : "";
  fill(
    adviceEl,
    h(
      "section",
      { class: "block", id: "best-count" },
      h(
        "p",
        {},
        `${head} The fastest count ${most !== null ? "up to that with a plan" : "at or below it that one does"}, ${integer(found.count)}, trains in ${days(wall)} with failures at ${power(found.result.run.powerMW)}.${more} `,
        useCount(found.count),
      ),
    ),
  );
}

/** The one-click fix: puts `count` in the chip count field. */
function useCount(count: number): HTMLElement {
  const use = h(
    "button",
    { type: "button", class: "primary", id: "use-count" },
    `Use ${chips(count)}`,
  );
  use.addEventListener("click", () => {
    F.control("count").value = String(count);
    F.syncSlider();
    schedule();
    F.control("count").focus();
  });
  return use;
}

/** An invalid scenario has no curves: the last ones drawn were another scenario's. */
function clearCharts(): void {
  sweepLane.cancel();
  state.sweepKey = ""; // a valid scenario sweeps again, even the one swept before
  state.lastSweep = null;
  const note = "No chart: fix the scenario above.";
  scaling.clear(note);
  energyChart.clear(note);
  byId("sweep-status").textContent = "";
}

/** The sweep's scenario: each chip on its usual system, the best plan at every count; the count itself does not matter. */
function sweepBase(sc: Record<string, unknown>): Record<string, unknown> {
  const base = {
    ...sc,
    cluster: { chip: (sc.cluster as { chip: unknown }).chip, count: 1 },
    parallelism: "auto",
  };
  delete (base as { constraints?: unknown }).constraints;
  return base;
}

/**
 * Adds to the verdict when far fewer chips finish as fast; only when the last sweep describes
 * this answer (same scenario, the chip's usual system, the best plan), as its points are read.
 */
function noteReturns(): void {
  document.getElementById("verdict-returns")?.remove();
  const r = state.lastOk,
    sc = state.lastScenario,
    sw = state.lastSweep;
  if (
    !r ||
    !sc ||
    !sw?.series ||
    sc.parallelism !== "auto" ||
    (sc.cluster as { system?: string }).system
  )
    return;
  if (state.sweptKey !== JSON.stringify(sweepBase(sc))) return;
  const own = sw.series[0].columns;
  // Days with failures, as Compare and the count offers judge them; a count that never finishes is no candidate.
  const points = SWEEP_COUNTS.flatMap((count, i) =>
    own.days[i] === null || own.effectiveDays[i] === null
      ? []
      : [{ count, days: own.effectiveDays[i]!, powerMW: own.powerMW[i]! }],
  );
  const current = { count: r.scenario.count, days: r.run.effectiveDays ?? Infinity };
  const p = fewerToName(points, current);
  if (p)
    document
      .getElementById("verdict")
      ?.append(
        h(
          "p",
          { class: "verdict-goals", id: "verdict-returns" },
          `${fewerAsFastWords(p, points, current)}.`,
        ),
      );
}

async function sweep(sc: Record<string, unknown>): Promise<void> {
  // A catalog chip (changed by the sliders or not) is a sweep value; a custom chip is swept alone.
  const picked = (sc.cluster as { chip: unknown }).chip;
  const pickedId = typeof picked === "string" ? picked : (picked as { id?: unknown }).id;
  const chip = typeof pickedId === "string" ? pickedId : CUSTOM_CHIP;
  const chipsShown = [chip, ...Object.keys(CHART_CHIPS).filter((c) => c !== chip)];
  const base = sweepBase(sc);
  const key = JSON.stringify(base);
  if (key === state.sweepKey) return;
  state.sweepKey = key;
  const status = byId<HTMLElement>("sweep-status");
  status.textContent = "Computing the best plan at each chip count…";
  // Charts cleared by an invalid scenario say so until this sweep draws them, not "fix the scenario".
  if (state.lastSweep === null) for (const c of [scaling, energyChart]) c.clear(status.textContent);
  const done = await sweepLane.run(async (api, onProgress) => {
    const refs = await api.sweep(
      base,
      {
        axis: "count",
        values: SWEEP_COUNTS,
        by: { axis: "chip", values: chip === CUSTOM_CHIP ? chipsShown.slice(1) : chipsShown },
      },
      onProgress,
    );
    if (chip !== CUSTOM_CHIP || !refs.result.ok) return refs;
    // A chip given by its figures is no sweep value: its own count sweep leads the reference chips'.
    const own = await api.sweep(base, { axis: "count", values: SWEEP_COUNTS });
    if (!own.result.ok) return own;
    const columns = own.result.columns;
    const series = [
      { axis: "chip" as const, value: CUSTOM_CHIP, columns },
      ...(refs.result.series ?? []),
    ];
    return { ...refs, result: { ...refs.result, columns, series } };
  });
  if (!done) return;
  if (!done.result.ok) {
    state.sweepKey = "";
    status.textContent = `No sweep: ${done.result.errors.map((e) => e.message).join("; ")}`;
    return;
  }
  const sw = done.result;
  state.lastSweep = sw;
  state.sweptKey = key;
  noteReturns();
  const series = sw.series ?? [];
  // Days with failures, as every comparison on the page: past some count failures make more chips slower.
  scaling.setData(
    SWEEP_COUNTS,
    series.map((s, i) => ({
      label: chipName(String(s.value)),
      values: s.columns.effectiveDays,
      colour: chipColour(String(s.value)),
      bold: i === 0,
    })),
  );
  const own = series[0].columns;
  energyChart.setData(SWEEP_COUNTS, [
    { label: `energy, MWh (${chipName(chip)})`, values: own.energyMWh, colour: chipColour(chip) },
    {
      label: `power, MW (${chipName(chip)})`,
      values: own.powerMW,
      colour: chipColour(chip),
      scale: "y2",
      dash: true,
    },
  ]);
  if (state.lastOk) {
    scaling.setMarker(state.lastOk.scenario.count, state.lastOk.run.effectiveDays);
    energyChart.setMarker(state.lastOk.scenario.count, state.lastOk.run.energyMWh);
  }
  const gaps = own.x.filter((_, i) => own.days[i] === null).length;
  status.textContent = `${series.length} chips × ${SWEEP_COUNTS.length} counts in ${sig(sw.elapsedMs)} ms${gaps ? `; ${gaps} counts of ${chipName(chip)} have no plan that fits` : ""}.`;
}

// ---------- views that run on demand ----------

function onView(v: View): void {
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

/** A tab's last result with the link and scenario it answers (not the form's since), for its exports. */
interface TabExport {
  link: string;
  scenario: unknown;
  title: string;
  result: unknown;
  table: Table;
}
const linkNow = () => `${location.origin}${location.pathname}${writeQuery(urlPairs())}`;

function runMatchNow(): void {
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

function runRacksNow(): void {
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
const compareExport = (): TabExport | undefined =>
  state.compare.last.length
    ? {
        link: linkNow(),
        scenario: F.scenario(),
        title: "compare: clusters side by side",
        result: state.compare.last,
        table: compareTable(state.compare.last),
      }
    : undefined;

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

function wireExports(): void {
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

async function start(): Promise<void> {
  F.collectSlots();
  try {
    state.catalog = await live.ask((api) => api.catalog());
  } catch (e) {
    renderFatal(
      resultEl,
      `could not start the worker: ${e instanceof Error ? e.message : String(e)}`,
    );
    return;
  }
  F.fillPickers(state.catalog);
  state.sliders = new ChipSliders(state.catalog, live, byId("chip-tune"));
  F.setChipFor((id) => state.sliders.scenarioChip(id));
  F.collectSlots(); // the sliders' fields show their own errors
  new FrontierView(state.catalog, byId("frontier"), () => F.scenario(), linkNow, chipName);
  new FigureSweep(byId("figure-sweep"), state.sliders, () => F.scenario(), linkNow);
  const matchChip = byId<HTMLSelectElement>("matchChip");
  matchChip.replaceChildren(...F.chipGroups(state.catalog));
  matchChip.value = "nvidia-h20-96gb";
  state.compare = new Compare(
    state.catalog,
    compareLane,
    () => ({ ...F.scenario() }),
    byId("compare-rows"),
    byId("compare-out"),
    byId<HTMLButtonElement>("compare-add"),
    () => {
      saveUrl();
      if (state.view === "compare") void state.compare.run();
    },
  );

  state.serveTab = setupServe(
    serveLane,
    () => F.scenario(),
    linkNow,
    saveUrl,
    state.catalog.servingStacks,
  );
  const first = restoreUrl();
  // A link pasted over this one changes only the fragment, which loads nothing: read it afresh.
  addEventListener("hashchange", () => location.reload());
  state.compare.renderRows();
  byId("custom").hidden = F.control("model").value !== F.CUSTOM;
  if (F.control("model").value === F.CUSTOM)
    F.prefillCustom(state.catalog, F.DEFAULTS.model, false); // cells the link lacked
  byId("manual").hidden = F.control("planMode").value !== "manual";
  F.showChipSpecs(state.catalog);
  byId("custom-chip").hidden = F.control("chip").value !== CUSTOM_CHIP;
  F.syncSlider();

  const form = F.form();
  const slider = byId<HTMLInputElement>("countSlider");
  let previousModel = F.control("model").value;
  // Answers on demand (match, racks) no longer describe an edited form: say so rather than hide them.
  const markStale = () => {
    for (const id of ["match-out", "racks-out"])
      if (byId(id).childElementCount > 0) byId(id).dataset.stale = "true";
  };
  form.addEventListener("input", markStale);
  form.addEventListener("change", markStale);
  // A picked chip shows its figures; "Custom chip…" opens its cells, started from the chip before.
  let previousChip = F.control("chip").value;
  const onChip = () => {
    F.showChipSpecs(state.catalog);
    state.sliders.seed(F.control("chip").value);
    const custom = F.control("chip").value === CUSTOM_CHIP;
    byId("custom-chip").hidden = !custom;
    if (custom) prefillCustomChip(state.catalog.chips.find((c) => c.id === previousChip));
    previousChip = F.control("chip").value;
  };
  form.addEventListener("input", (ev) => {
    if (ev.target === slider) {
      F.control("count").value = String(F.notchCount(Number(slider.value)));
      slider.setAttribute("aria-valuetext", `${integer(Number(F.control("count").value))} chips`);
    } else if (ev.target === F.control("count")) F.syncSlider();
    if (ev.target === F.control("chip")) onChip();
    schedule();
  });
  form.addEventListener("change", (ev) => {
    if (ev.target === slider) return; // its input events already counted
    if (ev.target === F.control("chip")) onChip();
    if (ev.target === F.control("planMode")) onPlanMode();
    if (ev.target === F.control("model")) {
      const custom = F.control("model").value === F.CUSTOM;
      byId("custom").hidden = !custom;
      if (custom)
        F.prefillCustom(
          state.catalog,
          previousModel === F.CUSTOM ? F.DEFAULTS.model : previousModel,
          true,
        );
      F.applyTraining(state.catalog, F.control("model").value);
      previousModel = F.control("model").value;
    }
    schedule();
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());

  setupTheme(byId<HTMLButtonElement>("theme"), () => {
    scaling.rebuild();
    energyChart.rebuild();
  });
  const show = setupTabs(onView);
  byId("matchGo").addEventListener("click", runMatchNow);
  for (const el of [matchChip, byId<HTMLSelectElement>("matchBatch")])
    el.addEventListener("change", () => {
      saveUrl();
      runMatchNow();
    });
  byId("racksGo").addEventListener("click", runRacksNow);
  byId("racks").addEventListener("input", saveUrl);
  wireExports();
  byId("mini").addEventListener("click", () => {
    show("answer");
    byId("view-answer").scrollIntoView({ behavior: "smooth" });
  });
  show(first);
  schedule();
}

function onPlanMode(): void {
  const manual = F.control("planMode").value === "manual";
  byId("manual").hidden = !manual;
  // Start a manual plan from the last plan shown, unless the user already typed one.
  if (
    manual &&
    state.lastOk &&
    ["tp", "pp", "dp"].every((id) => F.control(id as F.ControlId).value.trim() === "")
  ) {
    const p = state.lastOk.plan;
    const set = (id: F.ControlId, v: number | string) => {
      F.control(id).value = String(v);
    };
    set("tp", p.tp);
    set("pp", p.pp);
    set("dp", p.dp);
    set("cp", p.cp);
    set("ep", p.ep);
    set("vpp", p.vpp);
    set("microBatch", p.microBatch);
    set("zero", p.zero);
    set("recompute", F.recomputeChoice(p, F.control("model").value === F.CUSTOM));
    set("allToAll", p.overlapAllToAll ? "overlapped" : "serial");
    set("etp", p.etp === 1 && p.tp > 1 ? "1" : "tp");
  }
}

void start();
