// Search, sweep, feasibility and matching through the public API.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { simulator, ok, untyped } from "./helpers.js";
import { chips, type Scenario } from "chipscale";
// Internal helpers of the built package, to check match's minimality over the counts it considers.
import { plannableCounts } from "../build/src/engine/counts.js";
import { resolve } from "../build/src/contract/scenario.js";

const small = (count: number, over: Partial<Scenario> = {}): Scenario => ({
  model: {
    name: "s",
    layers: 8,
    hidden: 2048,
    ffnHidden: 8192,
    heads: 16,
    kvHeads: 16,
    vocab: 32000,
    mlp: "gelu",
  },
  training: { tokens: 1e11, seqLen: 2048, globalBatch: 64 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count },
  parallelism: "auto",
  ...over,
});

describe("search", () => {
  it("pruning never changes the optimum (against exhaustive search on small spaces)", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8, 16, 32, 64),
        fc.constantFrom("nvidia-h100-sxm5-80gb", "nvidia-h20-96gb", "nvidia-a100-sxm4-40gb"),
        fc.constantFrom(8, 32, 64, 128),
        fc.integer({ min: 8, max: 13 }),
        (count, chip, batch, seqLog) => {
          const sc = small(count, {
            cluster: { chip, count },
            training: { tokens: 1e11, seqLen: 2 ** seqLog, globalBatch: batch },
          });
          const fast = sim.search(sc, { top: 3 });
          const full = sim.search(sc, { top: 3, exhaustive: true });
          expect(fast.ok).toBe(full.ok);
          if (fast.ok && full.ok) {
            expect(fast.best.step.timeS).toBe(full.best.step.timeS);
            expect(fast.best.plan).toEqual(full.best.plan);
            expect(fast.byEnergy.run.energyMWh).toBe(full.byEnergy.run.energyMWh);
            for (const p of full.top)
              expect(full.byEnergy.run.energyMWh).toBeLessThanOrEqual(p.energyMWh * (1 + 1e-12));
            expect(full.pruned).toBe(0);
            expect(fast.evaluated + fast.pruned).toBe(full.evaluated);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("pruning never changes the optimum for an MLA MoE model, whose recompute levels add modules one at a time", async () => {
    const sim = await simulator();
    const model = {
      name: "mla-moe",
      layers: 8,
      hidden: 2048,
      ffnHidden: 8192,
      heads: 16,
      kvHeads: 16,
      headDim: 128,
      vocab: 32000,
      mlp: "swiglu" as const,
      moe: { experts: 16, active: 4, shared: 1, expertFfnHidden: 1024, denseLayers: 1 },
      mla: { qLoraRank: 512, kvLoraRank: 256, ropeHeadDim: 64, vHeadDim: 128 },
    };
    // 4-12 GB chips make several levels the answer somewhere (none, norms, norms + MLA projections, all three, full).
    const levels = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(8, 16),
        fc.constantFrom(4, 6, 8, 12),
        fc.integer({ min: 12, max: 14 }),
        (count, hbmGB, seqLog) => {
          const sc = small(count, {
            model,
            cluster: { chip: { id: "nvidia-h20-96gb", hbmGB }, count },
            training: { tokens: 1e11, seqLen: 2 ** seqLog, globalBatch: 64 },
          });
          const fast = sim.search(sc, { top: 3 }),
            full = sim.search(sc, { top: 3, exhaustive: true });
          expect(fast.ok).toBe(full.ok);
          if (fast.ok && full.ok) {
            expect(fast.best.plan).toEqual(full.best.plan);
            expect(fast.best.step.timeS).toBe(full.best.step.timeS);
            levels.add(`${fast.best.plan.recompute} ${fast.best.plan.recomputeModules.join("+")}`);
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(levels.size).toBeGreaterThanOrEqual(3);
  });

  it("DeepSeek-V3 as published (examples/deepseek-v3-h800.json): within 15% of the report's 54.2 days, faster than without DualPipe, within 2% of the best plan without it", async () => {
    const sim = await simulator();
    const sc = JSON.parse(
      readFileSync(new URL("../examples/deepseek-v3-h800.json", import.meta.url), "utf8"),
    );
    const days = (parallelism: unknown) =>
      ok(sim.simulate({ ...sc, parallelism })).run.effectiveDays!;
    const published = days(sc.parallelism),
      serial = days({ ...sc.parallelism, overlapAllToAll: false }),
      auto = days("auto");
    // 2,664K pre-training H800 GPU-hours on 2,048 GPUs (arXiv:2412.19437, Table 1).
    expect(Math.abs(published / (2664e3 / 2048 / 24) - 1)).toBeLessThan(0.15);
    // The search's best plan (no DualPipe, but TP pipelined as Megatron-Core runs it) comes within
    // 1% of DeepSeek's own; the serial all-to-all is far behind both.
    expect(Math.abs(auto / published - 1)).toBeLessThan(0.02);
    expect(Math.max(published, auto)).toBeLessThan(serial);
    // The README's paragraph under the example states these figures in words.
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const words = readme.slice(
      readme.indexOf("The report's 2,664K pre-training GPU-hours"),
      readme.indexOf("Bad input exits 2"),
    );
    expect(words).toContain(
      `run ${(100 * (published / (2664e3 / 2048 / 24) - 1)).toFixed(1)}% long`,
    );
    expect(words).toContain(`the published plan's ${published.toFixed(1)}`);
    expect(words).toContain(`takes about ${Math.round(serial)} days`);
    expect(words).toContain(`and takes ${auto.toFixed(1)} days`);
  });

  it("MoE results carry the validation's caveat and Megatron-Core's SP rule; dense results carry neither", async () => {
    const sim = await simulator();
    const sc = JSON.parse(
      readFileSync(new URL("../examples/deepseek-v3-h800.json", import.meta.url), "utf8"),
    );
    const moe = ok(sim.simulate(sc));
    expect(moe.warnings.some((w) => w.code === "moe-optimistic" && w.path === "model.moe")).toBe(
      true,
    );
    const noSp = ok(
      sim.simulate({
        ...sc,
        parallelism: { tp: 2, pp: 16, dp: 64, ep: 8, etp: 1, sequenceParallel: false },
      }),
    );
    expect(noSp.warnings.find((w) => w.code === "moe-needs-sp")).toMatchObject({
      path: "parallelism.sequenceParallel",
      data: { tp: 2 },
    });
    const dense = ok(sim.simulate(small(64)));
    expect(
      dense.warnings.some((w) => w.code === "moe-optimistic" || w.code === "moe-needs-sp"),
    ).toBe(false);
  });

  it("the best plan is never slower than any plan it ranked, and never slower than a published plan", async () => {
    const sim = await simulator();
    const s = sim.search(small(64), { top: 50 });
    if (!s.ok) throw new Error(JSON.stringify(s.errors));
    for (const p of s.top) expect(s.best.step.timeS).toBeLessThanOrEqual(p.stepS);
    const published = ok(
      sim.simulate({ ...small(64), parallelism: { tp: 8, pp: 2, dp: 4, recompute: "full" } }),
    );
    expect(s.best.step.timeS).toBeLessThanOrEqual(published.step.timeS);
  });

  it("auto on Megatron's published runs is at least as fast as the published plan", async () => {
    const sim = await simulator();
    const recs = (await import("../bench/validation/records.json", { with: { type: "json" } }))
      .default as { id: string; simulated: boolean; scenario: Scenario }[];
    for (const rec of recs.filter((r) => r.simulated && r.id.startsWith("korthikanti2022_"))) {
      const given = ok(sim.simulate(rec.scenario));
      const auto = ok(sim.simulate({ ...rec.scenario, parallelism: "auto" }));
      expect(auto.step.timeS, rec.id).toBeLessThanOrEqual(given.step.timeS);
    }
  });

  it("says why when no plan fits", async () => {
    const sim = await simulator();
    const r = sim.search({ ...small(1), model: "llama3-405b" });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({
        path: "parallelism",
        code: "no-plan-fits",
        data: { capacityGB: 80 },
      });
  });
});

describe("sweep", () => {
  it("returns columns of equal length; more chips never take longer in this range", async () => {
    const sim = await simulator();
    const r = sim.sweep(small(8), { axis: "count", values: [8, 16, 32, 64] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    for (const col of Object.values(r.columns)) expect(col).toHaveLength(4);
    const days = r.columns.days as number[];
    for (let k = 1; k < days.length; k++) expect(days[k]).toBeLessThan(days[k - 1]);
  });

  it("a second axis gives one series per value, each matching a one-axis sweep", async () => {
    const sim = await simulator();
    const two = sim.sweep(small(8), {
      axis: "count",
      values: [8, 32],
      by: { axis: "chip", values: ["nvidia-h100-sxm5-80gb", "nvidia-h20-96gb"] },
    });
    if (!two.ok || !two.series) throw new Error("sweep failed");
    expect(two.series.map((s) => s.value)).toEqual(["nvidia-h100-sxm5-80gb", "nvidia-h20-96gb"]);
    const h20 = sim.sweep(
      { ...small(8), cluster: { chip: "nvidia-h20-96gb", count: 8 } },
      { axis: "count", values: [8, 32] },
    );
    if (!h20.ok) throw new Error("sweep failed");
    expect(two.series[1].columns.days).toEqual(h20.columns.days);
    expect(two.series[1].columns.days[0]!).toBeGreaterThan(two.series[0].columns.days[0]!);
  });

  it("marks a point without an answer instead of failing the sweep", async () => {
    const sim = await simulator();
    // A million chips: more than a batch of 64 can use; a point with its reason, not a failure.
    const r = sim.sweep(small(8), { axis: "count", values: [8, 1_000_000] });
    if (!r.ok) throw new Error("sweep failed");
    expect(r.columns.days[0]).toBeGreaterThan(0);
    expect(r.columns.days[1]).toBeNull();
    expect(r.columns.issue[1]?.code).toBe("no-plan");
  });

  it("fails on a value the contract refuses, naming it by its index and the field", async () => {
    const sim = await simulator();
    const r = sim.sweep(small(8), {
      axis: "chip",
      values: ["nvidia-h100-sxm5-80gb", "no-such-chip"],
    });
    if (r.ok) throw new Error("a bad value must fail the sweep");
    expect(r.errors.map((e) => [e.path, e.code])).toEqual([["values[1]", "unknown-id"]]);
    expect(r.errors[0].message).toMatch(/^cluster\.chip: unknown chip "no-such-chip"/);
  });

  it("carries each point's warnings: a chip without a price says its cost is electricity only", async () => {
    const r = (await simulator()).sweep(small(8), {
      axis: "chip",
      values: ["nvidia-h100-sxm5-80gb", "huawei-ascend-910c"],
    });
    if (!r.ok) throw new Error("sweep failed");
    expect(r.columns.warnings[0]).toBeNull();
    expect(r.columns.warnings[1]).toMatch(
      /run.costUSD: huawei-ascend-910c has no catalog price; cost counts electricity only/,
    );
  });

  it("rejects an unknown axis by name", async () => {
    const r = (await simulator()).sweep(small(8), { axis: "colour" as never, values: [1] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].path).toBe("axis");
  });
});

describe("feasible", () => {
  it("passes a run within every limit, with positive margins", async () => {
    const sim = await simulator();
    const base = ok(sim.simulate(small(64)));
    const r = sim.feasible({
      ...small(64),
      constraints: {
        deadlineDays: base.run.effectiveDays! * 1.1,
        powerMW: base.run.powerMW * 2,
        maxChips: 64,
      },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.feasible).toBe(true);
    for (const c of r.constraints) expect(c.margin!).toBeGreaterThanOrEqual(0);
  });

  it("judges energy and budget with failures, as the deadline: a limit between the two values binds", async () => {
    const sim = await simulator();
    const base = ok(sim.simulate(small(64)));
    expect(base.run.effectiveEnergyMWh!).toBeCloseTo(base.run.energyMWh / base.run.goodput, 9);
    expect(base.run.effectiveCostUSD!).toBeCloseTo(base.run.costUSD / base.run.goodput, 6);
    expect(base.run.goodput).toBeLessThan(1);
    const between = (a: number, b: number) => (a + b) / 2;
    const r = sim.feasible({
      ...small(64),
      constraints: {
        energyMWh: between(base.run.energyMWh, base.run.effectiveEnergyMWh!),
        budgetUSD: between(base.run.costUSD, base.run.effectiveCostUSD!),
      },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.constraints.map((c) => [c.name, c.binding, c.value])).toEqual([
      ["energyMWh", true, base.run.effectiveEnergyMWh],
      ["budgetUSD", true, base.run.effectiveCostUSD],
    ]);
  });

  it("a deadline no count under the power cap meets: one line names the fastest count and its draw", async () => {
    const sim = await simulator();
    const base = ok(sim.simulate(small(64)));
    const r = sim.feasible({
      ...small(64),
      constraints: { deadlineDays: base.run.effectiveDays! / 1000, powerMW: base.run.powerMW / 2 },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    // The deadline line, then a larger batch (2x to 8x) that finishes soonest under the cap.
    expect(r.suggestions.map((x) => x.code)).toEqual(["deadline-unmet", "deadline-batch"]);
    const grown = r.suggestions[1];
    if (grown.code !== "deadline-batch") throw new Error("expected deadline-batch");
    expect([128, 256, 512]).toContain(grown.data.globalBatch);
    expect(grown.data.meetsDeadline).toBe(false);
    expect(grown.data.option.powerMW).toBeLessThanOrEqual(base.run.powerMW / 2);
    const s = r.suggestions[0];
    if (s.code !== "deadline-unmet") throw new Error(`expected deadline-unmet, got ${s.code}`);
    expect(s.data).toMatchObject({ globalBatch: 64, within: ["powerMW"] });
    const fastest = s.data.fastest!;
    expect(fastest.chip).toBe("nvidia-h100-sxm5-80gb");
    expect(fastest.powerMW).toBeLessThanOrEqual(base.run.powerMW / 2);
    // The numbers a program reads are those of the count it names, simulated again.
    const again = ok(sim.simulate({ ...small(fastest.count) }));
    expect(again.run.effectiveDays).toBe(fastest.days);
    expect(again.run.powerMW).toBe(fastest.powerMW);
  });

  it("explains a missed deadline with the fewest chips that meet it", async () => {
    const sim = await simulator();
    const base = ok(sim.simulate(small(8)));
    const r = sim.feasible({
      ...small(8),
      constraints: { deadlineDays: base.run.effectiveDays! / 3 },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.feasible).toBe(false);
    expect(r.constraints[0]).toMatchObject({ name: "deadlineDays", binding: true });
    const s = r.suggestions[0];
    if (s.code !== "deadline-count") throw new Error(`expected deadline-count, got ${s.code}`);
    expect(s.data.deadlineDays).toBe(base.run.effectiveDays! / 3);
    const count = s.data.option.count;
    expect(count).toBeGreaterThan(8);
    expect(s.data.option.days!).toBeLessThanOrEqual(s.data.deadlineDays);
    const check = ok(sim.simulate({ ...small(count) }));
    expect(check.run.effectiveDays!).toBeLessThanOrEqual(base.run.effectiveDays! / 3);
  });

  it("over budget: names the cheapest priced chip that meets the time, and checks it", async () => {
    const sim = await simulator();
    const sc = {
      model: "llama3-70b",
      training: { tokens: 15e12, seqLen: 8192, globalBatch: 1024 },
      cluster: { chip: "nvidia-b200-hgx", count: 4096 },
      parallelism: "auto",
      constraints: { deadlineDays: 60, budgetUSD: 3.0e6 },
    } satisfies Scenario;
    const r = sim.feasible(sc);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.feasible).toBe(false);
    const line = r.suggestions.find((x) => x.code === "cheapest-chip");
    if (line?.code !== "cheapest-chip") throw new Error("no cheapest-chip suggestion");
    const { count, chip } = line.data.option!;
    const check = ok(
      sim.simulate({
        ...sc,
        constraints: undefined,
        cluster: { chip, count },
      }),
    );
    expect(check.run.costUSD).toBeLessThanOrEqual(3.0e6);
    expect(check.run.effectiveDays!).toBeLessThanOrEqual(60);
  });

  it("names a bad constraint field", async () => {
    const r = (await simulator()).feasible(
      untyped({ ...small(8), constraints: { powerMW: -3, deadlineDays: "soon" } }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.path).sort()).toEqual([
        "constraints.deadlineDays",
        "constraints.powerMW",
      ]);
  });
});

describe("match", () => {
  it("finds a count of a weaker chip at least as fast as the reference, and it is the smallest it tried", async () => {
    const sim = await simulator();
    const ref = { ...small(64), training: { tokens: 1e11, seqLen: 2048, globalBatch: 512 } };
    const m = sim.match(ref, { chip: "nvidia-h20-96gb" });
    if (!m.ok) throw new Error(JSON.stringify(m.errors));
    expect(m.count).toBeGreaterThan(64);
    expect(m.effectiveDays!).toBeLessThanOrEqual(m.reference.effectiveDays!);
    expect(m.chipRatio).toBe(m.count / 64);
    // Half the count is slower than the reference.
    const half = sim.search({ ...ref, cluster: { chip: "nvidia-h20-96gb", count: m.count / 2 } });
    if (half.ok) expect(half.best.run.effectiveDays!).toBeGreaterThan(m.reference.effectiveDays!);
    expect(m.equalPower!.powerMW).toBeLessThanOrEqual(m.reference.powerMW * (1 + 1e-9));
  });

  it("names an unknown chip", async () => {
    const m = (await simulator()).match(small(8), { chip: "nvidia-h999" });
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.errors[0].path).toBe("chip");
  });
});

describe("limits and uncertainty", () => {
  it("ranks levers; a compute-bound H20 run is limited by peak FLOPs, not bandwidth", async () => {
    const sim = await simulator();
    const r = sim.limits({
      model: "llama3-8b",
      training: { tokens: 1e12, seqLen: 8192, globalBatch: 512 },
      cluster: { chip: "nvidia-h20-96gb", count: 64 },
      parallelism: { tp: 8, pp: 1, dp: 8 },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.levers[0].parameter).toBe("peakFlops");
    expect(r.levers[0].saves).toBeGreaterThan(0.05);
    expect(r.levers[0].saves).toBeLessThan(0.091); // at most 1 - 1/1.1
    for (let k = 1; k < r.levers.length; k++)
      expect(r.levers[k].saves).toBeLessThanOrEqual(r.levers[k - 1].saves);
    expect(r.summary).toMatch(/^limited by peakFlops/);
    const hbm = r.levers.find((l) => l.parameter === "hbmBandwidth")!;
    expect(hbm.words).toMatch(/saves/);
  });

  it("a given plan is judged on the changed hardware: a larger domain pulls its all-to-all into scale-up", async () => {
    const sim = await simulator();
    const sc = (domain: number) =>
      ({
        model: {
          name: "moe",
          layers: 4,
          hidden: 1024,
          ffnHidden: 4096,
          heads: 16,
          kvHeads: 16,
          vocab: 51200,
          mlp: "gelu",
          moe: { experts: 16, active: 2, shared: 0, expertFfnHidden: 1024, denseLayers: 0 },
        },
        training: { tokens: 1e10, seqLen: 2048, globalBatch: 64 },
        cluster: {
          chip: "nvidia-h100-sxm5-80gb",
          count: 16,
          system: { id: "nvidia-dgx-h100", scaleUpDomain: domain },
        },
        parallelism: { tp: 1, pp: 1, dp: 16, ep: 16, microBatch: 2 },
      }) satisfies Scenario;
    const r = sim.limits(sc(8));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const lever = r.levers.find((l) => l.parameter === "domainSize")!;
    expect(lever.replanned).toBe(false);
    const time = (domain: number) => ok(sim.simulate(sc(domain))).step.timeS;
    expect(lever.saves).toBeCloseTo(1 - time(16) / time(8), 12);
    expect(lever.saves).toBeGreaterThan(0.005);
    // An auto plan (feasible hands limits the plan its search chose) is searched again instead.
    const f = sim.feasible({ ...sc(8), parallelism: "auto" });
    if (!f.ok) throw new Error(JSON.stringify(f.errors));
    expect(f.limits.find((l) => l.parameter === "domainSize")!.replanned).toBe(true);
    expect(f.limits.find((l) => l.parameter === "domainSize")!.words).toContain(
      "(plan searched again)",
    );
  });

  it("the uncertainty band brackets the estimate", async () => {
    const r = ok((await simulator()).simulate(small(64)));
    expect(r.uncertainty.days[0]).toBeLessThan(r.run.days);
    expect(r.uncertainty.days[1]).toBeGreaterThan(r.run.days);
    expect(r.uncertainty.energyMWh[0] / r.run.energyMWh).toBeCloseTo(
      r.uncertainty.days[0] / r.run.days,
      12,
    );
  });
});

describe("answers agree with their definitions", () => {
  it("goodput falls monotonically with chip count at a fixed failure rate", async () => {
    const sim = await simulator();
    const goodput = (count: number) =>
      ok(
        sim.simulate({
          ...small(count),
          training: { tokens: 1e12, seqLen: 2048, globalBatch: 1 << 20 },
          parallelism: { tp: 1, pp: 1, dp: count },
        }),
      ).run.goodput;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 4 }), (a, d) => {
        expect(goodput(2 ** (a + d))).toBeLessThan(goodput(2 ** a));
      }),
      { numRuns: 40 },
    );
  });

  it("match is minimal: the plannable count just below it misses the reference time", async () => {
    const sim = await simulator();
    const ref = { ...small(64), training: { tokens: 1e11, seqLen: 2048, globalBatch: 512 } };
    for (const chip of ["nvidia-h20-96gb", "nvidia-a100-sxm4-80gb"]) {
      const m = sim.match(ref, { chip });
      if (!m.ok) throw new Error(JSON.stringify(m.errors));
      const rs = resolve({
        ...ref,
        training: { ...ref.training, globalBatch: m.globalBatch },
        cluster: { chip, count: m.count },
      });
      if (!rs.ok) throw new Error("resolve");
      const counts = plannableCounts(rs.value, m.count);
      expect(counts[counts.length - 1]).toBe(m.count);
      const below = sim.search({
        ...ref,
        training: { ...ref.training, globalBatch: m.globalBatch },
        cluster: { chip, count: counts[counts.length - 2] },
      });
      if (below.ok)
        expect(below.best.run.effectiveDays!).toBeGreaterThan(m.reference.effectiveDays!);
    }
  });

  it("each lever's elasticity agrees with a 1% central finite difference computed here", async () => {
    const sim = await simulator();
    const plan = { tp: 8, pp: 2, dp: 4, recompute: "selective" as const };
    const sc = {
      ...small(64),
      model: "llama3-8b",
      training: { tokens: 1e11, seqLen: 8192, globalBatch: 64 },
      parallelism: plan,
    };
    const r = sim.limits(sc);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const h100 = chips.find((c) => c.id === "nvidia-h100-sxm5-80gb")!;
    const time = (f: number, field: "bf16Tflops" | "hbmTBps") =>
      ok(
        sim.simulate({
          ...sc,
          cluster: {
            chip: {
              id: h100.id,
              [field]: h100[field]! * f,
              ...(field === "bf16Tflops"
                ? { fp8Tflops: h100.fp8Tflops! * f, fp16Tflops: h100.fp16Tflops! * f }
                : {}),
            },
            count: 64,
          },
        }),
      ).step.timeS;
    for (const [param, field] of [
      ["peakFlops", "bf16Tflops"],
      ["hbmBandwidth", "hbmTBps"],
    ] as const) {
      const fd = Math.log(time(1.01, field) / time(0.99, field)) / Math.log(1.01 / 0.99);
      const lever = r.levers.find((l) => l.parameter === param)!;
      expect(Math.abs(lever.elasticity - fd), param).toBeLessThan(0.05);
      expect(lever.saves).toBeCloseTo(1 - time(1.1, field) / time(1, field), 12);
    }
  });
});
