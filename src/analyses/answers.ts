// Feasibility answers over the simulator: verdicts under constraints, the fewest chips for a
// deadline, the cheapest chip for a budget.
import { resolve, meshText, type Constraints } from "../contract/scenario.js";
import { chips } from "../catalog/index.js";
import type { Failure, SimulateResult } from "../contract/result.js";
import type { Planner, SearchOptions } from "../engine/planner.js";
import { plannableCounts } from "../engine/counts.js";
import { copyScenario } from "../contract/clone.js";
import { suggestion, type CountOption, type Suggestion } from "../contract/facts.js";
import { limits, type Lever } from "./sensitivity.js";

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);

function withCluster(s: Json, patch: Json): Json {
  const out = clone(s);
  out.cluster = { ...(out.cluster as Json), ...patch };
  out.parallelism = "auto";
  return out;
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
  suggestions: Suggestion[];
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
/** A count's answer as a suggestion's data. */
const option = (a: CountAnswer): CountOption => ({
  chip: a.result.scenario.chip,
  count: a.count,
  plan: plan(a.result),
  days: a.result.run.effectiveDays,
  powerMW: a.result.run.powerMW,
  costUSD: a.result.run.effectiveCostUSD,
});

/**
 * A larger global batch for a missed deadline: the smallest of 2x, 4x, 8x the scenario's batch at
 * which some count within the limits meets the deadline (the fewest chips there), else the batch
 * whose fastest count is fastest, when that beats the scenario's batch; null when none helps.
 */
function largerBatch(
  planner: Planner,
  s: Json,
  batch: number,
  c: Constraints,
  perChipMW: number,
  options: SearchOptions,
): { batch: number; answer: CountAnswer } | null {
  const scanOf = (b: number) => {
    const grown = { ...clone(s), training: { ...(s.training as Json), globalBatch: b } };
    const res = resolve(grown);
    if (!res.ok) return null;
    const cap = Math.min(
      MAX_CHIPS,
      c.maxChips ?? MAX_CHIPS,
      c.powerMW ? Math.floor(c.powerMW / perChipMW) : MAX_CHIPS,
    );
    return new CountScan(planner, grown, plannableCounts(res.value, cap), options);
  };
  const base = scanOf(batch)?.fastest();
  let best: { batch: number; answer: CountAnswer } | null = null;
  for (const b of [2 * batch, 4 * batch, 8 * batch]) {
    const scan = scanOf(b);
    if (!scan) continue;
    const meets = scan.smallest((x) => wallDays(x) <= c.deadlineDays!);
    if (meets) return { batch: b, answer: meets };
    const fast = scan.fastest();
    if (fast && (!best || wallDays(fast.result) < wallDays(best.answer.result)))
      best = { batch: b, answer: fast };
  }
  return best && (!base || wallDays(best.answer.result) < wallDays(base.result)) ? best : null;
}

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
  const suggestions: Suggestion[] = [];
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
      suggestion(
        "memory",
        { perChipGB: result.memory.perChipGB, capacityGB: result.memory.capacityGB },
        `the plan needs ${n(result.memory.perChipGB)} GB per chip of ${result.memory.capacityGB} GB: use "parallelism": "auto" or more tp/pp`,
      ),
    );
  let named: number | null = null; // the count the deadline line already proposes, with its draw
  // The other limits a count must stay within, as the deadline suggestions name them.
  const within = [
    ...(c.powerMW ? ["powerMW" as const] : []),
    ...(c.maxChips ? ["maxChips" as const] : []),
  ];
  let unmet = false; // no count at the scenario's batch meets the deadline
  if (c.deadlineDays !== undefined && violated("deadlineDays")) {
    const need = scan.smallest((x) => wallDays(x) <= c.deadlineDays!);
    const caps = [c.powerMW ? "the power cap" : "", c.maxChips ? "maxChips" : ""]
      .filter(Boolean)
      .join(" and ");
    if (need)
      suggestions.push(
        suggestion(
          "deadline-count",
          { deadlineDays: c.deadlineDays, option: option(need) },
          `${n(need.count, 6)} ${r.chip.id} (${plan(need.result)}) finish in ${n(wallDays(need.result))} days, within the ${c.deadlineDays}-day deadline, drawing ${n(need.result.run.powerMW)} MW`,
        ),
      );
    else {
      const fast = scan.fastest();
      named = fast?.count ?? null;
      unmet = true;
      const data = {
        deadlineDays: c.deadlineDays,
        globalBatch: r.training.globalBatch,
        within,
        fastest: fast ? option(fast) : null,
      };
      suggestions.push(
        suggestion(
          "deadline-unmet",
          data,
          fast
            ? `no count of ${r.chip.id}${caps ? ` within ${caps}` : ""} meets ${c.deadlineDays} days at global batch ${r.training.globalBatch}; the fastest, ${n(fast.count, 6)} chips (${plan(fast.result)}), takes ${n(wallDays(fast.result))} days, drawing ${n(fast.result.run.powerMW)} MW`
            : `no plannable count of ${r.chip.id}${caps ? ` within ${caps}` : ""} at global batch ${r.training.globalBatch}`,
        ),
      );
    }
  }
  if (unmet) {
    const grown = largerBatch(planner, s, r.training.globalBatch, c, perChipMW, options);
    if (grown) {
      const meets = wallDays(grown.answer.result) <= c.deadlineDays!;
      const caps = [
        c.powerMW ? `${c.powerMW} MW` : "",
        c.maxChips ? `${n(c.maxChips, 9)} chips` : "",
      ]
        .filter(Boolean)
        .join(" and ");
      suggestions.push(
        suggestion(
          "deadline-batch",
          {
            deadlineDays: c.deadlineDays!,
            globalBatch: grown.batch,
            meetsDeadline: meets,
            within,
            option: option(grown.answer),
          },
          `at global batch ${n(grown.batch, 9)}: ${n(grown.answer.count, 9)} chips (${plan(grown.answer.result)}) finish in ${n(wallDays(grown.answer.result))} days${meets ? `, within the ${c.deadlineDays}-day deadline` : ", the fastest up to 8x the batch"}${caps ? ` inside ${caps}` : ""}, drawing ${n(grown.answer.result.run.powerMW)} MW (convergence at that batch is not modelled)`,
        ),
      );
    }
  }
  if (c.powerMW !== undefined && violated("powerMW")) {
    const most = scan.largest(Math.floor(c.powerMW / perChipMW));
    // Say when the count that fits the power misses the deadline: it is the best the cap allows, not a fix.
    const missed =
      most !== null && c.deadlineDays !== undefined && wallDays(most.result) > c.deadlineDays;
    const reachable = missed ? scan.smallest((x) => wallDays(x) <= c.deadlineDays!) !== null : null;
    const late = missed
      ? reachable
        ? `, past the ${c.deadlineDays}-day deadline`
        : `, past the ${c.deadlineDays}-day deadline: no count under the cap meets both`
      : "";
    // The deadline line already named this count and its draw: one line, not two.
    if (!most)
      suggestions.push(
        suggestion(
          "power-too-low",
          { powerMW: c.powerMW, perChipW: perChipMW * 1e6 },
          `${c.powerMW} MW cannot power a plannable count of ${r.chip.id} (${n(perChipMW * 1e6)} W per chip at the facility)`,
        ),
      );
    else if (most.count !== named)
      suggestions.push(
        suggestion(
          "power-count",
          {
            powerMW: c.powerMW,
            option: option(most),
            meetsDeadline: c.deadlineDays === undefined ? null : !missed,
            deadlineReachable: reachable,
          },
          `under ${c.powerMW} MW: ${n(most.count, 6)} chips (${plan(most.result)}) draw ${n(most.result.run.powerMW)} MW and finish in ${n(wallDays(most.result))} days${late}`,
        ),
      );
  }
  if (c.maxChips !== undefined && violated("maxChips")) {
    const most = scan.largest(c.maxChips);
    if (most)
      suggestions.push(
        suggestion(
          "max-chips-count",
          { maxChips: c.maxChips, option: option(most) },
          `with at most ${c.maxChips} chips: ${n(most.count, 6)} (${plan(most.result)}) finish in ${n(wallDays(most.result))} days`,
        ),
      );
  }
  const energy = result.run.effectiveEnergyMWh,
    cost = result.run.effectiveCostUSD;
  if (c.energyMWh !== undefined && violated("energyMWh"))
    suggestions.push(
      suggestion(
        "energy",
        {
          energyMWh: energy,
          limitMWh: c.energyMWh,
          tokenShare: energy === null ? null : c.energyMWh / energy,
        },
        energy === null
          ? "the run never finishes at this scale: fewer chips fail less often"
          : `energy is set by work x power per FLOP, not chip count: ${n(energy)} MWh with failures needs a more efficient chip, a lower PUE, or fewer tokens (${n((c.energyMWh / energy) * 100)}% of them fit)`,
      ),
    );
  if (c.budgetUSD !== undefined && violated("budgetUSD")) {
    if (cost !== null)
      suggestions.push(
        suggestion(
          "budget-share",
          { costUSD: cost, budgetUSD: c.budgetUSD, tokenShare: c.budgetUSD / cost },
          `cost ${n(cost)} USD with failures exceeds ${n(c.budgetUSD)}: ${n((c.budgetUSD / cost) * 100)}% of the tokens fit the budget`,
        ),
      );
    const cheaper = cheapestChip(planner, s, c.deadlineDays ?? wallDays(result), c, options);
    suggestions.push(
      suggestion(
        "cheapest-chip",
        { option: cheaper ? option(cheaper) : null },
        cheaper
          ? `the cheapest catalog chip that fits: ${n(cheaper.count, 6)} ${cheaper.result.scenario.chip} (${plan(cheaper.result)}) cost ${n(cheaper.result.run.effectiveCostUSD!)} USD in ${n(wallDays(cheaper.result))} days`
          : "no priced catalog chip meets the time within the budget",
      ),
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
