// One power basis for every system: all-in per chip (chips, hosts, switches, optics, network
// racks). Where an analysis publishes an all-in figure it is used; otherwise the system's maximum
// power plus an estimate of its share of the scale-out network (chips.md Sec. 5.3).
import type { SystemRecord } from "./types.js";

/** Scale-out network power per chip: optics, switch ASICs, fans and PSU share of a 2-tier fat tree, the midpoint of 50-100 W (chips.md Sec. 5.3, ESTIMATE). */
export const NETWORK_W_PER_CHIP = 75;

export type PowerBasisKind = "published all-in" | "system max + network estimate";

export interface AllInPower {
  kW: number;
  kind: PowerBasisKind;
  /** What the figure counts, in words, with its source ids. */
  counts: string;
  sources: string[];
}

/** Published all-in figures: the system's chips, hosts, scale-up and scale-out switches, optics and network racks. */
const PUBLISHED: Record<string, { kW: number; counts: string; sources: string[] }> = {
  // SemiAnalysis: NVL72 ~145 kW all-in including scale-out networking (chips.md Sec. 3.1, 5.2).
  "nvidia-gb200-nvl72": {
    kW: 145,
    counts:
      "rack (~120 kW: 72 GPUs, 36 Grace CPUs, NVLink switch trays) plus scale-out NICs, switches and optics",
    sources: ["semianalysis_cm384"],
  },
  // SemiAnalysis: CloudMatrix 384 ~559 kW all-in, with 6,912 400G LPO optics and the UB switch racks (chips.md Sec. 3.1).
  "huawei-cloudmatrix-384": {
    kW: 559,
    counts:
      "12 compute racks (384 NPUs, 192 Kunpeng CPUs), 4 UnifiedBus switch racks, 6,912 400G optics, scale-out network",
    sources: ["semianalysis_cm384"],
  },
};

/** The all-in power of a catalog system; null when the catalog has no power figure for it. */
export function allInPower(sys: SystemRecord): AllInPower | null {
  const p = PUBLISHED[sys.id];
  if (p) return { ...p, kind: "published all-in" };
  if (!sys.powerKW) return null;
  return {
    kW: sys.powerKW + (sys.chips * NETWORK_W_PER_CHIP) / 1000,
    kind: "system max + network estimate",
    counts: `system maximum ${sys.powerKW} kW (chips, hosts, scale-up switches, fans) plus ${NETWORK_W_PER_CHIP} W per chip of scale-out network (chips.md Sec. 5.3 estimate)`,
    sources: sys.sources.map((s) => s.id),
  };
}
