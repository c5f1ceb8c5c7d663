// Invariants over generated scenarios (fast-check).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { simulator, ok } from "./helpers.js";
import type { Scenario } from "chipscale";

const CHIPS = ["nvidia-a100-sxm4-80gb", "nvidia-h100-sxm5-80gb", "nvidia-h20-96gb", "nvidia-b200-hgx", "nvidia-gb200-per-gpu", "amd-mi300x"];

/** A valid dense scenario and plan, built so that every divisibility rule holds. */
const validScenario = fc
  .record({
    headsLog: fc.integer({ min: 3, max: 7 }),
    headDim: fc.constantFrom(64, 128),
    kvDiv: fc.constantFrom(1, 2, 4, 8),
    layersPerStage: fc.integer({ min: 1, max: 8 }),
    ppLog: fc.integer({ min: 0, max: 3 }),
    tpLog: fc.integer({ min: 0, max: 3 }),
    dp: fc.integer({ min: 1, max: 64 }),
    mb: fc.constantFrom(1, 2),
    microbatches: fc.integer({ min: 1, max: 16 }),
    seqLog: fc.integer({ min: 9, max: 14 }),
    ffnMult: fc.constantFrom(2, 3, 4),
    vocab: fc.integer({ min: 1000, max: 256000 }),
    gated: fc.boolean(),
    chip: fc.constantFrom(...CHIPS),
    zero: fc.constantFrom(0, 1, 2, 3),
    recompute: fc.constantFrom("none", "selective", "full"),
    sp: fc.boolean(),
    flash: fc.boolean(),
    overlap: fc.boolean(),
    fp8: fc.boolean(),
    tokens: fc.double({ min: 1e6, max: 1e14, noNaN: true }),
  })
  .map((v): Scenario => {
    const heads = 2 ** v.headsLog, tp = Math.min(2 ** v.tpLog, heads), pp = 2 ** v.ppLog;
    const kvHeads = Math.max(tp, heads / v.kvDiv);
    const hidden = heads * v.headDim;
    return {
      model: { name: "p", layers: pp * v.layersPerStage, hidden, ffnHidden: v.ffnMult * hidden, heads, kvHeads, vocab: v.vocab, mlp: v.gated ? "swiglu" : "gelu" },
      training: { tokens: v.tokens, seqLen: 2 ** v.seqLog, globalBatch: v.dp * v.mb * v.microbatches, precision: v.fp8 ? "fp8" : "bf16" },
      cluster: { chip: v.chip, count: tp * pp * v.dp },
      parallelism: { tp, pp, dp: v.dp, microBatch: v.mb, zero: v.zero as 0, recompute: v.recompute as "none", sequenceParallel: v.sp, flashAttention: v.flash, overlapGradReduce: v.overlap },
    };
  });

function finiteEverywhere(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (v && typeof v === "object") return Object.values(v).every(finiteEverywhere);
  return true;
}

describe("properties", () => {
  it("every valid scenario gives a result with only finite numbers", async () => {
    const sim = await simulator();
    fc.assert(fc.property(validScenario, (sc) => {
      const r = sim.simulate(sc);
      expect(r.ok).toBe(true);
      expect(finiteEverywhere(r)).toBe(true);
      const res = ok(r);
      expect(res.step.timeS).toBeGreaterThan(0);
      expect(res.throughput.mfu).toBeGreaterThan(0);
      expect(res.throughput.mfu).toBeLessThan(1);
    }), { numRuns: 400 });
  });

  it("more HBM, scale-up or scale-out bandwidth, or more peak, never slows a step at a fixed plan", async () => {
    const sim = await simulator();
    const field = fc.constantFrom("hbmTBps", "scaleUpGBps", "scaleOutGbps", "bf16Tflops", "fp8Tflops");
    fc.assert(fc.property(validScenario, field, fc.double({ min: 1.01, max: 10, noNaN: true }), (sc, key, factor) => {
      const base = ok(sim.simulate(sc));
      const chip = (sim as unknown as { _c?: never }) && findChip(sc.cluster.chip as string);
      const value = chip[key];
      if (value === null) return;
      const faster = ok(sim.simulate({ ...sc, cluster: { ...sc.cluster, chip: { id: chip.id, [key]: value * factor } } }));
      expect(faster.step.timeS).toBeLessThanOrEqual(base.step.timeS * (1 + 1e-12));
    }), { numRuns: 300 });
  });

  it("more HBM capacity never turns a fitting plan into a non-fitting one", async () => {
    const sim = await simulator();
    fc.assert(fc.property(validScenario, fc.double({ min: 1, max: 8, noNaN: true }), (sc, factor) => {
      const base = ok(sim.simulate(sc));
      const chip = findChip(sc.cluster.chip as string);
      const bigger = ok(sim.simulate({ ...sc, cluster: { ...sc.cluster, chip: { id: chip.id, hbmGB: chip.hbmGB! * factor } } }));
      if (base.memory.fits) expect(bigger.memory.fits).toBe(true);
    }), { numRuns: 200 });
  });

  it("doubling tokens doubles days, chip-hours, energy and CO2 exactly", async () => {
    const sim = await simulator();
    fc.assert(fc.property(validScenario, (sc) => {
      const one = ok(sim.simulate(sc));
      const two = ok(sim.simulate({ ...sc, training: { ...sc.training, tokens: sc.training.tokens * 2 } }));
      expect(two.run.days).toBe(2 * one.run.days);
      expect(two.run.energyMWh).toBe(2 * one.run.energyMWh);
      expect(two.run.co2Tonnes).toBe(2 * one.run.co2Tonnes);
      expect(two.step.timeS).toBe(one.step.timeS);
    }), { numRuns: 200 });
  });

  it("energy = facility power x time (PUE included) to 1e-9", async () => {
    const sim = await simulator();
    fc.assert(fc.property(validScenario, fc.double({ min: 1, max: 3, noNaN: true }), (sc, pue) => {
      const r = ok(sim.simulate({ ...sc, datacenter: { pue } }));
      expect(Math.abs(r.run.energyMWh - r.run.powerMW * r.run.days * 24) / r.run.energyMWh).toBeLessThan(1e-9);
    }), { numRuns: 200 });
  });

  it("is deterministic: the same scenario gives the same bits", async () => {
    const sim = await simulator();
    fc.assert(fc.property(validScenario, (sc) => {
      expect(JSON.stringify(sim.simulate(sc))).toBe(JSON.stringify(sim.simulate(structuredClone(sc))));
    }), { numRuns: 100 });
  });

  it("a corrupted field always yields an error whose path names it", async () => {
    const sim = await simulator();
    const paths = [
      ["training", "tokens"], ["training", "seqLen"], ["training", "globalBatch"], ["cluster", "count"],
      ["parallelism", "tp"], ["parallelism", "pp"], ["parallelism", "dp"], ["parallelism", "microBatch"],
    ] as const;
    const junk = fc.constantFrom<unknown>(-1, 0, 0.5, NaN, Infinity, -Infinity, "8", null, [], {}, true, 1e300, -0);
    fc.assert(fc.property(validScenario, fc.constantFrom(...paths), junk, (sc, [obj, key], bad) => {
      const copy = structuredClone(sc) as unknown as Record<string, Record<string, unknown>>;
      copy[obj][key] = bad;
      const r = sim.simulate(copy);
      if (bad === 1e300 && (key === "tokens")) return; // a huge but valid token count is not an error
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.some((e) => e.path === `${obj}.${key}` || e.path === obj)).toBe(true);
    }), { numRuns: 400 });
  });
});

import { findChip as find } from "chipscale";
function findChip(id: string) {
  const c = find(id);
  if (!c) throw new Error(id);
  return c;
}
