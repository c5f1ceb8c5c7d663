// The only place the UI reaches the library: the page calls this worker through comlink,
// the worker calls chipscale (which owns the wasm). Two instances run: one for the live
// answer, one for searches and sweeps (terminated to cancel), so the page never waits.
import { expose } from "comlink";
import {
  load,
  chips,
  models,
  systems,
  exportClass,
  exportClassEstimated,
  estimatedMetrics,
  compareSystems,
  classify,
  thresholds,
  metrics,
  allowedBy,
  hypotheticalChip,
  conflictFigure,
  findChip,
  shortChipName,
  EXPORT_RULES,
  FRONTIER_BOUNDS,
  DEFAULTS,
  RECOMPUTE_MODULE_WORDS,
  STACKS,
  STACK_IDS,
  countsAtOrBelow,
  countsAbove,
  parseScenario,
  parseServeScenario,
  SERVING_STACKS,
  SERVING_STACK_IDS,
  type ChipRecord,
  type Simulator,
  type Scenario,
  type RecomputeModule,
  type SimulateResult,
  type Failure,
  type SweepOptions,
  type SweepResult,
  type MatchResult,
  type MatchOptions,
  type SystemComparison,
  type PublishedTraining,
  type FeasibleResult,
  type LimitsResult,
  type ModelShape,
  type ChipFigures,
  type FrontierOptions,
  type FrontierResult,
  type FrontierBound,
  type Metric,
  type ServeResult,
  type ServeCompareResult,
  type ServeCompareOptions,
} from "chipscale";

export interface SourceLink {
  title: string;
  url: string | null;
}

export interface ChipOption {
  id: string;
  vendor: string;
  name: string;
  /** The name without its parenthetical note, for tables and sentences. */
  short: string;
  bf16Tflops: number | null;
  fp8Tflops: number | null;
  hbmGB: number | null;
  hbmTBps: number | null;
  tdpW: number | null;
  scaleUpGBps: number | null;
  scaleUpDomain: number | null;
  scaleOutGbps: number | null;
  confidence: string;
  sourcing: ChipRecord["sourcing"];
  /** Recorded conflicts (press claims, disagreeing sources), each with the figure it is about (null: none shown). */
  conflicts: {
    figure: string | null;
    field: string;
    values: { value: string; source: string }[];
    resolution: string;
  }[];
  /** Figures no source gives: the project's estimate of each, with its basis and range. */
  estimates: Record<string, { basis: string; range: [number, number] }>;
  exportClass: string;
  /** The class rests on an estimated figure (shown "~3A090.a"). */
  exportClassEstimate: boolean;
  /** The sources behind the figures, resolved to titles and links: one entry per set of sources, with every field it backs (links empty: no source). */
  sources: { fields: string[]; links: SourceLink[] }[];
}

export interface SystemOption {
  id: string;
  name: string;
  chip: string;
  chips: number;
}

export interface ModelOption {
  id: string;
  name: string;
  /** The preset's experts (a custom shape starts from them); null for a dense model. */
  moe: NonNullable<ModelShape["moe"]> | null;
  /** Multi-head latent attention (its up-projections can be recomputed). */
  mla: boolean;
  /** headDim: null where the preset leaves it to the library's default (hidden / heads). */
  shape: {
    layers: number;
    hidden: number;
    ffnHidden: number;
    heads: number;
    kvHeads: number;
    headDim: number | null;
    vocab: number;
    mlp: string;
  };
  /** The published run's tokens, sequence length and batch, where known. */
  training: PublishedTraining | null;
}

export interface Catalog {
  chips: ChipOption[];
  systems: SystemOption[];
  models: ModelOption[];
  defaults: { pue: number; gridGCO2PerKWh: number; usdPerKWh: number };
  /** Export rules with thresholds (the frontier's choices) and the class each allows. */
  rules: { id: string; name: string; allowed: string }[];
  /** The figures whose bounds the frontier takes. */
  frontierBounds: readonly FrontierBound[];
  /** Recompute modules in words (the library's). */
  recomputeWords: Readonly<Record<RecomputeModule, string>>;
  /** The software stacks a scenario may name (training.stack), with the library's names. */
  stacks: { id: string; name: string }[];
  /** The serving stacks a serving scenario may name (serving.stack). */
  servingStacks: { id: string; name: string }[];
}

/** A chip's standing under each export rule, as changed and as catalogued. */
export interface Standing {
  /** The metrics the rules read: TPP, performance density, chip I/O (GB/s), DRAM bandwidth (GB/s). */
  now: Record<Metric, number | null>;
  was: Record<Metric, number | null>;
  /** Which of `now` and `was` rest on an estimated figure (shown "~5,120"). */
  estimated: Record<Metric, boolean>;
  wasEstimated: Record<Metric, boolean>;
  rules: {
    id: string;
    name: string;
    class: string;
    baseClass: string;
    allowed: boolean;
    reason: string;
    /** The class (and the catalog chip's) rests on an estimated figure (shown "~3A090.a"). */
    estimate: boolean;
    baseEstimate: boolean;
    /** The metrics this rule reads that the change moved. */
    moved: Metric[];
    thresholds: Record<Metric, number[]>;
  }[];
}

export interface Computed<T> {
  result: T | Failure;
  elapsedMs: number;
}

/** Fields backed by the same sources, together (in the catalog's field order): one line per set of sources. */
function sourceGroups(
  fieldSources: Record<string, string[]>,
): { fields: string[]; ids: string[] }[] {
  const groups = new Map<string, { fields: string[]; ids: string[] }>();
  for (const [field, ids] of Object.entries(fieldSources)) {
    const key = JSON.stringify(ids);
    const g = groups.get(key);
    if (g) g.fields.push(field);
    else groups.set(key, { fields: [field], ids });
  }
  return [...groups.values()];
}

let simulator: Promise<Simulator> | undefined;
const sim = () => (simulator ??= load());

/** The page's input checked against the contract, then `f` on it; what is wrong comes back by field. */
function parsed<T>(input: unknown, f: (scenario: Scenario) => T | Failure): T | Failure {
  const p = parseScenario(input);
  return p.ok ? f(p.scenario) : p;
}

/** Runs `f`, timing it; an exception becomes a Failure (the page shows it, never crashes). */
async function timed<T>(f: (s: Simulator) => T | Failure): Promise<Computed<T>> {
  const s = await sim();
  const t0 = performance.now();
  let result: T | Failure;
  try {
    result = f(s);
  } catch (e) {
    result = {
      ok: false,
      errors: [
        {
          path: "",
          code: "internal",
          data: {},
          message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
      warnings: [],
    };
  }
  return { result, elapsedMs: performance.now() - t0 };
}

const api = {
  /** The pickers' lists: only the fields the page shows. */
  catalog(): Catalog {
    return {
      chips: chips.map((c) => {
        const byId = new Map(c.sources.map((s) => [s.id, s]));
        return {
          id: c.id,
          vendor: c.vendor,
          name: c.name,
          short: shortChipName(c.name),
          bf16Tflops: c.bf16Tflops,
          fp8Tflops: c.fp8Tflops,
          hbmGB: c.hbmGB,
          hbmTBps: c.hbmTBps,
          tdpW: c.tdpW,
          scaleUpGBps: c.scaleUpGBps,
          scaleUpDomain: c.scaleUpDomain,
          scaleOutGbps: c.scaleOutGbps,
          confidence: c.confidence,
          sourcing: c.sourcing,
          conflicts: c.conflicts.map((k) => ({
            figure: conflictFigure(k),
            field: k.field,
            values: k.values.map((v) => ({
              value: typeof v.value === "string" ? v.value : JSON.stringify(v.value),
              source: v.source,
            })),
            resolution: k.resolution,
          })),
          estimates: c.estimates,
          exportClass: exportClass(c),
          exportClassEstimate: exportClassEstimated(c),
          sources: sourceGroups(c.fieldSources).map(({ fields, ids }) => ({
            fields,
            links: ids.map((id) => ({
              title: byId.get(id)?.title ?? id,
              url: byId.get(id)?.url ?? null,
            })),
          })),
        };
      }),
      systems: systems.map((s) => ({ id: s.id, name: s.name, chip: s.chip, chips: s.chips })),
      models: models.map((m) => ({
        id: m.id,
        name: m.name,
        moe: m.moe ?? null,
        mla: m.mla !== undefined,
        shape: {
          layers: m.layers,
          hidden: m.hidden,
          ffnHidden: m.ffnHidden,
          heads: m.heads,
          kvHeads: m.kvHeads,
          headDim: m.headDim ?? null,
          vocab: m.vocab,
          mlp: m.mlp,
        },
        training: m.training ?? null,
      })),
      defaults: {
        pue: DEFAULTS.pue.value,
        gridGCO2PerKWh: DEFAULTS.gridGCO2PerKWh.value,
        usdPerKWh: DEFAULTS.usdPerKWh.value,
      },
      rules: EXPORT_RULES.filter((r) => !r.products).map((r) => ({
        id: r.id,
        name: r.name,
        allowed: r.allowed,
      })),
      frontierBounds: FRONTIER_BOUNDS,
      recomputeWords: RECOMPUTE_MODULE_WORDS,
      stacks: STACK_IDS.map((id) => ({ id, name: STACKS[id].name })),
      servingStacks: SERVING_STACK_IDS.map((id) => ({ id, name: SERVING_STACKS[id].name })),
    };
  },

  /** One scenario, as typed by the user; validation errors come back as `{ ok: false }`, never thrown. */
  simulate: (scenario: unknown) =>
    timed<SimulateResult>((s) => parsed(scenario, (sc) => s.simulate(sc))),

  /** Several scenarios (compare, rack views), in order. */
  simulateAll: async (scenarios: unknown[], onProgress?: (done: number, total: number) => void) => {
    const out: Computed<SimulateResult>[] = [];
    for (const sc of scenarios) {
      out.push(await timed<SimulateResult>((s) => parsed(sc, (x) => s.simulate(x))));
      onProgress?.(out.length, scenarios.length);
    }
    return out;
  },

  sweep: (
    scenario: unknown,
    options: SweepOptions,
    onProgress?: (done: number, total: number) => void,
    // Not parsed first: the axis overwrites a field at every point (a count typed wrong is swept
    // over), and the sweep checks each point itself, naming what is wrong in its error column.
  ) => timed<SweepResult>((s) => s.sweep(scenario as Scenario, options, onProgress)),

  /** Chip counts to try for "at most n" (the library's), and those above it up to 4x. */
  counts: (n: number) => ({ atOrBelow: countsAtOrBelow(n), above: countsAbove(n) }),

  match: (
    reference: unknown,
    target: { chip: string; system?: string },
    options: MatchOptions = {},
  ) => timed<MatchResult>((s) => parsed(reference, (sc) => s.match(sc, target, options))),

  /** Two catalog systems' figures side by side, with the published ratios (pure catalog data). */
  compareSystems: (a: string, b: string): SystemComparison | null => compareSystems(a, b),

  feasible: (scenario: unknown) =>
    timed<FeasibleResult>((s) => parsed(scenario, (sc) => s.feasible(sc))),

  limits: (scenario: unknown, replan: boolean) =>
    timed<LimitsResult>((s) => parsed(scenario, (sc) => s.limits(sc, { replan }))),

  /** The catalog chip `id` with `figures` changed: TPP, PD and class under every rule, beside the catalog chip's. */
  standing(id: string, figures: ChipFigures): Standing | null {
    const base = findChip(id);
    if (!base) return null;
    const chip = hypotheticalChip(base, figures);
    const now = classify(chip),
      was = classify(base);
    const m = metrics(chip),
      m0 = metrics(base);
    return {
      now: m,
      was: m0,
      estimated: estimatedMetrics(chip),
      wasEstimated: estimatedMetrics(base),
      rules: EXPORT_RULES.map((rule, k) => {
        const t = thresholds(rule);
        return {
          id: rule.id,
          name: rule.name,
          class: now[k].class,
          baseClass: was[k].class,
          allowed: allowedBy(rule, now[k]),
          reason: now[k].reason,
          estimate: now[k].estimate,
          baseEstimate: was[k].estimate,
          moved: (Object.keys(t) as Metric[]).filter((x) => t[x].length > 0 && m[x] !== m0[x]),
          thresholds: t,
        };
      }),
    };
  },

  frontier: (scenario: unknown, options: FrontierOptions) =>
    timed<FrontierResult>((s) => parsed(scenario, (sc) => s.frontier(sc, options))),

  serve: (scenario: unknown) =>
    timed<ServeResult>((s) => {
      const p = parseServeScenario(scenario);
      return p.ok ? s.serve(p.scenario) : p;
    }),

  serveCompare: (options: ServeCompareOptions) =>
    timed<ServeCompareResult>((s) => s.serveCompare(options)),
};

export type WorkerApi = typeof api;

expose(api);
