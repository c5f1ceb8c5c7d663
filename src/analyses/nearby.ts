// Usable neighbours of a count or a batch: what a plan can divide near what was asked, and how it
// compares, so that an answer at an unusable or slow point names the nearby points that work.
import { resolve } from "../contract/scenario.js";
import type { Failure, SimulateResult } from "../contract/result.js";
import type { Planner, SearchOptions } from "../engine/planner.js";
import { copyScenario } from "../contract/clone.js";
import {
  meshFactors,
  plannableCounts,
  usableNeighbours,
  type MeshFactors,
} from "../engine/counts.js";

/** The batch nearest `batch` (within `tolerance` of it, relative) that some plan at `count` chips divides; null if none. */
export function nearestBatch(
  f: MeshFactors,
  count: number,
  batch: number,
  tolerance: number,
): number | null {
  let best: number | null = null;
  for (const tp of f.tps)
    for (const cp of f.cps)
      for (const pp of f.pps) {
        const dp = count / (tp * cp * pp);
        if (!Number.isInteger(dp)) continue;
        const b = Math.max(1, Math.round(batch / dp)) * dp; // the multiple of dp nearest the batch
        const d = Math.abs(b - batch);
        if (d > tolerance * batch) continue;
        if (
          best === null ||
          d < Math.abs(best - batch) ||
          (d === Math.abs(best - batch) && b < best)
        )
          best = b;
      }
  return best;
}

export interface NearbyPoint {
  count: number;
  batch: number;
  /** Days with failures on the best plan (null: never finishes). */
  days: number | null;
}

export type NearbyCode =
  | "count-has-no-plan" // no plan divides the count at this batch
  | "fewer-finish-sooner" // a smaller usable count is faster (a larger count is slower)
  | "batch-finishes-sooner"; // a batch within 5% that plans divide better is >10% faster

export interface NearbyNote {
  code: NearbyCode;
  data: Record<string, number | null>;
  text: string;
}

export interface NearbyResult {
  ok: true;
  /** The scenario as asked: its count, batch and days (null: no plan, or never finishes). */
  asked: NearbyPoint;
  /** The nearest usable counts below and above (at the same batch), on their best plans. */
  below: NearbyPoint | null;
  above: NearbyPoint | null;
  notes: NearbyNote[];
}

/** Within this share of the asked batch, nearby batches are tried. */
const BATCH_TOLERANCE = 0.05;
/** A neighbour must finish this much sooner to be worth a note. */
const SOONER = 0.99;
const BATCH_SOONER = 0.9;

const int = (x: number) => Math.round(x).toLocaleString("en-US");
const n = (x: number) => Number(x.toPrecision(3)).toLocaleString("en-US");

/**
 * What lies near a scenario: the usable counts either side, a smaller count that finishes sooner,
 * a nearby batch that finishes much sooner. A dozen or two plan searches.
 */
export function nearby(
  planner: Planner,
  scenario: unknown,
  options: SearchOptions = {},
): NearbyResult | Failure {
  const copied = copyScenario(scenario);
  if (!copied.ok) return copied;
  const res = resolve(scenario);
  if (!res.ok) return { ok: false, errors: res.errors, warnings: res.warnings };
  const r = res.value;
  const base = copied.value as Record<string, unknown>;
  const B = r.training.globalBatch;
  const at = (count: number, batch: number, own = false): NearbyPoint => {
    const s = structuredClone(base);
    s.cluster = { ...(s.cluster as object), count };
    s.training = { ...(s.training as object), globalBatch: batch };
    if (!own || r.plan === "auto") s.parallelism = "auto";
    let x: SimulateResult | Failure;
    if (s.parallelism === "auto") {
      const found = planner.search(s, { ...options, top: 1 });
      x = found.ok ? found.best : found;
    } else x = planner.simulate(s, options);
    return { count, batch, days: x.ok ? (x.run.effectiveDays ?? null) : null };
  };
  const wall = (p: NearbyPoint | null) => p?.days ?? Infinity;
  const asked = at(r.count, B, true);
  const { below: lo, above: hi } = usableNeighbours(r, r.count);
  const below = lo === null ? null : at(lo, B);
  const above = hi === null ? null : at(hi, B);
  const notes: NearbyNote[] = [];
  const noPlan = asked.days === null;
  if (noPlan)
    notes.push({
      code: "count-has-no-plan",
      data: {
        count: r.count,
        below: below?.count ?? null,
        belowDays: below?.days ?? null,
        above: above?.count ?? null,
        aboveDays: above?.days ?? null,
      },
      text: `no plan runs ${int(r.count)} chips at batch ${int(B)}; the nearest usable counts: ${[
        below,
        above,
      ]
        .filter((p): p is NearbyPoint => p !== null)
        .map((p) => `${int(p.count)} (${p.days === null ? "no plan fits" : `${n(p.days)} days`})`)
        .join(" and ")}`,
    });
  // A smaller count that finishes sooner: usable counts from a quarter of it up, thinned to ~8.
  const smaller = plannableCounts(r, r.count - 1).filter((c) => c >= r.count / 4);
  const step = Math.max(1, Math.ceil(smaller.length / 8));
  let fastest: NearbyPoint | null = null;
  for (let k = smaller.length - 1; k >= 0; k -= step) {
    const p = smaller[k] === below?.count ? below : at(smaller[k], B);
    if (wall(p) < wall(fastest)) fastest = p;
  }
  if (fastest && wall(fastest) < SOONER * wall(asked))
    notes.push({
      code: "fewer-finish-sooner",
      data: { count: r.count, days: asked.days, fewer: fastest.count, fewerDays: fastest.days },
      text: `${int(fastest.count)} chips finish sooner: ${n(fastest.days!)} days${noPlan ? "" : ` against ${n(asked.days!)} at ${int(r.count)}`} (batch ${int(B)})`,
    });
  // A batch within 5% that plans at this count divide better: a power-of-two multiple, or the nearest any plan divides.
  const f = meshFactors(r);
  const batches = new Set<number>();
  for (let m = 2; m <= B * 2; m *= 2) {
    const b = Math.round(B / m) * m;
    if (b > 0 && b !== B && Math.abs(b - B) <= BATCH_TOLERANCE * B) batches.add(b);
  }
  const nb = nearestBatch(f, r.count, B, BATCH_TOLERANCE);
  if (nb !== null && nb !== B) batches.add(nb);
  let bestBatch: NearbyPoint | null = null;
  for (const b of batches) {
    const p = at(r.count, b);
    if (wall(p) < wall(bestBatch)) bestBatch = p;
  }
  if (bestBatch && wall(bestBatch) < BATCH_SOONER * wall(asked))
    notes.push({
      code: "batch-finishes-sooner",
      data: { batch: B, days: asked.days, better: bestBatch.batch, betterDays: bestBatch.days },
      text: `a batch of ${int(bestBatch.batch)} instead of ${int(B)} finishes in ${n(bestBatch.days!)} days${noPlan ? "" : ` instead of ${n(asked.days!)}`} at ${int(r.count)} chips (more plans divide it)`,
    });
  return { ok: true, asked, below, above, notes };
}
