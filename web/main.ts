// The page: builds its parts once the worker has sent the catalog, restores the link's state,
// wires the form, tabs and exports, and asks the first answer. Each concern lives in its module:
// page-state (what the page remembers), url-sync (the link), live-answer (the Answer tab),
// count-sweep (its charts), on-demand (compare, match, racks, serve), export-buttons, form-events.
import { byId } from "./dom.js";
import * as F from "./form.js";
import { CUSTOM_CHIP } from "./custom-chip.js";
import { renderFatal } from "./answer.js";
import { Compare } from "./compare.js";
import { setupServe } from "./serve.js";
import { setupTheme } from "./theme.js";
import { setupTabs } from "./tabs.js";
import { ChipSliders } from "./chip-sliders.js";
import { FrontierView } from "./frontier.js";
import { FigureSweep } from "./figure-sweep.js";
import { state, chipName } from "./page-state.js";
import { saveUrl, restoreUrl, linkNow } from "./url-sync.js";
import { live, resultEl, schedule } from "./live-answer.js";
import { scaling, energyChart } from "./count-sweep.js";
import { compareLane, serveLane, onView, runMatchNow, runRacksNow } from "./on-demand.js";
import { wireExports } from "./export-buttons.js";
import { wireForm } from "./form-events.js";

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

  wireForm();

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

void start();
