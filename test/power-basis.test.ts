// One power basis for every system, and the NVL72 vs CloudMatrix 384 ratios a reader checks
// against the published analysis.
import { describe, it, expect } from "vitest";
import { systems, allInPower, compareSystems, NETWORK_W_PER_CHIP, CALIBRATION } from "chipscale";
import { simulator, ok } from "./helpers.js";

describe("all-in power per chip", () => {
  it("every system with a power figure has an all-in one at least as large, saying what it counts", () => {
    for (const s of systems) {
      const p = allInPower(s);
      if (s.powerKW === null) {
        expect(p).toBeNull();
        continue;
      }
      expect(p!.kW).toBeGreaterThanOrEqual(s.powerKW);
      expect(p!.counts.length).toBeGreaterThan(0);
      expect(p!.sources.length).toBeGreaterThan(0);
      if (p!.kind === "system max + network estimate")
        expect(p!.kW).toBeCloseTo(s.powerKW + (s.chips * NETWORK_W_PER_CHIP) / 1000, 9);
    }
    const nvl72 = systems.find((s) => s.id === "nvidia-gb200-nvl72")!;
    const cm384 = systems.find((s) => s.id === "huawei-cloudmatrix-384")!;
    expect(allInPower(nvl72)).toMatchObject({ kW: 145, kind: "published all-in" });
    expect(allInPower(cm384)).toMatchObject({ kW: 559, kind: "published all-in" });
  });

  it("a result's power counts the all-in figure and names its basis", async () => {
    const sim = await simulator();
    const r = ok(
      sim.simulate({
        model: "llama3-8b",
        training: { tokens: 1e11, seqLen: 8192, globalBatch: 576 },
        cluster: { chip: "nvidia-gb200-per-gpu", count: 72 },
        parallelism: { tp: 8, pp: 1, dp: 9 },
        datacenter: { pue: 1 },
      }),
    );
    expect(r.run.powerBasis).toBe("all-in per chip (published all-in: nvidia-gb200-nvl72 145 kW)");
    // 72 chips at the all-in 145 kW per rack, times the load factor (chip and overhead alike), PUE 1.
    expect(r.run.powerMW).toBeCloseTo((145e3 * CALIBRATION.loadFactor.value) / 1e6, 9);
  });
});

describe("GB200 NVL72 against CloudMatrix 384", () => {
  const c = compareSystems("nvidia-gb200-nvl72", "huawei-cloudmatrix-384")!;
  const row = (m: string) => c.rows.find((r) => r.metric === m)!;

  it("reproduces SemiAnalysis's headline ratios within 10%: ~1.7x compute, ~3.9x power, ~2.3x worse perf/W", () => {
    for (const [m, published] of [
      ["denseBf16PF", 1.7],
      ["allInKW", 3.9],
      ["bf16TflopsPerKW", 2.3],
    ] as const) {
      const r = row(m);
      expect(r.published!.ratio).toBe(published);
      expect(r.published!.url).toMatch(/^https:\/\/semianalysis\.com\//);
      expect(Math.abs(r.ratio! / published - 1)).toBeLessThanOrEqual(0.1);
    }
  });

  it("computes each figure from the catalog: chips x per-chip figure, all-in power", () => {
    expect(row("denseBf16PF")).toMatchObject({ a: 180, b: (384 * 752) / 1000 });
    expect(row("allInKW")).toMatchObject({ a: 145, b: 559, ratio: 559 / 145 });
    expect(row("bf16TflopsPerKW").direction).toBe("a/b");
    expect(row("bf16TflopsPerKW").ratio).toBeCloseTo(180 / 145 / ((384 * 752) / 1000 / 559), 12);
    expect(row("chips")).toMatchObject({ a: 72, b: 384 });
    expect(row("hbmTBps").b).toBeCloseTo(384 * 3.2, 9);
    for (const r of c.rows) expect(r.counts.length).toBeGreaterThan(10);
  });

  it("unknown ids give null", () => {
    expect(compareSystems("nvidia-gb200-nvl72", "nope")).toBeNull();
  });
});
