// Two catalog systems side by side, on the figures published analyses compare (dense BF16
// compute, all-in power, perf/W, HBM capacity and bandwidth, scale-up bandwidth, chips), each
// saying what it counts, with the published ratio beside the catalog's where an analysis gives one.
import { findChip, findSystem } from "./index.js";
import { allInPower } from "./power-basis.js";

export type SystemMetric =
  "denseBf16PF" | "allInKW" | "bf16TflopsPerKW" | "hbmTB" | "hbmTBps" | "scaleUpTBps" | "chips";

export interface PublishedRatio {
  /** b / a as the analysis states it (for perf/W: how many times worse b is). */
  ratio: number;
  source: string;
  url: string;
}

export interface SystemRatioRow {
  metric: SystemMetric;
  label: string;
  unit: string;
  a: number | null;
  b: number | null;
  /** b / a; for perf/W, a / b (how many times worse b is per watt). */
  ratio: number | null;
  /** How the ratio reads: "b/a" or "a/b (times worse)". */
  direction: "b/a" | "a/b";
  /** What the figure counts, in words. */
  counts: string;
  published: PublishedRatio | null;
}

export interface SystemComparison {
  a: string;
  b: string;
  rows: SystemRatioRow[];
}

const SEMIANALYSIS_CM384 = {
  source:
    "SemiAnalysis, 'Huawei AI CloudMatrix 384 - China's answer to Nvidia GB200 NVL72', 16 Apr 2025 (chips.md Sec. 3.1)",
  url: "https://semianalysis.com/2025/04/16/huawei-ai-cloudmatrix-384-chinas-answer-to-nvidia-gb200-nvl72/",
};
/** The headline ratios of CloudMatrix 384 over GB200 NVL72 as SemiAnalysis publishes them (chips.md Sec. 3.1 table). */
const PUBLISHED: Record<string, Partial<Record<SystemMetric, number>>> = {
  "nvidia-gb200-nvl72|huawei-cloudmatrix-384": {
    denseBf16PF: 1.7,
    allInKW: 3.9,
    bf16TflopsPerKW: 2.3,
    hbmTB: 3.6,
    hbmTBps: 2.1,
    scaleUpTBps: 2.1,
    chips: 5.3,
  },
};

/** Catalog figures of systems a and b (ids), their ratios, and the published ones; null if either id is unknown. */
export function compareSystems(aId: string, bId: string): SystemComparison | null {
  const sa = findSystem(aId),
    sb = findSystem(bId);
  if (!sa || !sb) return null;
  const ca = findChip(sa.chip),
    cb = findChip(sb.chip);
  const pa = allInPower(sa),
    pb = allInPower(sb);
  const times = (n: number, x: number | null | undefined) => (x == null ? null : n * x);
  const fig = (s: typeof sa, c: typeof ca, p: typeof pa): Record<SystemMetric, number | null> => {
    const pf = times(s.chips, c?.bf16Tflops) === null ? null : (s.chips * c!.bf16Tflops!) / 1000;
    return {
      denseBf16PF: pf,
      allInKW: p?.kW ?? null,
      bf16TflopsPerKW: pf !== null && p ? (pf * 1000) / p.kW : null,
      hbmTB: times(s.chips, c?.hbmGB) === null ? null : (s.chips * c!.hbmGB!) / 1000,
      hbmTBps: times(s.chips, c?.hbmTBps),
      scaleUpTBps: s.scaleUpGBps === null ? null : (s.chips * s.scaleUpGBps) / 1000,
      chips: s.chips,
    };
  };
  const fa = fig(sa, ca, pa),
    fb = fig(sb, cb, pb);
  const published = PUBLISHED[`${aId}|${bId}`] ?? {};
  const rows: [SystemMetric, string, string, string][] = [
    ["denseBf16PF", "Dense BF16", "PFLOPS", "chips x the chip's dense BF16 peak (no sparsity)"],
    [
      "allInKW",
      "Power, all-in",
      "kW",
      `chips, hosts, switches, optics and network racks: ${sa.id} ${pa?.counts ?? "unknown"}; ${sb.id} ${pb?.counts ?? "unknown"}`,
    ],
    [
      "bf16TflopsPerKW",
      "Perf per watt",
      "BF16 TFLOPS per kW",
      "dense BF16 over all-in power; the ratio says how many times worse the second system is",
    ],
    ["hbmTB", "HBM capacity", "TB", "chips x HBM per chip (1 TB = 10^12 bytes)"],
    ["hbmTBps", "HBM bandwidth", "TB/s", "chips x HBM bandwidth per chip"],
    [
      "scaleUpTBps",
      "Scale-up bandwidth",
      "TB/s",
      "chips x scale-up bandwidth per chip, bidirectional (NVIDIA's convention; Huawei quotes ~269 TB/s total for CloudMatrix 384)",
    ],
    ["chips", "Chips per system", "chips", "accelerators in one scale-up domain"],
  ];
  return {
    a: aId,
    b: bId,
    rows: rows.map(([metric, label, unit, counts]) => {
      const a = fa[metric],
        b = fb[metric];
      const perW = metric === "bf16TflopsPerKW";
      const ratio = a === null || b === null || a === 0 || b === 0 ? null : perW ? a / b : b / a;
      const p = published[metric];
      return {
        metric,
        label,
        unit,
        a,
        b,
        ratio,
        direction: perW ? "a/b" : "b/a",
        counts,
        published: p === undefined ? null : { ratio: p, ...SEMIANALYSIS_CM384 },
      };
    }),
  };
}
