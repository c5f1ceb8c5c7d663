// The chip figures a user may change (sliders, sweep axes, the frontier's bounds) and the
// hypothetical chip they describe.
import type { ChipRecord } from "../catalog/types.js";

/** Figures a user may change, in the catalog's units (field names carry them). */
export const CHIP_FIGURES = [
  "bf16Tflops",
  "fp8Tflops",
  "hbmGB",
  "hbmTBps",
  "scaleUpGBps",
  "scaleUpDomain",
  "scaleOutGbps",
  "tdpW",
] as const;
export type ChipFigure = (typeof CHIP_FIGURES)[number];
export type ChipFigures = Partial<Record<ChipFigure, number>>;

type Json = Record<string, unknown>;

/** The source recorded for a figure the scenario gives. */
export const OVERRIDE = "scenario override";

/** The rates that follow each slider: the same tensor cores run both 16-bit formats, and FP8 sets the narrower ones. */
const FOLLOWS_BF16 = ["fp16Tflops"] as const;
const FOLLOWS_FP8 = ["fp4Tflops", "int8Tops", "int4Tops"] as const;

/**
 * The catalog chip with `figures` changed. A rate the figures do not name scales with the one on
 * its datapath (FP16 with BF16; FP4/INT8/INT4 with FP8, or with BF16 on a chip without an FP8
 * figure), so TPP, the max over precisions (3A090 Technical Note), moves as the slider does.
 * Scale-up I/O counted by the Oct 2022 rule moves by the scale-up change.
 */
export function hypotheticalChip(base: ChipRecord, figures: ChipFigures): ChipRecord {
  const chip: ChipRecord = {
    ...base,
    fieldSources: { ...base.fieldSources },
    estimates: { ...base.estimates },
  };
  // Scaled as rate x new / old, so that a rate equal to the old one lands exactly on the new.
  const scale = (keys: readonly (keyof ChipRecord)[], k: "bf16Tflops" | "fp8Tflops") => {
    const to = figures[k],
      from = base[k];
    if (to === undefined || !from) return;
    for (const key of keys) {
      const v = chip[key];
      if (typeof v === "number") (chip as unknown as Json)[key] = (v * to) / from;
    }
  };
  scale(FOLLOWS_BF16, "bf16Tflops");
  scale(FOLLOWS_FP8, base.fp8Tflops ? "fp8Tflops" : "bf16Tflops");
  if (figures.scaleUpGBps !== undefined && base.ioGBps !== null)
    chip.ioGBps = Math.max(0, base.ioGBps + figures.scaleUpGBps - (base.scaleUpGBps ?? 0));
  for (const k of CHIP_FIGURES) {
    const v = figures[k];
    if (v === undefined) continue;
    chip[k] = v;
    chip.fieldSources[k] = [OVERRIDE];
    delete chip.estimates[k]; // a figure the user gives is no estimate of the catalog's
  }
  return chip;
}
