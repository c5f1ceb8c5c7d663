// The page's state in its URL: written (throttled) as inputs change, read once at start; a link's
// unusable parts are named, never silently dropped.
import * as F from "./form.js";
import { byId, h, fill } from "./dom.js";
import { readQuery, writeQuery, linkState, numberText, oneOf, type Check } from "./url-state.js";
import { encodeRows, decodeRows } from "./compare.js";
import { VIEWS, type View } from "./tabs.js";
import { state } from "./page-state.js";

/** Throttled: browsers limit how often history can be rewritten, and sliders move fast. */
export function saveUrl(): void {
  if (state.urlTimer !== undefined) return;
  state.urlTimer = setTimeout(() => {
    state.urlTimer = undefined;
    history.replaceState(null, "", `${location.pathname}${writeQuery(urlPairs())}`);
  }, 200);
}

export function urlPairs(): [string, string][] {
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

/** The link to the page as it stands now. */
export const linkNow = () => `${location.origin}${location.pathname}${writeQuery(urlPairs())}`;

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

/** Puts the link's values in the page and returns the tab it shows. */
export function restoreUrl(): View {
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
