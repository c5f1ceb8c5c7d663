// Everything the page remembers between events, in one object, and the names it shows for the
// catalog's ids.
import type { Issue, SimulateResult, SweepResult } from "chipscale";
import type { Catalog } from "./worker.js";
import type { Compare } from "./compare.js";
import type { ChipSliders } from "./chip-sliders.js";
import type { ServeTab } from "./serve.js";
import type { View } from "./tabs.js";
import type { Table } from "./export.js";
import { CUSTOM_CHIP } from "./custom-chip.js";

/** A tab's last result with the link and scenario it answers (not the form's since), for its exports. */
export interface TabExport {
  link: string;
  scenario: unknown;
  title: string;
  result: unknown;
  table: Table;
}

/**
 * Everything the page remembers between events, in one place: the components made at start, the
 * tab shown, the last answer and sweep (what exports read), and the live answer's bookkeeping.
 */
export const state = {
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

export const chipName = (id: string) =>
  id === CUSTOM_CHIP ? "custom chip" : (state.catalog.chips.find((c) => c.id === id)?.short ?? id);

export function modelName(sc: Record<string, unknown>): string {
  return typeof sc.model === "string"
    ? (state.catalog.models.find((m) => m.id === sc.model)?.name ?? sc.model)
    : "Custom model";
}
