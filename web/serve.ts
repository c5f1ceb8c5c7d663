// The Serve tab: the form's model and cluster served (prefill, decode, TTFT, TPOT, memory, cost),
// with sliders for batch and context, the training-vs-serving table, and CSV/JSON exports.
// Every number comes from the library (sim.serve, sim.serveCompare) through the worker.
import type {
  Scenario,
  ServeResult,
  ServeCompareResult,
  Failure,
  CompareFigure,
  ServePrecision,
} from "chipscale";
import type { Lane } from "./lane.js";
import type { Table } from "./export.js";
import { tabCsv } from "./export.js";
import { h, fill, byId, download } from "./dom.js";
import { sig, integer, power, factLine } from "./format.js";
import { oneOf, type Check } from "./url-state.js";
import { typedNumber } from "./typed.js";

/** The serving controls: each typed text field, with its slider where it has one. */
const FIELDS = ["precision", "stack", "inputTokens", "outputTokens", "batch", "tpotMs"] as const;
type Field = (typeof FIELDS)[number];
const control = (f: Field) => byId<HTMLInputElement | HTMLSelectElement>(`serve-${f}`);
const SLIDERS = ["inputTokens", "batch"] as const;
/** A control's key in the page link: "serve" and its field, beside the training form's keys. */
const urlKey = (f: Field) => `serve${f[0].toUpperCase()}${f.slice(1)}`;

/** A typed number as the library should see it; an empty field as "" (the library names it). */
const typed = (text: string): unknown => typedNumber(text) ?? "";

/** The serving scenario: the form's model and cluster, these controls, layout "auto". */
export function serveScenario(base: Record<string, unknown>): Record<string, unknown> {
  const batch = control("batch").value.trim();
  const tpot = control("tpotMs").value.trim();
  return {
    model: base.model,
    cluster: base.cluster,
    serving: {
      precision: control("precision").value,
      ...(control("stack").value ? { stack: control("stack").value } : {}),
      inputTokens: typed(control("inputTokens").value),
      outputTokens: typed(control("outputTokens").value),
      batch: batch === "" || batch === "auto" ? "auto" : typed(batch),
      ...(tpot === "" ? {} : { tpotMs: typed(tpot) }),
    },
    parallelism: "auto",
    ...(base.datacenter ? { datacenter: base.datacenter } : {}),
  };
}

export function serveTable(r: ServeResult): Table {
  return {
    header: ["quantity", "value", "unit"],
    rows: [
      ["layout", `tp ${r.plan.tp} pp ${r.plan.pp} ep ${r.plan.ep}`, ""],
      ["instances", r.plan.instances, "x " + r.plan.instanceChips + " chips"],
      ["batch", r.batch, "requests per instance"],
      ["maxBatch", r.maxBatch, "requests per instance"],
      ["prefill", r.prefill.tokensPerSPerChip, "tokens/s per chip"],
      ["prefill limitedBy", r.prefill.limitedBy, ""],
      ["decode", r.decode.tokensPerSPerChip, "tokens/s per chip"],
      ["decode limitedBy", r.decode.limitedBy, ""],
      ["requests end to end", r.outputTokensPerSPerChip, "generated tokens/s per chip"],
      ["band low", r.uncertainty.outputTokensPerSPerChip[0], "generated tokens/s per chip"],
      ["band high", r.uncertainty.outputTokensPerSPerChip[1], "generated tokens/s per chip"],
      ["stack", r.stack.id, `${r.stack.chosen}, ${r.stack.status}`],
      ["ttftMs", r.ttftMs, "ms"],
      ["tpotMs", r.tpotMs, "ms"],
      ["memory perChipGB", r.memory.perChipGB, "GB"],
      ["memory kvCacheGB", r.memory.kvCacheGB, "GB"],
      ["powerMW", r.powerMW, "MW"],
      ["tokensPerJoule", r.tokensPerJoule, "tokens/J"],
      ["costPerMillionTokensUSD", r.costPerMillionTokensUSD, r.costBasis],
    ],
  };
}

// A ratio read from an estimated chip figure is an estimate: "~×0.25", the figures in its tooltip.
const ratio = (f: CompareFigure | null) =>
  f
    ? h(
        "td",
        {
          title:
            f.reason +
            (f.estimated.length > 0 ? `; estimated chip figures: ${f.estimated.join(", ")}` : ""),
        },
        `${f.estimated.length > 0 ? "~" : ""}×${f.ratio.toFixed(2)} `,
        h("small", {}, f.limitedBy),
      )
    : h("td", {}, "–");

function compareView(c: ServeCompareResult): HTMLElement {
  const s = c.serving;
  const targets = [
    s.ttftMs !== undefined ? `TTFT ${s.ttftMs} ms` : "",
    s.tpotMs !== undefined ? `TPOT ${s.tpotMs} ms` : "",
  ].filter(Boolean);
  return h(
    "table",
    { class: "serve-compare" },
    h(
      "caption",
      {},
      `Per chip, relative to the ${c.referenceShort}: training ${c.training.model} on ${c.training.count} chips; serving ${s.model} (${s.precision}, ${integer(s.inputTokens)} in / ${integer(s.outputTokens)} out) on ${s.count} chips, decode at the best batch${targets.length ? ` under ${targets.join(" and ")}` : ""}. ~ an estimate (reads an estimated chip figure); hover a cell for its limiting figure.`,
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["chip", "training", "prefill", "decode", "one request"].map((t) => h("th", {}, t)),
      ),
    ),
    h(
      "tbody",
      {},
      ...c.rows.map((row) =>
        h(
          "tr",
          {},
          h(
            "th",
            { scope: "row", title: `${row.name} (${row.chip})`, "data-chip": row.chip },
            row.short,
          ),
          ratio(row.training),
          ratio(row.prefill),
          ratio(row.decode),
          ratio(row.decodeOneRequest),
        ),
      ),
    ),
  );
}

function resultView(r: ServeResult): HTMLElement {
  const row = (k: string, v: string) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v));
  // Numbers read from an estimated chip figure are estimates: "~" (the last row names the figures).
  const e = r.estimatedBehind.speed.length > 0 ? "~" : "";
  const ee = r.estimatedBehind.energy.length > 0 ? "~" : "";
  const target = r.latencyTarget;
  return h(
    "table",
    {
      class: "serve-result",
      "data-stack": r.stack.id,
      "data-batch": String(r.batch),
      "data-input-tokens": String(r.scenario.inputTokens),
    },
    h(
      "tbody",
      {},
      row(
        "Layout",
        `tp ${r.plan.tp}, pp ${r.plan.pp}, ep ${r.plan.ep}: ${integer(r.plan.instances)} × ${integer(r.plan.instanceChips)} chips`,
      ),
      row(
        "Batch",
        `${integer(r.batch)} requests per instance (at most ${integer(r.maxBatch)} fit)`,
      ),
      row(
        "Prefill",
        `${e}${sig(r.prefill.tokensPerSPerChip)} tokens/s per chip (${r.prefill.limitedBy})`,
      ),
      row(
        "Decode",
        `${e}${sig(r.decode.tokensPerSPerChip)} tokens/s per chip (${r.decode.limitedBy})`,
      ),
      row(
        "Whole requests",
        `${e}${sig(r.outputTokensPerSPerChip)} generated tokens/s per chip (band ${sig(r.uncertainty.outputTokensPerSPerChip[0])}–${sig(r.uncertainty.outputTokensPerSPerChip[1])}: ${r.uncertainty.basis})`,
      ),
      row(
        "Stack",
        `${r.stack.name} (${r.stack.chosen === "scenario" ? "chosen" : "the chip's usual"}, ${r.stack.status})`,
      ),
      row("TTFT / TPOT", `${e}${sig(r.ttftMs)} ms / ${e}${sig(r.tpotMs)} ms`),
      ...(target
        ? [
            row(
              "Latency target",
              `${target.met ? "met" : "not met (the closest shown)"}: ${[
                target.ttftMs === null ? "no TTFT target" : `TTFT under ${sig(target.ttftMs)} ms`,
                target.tpotMs === null ? "no TPOT target" : `TPOT under ${sig(target.tpotMs)} ms`,
              ].join(", ")}`,
            ),
          ]
        : []),
      row(
        "Memory per chip",
        `${sig(r.memory.perChipGB)} of ${sig(r.memory.usableGB)} usable GB (KV cache ${sig(r.memory.kvCacheGB)} GB)${r.memory.fits ? "" : " — does not fit"}`,
      ),
      row("Power", `${ee}${power(r.powerMW)}, ${ee}${sig(r.tokensPerJoule)} tokens/J`),
      row("Cost", `${ee}$${sig(r.costPerMillionTokensUSD)} per million tokens (${r.costBasis})`),
      ...(ee
        ? [
            row(
              "Estimated",
              `~ reads the chip's estimated ${r.estimatedBehind.energy.join(", ")}; the chip's card gives each one's basis and range`,
            ),
          ]
        : []),
    ),
  );
}

function errorsView(f: Failure): HTMLElement {
  return h(
    "ul",
    { class: "errors", role: "alert" },
    ...f.errors.map((e) =>
      h("li", { "data-path": e.path }, h("code", {}, e.path || "scenario"), ` ${e.message}`),
    ),
  );
}

export interface ServeTab {
  /** Serves the form's scenario with the tab's controls (on opening the tab). */
  run: () => void;
  /** The controls as typed, for the page link (a slider's value is its text field's). */
  urlPairs: () => [string, string][];
  urlChecks: (numberText: Check) => Record<string, Check>;
  /** A link's values into the controls, text as typed, sliders following. */
  restore: (values: Map<string, string>) => void;
}

/**
 * Wires the tab; `base` gives the form's scenario, `changed` saves the page link after an edit;
 * `stacks` are the library's serving stacks for the stack picker.
 */
export function setupServe(
  lane: Lane,
  base: () => Record<string, unknown>,
  link: () => string,
  changed: () => void,
  stacks: readonly { id: string; name: string }[],
): ServeTab {
  const picker = control("stack") as HTMLSelectElement;
  for (const s of stacks) picker.append(h("option", { value: s.id }, s.name));
  const out = byId("serve-out"),
    cmp = byId("serve-compare-out"),
    status = byId("serve-export-status");
  let last: { scenario: unknown; link: string; result: ServeResult } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = () => {
    const scenario = serveScenario(base());
    void lane
      .run(async (api) => {
        const r = await api.serve(scenario);
        // The comparison serves the same model, precision, context and TPOT target on every chip.
        const sv = scenario.serving as Record<string, unknown>;
        const c = r.result.ok
          ? await api.serveCompare({
              model: scenario.model as Scenario["model"], // serve() above accepted it
              serving: {
                precision: sv.precision as ServePrecision,
                inputTokens: sv.inputTokens as number,
                outputTokens: sv.outputTokens as number,
                ...(sv.tpotMs === undefined ? {} : { tpotMs: sv.tpotMs as number }),
              },
            })
          : null;
        return { r, c };
      })
      .then((done) => {
        if (!done) return;
        const { r, c } = done;
        if (!r.result.ok) {
          last = undefined;
          fill(out, errorsView(r.result));
        } else {
          last = { scenario, link: link(), result: r.result };
          fill(
            out,
            resultView(r.result),
            ...r.result.warnings.map((w) => h("p", { class: "hint warning" }, factLine(w))),
          );
        }
        if (c) fill(cmp, c.result.ok ? compareView(c.result) : errorsView(c.result));
      });
  };
  const soon = () => {
    changed();
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  };
  /** A slider follows its text field where the text is a number (or "auto" for the batch). */
  const follow = (f: (typeof SLIDERS)[number]) => {
    const slider = byId<HTMLInputElement>(`serve-${f}-range`);
    const v = Number(control(f).value.trim());
    if (control(f).value.trim() !== "" && Number.isFinite(v)) slider.value = String(v);
    else if (f === "batch" && control(f).value.trim() === "auto") slider.value = "0";
  };
  // Sliders and their text fields move together; the typed text is kept as typed.
  for (const f of SLIDERS) {
    const slider = byId<HTMLInputElement>(`serve-${f}-range`);
    slider.addEventListener("input", () => {
      control(f).value = f === "batch" && slider.value === "0" ? "auto" : slider.value;
      soon();
    });
    control(f).addEventListener("input", () => {
      follow(f);
      soon();
    });
  }
  for (const f of ["outputTokens", "tpotMs"] as const) control(f).addEventListener("input", soon);
  for (const f of ["precision", "stack"] as const) control(f).addEventListener("change", soon);

  byId("serve-csv").addEventListener("click", () => {
    if (!last) return void (status.textContent = "Nothing to export yet.");
    download(
      "chipscale-serve.csv",
      new Blob([tabCsv(last.link, last.scenario, "serve", serveTable(last.result))], {
        type: "text/csv",
      }),
    );
    status.textContent = "CSV saved.";
  });
  byId("serve-json").addEventListener("click", () => {
    if (!last) return void (status.textContent = "Nothing to export yet.");
    download(
      "chipscale-serve.json",
      new Blob(
        [JSON.stringify({ link: last.link, scenario: last.scenario, serve: last.result }, null, 2)],
        {
          type: "application/json",
        },
      ),
    );
    status.textContent = "JSON saved.";
  });
  return {
    run,
    urlPairs: () => FIELDS.map((f) => [urlKey(f), control(f).value]),
    urlChecks: (numberText) =>
      Object.fromEntries(
        FIELDS.map((f) => {
          const el = control(f);
          const check: Check =
            el instanceof HTMLSelectElement
              ? oneOf(Array.from(el.options).map((o) => o.value))
              : f === "batch"
                ? (v) => (v.trim() === "auto" ? null : numberText(v))
                : numberText;
          return [urlKey(f), check];
        }),
      ),
    restore: (values) => {
      for (const f of FIELDS) {
        const v = values.get(urlKey(f));
        if (v !== undefined) control(f).value = v;
      }
      for (const f of SLIDERS) follow(f);
    },
  };
}
