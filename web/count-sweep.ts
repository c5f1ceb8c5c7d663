// The Answer tab's charts: days, energy and power against chip count for the picked chip and a
// few reference chips (a sweep in its own lane), and the verdict's note when far fewer chips
// finish as fast.
import { byId, h } from "./dom.js";
import { Lane } from "./lane.js";
import { LineChart } from "./charts.js";
import { CUSTOM_CHIP } from "./custom-chip.js";
import { sig } from "./format.js";
import { fewerToName, fewerAsFastWords } from "./returns.js";
import { state, chipName } from "./page-state.js";

const sweepLane = new Lane(byId("sweep-job"), () => {
  state.sweepKey = ""; // so the next change sweeps again
  byId("sweep-status").textContent = "Sweep cancelled; it runs again when the scenario changes.";
});

export const scaling = new LineChart(byId("chart-scaling"), {
  title: "",
  xLabel: "chips",
  yLabel: "training days, with failures",
});
export const energyChart = new LineChart(byId("chart-energy"), {
  title: "",
  xLabel: "chips",
  yLabel: "energy, MWh",
  y2Label: "power, MW",
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

/** An invalid scenario has no curves: the last ones drawn were another scenario's. */
export function clearCharts(): void {
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
export function noteReturns(): void {
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

export async function sweep(sc: Record<string, unknown>): Promise<void> {
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
