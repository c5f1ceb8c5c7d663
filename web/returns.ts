// Diminishing returns, read off the page's own sweep (days against chip count for the chosen
// chip): when far fewer chips finish about as fast, the verdict says so. Reads the library's
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

export const fewerAsFastWords = (p: SweepPoint) =>
  `${chips(p.count)} finish as fast (${days(p.days)}) at ${power(p.powerMW)}: more chips do not help at this batch`;
