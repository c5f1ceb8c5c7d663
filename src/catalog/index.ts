// Catalog lookups over the sourced records.
import { CHIP_RECORDS } from "./chips.data.js";
import { SYSTEM_RECORDS } from "./systems.data.js";
import { MODELS } from "./models.js";
import type { ChipRecord, Conflict, ModelRecord, SystemRecord } from "./types.js";

export const chips: readonly ChipRecord[] = CHIP_RECORDS;
export const systems: readonly SystemRecord[] = SYSTEM_RECORDS;
export const models: readonly ModelRecord[] = MODELS;

/** "Ascend 910C 2 x 910B-class dies per package (CloudMatrix 384)" -> "Ascend 910C": before any note, at most a few words. */
export function shortChipName(name: string): string {
  const s = name.split(/[(,]/)[0].trim();
  const words = s.split(/\s+/);
  return words.length > 4 ? words.slice(0, 2).join(" ") : s;
}

export function findChip(id: string): ChipRecord | undefined {
  return chips.find((c) => c.id === id);
}
export function findSystem(id: string): SystemRecord | undefined {
  return systems.find((s) => s.id === id);
}
export function findModel(id: string): ModelRecord | undefined {
  return models.find((m) => m.id === id);
}
/** A chip's usual node: the first catalog system built from it. */
export function defaultSystem(chipId: string): SystemRecord | undefined {
  return systems.find((s) => s.chip === chipId);
}

/** The catalog's conflict field names (from its research notes) and the chip figure each is about. */
const CONFLICT_FIGURES: Record<string, keyof ChipRecord> = {
  mem_gb: "hbmGB",
  mem_bw: "hbmTBps",
  mem_bw_tbs: "hbmTBps",
  scaleup_bw: "scaleUpGBps",
  tdp_w: "tdpW",
  bf16_dense_tflops: "bf16Tflops",
  "bf16/fp16 dense": "bf16Tflops",
  fp4_dense_tflops: "fp4Tflops",
};

/** The chip figure a recorded conflict (a press claim, a disagreeing source) is about, or null for a general one. */
export function conflictFigure(c: Conflict): keyof ChipRecord | null {
  return c.field in CONFLICT_FIGURES
    ? CONFLICT_FIGURES[c.field]
    : c.field in (chips[0] ?? {})
      ? (c.field as keyof ChipRecord)
      : null;
}
