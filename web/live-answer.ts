// The Answer tab's answer: one request in flight on the live worker, the newest input wins; then,
// after a pause in edits, the secondary work (the why, what would meet missed goals, the count
// sweep) and, for a count no plan uses, the fastest count that works with a one-click fix.
import type { SimulateResult } from "chipscale";
import type { Computed } from "./worker.js";
import { byId, h, fill } from "./dom.js";
import { Lane } from "./lane.js";
import { LiveWorker } from "./live.js";
import * as F from "./form.js";
import { renderOk, renderFailure, renderFatal, whyWords, verdict, costText } from "./answer.js";
import { integer, days, power, chips } from "./format.js";
import { bestAtMost } from "./counts.js";
import { state, chipName, modelName } from "./page-state.js";
import { saveUrl } from "./url-sync.js";
import { scaling, energyChart, clearCharts, noteReturns, sweep } from "./count-sweep.js";

export const live = new LiveWorker();
const adviceLane = new Lane();
export const resultEl = byId<HTMLElement>("result");
const adviceEl = byId<HTMLElement>("advice");

function setBusy(busy: boolean): void {
  resultEl.classList.toggle("busy", busy);
  resultEl.setAttribute("aria-busy", String(busy));
}

export function schedule(): void {
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
export function showMini(text?: string): void {
  const mini = byId<HTMLButtonElement>("mini");
  if (text !== undefined) mini.textContent = text;
  mini.hidden = state.view !== "answer" || !mini.textContent;
}

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
