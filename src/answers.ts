// Feasibility answers over the simulator: verdicts under constraints, the fewest chips for a
// deadline, and how many chips of one kind match a cluster of another.
import { resolve, meshText, type Resolved, type Constraints } from "./scenario.js";
import { chips, findSystem, defaultSystem } from "./catalog/index.js";
import type { Failure, SimulateResult } from "./wire.js";
import type { Issue } from "./check.js";
import type { SearchOptions, SearchResult, SimulateOptions } from "./simulator.js";
import { divisors } from "./divisors.js";
import { copyScenario } from "./clone.js";
import { limits, type Lever } from "./sensitivity.js";

/** What the answers need from the simulator. */
export interface Planner {
  simulate(scenario: unknown, options?: SimulateOptions): SimulateResult | Failure;
  search(scenario: unknown, options?: SearchOptions): SearchResult | Failure;
}

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);

function withCluster(s: Json, patch: Json): Json {
  const out = clone(s);
  out.cluster = { ...(out.cluster as Json), ...patch };
  out.parallelism = "auto";
  return out;
}

/**
 * Chip counts worth trying: tp * pp * cp * dp with dp | globalBatch, tp a power of two dividing the
 * heads, pp a power of two, three times one, or a divisor of the layers (the shapes clusters are
 * built and run at; the planner takes uneven stages, so 1,536 chips run an 80-layer model at pp 3).
 */
export function plannableCounts(r: Resolved, max: number): number[] {
  const { model: m, training: t } = r;
  const set = new Set<number>();
  const pow2 = (limit: number) => {
    const out: number[] = [];
    for (let x = 1; x <= limit; x *= 2) out.push(x);
    return out;
  };
  const cps = t.seqLen >= 32768 ? pow2(64).filter((c) => t.seqLen % c === 0) : [1];
  const pps = [
    ...new Set([
      ...pow2(Math.min(m.layers, 128)),
      ...pow2(Math.min(m.layers, 128) / 3).map((x) => 3 * x),
      ...divisors(m.layers, 128),
    ]),
  ];
  const dps = divisors(t.globalBatch);
  for (const tp of pow2(128)) {
    if (m.heads % tp !== 0 || (!m.mla && m.kvHeads % tp !== 0)) continue;
    for (const cp of cps)
      for (const pp of pps)
        for (const dp of dps) {
          const n = tp * cp * pp * dp;
          if (n <= max) set.add(n);
        }
  }
  return [...set].sort((a, b) => a - b);
}

/** The effective (with failures) days of a result, or Infinity for a run that never ends. */
const wallDays = (r: SimulateResult) => r.run.effectiveDays ?? Infinity;

export interface CountAnswer {
  count: number;
  result: SimulateResult;
}

/** Best plans at chosen chip counts, memoised: each point is one plan search. */
class CountScan {
  private readonly cache = new Map<number, SimulateResult | null>();
  constructor(
    private readonly planner: Planner,
    private readonly scenario: Json,
    readonly counts: number[],
    private readonly options: SearchOptions,
  ) {}

  at(k: number): SimulateResult | null {
    const n = this.counts[k];
    if (!this.cache.has(n)) {
      const s = this.planner.search(withCluster(this.scenario, { count: n }), {
        ...this.options,
        top: 1,
      });
      this.cache.set(n, s.ok ? s.best : null);
    }
    return this.cache.get(n)!;
  }

  /** About `points` indices spread evenly in log(count), every power of two, and both ends. */
  coarse(points = 48): number[] {
    const c = this.counts;
    if (c.length === 0) return [];
    const out = new Set<number>([0, c.length - 1]);
    c.forEach((n, k) => {
      if ((n & (n - 1)) === 0) out.add(k);
    });
    const lo = Math.log(c[0]),
      hi = Math.log(c[c.length - 1]);
    for (let j = 1; j < points; j++) {
      const target = Math.exp(lo + ((hi - lo) * j) / points);
      let k = 0;
      while (k < c.length - 1 && c[k] < target) k++;
      out.add(k);
    }
    return [...out].sort((a, b) => a - b);
  }

  /** The coarse point with the shortest wall time (failures make very large counts slower again). */
  fastest(): CountAnswer | null {
    let best: CountAnswer | null = null;
    for (const k of this.coarse()) {
      const r = this.at(k);
      if (r && (!best || wallDays(r) < wallDays(best.result)))
        best = { count: this.counts[k], result: r };
    }
    return best;
  }

  /**
   * The smallest count meeting `ok`: the first coarse point that does, then a binary search back
   * to the coarse point before it (time falls with count there), then a look just below.
   */
  smallest(ok: (r: SimulateResult) => boolean): CountAnswer | null {
    const good = (k: number) => {
      const r = this.at(k);
      return r !== null && ok(r);
    };
    const coarse = this.coarse();
    const j = coarse.findIndex(good);
    if (j < 0) return null;
    let lo = j > 0 ? coarse[j - 1] + 1 : 0,
      hi = coarse[j];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (good(mid)) hi = mid;
      else lo = mid + 1;
    }
    let best = lo;
    for (let k = lo - 1; k >= Math.max(0, lo - 8); k--) if (good(k)) best = k;
    return { count: this.counts[best], result: this.at(best)! };
  }

  /**
   * The best use of at most `max` chips: the fastest of the largest plannable counts not above it
   * (a slightly smaller count with a better shape can beat the largest one).
   */
  largest(max: number): CountAnswer | null {
    let k = this.counts.length - 1;
    while (k >= 0 && this.counts[k] > max) k--;
    let best: CountAnswer | null = null;
    for (let tries = 0; k >= 0 && tries < 24; k--, tries++) {
      const r = this.at(k);
      if (r && (!best || wallDays(r) < wallDays(best.result)))
        best = { count: this.counts[k], result: r };
    }
    return best;
  }
}

const MAX_CHIPS = 10_000_000;

export interface ConstraintCheck {
  name: keyof Constraints;
  limit: number;
  value: number | null; // null: the run never finishes (goodput 0)
  binding: boolean; // violated
  margin: number | null; // (limit - value) / limit; negative when violated
}

export interface FeasibleResult {
  ok: true;
  feasible: boolean;
  constraints: ConstraintCheck[];
  suggestions: string[];
  /** What limits the run, ranked (Simulator.limits). */
  limits: Lever[];
  result: SimulateResult;
}

function checks(c: Constraints, r: SimulateResult): ConstraintCheck[] {
  const values: Record<keyof Constraints, number | null> = {
    // Time, energy and cost all with failures: the deadline, the meter and the bill see the same run.
    deadlineDays: r.run.effectiveDays,
    powerMW: r.run.powerMW,
    energyMWh: r.run.effectiveEnergyMWh,
    budgetUSD: r.run.effectiveCostUSD,
    maxChips: r.scenario.count,
  };
  return (Object.keys(c) as (keyof Constraints)[]).map((name) => {
    const limit = c[name]!,
      value = values[name];
    const binding = value === null || value > limit;
    return { name, limit, value, binding, margin: value === null ? null : (limit - value) / limit };
  });
}

const n = (x: number, d = 3) => Number(x.toPrecision(d)).toLocaleString("en-US");
const plan = (r: SimulateResult) => meshText(r.plan);

export function feasible(
  planner: Planner,
  scenario: unknown,
  options: SearchOptions = {},
): FeasibleResult | Failure {
  const copied = copyScenario(scenario);
  if (!copied.ok) return copied;
  const res = resolve(scenario);
  if (!res.ok) return { ok: false, errors: res.errors, warnings: res.warnings };
  const r = res.value;
  const s = scenario as Json;
  const base = planner.search(r.plan === "auto" ? s : { ...s, parallelism: "auto" }, {
    ...options,
    top: 1,
  });
  let result: SimulateResult;
  if (r.plan !== "auto") {
    // Judge the user's own plan; the search only informs the suggestions.
    const own = planner.simulate(s, options);
    if (!own.ok) return own;
    result = own;
  } else if (base.ok) result = base.best;
  else return base;

  const cons = checks(r.constraints, result);
  const suggestions: string[] = [];
  const c = r.constraints;
  const violated = (name: keyof Constraints) => cons.some((x) => x.name === name && x.binding);
  const perChipMW = result.run.powerMW / r.count;
  const scan = new CountScan(
    planner,
    s,
    plannableCounts(
      r,
      Math.min(
        MAX_CHIPS,
        c.maxChips ?? MAX_CHIPS,
        c.powerMW ? Math.floor(c.powerMW / perChipMW) : MAX_CHIPS,
      ),
    ),
    options,
  );

  if (!result.memory.fits)
    suggestions.push(
      `the plan needs ${n(result.memory.perChipGB)} GB per chip of ${result.memory.capacityGB} GB: use "parallelism": "auto" or more tp/pp`,
    );
  let named: number | null = null; // the count the deadline line already proposes, with its draw
  if (c.deadlineDays !== undefined && violated("deadlineDays")) {
    const need = scan.smallest((x) => wallDays(x) <= c.deadlineDays!);
    const caps = [c.powerMW ? "the power cap" : "", c.maxChips ? "maxChips" : ""]
      .filter(Boolean)
      .join(" and ");
    if (need)
      suggestions.push(
        `${n(need.count, 6)} ${r.chip.id} (${plan(need.result)}) finish in ${n(wallDays(need.result))} days, within the ${c.deadlineDays}-day deadline, drawing ${n(need.result.run.powerMW)} MW`,
      );
    else {
      const fast = scan.fastest();
      named = fast?.count ?? null;
      suggestions.push(
        fast
          ? `no count of ${r.chip.id}${caps ? ` within ${caps}` : ""} meets ${c.deadlineDays} days at global batch ${r.training.globalBatch}; the fastest, ${n(fast.count, 6)} chips (${plan(fast.result)}), takes ${n(wallDays(fast.result))} days, drawing ${n(fast.result.run.powerMW)} MW`
          : `no plannable count of ${r.chip.id}${caps ? ` within ${caps}` : ""} at global batch ${r.training.globalBatch}`,
      );
    }
  }
  if (c.powerMW !== undefined && violated("powerMW")) {
    const most = scan.largest(Math.floor(c.powerMW / perChipMW));
    // Say when the count that fits the power misses the deadline: it is the best the cap allows, not a fix.
    const late =
      most && c.deadlineDays !== undefined && wallDays(most.result) > c.deadlineDays
        ? scan.smallest((x) => wallDays(x) <= c.deadlineDays!)
          ? `, past the ${c.deadlineDays}-day deadline`
          : `, past the ${c.deadlineDays}-day deadline: no count under the cap meets both`
        : "";
    // The deadline line already named this count and its draw: one line, not two.
    if (!most || most.count !== named)
      suggestions.push(
        most
          ? `under ${c.powerMW} MW: ${n(most.count, 6)} chips (${plan(most.result)}) draw ${n(most.result.run.powerMW)} MW and finish in ${n(wallDays(most.result))} days${late}`
          : `${c.powerMW} MW cannot power a plannable count of ${r.chip.id} (${n(perChipMW * 1e6)} W per chip at the facility)`,
      );
  }
  if (c.maxChips !== undefined && violated("maxChips")) {
    const most = scan.largest(c.maxChips);
    if (most)
      suggestions.push(
        `with at most ${c.maxChips} chips: ${n(most.count, 6)} (${plan(most.result)}) finish in ${n(wallDays(most.result))} days`,
      );
  }
  const energy = result.run.effectiveEnergyMWh,
    cost = result.run.effectiveCostUSD;
  if (c.energyMWh !== undefined && violated("energyMWh"))
    suggestions.push(
      energy === null
        ? "the run never finishes at this scale: fewer chips fail less often"
        : `energy is set by work x power per FLOP, not chip count: ${n(energy)} MWh with failures needs a more efficient chip, a lower PUE, or fewer tokens (${n((c.energyMWh / energy) * 100)}% of them fit)`,
    );
  if (c.budgetUSD !== undefined && violated("budgetUSD")) {
    if (cost !== null)
      suggestions.push(
        `cost ${n(cost)} USD with failures exceeds ${n(c.budgetUSD)}: ${n((c.budgetUSD / cost) * 100)}% of the tokens fit the budget`,
      );
    const cheaper = cheapestChip(planner, s, c.deadlineDays ?? wallDays(result), c, options);
    suggestions.push(
      cheaper
        ? `the cheapest catalog chip that fits: ${n(cheaper.count, 6)} ${cheaper.result.scenario.chip} (${plan(cheaper.result)}) cost ${n(cheaper.result.run.effectiveCostUSD!)} USD in ${n(wallDays(cheaper.result))} days`
        : "no priced catalog chip meets the time within the budget",
    );
  }

  const lim =
    r.plan === "auto"
      ? limits(
          planner,
          { ...s, parallelism: result.plan },
          { replan: true, budget: options.budget },
        )
      : limits(planner, s, { budget: options.budget });
  return {
    ok: true,
    feasible: cons.every((x) => !x.binding) && result.memory.fits,
    constraints: cons,
    suggestions,
    limits: lim.ok ? lim.levers : [],
    result,
  };
}

/**
 * The catalog chip (with a price) whose smallest count meeting `days` costs least, within the
 * budget and the other limits; null if none does.
 */
function cheapestChip(
  planner: Planner,
  s: Json,
  days: number,
  c: Constraints,
  options: SearchOptions,
): CountAnswer | null {
  let best: CountAnswer | null = null;
  for (const chip of chips) {
    if (!chip.priceUSD || !chip.bf16Tflops || !chip.hbmGB || !chip.hbmTBps) continue;
    const scenario = withCluster(s, { chip: chip.id, count: 1 });
    delete (scenario.cluster as Json).system; // each chip on its usual system
    const rs = resolve(scenario);
    if (!rs.ok) continue;
    const scan = new CountScan(
      planner,
      scenario,
      plannableCounts(rs.value, Math.min(MAX_CHIPS, c.maxChips ?? MAX_CHIPS)),
      options,
    );
    const found = scan.smallest(
      (x) => wallDays(x) <= days && (c.powerMW === undefined || x.run.powerMW <= c.powerMW),
    );
    const costOf = (x: CountAnswer) => x.result.run.effectiveCostUSD ?? Infinity;
    if (
      found &&
      costOf(found) <= (c.budgetUSD ?? Infinity) &&
      (!best || costOf(found) < costOf(best))
    )
      best = found;
  }
  return best;
}

export interface MatchSide {
  chip: string;
  count: number;
  plan: SimulateResult["plan"];
  days: number;
  effectiveDays: number | null;
  powerMW: number;
  energyMWh: number;
  costUSD: number;
  costBasis: SimulateResult["run"]["costBasis"];
  goodput: number;
  system: string | null;
  systems: number | null; // catalog systems of the chip: 8-GPU nodes for HGX, racks for NVL72 or CloudMatrix 384
}

export interface MatchResult {
  ok: true;
  chip: string;
  count: number;
  plan: SimulateResult["plan"];
  days: number;
  effectiveDays: number | null;
  powerMW: number;
  energyMWh: number;
  costUSD: number;
  costBasis: SimulateResult["run"]["costBasis"];
  goodput: number;
  system: string | null;
  /** Catalog systems at that count: 8-GPU nodes for HGX, racks for NVL72 or CloudMatrix 384. */
  systems: number | null;
  /** count / reference count */
  chipRatio: number;
  /** Global batch (sequences) of the match: the reference's, or a multiple when it had to grow. */
  globalBatch: number;
  reference: MatchSide;
  /** The other chip at the reference's facility power. */
  equalPower: MatchSide | null;
  /** The other chip for the reference's purchase price (chips x catalog price). */
  equalCapex: MatchSide | null;
  warnings: string[];
}

function side(r: SimulateResult, chipsPerSystem: number | null): MatchSide {
  return {
    chip: r.scenario.chip,
    count: r.scenario.count,
    plan: r.plan,
    days: r.run.days,
    effectiveDays: r.run.effectiveDays,
    powerMW: r.run.powerMW,
    energyMWh: r.run.energyMWh,
    costUSD: r.run.costUSD,
    costBasis: r.run.costBasis,
    goodput: r.run.goodput,
    system: r.scenario.system,
    systems: chipsPerSystem ? Math.ceil(r.scenario.count / chipsPerSystem) : null,
  };
}

export function match(
  planner: Planner,
  reference: unknown,
  target: { chip: unknown; system?: unknown },
  options: SearchOptions = {},
): MatchResult | Failure {
  const copied = copyScenario(reference);
  if (!copied.ok) return copied;
  const refRes = resolve(reference);
  if (!refRes.ok) return { ok: false, errors: refRes.errors, warnings: refRes.warnings };
  const ref = refRes.value;
  const refRun = ref.plan === "auto" ? planner.search(reference, { ...options, top: 1 }) : null;
  const refResult = refRun
    ? refRun.ok
      ? refRun.best
      : refRun
    : planner.simulate(reference, options);
  if (!refResult.ok) return refResult as Failure;

  const other = withCluster(reference as Json, {
    chip: target.chip,
    system: target.system,
    count: 1,
  });
  if (target.system === undefined) delete (other.cluster as Json).system;
  const otherRes = resolve(other);
  if (!otherRes.ok)
    return {
      ok: false,
      errors: otherRes.errors.map((e): Issue => ({
        ...e,
        path: e.path.replace(/^cluster\.chip/, "chip").replace(/^cluster\.system/, "system"),
      })),
      warnings: otherRes.warnings,
    };
  const o = otherRes.value;
  const sysId = typeof target.system === "string" ? target.system : defaultSystem(o.chip.id)?.id;
  const perSystem = sysId ? (findSystem(sysId)?.chips ?? null) : null;
  const refSys = ref.system.id ? (findSystem(ref.system.id)?.chips ?? null) : null;

  // At a fixed global batch, data parallelism stops at dp = batch: a much weaker chip may need a
  // larger batch to reach the time at all. Try the reference batch first, then 2x, 4x, 8x.
  let found: CountAnswer | null = null;
  let scan: CountScan | null = null;
  let batch = ref.training.globalBatch;
  let fastest: CountAnswer | null = null;
  for (const scale of [1, 2, 4, 8]) {
    batch = ref.training.globalBatch * scale;
    const scaled = clone(other);
    (scaled.training as Json).globalBatch = batch;
    // The same tokens: more per step means fewer steps.
    const rs = resolve(scaled);
    if (!rs.ok) break;
    scan = new CountScan(planner, scaled, plannableCounts(rs.value, MAX_CHIPS), options);
    found = scan.smallest((x) => wallDays(x) <= wallDays(refResult));
    if (found) break;
    const f = scan.fastest();
    if (f && (!fastest || wallDays(f.result) < wallDays(fastest.result))) fastest = f;
  }
  if (!found || !scan) {
    return {
      ok: false,
      errors: [
        {
          path: "chip",
          message: fastest
            ? `no count of ${o.chip.id} matches ${n(wallDays(refResult))} days, even at 8x the global batch; the fastest found, ${n(fastest.count, 6)} chips (${plan(fastest.result)}), takes ${n(wallDays(fastest.result))} days`
            : `${o.chip.id} admits no plan for this model and batch`,
        },
      ],
      warnings: [],
    };
  }
  const r = found.result;
  const warnings: string[] = [];
  if (batch !== ref.training.globalBatch)
    warnings.push(
      `training.globalBatch: ${o.chip.id} cannot match at ${ref.training.globalBatch} sequences (data parallelism is capped by the batch); matched at ${batch}, which may exceed the model's critical batch size`,
    );
  // Same facility power, and same purchase price, as the reference.
  const perChipMW = r.run.powerMW / r.scenario.count;
  const eqPower = scan.largest(Math.floor(refResult.run.powerMW / perChipMW));
  const refPrice = ref.chip.priceUSD,
    otherPrice = o.chip.priceUSD;
  const eqCapex =
    refPrice && otherPrice ? scan.largest(Math.floor((ref.count * refPrice) / otherPrice)) : null;
  if (!refPrice || !otherPrice)
    warnings.push("equalCapex: a catalog price is unknown for one of the chips");
  // The matches run their best plans; a reference on a hand-picked plan is not like for like.
  if (ref.plan !== "auto")
    warnings.push(
      `parallelism: the reference runs its given plan (${meshText(refResult.plan)}) while ${o.chip.id} runs its best; set the reference's parallelism to "auto" to compare best with best`,
    );
  for (const w of [...refResult.warnings, ...r.warnings])
    if (w.startsWith("run.costUSD") && !warnings.includes(w)) warnings.push(w);
  return {
    ok: true,
    chip: o.chip.id,
    count: found.count,
    plan: r.plan,
    days: r.run.days,
    effectiveDays: r.run.effectiveDays,
    powerMW: r.run.powerMW,
    energyMWh: r.run.energyMWh,
    costUSD: r.run.costUSD,
    costBasis: r.run.costBasis,
    goodput: r.run.goodput,
    system: sysId ?? null,
    systems: perSystem ? Math.ceil(found.count / perSystem) : null,
    chipRatio: found.count / ref.count,
    globalBatch: batch,
    reference: side(refResult, refSys),
    equalPower: eqPower ? side(eqPower.result, perSystem) : null,
    equalCapex: eqCapex ? side(eqCapex.result, perSystem) : null,
    warnings,
  };
}
