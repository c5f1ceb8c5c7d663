// Invariants over generated scenarios (fast-check).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { simulator, ok, untyped, validScenario, validMoeScenario } from "./helpers.js";
import type { Plan, RecomputeModule, TierOverride } from "chipscale";

function finiteEverywhere(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (v && typeof v === "object") return Object.values(v).every(finiteEverywhere);
  return true;
}

describe("properties", () => {
  it("every valid scenario gives a result with only finite numbers", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, (sc) => {
        const r = sim.simulate(sc);
        expect(r.ok).toBe(true);
        expect(finiteEverywhere(r)).toBe(true);
        const res = ok(r);
        expect(res.step.timeS).toBeGreaterThan(0);
        expect(res.throughput.mfu).toBeGreaterThan(0);
        expect(res.throughput.mfu).toBeLessThan(1);
      }),
      { numRuns: 400 },
    );
  });

  it("more HBM, scale-up or scale-out bandwidth, or more peak, never slows a step at a fixed plan", async () => {
    const sim = await simulator();
    const field = fc.constantFrom(
      "hbmTBps",
      "scaleUpGBps",
      "scaleOutGbps",
      "bf16Tflops",
      "fp8Tflops",
    );
    fc.assert(
      fc.property(
        validScenario,
        field,
        fc.double({ min: 1.01, max: 10, noNaN: true }),
        (sc, key, factor) => {
          const base = ok(sim.simulate(sc));
          const chip = (sim as unknown as { _c?: never }) && findChip(sc.cluster.chip as string);
          const value = chip[key];
          if (value === null) return;
          const faster = ok(
            sim.simulate({
              ...sc,
              cluster: { ...sc.cluster, chip: { id: chip.id, [key]: value * factor } },
            }),
          );
          expect(faster.step.timeS).toBeLessThanOrEqual(base.step.timeS * (1 + 1e-12));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a pod tier never speeds a step, a steeper ratio never less; its share lies in (0, 1]", async () => {
    const sim = await simulator();
    let limited = 0; // runs whose rings did lose rate between pods: the property is not vacuous
    fc.assert(
      fc.property(
        validScenario,
        fc.integer({ min: 1, max: 4096 }),
        fc.double({ min: 1, max: 20, noNaN: true }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        (sc, podChips, ratio, steeper) => {
          const at = (podOversubscription?: number) => {
            const sys = sc.cluster.system;
            const system =
              podOversubscription === undefined
                ? sys
                : {
                    ...(typeof sys === "string" ? { id: sys } : sys),
                    podChips,
                    podOversubscription,
                  };
            return ok(sim.simulate({ ...sc, cluster: { ...sc.cluster, system } }));
          };
          const none = at(),
            pods = at(ratio),
            worse = at(ratio * steeper);
          if (pods.step.dpPodShare < 1) limited++;
          expect(pods.step.dpPodShare).toBeGreaterThan(0);
          expect(pods.step.dpPodShare).toBeLessThanOrEqual(1);
          expect(pods.step.timeS).toBeGreaterThanOrEqual(none.step.timeS);
          expect(worse.step.timeS).toBeGreaterThanOrEqual(pods.step.timeS);
        },
      ),
      { numRuns: 300 },
    );
    expect(limited).toBeGreaterThan(30);
  });

  it("adding a tier above the fabric never speeds a step; one at 1:1 with no latency changes nothing", async () => {
    const sim = await simulator();
    let slowed = 0; // runs whose DP time an added tier did raise: the property is not vacuous
    const tier = fc.record({
      chips: fc.integer({ min: 1, max: 64 }),
      oversubscription: fc.double({ min: 1, max: 50, noNaN: true }),
      latencyUs: fc.double({ min: 0, max: 5000, noNaN: true }),
    });
    fc.assert(
      fc.property(validScenario, tier, tier, (sc, inner, outer) => {
        const at = (tiers: TierOverride[]) =>
          ok(sim.simulate({ ...sc, cluster: { ...sc.cluster, system: { tiers } } }));
        const above = { ...outer, chips: inner.chips + outer.chips };
        const none = at([]),
          one = at([inner]),
          two = at([inner, above]);
        expect(one.step.timeS).toBeGreaterThanOrEqual(none.step.timeS);
        expect(two.step.timeS).toBeGreaterThanOrEqual(one.step.timeS);
        if (one.step.dpCommS > none.step.dpCommS && two.step.dpCommS > one.step.dpCommS) slowed++;
        expect(at([inner, { chips: above.chips, oversubscription: 1, latencyUs: 0 }])).toEqual(one);
      }),
      { numRuns: 200 },
    );
    expect(slowed).toBeGreaterThan(20);
  });

  it("ZeRO-2 never exposes less data-parallel time than ZeRO-1: it moves the same plus a scatter per microbatch", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, (sc) => {
        const at = (zero: 0 | 1 | 2 | 3) =>
          ok(sim.simulate({ ...sc, parallelism: { ...(sc.parallelism as Plan), zero } })).step
            .dpCommS;
        expect(at(2)).toBeGreaterThanOrEqual(at(1) * (1 - 1e-12));
      }),
      { numRuns: 300 },
    );
  });

  it("each recompute module an MoE/MLA model has keeps fewer activations and never shortens the step", async () => {
    const sim = await simulator();
    const notFull = validMoeScenario.filter(
      (sc) => (sc.parallelism as { recompute: string }).recompute !== "full",
    );
    fc.assert(
      fc.property(notFull, fc.constantFrom("layernorm", "mla_up_proj", "moe_act"), (sc, module) => {
        const at = (recomputeModules: RecomputeModule[]) =>
          ok(
            sim.simulate({
              ...sc,
              parallelism: { ...(sc.parallelism as Plan), recomputeModules },
            }),
          );
        const kept = at([]),
          dropped = at([module]);
        if (module === "mla_up_proj" && !(sc.model as { mla?: unknown }).mla) {
          expect(dropped.memory.activationsGB).toBe(kept.memory.activationsGB);
          return;
        }
        expect(dropped.memory.activationsGB).toBeLessThan(kept.memory.activationsGB);
        expect(dropped.step.timeS).toBeGreaterThanOrEqual(kept.step.timeS * (1 - 1e-12));
      }),
      { numRuns: 300 },
    );
  });

  it("offload never shortens a step nor raises HBM bytes; what it moves lands in host memory", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(
        validScenario,
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 2000, noNaN: true }),
        // Host memory below every catalog chip's achievable HBM rate (A100: 2,039 x 0.8 GB/s), so
        // the CPU's Adam step is never faster than the GPU's it replaces.
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (sc, offloadOptimizer, share, hostLinkGBps, hostMemoryGBps) => {
          const plan = sc.parallelism as Plan;
          const sys = sc.cluster.system;
          const system = {
            ...(typeof sys === "string" ? { id: sys } : sys),
            hostLinkGBps,
            hostMemoryGB: 1e6,
            hostMemoryGBps,
          };
          const base = ok(sim.simulate(sc));
          const moved = ok(
            sim.simulate({
              ...sc,
              cluster: { ...sc.cluster, system },
              parallelism: {
                ...plan,
                offloadOptimizer,
                offloadActivations: plan.pp === 1 ? share : 0,
              },
            }),
          );
          expect(moved.step.timeS).toBeGreaterThanOrEqual(base.step.timeS * (1 - 1e-12));
          expect(moved.memory.perChipGB).toBeLessThanOrEqual(base.memory.perChipGB * (1 + 1e-12));
          expect(moved.step.offloadS).toBeGreaterThanOrEqual(0);
          const saved = base.memory.perChipGB - moved.memory.perChipGB;
          // Every HBM byte saved is in host memory (plus the gradients the CPU reads).
          expect(moved.memory.hostGB).toBeGreaterThanOrEqual(saved * (1 - 1e-9));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("more HBM capacity never turns a fitting plan into a non-fitting one", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, fc.double({ min: 1, max: 8, noNaN: true }), (sc, factor) => {
        const base = ok(sim.simulate(sc));
        const chip = findChip(sc.cluster.chip as string);
        const bigger = ok(
          sim.simulate({
            ...sc,
            cluster: { ...sc.cluster, chip: { id: chip.id, hbmGB: chip.hbmGB! * factor } },
          }),
        );
        if (base.memory.fits) expect(bigger.memory.fits).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("the search times a fitting plan to the bit as simulate does; it stops early only on plans that do not fit", async () => {
    const sim = await simulator();
    let withOom = 0;
    // Small memories make many plans miss, so the early stop is taken often.
    fc.assert(
      fc.property(
        fc.oneof(validScenario, validMoeScenario),
        fc.integer({ min: 4, max: 80 }),
        (base, hbmGB) => {
          const chip = findChip(base.cluster.chip as string);
          const sc = { ...base, cluster: { ...base.cluster, chip: { id: chip.id, hbmGB } } };
          const s = sim.search({ ...sc, parallelism: "auto" }, { top: 8 });
          if (!s.ok) return;
          if (s.rejectedOOM > 0) withOom++;
          for (const p of s.top) {
            const r = ok(sim.simulate({ ...sc, parallelism: p.plan }));
            expect(p.stepS).toBe(r.step.timeS);
            expect(p.memoryGB).toBe(r.memory.perChipGB);
            expect(r.memory.fits).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(withOom).toBeGreaterThan(5);
  });

  it("doubling tokens doubles days, chip-hours, energy and CO2 exactly (from one step up)", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, (sc) => {
        const one = ok(sim.simulate(sc));
        // Below one global batch a run is still one step: time is flat there, not linear.
        fc.pre(one.run.steps > 1);
        const two = ok(
          sim.simulate({ ...sc, training: { ...sc.training, tokens: sc.training.tokens * 2 } }),
        );
        expect(two.run.days).toBe(2 * one.run.days);
        expect(two.run.energyMWh).toBe(2 * one.run.energyMWh);
        expect(two.run.co2Tonnes).toBe(2 * one.run.co2Tonnes);
        expect(two.step.timeS).toBe(one.step.timeS);
      }),
      { numRuns: 200 },
    );
  });

  it("a run is at least one step: fewer tokens than one global batch cost one step's time", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, (sc) => {
        const r = ok(sim.simulate({ ...sc, training: { ...sc.training, tokens: 1 } }));
        expect(r.run.steps).toBe(1);
        expect(r.run.days).toBe(r.step.timeS / 86400);
      }),
      { numRuns: 50 },
    );
  });

  it("energy = facility power x time (PUE included) to 1e-9", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, fc.double({ min: 1, max: 3, noNaN: true }), (sc, pue) => {
        const r = ok(sim.simulate({ ...sc, datacenter: { pue } }));
        expect(
          Math.abs(r.run.energyMWh - r.run.powerMW * r.run.days * 24) / r.run.energyMWh,
        ).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it("the step adds up: compute + bubble + exposed comm (the sum of its dimensions) + overhead = step time", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, (sc) => {
        const s = ok(sim.simulate(sc)).step;
        const dims = s.tpCommS + s.ppCommS + s.dpCommS + s.epCommS + s.cpCommS;
        expect(Math.abs(dims - s.exposedCommS)).toBeLessThanOrEqual(1e-12 * s.timeS);
        expect(
          Math.abs(s.matmulS + s.memoryBoundS + s.optimizerS - s.computeS),
        ).toBeLessThanOrEqual(1e-9 * s.timeS);
        expect(s.computeS + s.bubbleS + s.exposedCommS).toBeLessThanOrEqual(s.timeS * (1 + 1e-12));
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic: the same scenario gives the same bits", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(validScenario, (sc) => {
        expect(JSON.stringify(sim.simulate(sc))).toBe(
          JSON.stringify(sim.simulate(structuredClone(sc))),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("a corrupted field always yields an error whose path names it", async () => {
    const sim = await simulator();
    const paths = [
      ["training", "tokens"],
      ["training", "seqLen"],
      ["training", "globalBatch"],
      ["cluster", "count"],
      ["parallelism", "tp"],
      ["parallelism", "pp"],
      ["parallelism", "dp"],
      ["parallelism", "microBatch"],
    ] as const;
    const junk = fc.constantFrom<unknown>(
      -1,
      0,
      0.5,
      NaN,
      Infinity,
      -Infinity,
      "8",
      null,
      [],
      {},
      true,
      1e300,
      -0,
    );
    fc.assert(
      fc.property(validScenario, fc.constantFrom(...paths), junk, (sc, [obj, key], bad) => {
        const copy = structuredClone(sc) as unknown as Record<string, Record<string, unknown>>;
        copy[obj][key] = bad;
        const r = sim.simulate(untyped(copy));
        if (bad === 1e300 && key === "tokens") return; // a huge but valid token count is not an error
        expect(r.ok).toBe(false);
        if (!r.ok)
          expect(r.errors.some((e) => e.path === `${obj}.${key}` || e.path === obj)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

import { findChip as find } from "chipscale";
function findChip(id: string) {
  const c = find(id);
  if (!c) throw new Error(id);
  return c;
}
