// Facts as data: every error and warning carries a stable `code` and typed `data` (the counts,
// limits and fields a program acts on) beside `message`, which is for people only and may change.
// A program switches on `code` and reads `data`; it never parses `message`.

/** The numbers a bound check names: the value given and the bound it broke. */
export interface RangeData {
  got: number;
  min?: number; // inclusive
  gt?: number; // exclusive lower bound
  max?: number;
}

/** Data of each error code (README, "Errors, warnings and suggestions"). */
export interface IssueData {
  /** A required field is absent; `expected` says what kind of value. */
  required: { expected: string };
  /** The value has the wrong type; `got` describes it. */
  "wrong-type": { expected: string; got: string };
  "not-integer": { got: number };
  "out-of-range": RangeData;
  "not-one-of": { options: (string | number)[]; got: string };
  /** An id (preset, chip, system, axis, constant, bound) not known; `suggestions`: the known ones closest to it. */
  "unknown-id": { id: string; suggestions: string[]; known: string[] };
  /** `got` must divide `dividend`, the value at `of` (a field path, or a quantity named in the message). */
  "must-divide": { of: string; dividend: number; got: number };
  /** tp * pp * dp * cp must equal the chip count. */
  "plan-product": { product: number; count: number };
  /** model.headDim must be given: hidden / heads is not a whole number. */
  "head-dim-required": { hidden: number; heads: number };
  /** Interleaved stages (vpp > 1) need pp > 1. */
  "vpp-needs-pp": { vpp: number };
  /** pp * vpp pipeline stages exceed the layers. */
  "too-many-stages": { stages: number; layers: number };
  /** Interleaving needs the microbatches per replica to be a multiple of pp. */
  "interleave-microbatches": { microbatches: number; pp: number };
  /** Activation offload asked with pipeline parallelism (Megatron-Core offloads with pp 1 only). */
  "offload-needs-pp1": { pp: number };
  /** Expert parallelism on a dense model. */
  "needs-moe": { model: string };
  /** ep * etp must divide the ranks of a pipeline stage, tp * cp * dp. */
  "expert-shards": { ep: number; etp: number; ranks: number };
  /** A scale-up domain given as both a torus (scaleUpTorusDims > 0) and a full mesh. */
  "torus-and-mesh": { dims: number };
  /** A hardware figure the run needs is unknown for the chip (or not given for a custom one). */
  "missing-figure": { figure: string; chip: string; custom: boolean };
  /** An auto plan found no mesh for this count: `mostUsable` when the count is above what the batch and model can use, else the nearest usable counts. */
  "no-plan": {
    count: number;
    mostUsable: number | null;
    below: number | null;
    above: number | null;
  };
  /** No count of the chip in a range admits a plan (a match's target). */
  "no-plan-in-range": { chip: string; from: number; to: number };
  /** No serving layout holds the weights and one request's KV cache. */
  "no-layout-fits": { count: number; chip: string; precision: string };
  /** Plans divide the count but none fits in memory. */
  "no-plan-fits": { candidates: number; capacityGB: number };
  /** A call ran out of its budget (plans or milliseconds) before it had an answer. */
  budget: { limit: "plans" | "ms"; plans: number; ms: number; evaluated: number };
  /** The scenario overflows the model's arithmetic. */
  overflow: Record<string, never>;
  /** The core refused the input with this status (assembly/layout.ts ERR_*). */
  "core-status": { status: number };
  /** User data that is not plain data, nested too deep, or whose read threw. */
  "unreadable-input": { reason: "not-plain-data" | "too-deep" | "threw" };
  /** A field given beside another that says the same in another form (`other`): give one. */
  "one-form-only": { other: string };
  /** A progress callback threw (named, never rethrown). */
  callback: Record<string, never>;
  /** Calls nested deeper than the limit (a progress callback that calls back in). */
  nesting: { limit: number };
  /** No chip within the frontier's bounds is allowed under the rule. */
  "nothing-allowed": { rule: string };
  /** The CLI could not read its input file. */
  file: { file: string };
  /** A command-line mistake (unknown command or option, a flag without its value). */
  usage: Record<string, never>;
  /** A fault of chipscale itself, named rather than thrown. */
  internal: Record<string, never>;
}

export type IssueCode = keyof IssueData;

/** A problem with the input, named by its field. */
export type Issue = {
  [C in IssueCode]: { path: string; code: C; data: IssueData[C]; message: string };
}[IssueCode];

/** Data of each warning code. */
export interface WarningData {
  /** A key the schema does not know; ignored. */
  "unknown-field": { field: string; suggestions: string[] };
  /** The run is modelled in another precision than asked (the chip lacks the asked peak). */
  "precision-fallback": { chip: string; asked: string; used: string };
  /** The chip has no TDP: the system's all-in power per chip stands in. */
  "tdp-from-system": { chip: string; system: string; watts: number };
  /** A catalog figure the run reads is an estimate (chip.estimates). */
  "chip-figure-estimated": {
    chip: string;
    figure: string;
    value: number;
    basis: string;
    range: [number, number];
    widensBand: boolean;
  };
  /** No price for the chip: cost counts electricity only. */
  "cost-electricity-only": { chip: string };
  /** A recompute module asked for does not apply to this plan or model, and is dropped. */
  "recompute-module-dropped": { module: string; reason: string };
  /** MoE step times are the model's least certain (optimistic). */
  "moe-optimistic": Record<string, never>;
  /** overlapAllToAll has no all-to-all to overlap. */
  "overlap-no-effect": { dense: boolean };
  /** An MoE model with tp > 1 and no sequence parallelism (Megatron-Core refuses it). */
  "moe-needs-sp": { tp: number };
  /** tpCommOverlap asked where it cannot apply (tp 1 or no sequence parallelism). */
  "tp-overlap-no-effect": { tp: number; sequenceParallel: boolean };
  /** The plan does not fit in memory. */
  "memory-exceeded": { neededGB: number; capacityGB: number };
  /** The offloaded state does not fit in host memory (cluster.system.hostMemoryGB). */
  "host-memory-exceeded": { neededGB: number; capacityGB: number };
  /** Failures arrive faster than checkpoints: the run never finishes. */
  "never-finishes": Record<string, never>;
  /**
   * Data-parallel rings cross an oversubscribed layer between pods (or a higher tier's units) with
   * too few ranks in each: `tier`, the limiting one's index in cluster.system.tiers (0 for the pod
   * shorthand), with its chips per unit and ratio.
   */
  "dp-pod-limited": { share: number; tier: number; podChips: number; podOversubscription: number };
  /** No published run calibrates this stack on this chip class: the widest band. */
  "stack-uncalibrated": { stack: string; chipClass: string; errorRange: [number, number] };
  /** The plan search stopped at its budget: the plan is the best of those scored. */
  "search-stopped": { evaluated: number; meshesDone: number; meshesTotal: number };
  /** No serving layout meets the latency target: the closest is shown. */
  "latency-unmet": {
    ttftMs: number | null;
    tpotMs: number | null;
    closestTtftMs: number;
    closestTpotMs: number;
  };
  /** A match's reference runs the plan it gives while the other chip runs its best. */
  "reference-plan-fixed": { plan: string };
  /** A sub-answer failed and is left out (e.g. the frontier's match); `message` says why. */
  "part-failed": { part: string; code: IssueCode };
}

export type WarningCode = keyof WarningData;

/** Something the reader of a result should know; the answer stands. */
export type Warning = {
  [C in WarningCode]: { path: string; code: C; data: WarningData[C]; message: string };
}[WarningCode];

/** A chip count a suggestion proposes, with the plan and what it gives (days with failures). */
export interface CountOption {
  chip: string;
  count: number;
  /** The plan's mesh in one line (meshText): "tp 8 pp 4 dp 64". */
  plan: string;
  /** Days with failures; null for a run that never finishes. */
  days: number | null;
  powerMW: number;
  costUSD: number | null;
}

/** Data of each suggestion code (chipscale feasible): what would meet a violated constraint. */
export interface SuggestionData {
  /** The plan does not fit in memory. */
  memory: { perChipGB: number; capacityGB: number };
  /** The fewest chips that meet the deadline. */
  "deadline-count": { deadlineDays: number; option: CountOption };
  /** No count (within the other limits, named in `within`) meets the deadline: the fastest, or none plannable. */
  "deadline-unmet": {
    deadlineDays: number;
    globalBatch: number;
    within: ("powerMW" | "maxChips")[];
    fastest: CountOption | null;
  };
  /**
   * The deadline is unmet at the scenario's batch: a larger global batch (2x, 4x or 8x) and the
   * fewest chips meeting the deadline there (`meetsDeadline`), else the fastest such batch, within
   * the other limits. Its effect on convergence is not modelled.
   */
  "deadline-batch": {
    deadlineDays: number;
    globalBatch: number;
    meetsDeadline: boolean;
    within: ("powerMW" | "maxChips")[];
    option: CountOption;
  };
  /** The most chips under the power cap; `meetsDeadline` when a deadline is set (null when none is). */
  "power-count": {
    powerMW: number;
    option: CountOption;
    meetsDeadline: boolean | null;
    /** With a missed deadline: whether some count under the cap meets it. */
    deadlineReachable: boolean | null;
  };
  /** The cap cannot power any plannable count. */
  "power-too-low": { powerMW: number; perChipW: number };
  /** The best use of at most maxChips. */
  "max-chips-count": { maxChips: number; option: CountOption };
  /** Energy is set by the work, not the count: the share of the tokens that fits; null when the run never finishes. */
  energy: { energyMWh: number | null; limitMWh: number; tokenShare: number | null };
  /** The share of the tokens the budget pays for. */
  "budget-share": { costUSD: number; budgetUSD: number; tokenShare: number };
  /** The cheapest priced catalog chip meeting the time within the budget; null when none does. */
  "cheapest-chip": { option: CountOption | null };
}

export type SuggestionCode = keyof SuggestionData;

/** What would meet a violated constraint: `data` for programs, `message` for people. */
export type Suggestion = {
  [C in SuggestionCode]: { code: C; data: SuggestionData[C]; message: string };
}[SuggestionCode];

/** A suggestion with its code and data checked against each other. */
export function suggestion<C extends SuggestionCode>(
  code: C,
  data: SuggestionData[C],
  message: string,
): Suggestion {
  return { code, data, message } as Suggestion;
}

/** An error with its code and data checked against each other. */
export function issue<C extends IssueCode>(
  path: string,
  code: C,
  data: IssueData[C],
  message: string,
): Issue {
  return { path, code, data, message } as Issue;
}

/** A warning with its code and data checked against each other. */
export function warning<C extends WarningCode>(
  path: string,
  code: C,
  data: WarningData[C],
  message: string,
): Warning {
  return { path, code, data, message } as Warning;
}

/** An error or warning as one line for people: "path: message". */
export function factText(f: { path: string; message: string }): string {
  return f.path ? `${f.path}: ${f.message}` : f.message;
}

/**
 * A value outside its bounds: "out-of-range" when it is a finite number, else "wrong-type"; one
 * message for both (the caller's), since people read "must be an integer from 1 to ..." either way.
 */
export function outOfRange(
  path: string,
  v: unknown,
  bounds: Omit<RangeData, "got">,
  message: string,
): Issue {
  return typeof v === "number" && Number.isFinite(v)
    ? issue(path, "out-of-range", { got: v, ...bounds }, message)
    : issue(path, "wrong-type", { expected: "a number", got: describeValue(v) }, message);
}

/** A value in a few words for `got` (the same words the messages use). */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string")
    return v.length > 40 ? `a string "${v.slice(0, 40)}..."` : `the string "${v}"`;
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/** A value of the wrong type: "must be <expected>, got <what it is>" unless the caller words it. */
export function wrongType(path: string, expected: string, v: unknown, message?: string): Issue {
  const got = describeValue(v);
  return issue(path, "wrong-type", { expected, got }, message ?? `must be ${expected}, got ${got}`);
}
