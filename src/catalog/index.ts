// Catalog lookups over the sourced records.
import { CHIP_RECORDS } from "./chips.data.js";
import { SYSTEM_RECORDS } from "./systems.data.js";
import { MODELS } from "./models.js";
import type { ChipRecord, ModelRecord, SystemRecord } from "./types.js";

export const chips: readonly ChipRecord[] = CHIP_RECORDS;
export const systems: readonly SystemRecord[] = SYSTEM_RECORDS;
export const models: readonly ModelRecord[] = MODELS;

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
