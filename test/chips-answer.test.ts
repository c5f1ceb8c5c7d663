// Every catalog chip answers out of the box; a chip given only by its figures names each one it
// lacks; an estimated catalog figure is said (typed, with a code) and widens the band by its range.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { chips, findChip, CALIBRATION, type Scenario } from "chipscale";
import { simulator, ok } from "./helpers.js";

const training = { tokens: 1e12, seqLen: 4096, globalBatch: 1024 };
const small = (chip: unknown, count = 64): Scenario => ({
  model: "llama3-8b",
  training,
  cluster: { chip: chip as Scenario["cluster"]["chip"], count },
  parallelism: "auto",
});

/** An H100 SXM given by its figures alone, as a user would type it from the datasheet. */
const H100_FIGURES = {
  name: "my H100",
  bf16Tflops: 989.5,
  fp8Tflops: 1979,
  hbmGB: 80,
  hbmTBps: 3.35,
  scaleUpGBps: 900,
  scaleUpDomain: 8,
  scaleOutGbps: 400,
  tdpW: 700,
};

describe("every catalog chip answers", () => {
  it("with the auto plan on a small and a large model: a finite answer or a memory verdict, never a missing figure", async () => {
    const sim = await simulator();
    const verdicts: string[] = [];
    for (const c of chips)
      for (const [model, count] of [
        ["llama3-8b", 64],
        ["llama3-405b", 16384],
      ] as const) {
        const r = sim.simulate({ ...small(c.id, count), model, training: { ...training } });
        if (r.ok) {
          expect(Number.isFinite(r.run.days) && r.run.days > 0, `${c.id} ${model}`).toBe(true);
          expect(r.uncertainty.days[0] <= r.run.days && r.run.days <= r.uncertainty.days[1]).toBe(
            true,
          );
        } else {
          // The only refusal allowed: no plan fits in memory (path "parallelism"), never a chip figure.
          expect(
            r.errors.map((e) => e.path),
            `${c.id} ${model}: ${JSON.stringify(r.errors)}`,
          ).toEqual(["parallelism"]);
          verdicts.push(`${c.id} ${model}`);
        }
      }
    expect(chips.length).toBe(46);
    expect(verdicts).toEqual([]);
  });

  it("a chip without BF16 trains its 16-bit run in FP16 and says so", async () => {
    const sim = await simulator();
    const r = ok(sim.simulate(small("nvidia-v100-sxm2-32gb")));
    expect(r.scenario.precision).toBe("fp16");
    expect(r.warnings.find((w) => w.code === "precision-fallback")).toMatchObject({
      path: "training.precision",
      data: { chip: "nvidia-v100-sxm2-32gb", asked: "bf16", used: "fp16" },
    });
    const same = ok(
      sim.simulate({
        ...small("nvidia-v100-sxm2-32gb"),
        training: { ...training, precision: "fp16" },
      }),
    );
    expect(r.step.timeS).toBe(same.step.timeS);
  });
});

describe("estimated catalog figures", () => {
  it("are typed with a stable code and widen the energy band by the TDP's range, days untouched", async () => {
    const sim = await simulator();
    const est = ok(sim.simulate(small("google-tpu-v5p")));
    const given = ok(sim.simulate(small({ id: "google-tpu-v5p", tdpW: 320 })));
    expect(est.estimatedFigures).toEqual([
      {
        code: "chip-figure-estimated",
        path: "cluster.chip.tdpW",
        value: 320,
        confidence: "estimate",
        basis: findChip("google-tpu-v5p")!.estimates.tdpW.basis,
        range: [250, 450],
      },
    ]);
    expect(est.warnings.some((w) => w.path === "cluster.chip.tdpW")).toBe(true);
    expect(est.run.energyMWh).toBe(given.run.energyMWh);
    expect(est.uncertainty.days).toEqual(given.uncertainty.days);
    // Spread = max(320 - 250, 450 - 320) / 320 = 0.40625.
    expect(est.uncertainty.energyMWh[0]).toBeCloseTo(given.uncertainty.energyMWh[0] * 0.59375, 9);
    expect(est.uncertainty.energyMWh[1]).toBeCloseTo(given.uncertainty.energyMWh[1] * 1.40625, 9);
  });

  it("a time figure's range widens the days band by 1/(1+s) and 1/(1-s)", async () => {
    const sim = await simulator();
    const est = ok(sim.simulate(small("amd-mi355x")));
    const given = ok(
      sim.simulate(small({ id: "amd-mi355x", scaleUpGBps: 1075, scaleOutGbps: 400 })),
    );
    expect(est.estimatedFigures.map((e) => e.path).sort()).toEqual([
      "cluster.chip.scaleOutGbps",
      "cluster.chip.scaleUpGBps",
    ]);
    const s = (1075 - 896) / 1075; // scale-up's spread; the NIC's range is a single value
    expect(est.run.days).toBe(given.run.days);
    expect(est.uncertainty.days[0]).toBeCloseTo(given.uncertainty.days[0] / (1 + s), 9);
    expect(est.uncertainty.days[1]).toBeCloseTo(given.uncertainty.days[1] / (1 - s), 9);
  });

  it("an estimated capacity is said but does not widen the band: it decides which plans fit", async () => {
    const sim = await simulator();
    const bi = findChip("iluvatar-bi-v150")!;
    const rest = Object.fromEntries(
      Object.keys(bi.estimates)
        .filter((f) => f !== "hbmGB")
        .map((f) => [f, (bi as unknown as Record<string, number>)[f]]),
    );
    const onlyHbm = ok(sim.simulate(small({ id: bi.id, ...rest })));
    const none = ok(sim.simulate(small({ id: bi.id, ...rest, hbmGB: bi.hbmGB })));
    expect(onlyHbm.estimatedFigures.map((e) => e.path)).toEqual(["cluster.chip.hbmGB"]);
    expect(onlyHbm.warnings.find((w) => w.path === "cluster.chip.hbmGB")).toMatchObject({
      code: "chip-figure-estimated",
      data: { figure: "hbmGB", widensBand: false },
    });
    expect(onlyHbm.uncertainty.days).toEqual(none.uncertainty.days);
    expect(onlyHbm.uncertainty.energyMWh).toEqual(none.uncertainty.energyMWh);
  });

  it("every estimate in the catalog states a basis and a range around its value", () => {
    let n = 0;
    for (const c of chips)
      for (const [field, e] of Object.entries(c.estimates)) {
        n++;
        const v = (c as unknown as Record<string, number>)[field];
        expect(e.confidence).toBe("estimate");
        expect(e.basis.length, `${c.id}.${field}`).toBeGreaterThan(20);
        expect(e.range[0] <= v && v <= e.range[1], `${c.id}.${field} ${v} in ${e.range}`).toBe(
          true,
        );
        expect(c.fieldSources[field]).toEqual(["chipscale_estimate"]);
      }
    expect(n).toBeGreaterThan(40);
  });
});

describe("a chip given only by its figures", () => {
  it("names every required figure it lacks, each at its field", async () => {
    const sim = await simulator();
    const r = sim.simulate(small({ name: "mine" }));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.path).sort()).toEqual([
        "cluster.chip.bf16Tflops",
        "cluster.chip.hbmGB",
        "cluster.chip.hbmTBps",
        "cluster.chip.scaleOutGbps",
        "cluster.chip.scaleUpDomain",
        "cluster.chip.scaleUpGBps",
        "cluster.chip.tdpW",
      ]);
  });

  it("never defaults a missing figure: leaving out any one of them is an error naming exactly it", async () => {
    const sim = await simulator();
    const required = Object.keys(H100_FIGURES).filter((k) => k !== "name" && k !== "fp8Tflops");
    for (const key of required) {
      const chip: Record<string, unknown> = { ...H100_FIGURES };
      delete chip[key];
      const r = sim.simulate(small(chip));
      expect(r.ok, key).toBe(false);
      if (!r.ok) {
        expect(
          r.errors.map((e) => e.path),
          key,
        ).toEqual([`cluster.chip.${key}`]);
        expect(r.errors[0].message).toContain("required for a chip given by its figures");
      }
    }
  });

  it("with a domain of 1 needs no scale-up link, and within one domain no NIC", async () => {
    const sim = await simulator();
    const { scaleUpGBps: _u, ...noLink } = H100_FIGURES;
    ok(sim.simulate(small({ ...noLink, scaleUpDomain: 1 })));
    const { scaleOutGbps: _o, ...noNic } = H100_FIGURES;
    ok(sim.simulate(small(noNic, 8)));
    const r = sim.simulate(small(noNic, 16));
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["cluster.chip.scaleOutGbps"]);
  });

  it("answers exactly as the catalog chip with the same figures on the base constants, whatever the count", async () => {
    // A chip given by its figures has no chip class, so it runs uncalibrated on the base constants;
    // the catalog H100 takes Megatron-Core's Hopper fit (src/calibration/stacks.fit.ts) instead.
    const sim = await simulator();
    const base = {
      calibration: {
        matmulEfficiency: CALIBRATION.matmulEfficiency.value,
        fp8Efficiency: CALIBRATION.fp8Efficiency.value,
      },
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(8, 16, 64, 256, 1024), async (count) => {
        const mine = sim.simulate(small(H100_FIGURES, count));
        const catalog = sim.simulate(small("nvidia-h100-sxm5-80gb", count), base);
        expect(mine.ok && catalog.ok).toBe(true);
        if (mine.ok && catalog.ok) {
          expect(mine.plan).toEqual(catalog.plan);
          expect(mine.step.timeS).toBe(catalog.step.timeS);
          expect(mine.scenario.chip).toBe("custom");
          expect(mine.estimatedFigures).toEqual([]);
        }
      }),
      { numRuns: 5 },
    );
  });

  it('"id": "custom" is refused with how to give a chip by its figures', async () => {
    const sim = await simulator();
    const r = sim.simulate(small({ ...H100_FIGURES, id: "custom" }));
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["cluster.chip.id"]);
    if (!r.ok) expect(r.errors[0].message).toContain('drop "id"');
  });
});
