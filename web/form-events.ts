// The scenario form's events: every input re-asks the live answer; picking a chip, a model or a
// plan mode opens and fills the cells that go with it; an edit marks on-demand answers stale.
import * as F from "./form.js";
import { byId } from "./dom.js";
import { CUSTOM_CHIP, prefillCustomChip } from "./custom-chip.js";
import { integer } from "./format.js";
import { state } from "./page-state.js";
import { schedule } from "./live-answer.js";

/** Listens to the form; call once, after the form holds the link's values. */
export function wireForm(): void {
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
