// Side-by-side clusters on the form's model and training: 2 to 4 rows of chip x count (x system),
// each with its own best plan. A count no plan divides gets the best use of at most that many chips.
import type { Remote } from "comlink";
import type { Failure, SimulateResult } from "chipscale";
import type { Catalog, WorkerApi } from "./worker.js";
import type { Lane, Progress } from "./lane.js";
import { h, fill } from "./dom.js";
import { chipGroups, parse, issueLine } from "./form.js";
import { costText, planText, stackWords } from "./answer.js";
import { bestAtMost, countNote, type Best } from "./counts.js";
import { fewerWords } from "./returns.js";
import { sig, pct, integer, days, energy, power, tonnes, factLine } from "./format.js";

export interface Row {
  chip: string;
  count: string;
  system: string;
}

export const DEFAULT_ROWS: Row[] = [
  { chip: "nvidia-h100-sxm5-80gb", count: "16384", system: "" },
  { chip: "nvidia-h20-96gb", count: "110000", system: "" },
  { chip: "huawei-ascend-910c", count: "3072", system: "huawei-cloudmatrix-384" },
];

const ID = /^[a-z0-9][a-z0-9.-]{0,63}$/;

/** The count as typed ("1,000", "2048.5", "abc" too), with the separators escaped so it survives the link. */
const escapeCount = (t: string) =>
  t.replace(/[%*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
const unescapeCount = (t: string) =>
  t.replace(/%(25|2A|7E)/gi, (_, x: string) => String.fromCharCode(parseInt(x, 16)));

export const encodeRows = (rows: Row[]) =>
  rows.map((r) => `${r.chip}*${escapeCount(r.count.trim())}*${r.system}`).join("~");

/**
 * Rows from a URL value, each on its own: a count is kept as typed (the library names what is
 * wrong with it at its input); a row with an unknown chip is left out and an unknown system
 * becomes the usual one, each said in `problems`. The whole value is refused only when it is no
 * list of clusters at all.
 */
export function decodeRows(
  v: string,
  catalog: Catalog,
): { rows: Row[]; problems: string[] } | string {
  const parts = v.split("~");
  if (parts.length < 1 || parts.length > 4) return "must list 1 to 4 clusters";
  const rows: Row[] = [];
  const problems: string[] = [];
  for (const [i, p] of parts.entries()) {
    const [chip = "", count = "", system = "", extra] = p.split("*");
    const which = `cluster ${i + 1}`;
    if (extra !== undefined || !ID.test(chip)) {
      problems.push(`${which} is not chip*count*system; it was left out`);
      continue;
    }
    if (!catalog.chips.some((c) => c.id === chip)) {
      problems.push(`${which} names an unknown chip; it was left out`);
      continue;
    }
    const known =
      system === "" || (ID.test(system) && catalog.systems.some((s) => s.id === system));
    if (!known) problems.push(`${which} names an unknown system; its chip's usual system is used`);
    rows.push({ chip, count: unescapeCount(count).slice(0, 40), system: known ? system : "" });
  }
  return rows.length ? { rows, problems } : "names no cluster that could be used";
}

type Outcome = { row: Row; result: SimulateResult | Failure; best?: Best };

/**
 * One compared cluster as exported: what was asked (`count` a number, null when the text is none;
 * `countTyped` the text as typed; `system` null for the chip's usual one), and the answer or why there is none.
 */
export interface CompareRecord {
  chip: string;
  count: number | null;
  countTyped: string;
  system: string | null;
  result: SimulateResult | null;
  errors: string[];
  shownCount: number | null;
}

export class Compare {
  rows: Row[] = DEFAULT_ROWS.map((r) => ({ ...r }));
  /** The last comparison shown, for export. */
  last: CompareRecord[] = [];

  constructor(
    private readonly catalog: Catalog,
    private readonly lane: Lane,
    private readonly base: () => Record<string, unknown>,
    private readonly rowsEl: HTMLElement,
    private readonly outEl: HTMLElement,
    private readonly addButton: HTMLButtonElement,
    private readonly changed: () => void,
  ) {
    addButton.addEventListener("click", () => {
      if (this.rows.length >= 4) return;
      this.rows.push({ chip: "nvidia-gb200-per-gpu", count: "6912", system: "" });
      this.renderRows();
      this.changed();
      this.rowsEl.querySelector<HTMLElement>(".compare-row:last-child select")?.focus();
    });
  }

  renderRows(): void {
    const systemOptions = () => [
      h("option", { value: "" }, "usual system"),
      ...this.catalog.systems.map((s) => h("option", { value: s.id }, s.name)),
    ];
    this.rowsEl.replaceChildren(
      ...this.rows.map((row, i) => {
        const n = i + 1;
        const chip = h(
          "select",
          { id: `cmp-chip-${n}`, "aria-label": `Cluster ${n} chip` },
          ...chipGroups(this.catalog),
        ) as HTMLSelectElement;
        chip.value = row.chip;
        const count = h("input", {
          id: `cmp-count-${n}`,
          type: "text",
          inputmode: "numeric",
          "aria-label": `Cluster ${n} chip count`,
          spellcheck: "false",
        }) as HTMLInputElement;
        count.value = row.count;
        const sys = h(
          "select",
          { id: `cmp-system-${n}`, "aria-label": `Cluster ${n} system` },
          ...systemOptions(),
        ) as HTMLSelectElement;
        sys.value = row.system;
        const remove = h(
          "button",
          { type: "button", class: "ghost", "aria-label": `Remove cluster ${n}` },
          "Remove",
        ) as HTMLButtonElement;
        remove.disabled = this.rows.length <= 2;
        chip.addEventListener("change", () => {
          row.chip = chip.value;
          row.system = "";
          sys.value = "";
          this.changed();
        });
        count.addEventListener("input", () => {
          row.count = count.value;
          this.changed();
        });
        sys.addEventListener("change", () => {
          row.system = sys.value;
          this.changed();
        });
        remove.addEventListener("click", () => {
          this.rows.splice(i, 1);
          this.renderRows();
          this.changed();
        });
        // The count's own errors (the library's, naming cluster.count), filled in by render().
        const error = h("p", {
          class: "error",
          id: `cmp-count-error-${n}`,
          role: "alert",
          hidden: "",
        });
        count.setAttribute("aria-describedby", error.id);
        return h(
          "div",
          { class: "compare-row" },
          h("span", { class: "tagn" }, `${n}`),
          chip,
          h("span", { class: "times" }, "×"),
          count,
          sys,
          remove,
          error,
        );
      }),
    );
    this.addButton.disabled = this.rows.length >= 4;
  }

  async run(): Promise<void> {
    const base = this.base();
    const scenarios = this.rows.map((r) => ({
      ...base,
      parallelism: "auto",
      cluster: { chip: r.chip, count: parse(r.count), ...(r.system ? { system: r.system } : {}) },
    }));
    const outcomes = await this.lane.run(async (api: Remote<WorkerApi>, onProgress: Progress) => {
      const done = await api.simulateAll(scenarios, onProgress);
      const out: Outcome[] = [];
      for (const [i, d] of done.entries()) {
        const o: Outcome = { row: this.rows[i], result: d.result };
        const n = parse(this.rows[i].count);
        // "No plan divides" has a fix: the fastest count at or below it that a plan divides; a
        // count that has a plan may still be slower than a smaller one (one sweep says which).
        if (
          (d.result.ok || d.result.errors.some((e) => e.path === "parallelism")) &&
          typeof n === "number" &&
          n >= 8
        )
          o.best = (await bestAtMost(api, scenarios[i], n)) ?? undefined;
        out.push(o);
      }
      return out;
    });
    if (outcomes) this.render(outcomes);
  }

  /** Each row's count errors at its input, outlined like the form's fields; the typed text stays. */
  private showCountErrors(outcomes: Outcome[]): void {
    outcomes.forEach((o, i) => {
      const input = this.rowsEl.querySelector<HTMLInputElement>(`#cmp-count-${i + 1}`);
      const line = this.rowsEl.querySelector<HTMLElement>(`#cmp-count-error-${i + 1}`);
      if (!input || !line) return;
      const errors = o.result.ok
        ? []
        : o.result.errors.filter(
            (e) => e.path === "cluster.count" || e.path.startsWith("cluster.count."),
          );
      line.replaceChildren(...errors.map((e) => issueLine(e)));
      line.hidden = errors.length === 0;
      if (errors.length) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  private render(outcomes: Outcome[]): void {
    // A count the library rejects at cluster.count ("2048.5", "-3", "abc") is no count: named at its input.
    const countErrors = (o: Outcome) =>
      o.result.ok
        ? []
        : o.result.errors.filter(
            (e) => e.path === "cluster.count" || e.path.startsWith("cluster.count."),
          );
    // The count as typed, when it is a valid one ("110,000" too); null otherwise.
    const asked = outcomes.map((o) => {
      const n = parse(o.row.count);
      return typeof n === "number" && countErrors(o).length === 0 ? n : null;
    });
    this.last = outcomes.map((o) => {
      const n = parse(o.row.count);
      return {
        chip: o.row.chip,
        count: typeof n === "number" ? n : null,
        countTyped: o.row.count,
        system: o.row.system || null,
        result: o.result.ok ? o.result : (o.best?.result ?? null),
        errors: o.result.ok ? [] : o.result.errors.map((e) => `${e.path}: ${e.message}`),
        shownCount: o.result.ok ? o.result.scenario.count : (o.best?.count ?? null),
      };
    });
    this.showCountErrors(outcomes);
    const chipName = (id: string) => this.catalog.chips.find((c) => c.id === id)?.short ?? id;
    const ok = outcomes.map((o) => (o.result.ok ? o.result : (o.best?.result ?? null)));
    // Every comparison here is on days with failures; null: never finishes.
    const wall = ok.map((r) => (r ? r.run.effectiveDays : null));
    const fastest = Math.min(...wall.map((w) => w ?? Infinity));
    // A count that has a plan but finishes later than a smaller one (or never): said at its column.
    const fewer = outcomes.map((o) =>
      o.result.ok &&
      o.best &&
      o.best.count < o.result.scenario.count &&
      o.best.result.run.effectiveDays !== null
        ? o.best
        : null,
    );
    const fewerNote = (o: Outcome, b: Best) =>
      fewerWords(
        { count: b.count, days: b.result.run.effectiveDays!, powerMW: b.result.run.powerMW },
        (o.result as SimulateResult).run.effectiveDays ?? Infinity,
        { of: "with failures", moreHelp: !b.largerIsSlower },
      );
    const head = h(
      "tr",
      {},
      h("th", { scope: "col" }, ""),
      ...outcomes.map((o, i) => {
        const n = ok[i]?.scenario.count ?? asked[i];
        // Never "NaN ×" nor a rounded "2,049 ×": a count that is not one is named at its input instead.
        return h(
          "th",
          { scope: "col" },
          n === null
            ? `${i + 1}. ${chipName(o.row.chip)}`
            : `${i + 1}. ${integer(n)} × ${chipName(o.row.chip)}`,
          asked[i] === null
            ? h("div", { class: "bad-text" }, `no valid count: see cluster ${i + 1}'s count`)
            : null,
          !o.result.ok && o.best && asked[i] !== null
            ? h("div", { class: "count-note" }, countNote(asked[i]!, o.best))
            : null,
          fewer[i] ? h("div", { class: "count-note fewer-note" }, fewerNote(o, fewer[i]!)) : null,
        );
      }),
    );
    const line = (label: string, f: (r: SimulateResult) => string) =>
      h("tr", {}, h("th", { scope: "row" }, label), ...ok.map((r) => h("td", {}, r ? f(r) : "–")));
    const useButton = (o: Outcome, count: number) => {
      const use = h("button", { type: "button", class: "small" }, `Use ${integer(count)}`);
      use.addEventListener("click", () => {
        o.row.count = String(count);
        this.renderRows();
        this.changed();
      });
      return use;
    };
    // The fastest column by days with failures, whether its count is the one typed or the one used instead.
    const badge = (i: number) =>
      wall[i] !== null && wall[i] === fastest ? h("span", { class: "badge ok" }, "fastest") : null;
    const notes = h(
      "tr",
      {},
      h("th", { scope: "row" }, "Note"),
      ...outcomes.map((o, i) => {
        if (o.result.ok)
          return h(
            "td",
            {},
            badge(i),
            fewer[i] ? useButton(o, fewer[i]!.count) : null,
            ...o.result.warnings.map((w) => h("div", { class: "hint" }, factLine(w))),
          );
        // The count used instead: its header note says why; no button to the count already shown.
        if (o.best && asked[i] !== null)
          return h(
            "td",
            {},
            badge(i),
            ...o.best.result.warnings.map((w) => h("div", { class: "hint" }, factLine(w))),
          );
        const errors = o.result.errors.filter((e) => !countErrors(o).includes(e)); // count errors are at the input
        return h(
          "td",
          { class: "bad-text" },
          errors.length
            ? errors.map((e) => `${e.path || "scenario"}: ${e.message}`).join("; ")
            : "–",
        );
      }),
    );
    const finite = wall.filter((w): w is number => w !== null);
    const longest = Math.max(0, ...finite);
    const bars = h(
      "div",
      {
        class: "hbars",
        role: "img",
        "aria-label": `Training days with failures per cluster: ${ok.map((r, i) => `${i + 1}: ${r ? (wall[i] === null ? "never finishes" : days(wall[i]!)) : "no result"}`).join(", ")}`,
      },
      ...ok.map((r, i) => {
        const never = r !== null && wall[i] === null;
        // A run that never finishes has no length to draw: a hatched full track and the words.
        const fill = !r
          ? null
          : never
            ? h("span", { class: "hbar-fill never" })
            : h("span", {
                class: "hbar-fill",
                style: `width:${longest > 0 ? (wall[i]! / longest) * 100 : 0}%`,
              });
        return h(
          "div",
          { class: "hbar" },
          h("span", { class: "hbar-label" }, `${i + 1}`),
          h("span", { class: "hbar-track" }, fill),
          h(
            "span",
            { class: `hbar-value${never ? " bad-text" : ""}` },
            !r ? "–" : never ? "never finishes" : days(wall[i]!),
          ),
        );
      }),
    );
    fill(
      this.outEl,
      h(
        "p",
        { class: "hint" },
        "Bars: training days with failures (checkpoint restarts included).",
      ),
      bars,
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "data compare", id: "compare-table" },
          h("thead", {}, head),
          h(
            "tbody",
            {},
            line("Plan", (r) => planText(r.plan)),
            line(
              "System",
              (r) =>
                this.catalog.systems.find((s) => s.id === r.scenario.system)?.name ??
                r.scenario.system ??
                "generic",
            ),
            line("Training time, with failures", (r) =>
              r.run.effectiveDays === null ? "never finishes" : days(r.run.effectiveDays),
            ),
            line("Without failures", (r) => days(r.run.days)),
            line("Power drawn", (r) => power(r.run.powerMW)),
            line("Energy", (r) => energy(r.run.energyMWh)),
            line("CO₂", (r) => tonnes(r.run.co2Tonnes)),
            line("Cost", (r) => costText(r.run.costUSD, r.run.costBasis)),
            line("MFU", (r) => pct(r.throughput.mfu)),
            line(
              "Memory per chip",
              (r) => `${sig(r.memory.perChipGB)} / ${sig(r.memory.capacityGB)} GB`,
            ),
            line("Stack and calibration", (r) => stackWords(r)),
            notes,
          ),
        ),
      ),
    );
  }
}
