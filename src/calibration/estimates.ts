// The one place where a chip's estimated figures widen a result's band (catalog estimates carry a
// range: scripts/catalog-overlay.mjs). The band from calibration or records is computed elsewhere;
// this only stretches it by what the estimates could be off.

/** A catalog figure the run uses that no source gives (chip.estimates): a fact for programs, with a stable code. */
export interface EstimatedFigure {
  code: "chip-figure-estimated";
  path: string;
  value: number;
  confidence: "estimate";
  basis: string;
  range: [number, number];
}

/** How far an estimate's range reaches from its value, relative (at most 90%). */
export function estimateSpread(e: Pick<EstimatedFigure, "value" | "range">): number {
  return Math.min(0.9, Math.max(e.value - e.range[0], e.range[1] - e.value) / e.value);
}

// Each part of a step is inversely proportional to one of these (roofline: FLOPs / peak, bytes /
// bandwidth; alpha-beta: bytes / link), so time is monotone and of degree -1 in them jointly: all of
// them off by at most s moves the time by at most 1/(1-s) (and 1/(1+s)), and any subset by less.
// Capacity and domain size change which plans fit, not a smooth time: they are said, not widened.
const TIME_FIGURES = [
  "bf16Tflops",
  "fp16Tflops",
  "fp8Tflops",
  "hbmTBps",
  "scaleUpGBps",
  "scaleOutGbps",
];

/** Whether an estimated figure of this field widens the band (time figures and TDP do). */
export const widensBand = (field: string): boolean =>
  TIME_FIGURES.includes(field) || field === "tdpW";

/** [low, high] factors on days and on energy for the run's estimated figures; [1, 1] when none. */
export function estimateWidening(estimated: readonly EstimatedFigure[]): {
  days: [number, number];
  energyMWh: [number, number];
} {
  const spread = (fields: string[]) =>
    Math.max(
      0,
      ...estimated
        .filter((e) => fields.includes(e.path.replace("cluster.chip.", "")))
        .map(estimateSpread),
    );
  const t = spread(TIME_FIGURES);
  // Energy is power x time; power scales at most as the chip's TDP does (host power is not estimated).
  const p = spread(["tdpW"]);
  return {
    days: [1 / (1 + t), 1 / (1 - t)],
    energyMWh: [(1 - p) / (1 + t), (1 + p) / (1 - t)],
  };
}

/**
 * The estimated figures behind a kind of number, so it can be marked "~": speed (throughput, time,
 * batch) reads every figure but TDP; energy (power, tokens per joule, cost) reads them all.
 */
export function estimatesBehind(
  estimated: readonly Pick<EstimatedFigure, "path">[],
  kind: "speed" | "energy",
): string[] {
  const fields = estimated.map((e) => e.path.replace("cluster.chip.", ""));
  return kind === "energy" ? fields : fields.filter((f) => f !== "tdpW");
}
