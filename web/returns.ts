// Diminishing returns, read off the page's own sweep (days with failures against chip count for
// the chosen chip): when fewer chips finish sooner, or far fewer about as fast, the verdict says so. Reads the library's
// numbers only; compares, never computes.
import { days, power, chips } from "./format.js";

/** Far fewer: at most this share of the current count. */
const FEWER = 0.75;
/** About as fast: within this share of the current days. */
const AS_FAST = 1.02;

export interface SweepPoint {
  count: number;
  days: number;
  powerMW: number;
}

/** The smallest swept count at most 75% of the current one finishing within 2% of its days; null if none. */
export function fewerAsFast(
  points: SweepPoint[],
  current: { count: number; days: number },
): SweepPoint | null {
  let best: SweepPoint | null = null;
  for (const p of points)
    if (
      p.count <= FEWER * current.count &&
      p.days <= AS_FAST * current.days &&
      (!best || p.count < best.count)
    )
      best = p;
  return best;
}

/** Sooner only when it saves more than 1% of the days compared; closer than that is "as fast". */
export const SOONER = 0.99;

/**
 * "16,384 chips finish sooner (278 d) at 20 MW" (or "finish as fast" within 1%), then ": more
 * chips do not help at this batch" only when `moreHelp` is false (no larger count is faster);
 * `of` names the days compared ("with failures").
 */
export const fewerWords = (
  p: SweepPoint,
  currentDays: number,
  opts: { of?: string; moreHelp: boolean },
) =>
  `${chips(p.count)} ${p.days < SOONER * currentDays ? "finish sooner" : "finish as fast"} (${days(p.days)}${opts.of ? ` ${opts.of}` : ""}) at ${power(p.powerMW)}${opts.moreHelp ? "" : ": more chips do not help at this batch"}`;

/**
 * What the Answer's verdict names from the sweep (days with failures; a count that never finishes
 * is left out of `points`): the fastest swept count when it is smaller than the current one and
 * sooner, else the smallest far-fewer count about as fast; null if neither. `current.days` is
 * Infinity when the current run never finishes.
 */
export function fewerToName(
  points: SweepPoint[],
  current: { count: number; days: number },
): SweepPoint | null {
  let fastest: SweepPoint | null = null;
  for (const p of points) if (!fastest || p.days < fastest.days) fastest = p;
  if (fastest && fastest.count < current.count && fastest.days < SOONER * current.days)
    return fastest;
  return fewerAsFast(points, current);
}

/** The Answer's line: "more chips do not help" only when no swept count above the one named finishes sooner than it. */
export function fewerAsFastWords(
  p: SweepPoint,
  points: SweepPoint[],
  current: { count: number; days: number },
): string {
  const moreHelp = points.some((q) => q.count > p.count && q.days < SOONER * p.days);
  return fewerWords(p, current.days, { of: "with failures", moreHelp });
}
