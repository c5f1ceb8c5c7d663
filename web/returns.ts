// Diminishing returns, read off the page's own sweep (days against chip count for the chosen
// chip): when far fewer chips finish about as fast (or sooner), the verdict says so. Reads the library's
// numbers only; compares, never computes.
import { days, power, chips } from "./format.js";

/** Far fewer: at most this share of the current count. */
const FEWER = 0.75;
/** About as fast: within this share of the current days. */
const AS_FAST = 1.02;

export interface SweepPoint { count: number; days: number; powerMW: number }

/** The smallest swept count at most 75% of the current one finishing within 2% of its days; null if none. */
export function fewerAsFast(points: SweepPoint[], current: { count: number; days: number }): SweepPoint | null {
  let best: SweepPoint | null = null;
  for (const p of points)
    if (p.count <= FEWER * current.count && p.days <= AS_FAST * current.days && (!best || p.count < best.count)) best = p;
  return best;
}

/** Sooner only when it saves more than 1% of the current days; closer than that is "as fast". */
const SOONER = 0.99;

/**
 * "16,384 chips finish sooner (278 d) at 20 MW" (or "finish as fast" within 1%), then ": more
 * chips do not help at this batch" only when `moreHelp` is false (no larger count is faster);
 * `of` names the days compared ("with failures").
 */
export const fewerWords = (p: SweepPoint, currentDays: number, opts: { of?: string; moreHelp: boolean }) =>
  `${chips(p.count)} ${p.days < SOONER * currentDays ? "finish sooner" : "finish as fast"} (${days(p.days)}${opts.of ? ` ${opts.of}` : ""}) at ${power(p.powerMW)}${opts.moreHelp ? "" : ": more chips do not help at this batch"}`;

/** The Answer's line: "more chips do not help" unless a swept count above the current one finishes sooner. */
export function fewerAsFastWords(p: SweepPoint, points: SweepPoint[], current: { count: number; days: number }): string {
  const moreHelp = points.some((q) => q.count > current.count && q.days < SOONER * current.days);
  return fewerWords(p, current.days, { moreHelp });
}
