// Training vs serving, chip by chip, relative to a reference chip: the same training run and the same
// serving scenario on each, throughput per chip divided by the reference's, with what limits each.
import type { Planner } from "../engine/planner.js";
import type { Failure, SimulateResult } from "../contract/result.js";
import type { Scenario } from "../contract/scenario.js";
import { backingOf, type Backing } from "../engine/wire.js";
import { serveBacking, type ServeResult, type ServePrecision } from "../engine/serve.js";
import { chips as catalogChips, findChip, shortChipName } from "../catalog/index.js";
import { issue, type Issue } from "../contract/facts.js";
import { closest } from "../contract/suggest.js";
import { estimatesBehind } from "../calibration/estimates.js";
import { defaultServingStack, type ServingStackId } from "../calibration/serve-stacks.js";

/** What the comparison needs from the simulator: a training answer and a serving answer. */
type ServingPlanner = Pick<Planner, "simulate"> & {
  serve(scenario: unknown): ServeResult | Failure;
};

/** What a figure is limited by: the hardware figure that explains it. */
export type CompareLimiter = "compute" | "bandwidth" | "capacity" | "interconnect";

export interface CompareFigure {
  /** Throughput per chip divided by the reference chip's. */
  ratio: number;
  tokensPerSPerChip: number;
  limitedBy: CompareLimiter;
  /** The hardware figure behind the limiter: this chip's value, the reference's, and the unit. */
  figure: { name: string; value: number | null; reference: number | null; unit: string };
  /** For people: the limiter in words with its figures. */
  reason: string;
  /**
   * The estimated chip figures ("hbmTBps") behind this ratio, read by this chip's or the reference's
   * answer (code "chip-figure-estimated"): the ratio is then an estimate too, shown "~x0.25".
   */
  estimated: string[];
}

export interface CompareRow {
  chip: string;
  name: string;
  /** The name before its notes ("Ascend 910C"), for tables. */
  short: string;
  training: CompareFigure | null;
  prefill: CompareFigure | null;
  /** Generated tokens per second per chip at the best batch and layout under the latency targets. */
  decode: CompareFigure | null;
  /** One request alone on an 8-way TP instance: its tokens per second (1 / TPOT), the bandwidth-bound end. */
  decodeOneRequest: CompareFigure | null;
  /** What backs this chip's training and serving answers (null: that answer failed); calibrated false: no published run of the stack on the chip. */
  calibration: { training: Backing | null; serving: Backing | null };
  /** Why a figure is null: the scenario failed on this chip (field-named errors). */
  errors: (Issue & { phase: "training" | "serving" })[];
}

export interface ServeCompareResult {
  ok: true;
  reference: string;
  /** The reference chip's short name ("H100 SXM5 80GB"). */
  referenceShort: string;
  training: { model: string; count: number; seqLen: number; precision: string };
  serving: {
    model: string;
    count: number;
    precision: ServePrecision;
    inputTokens: number;
    outputTokens: number;
    ttftMs: number;
    tpotMs: number;
    /** Every chip is served on the reference chip's usual stack, so the ratios are the hardware's. */
    stack: ServingStackId;
  };
  rows: CompareRow[];
}

/** The chips the export-control story compares with the H100. */
export const COMPARE_CHIPS = [
  "nvidia-h20-96gb",
  "nvidia-h200-sxm-141gb",
  "nvidia-h800-sxm5-80gb",
  "nvidia-a800-sxm4-80gb",
  "huawei-ascend-910b",
  "huawei-ascend-910c",
  "nvidia-b200-hgx",
] as const;

/** The serving half's inputs a caller may set; each left out takes the default below. */
export interface CompareServing {
  precision?: ServePrecision;
  inputTokens?: number;
  outputTokens?: number;
  ttftMs?: number;
  tpotMs?: number;
}

export interface ServeCompareOptions {
  chips?: readonly string[];
  reference?: string;
  /** The model both halves run: a catalog id or a model object (default llama3-70b). */
  model?: Scenario["model"];
  /** Serving precision, context and latency targets (the page passes its Serve tab's). */
  serving?: CompareServing;
}

// Same model, count and precision on every chip (BF16: the A800 and Ascend have no FP8 peak).
const TRAINING = {
  model: "llama3-70b",
  training: { tokens: 1e12, seqLen: 4096, globalBatch: 512, precision: "bf16" as const },
  count: 64,
};
// Latency limits of MLPerf Inference's Llama 2 70B interactive scenario: TTFT 450 ms, TPOT 40 ms
// (mlcommons/inference, language/llama2-70b/README.md, "llama2-70b-interactive").
const SERVING = {
  count: 8,
  serving: {
    precision: "bf16" as const,
    inputTokens: 2048,
    outputTokens: 512,
    ttftMs: 450,
    tpotMs: 40,
  },
};

/** The estimated figures behind a ratio: what the chip's or the reference's answer read, once each. */
const estimatesOf = (...rs: { estimatedFigures: { path: string }[] }[]): string[] => [
  ...new Set(rs.flatMap((r) => estimatesBehind(r.estimatedFigures, "speed"))),
];

type ChipFigures = {
  compute: number | null;
  bandwidth: number | null;
  capacity: number | null;
  interconnect: number | null;
};

function figuresOf(id: string): ChipFigures {
  const c = findChip(id);
  return {
    compute: c?.bf16Tflops ?? null,
    bandwidth: c?.hbmTBps ?? null,
    capacity: c?.hbmGB ?? null,
    interconnect: c?.scaleUpGBps ?? null,
  };
}

const UNIT: Record<CompareLimiter, [string, string]> = {
  compute: ["dense BF16", "TFLOPS"],
  bandwidth: ["HBM bandwidth", "TB/s"],
  capacity: ["HBM capacity", "GB"],
  interconnect: ["scale-up bandwidth", "GB/s"],
};

function figure(
  limitedBy: CompareLimiter,
  tok: number,
  refTok: number,
  chip: ChipFigures,
  ref: ChipFigures,
  estimated: string[],
): CompareFigure {
  const [name, unit] = UNIT[limitedBy];
  const value = chip[limitedBy],
    reference = ref[limitedBy];
  return {
    ratio: tok / refTok,
    tokensPerSPerChip: tok,
    limitedBy,
    figure: { name, value, reference, unit },
    reason: `${limitedBy}: ${name} ${value ?? "?"} vs ${reference ?? "?"} ${unit}`,
    estimated,
  };
}

/** Training's limiter: compute unless a communication overhead leads the step. */
const trainingLimiter = (r: SimulateResult): CompareLimiter =>
  r.step.limitedBy === "compute" || r.step.limitedBy === "bubble" ? "compute" : "interconnect";

/** Serving's limiter; decode on a chip whose memory holds a much smaller batch is capacity-bound. */
function servingLimiter(
  r: ServeResult,
  phase: "prefill" | "decode",
  ref: ServeResult,
): CompareLimiter {
  const l = r[phase].limitedBy;
  if (
    phase === "decode" &&
    r.batch / r.plan.instanceChips < 0.8 * (ref.batch / ref.plan.instanceChips) &&
    r.latencyTarget?.met !== false &&
    r.batch === r.maxBatch
  )
    return "capacity";
  return l;
}

/** The fields a caller set (an undefined one keeps its default). */
const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Training and serving throughput per chip relative to a reference chip, with the reason for each. */
export function serveCompare(
  sim: ServingPlanner,
  options: ServeCompareOptions = {},
): ServeCompareResult | Failure {
  const reference = options.reference ?? "nvidia-h100-sxm5-80gb";
  const chips = options.chips ?? COMPARE_CHIPS;
  for (const [path, id] of [["reference", reference], ...chips.map((c, i) => [`chips[${i}]`, c])])
    if (!findChip(id))
      return {
        ok: false,
        errors: [
          issue(
            path,
            "unknown-id",
            {
              id,
              suggestions: closest(
                id,
                catalogChips.map((c) => c.id),
              ),
              known: catalogChips.map((c) => c.id),
            },
            `unknown chip "${id}"`,
          ),
        ],
        warnings: [],
      };
  const model = options.model ?? TRAINING.model;
  const serving = { ...SERVING.serving, ...definedOnly(options.serving ?? {}) };
  const train = (chip: string) =>
    sim.simulate({
      model,
      training: TRAINING.training,
      cluster: { chip, count: TRAINING.count },
      parallelism: "auto",
    });
  // One serving stack for every chip (its fitted efficiencies), so a ratio is the hardware's alone.
  const stack = defaultServingStack(findChip(reference)!);
  const serve = (chip: string) =>
    sim.serve({
      model,
      cluster: { chip, count: SERVING.count },
      serving: { ...serving, batch: "auto", stack },
      parallelism: "auto",
    });
  const single = (chip: string) =>
    sim.serve({
      model,
      cluster: { chip, count: SERVING.count },
      serving: { ...serving, stack, batch: 1, ttftMs: undefined, tpotMs: undefined },
      parallelism: { tp: SERVING.count },
    });
  const refTrain = train(reference);
  const refServe = serve(reference);
  const refSingle = single(reference);
  if (!refTrain.ok) return refTrain;
  if (!refServe.ok) return refServe;
  if (!refSingle.ok) return refSingle;
  const ref = figuresOf(reference);
  const rows: CompareRow[] = chips.map((id) => {
    const f = figuresOf(id);
    const t = id === reference ? refTrain : train(id);
    const s = id === reference ? refServe : serve(id);
    const one = id === reference ? refSingle : single(id);
    const errors: CompareRow["errors"] = [];
    if (!t.ok) errors.push(...t.errors.map((e) => ({ phase: "training" as const, ...e })));
    if (!s.ok) errors.push(...s.errors.map((e) => ({ phase: "serving" as const, ...e })));
    return {
      chip: id,
      name: findChip(id)?.name ?? id,
      short: shortChipName(findChip(id)?.name ?? id),
      training: t.ok
        ? figure(
            trainingLimiter(t),
            t.throughput.tokensPerSPerChip,
            refTrain.throughput.tokensPerSPerChip,
            f,
            ref,
            estimatesOf(t, refTrain),
          )
        : null,
      prefill: s.ok
        ? figure(
            servingLimiter(s, "prefill", refServe),
            s.prefill.tokensPerSPerChip,
            refServe.prefill.tokensPerSPerChip,
            f,
            ref,
            estimatesOf(s, refServe),
          )
        : null,
      decode: s.ok
        ? figure(
            servingLimiter(s, "decode", refServe),
            s.decode.tokensPerSPerChip,
            refServe.decode.tokensPerSPerChip,
            f,
            ref,
            estimatesOf(s, refServe),
          )
        : null,
      decodeOneRequest: one.ok
        ? figure(
            one.decode.limitedBy,
            1e3 / one.tpotMs,
            1e3 / refSingle.tpotMs,
            f,
            ref,
            estimatesOf(one, refSingle),
          )
        : null,
      calibration: { training: t.ok ? backingOf(t) : null, serving: s.ok ? serveBacking(s) : null },
      errors,
    };
  });
  return {
    ok: true,
    reference,
    referenceShort: shortChipName(findChip(reference)!.name),
    training: {
      model: refTrain.scenario.model,
      count: TRAINING.count,
      seqLen: TRAINING.training.seqLen,
      precision: TRAINING.training.precision,
    },
    serving: {
      model: refServe.scenario.model,
      count: SERVING.count,
      precision: serving.precision,
      inputTokens: serving.inputTokens,
      outputTokens: serving.outputTokens,
      ttftMs: serving.ttftMs,
      tpotMs: serving.tpotMs,
      stack,
    },
    rows,
  };
}
