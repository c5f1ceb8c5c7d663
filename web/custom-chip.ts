// "Custom chip…" in the chip panel: a chip given by its figures alone. The cells are plain text
// inputs kept as typed; the library names each figure that is missing or wrong (cluster.chip.*),
// and the form shows it at that cell. Nothing here defaults a figure.
import type { ChipOption } from "./worker.js";
import { byId } from "./dom.js";

/** The chip picker's value for a chip given by its figures. */
export const CUSTOM_CHIP = "custom";

/** Each cell: its control id (also its URL key) and the library's chip field it fills. */
export const CHIP_CELLS = [
  ["myBf16", "bf16Tflops"],
  ["myFp8", "fp8Tflops"],
  ["myHbmGB", "hbmGB"],
  ["myHbmTBps", "hbmTBps"],
  ["myUpGBps", "scaleUpGBps"],
  ["myDomain", "scaleUpDomain"],
  ["myNicGbps", "scaleOutGbps"],
  ["myTdpW", "tdpW"],
] as const;
export const CHIP_CELL_IDS = CHIP_CELLS.map(([id]) => id);

const cell = (id: string) => byId<HTMLInputElement>(id);

/** The chip object the cells describe: empty cells stay out, so the library names them as required. */
export function customChip(
  parse: (raw: string) => number | string | undefined,
): Record<string, unknown> {
  const chip: Record<string, unknown> = { name: "custom chip" };
  for (const [id, field] of CHIP_CELLS) {
    const v = parse(cell(id).value);
    if (v !== undefined) chip[field] = v;
  }
  return chip;
}

/**
 * Starts the empty cells from the chip chosen before, so a custom chip begins from a real one;
 * what the user typed stays. A figure that chip lacks stays empty for the user to give.
 */
export function prefillCustomChip(from: ChipOption | undefined): void {
  if (!from) return;
  for (const [id, field] of CHIP_CELLS) {
    const v = from[field];
    if (cell(id).value.trim() === "" && v !== null) cell(id).value = String(v);
  }
}
