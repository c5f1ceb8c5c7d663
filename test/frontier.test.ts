// The export-control frontier and the chip figures behind the page's sliders.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  EXPORT_RULES,
  allowedBy,
  classify,
  findChip,
  hypotheticalChip,
  thresholds,
  tpp,
  type FrontierResult,
  type Scenario,
} from "chipscale";
import { simulator, ok, untyped } from "./helpers.js";

const llama70b: Scenario = {
  model: "llama3-70b",
  training: { tokens: 15e12, seqLen: 8192, globalBatch: 2048 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8192 },
};
const h100 = findChip("nvidia-h100-sxm5-80gb")!;
const oct2023 = EXPORT_RULES.find((r) => r.id === "oct2023")!;

function frontierOk(r: Awaited<ReturnType<Awaited<ReturnType<typeof simulator>>["frontier"]>>) {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r as FrontierResult;
}

describe("hypotheticalChip", () => {
  it("moves the rates that follow a slider, so TPP follows it", () => {
    const h20 = findChip("nvidia-h20-96gb")!;
    expect(tpp(h20)).toBe(2368); // 148 TF x 16
    const both = hypotheticalChip(h20, { bf16Tflops: 307, fp8Tflops: 614 });
    expect(both.fp16Tflops).toBe(307);
    expect(both.int8Tops).toBe(614);
    expect(tpp(both)).toBe(4912); // 307 x 16: over 4,800, now 3A090.a
    expect(classify(both).find((c) => c.rule === "oct2023")!.class).toBe("3A090.a");
    // BF16 alone leaves the FP8 rate, and TPP is the max over precisions.
    expect(tpp(hypotheticalChip(h20, { bf16Tflops: 100 }))).toBe(2368);
    // Scale-up I/O counted by Oct 2022 moves with the scale-up figure (1028 = 900 NVLink + 128 PCIe).
    expect(hypotheticalChip(h20, { scaleUpGBps: 400 }).ioGBps).toBe(528);
  });

  it("an A100 without an FP8 figure: INT8 follows BF16", () => {
    const a100 = findChip("nvidia-a100-sxm4-80gb")!;
    expect(tpp(hypotheticalChip(a100, { bf16Tflops: 156 }))).toBe(2496);
  });
});

describe("chip figures in a scenario", () => {
  it("a chip override of the scale-up domain is no longer shadowed by the catalog system", async () => {
    const sim = await simulator();
    const base = ok(sim.simulate({ ...llama70b, parallelism: "auto" }));
    const wide = ok(
      sim.simulate({
        ...llama70b,
        cluster: { chip: { id: h100.id, scaleUpDomain: 64 }, count: 8192 },
      }),
    );
    expect(wide.run.days).toBeLessThan(base.run.days);
    const slow = ok(
      sim.simulate({
        ...llama70b,
        cluster: { chip: { id: h100.id, scaleUpGBps: 90 }, count: 8192 },
      }),
    );
    expect(slow.run.days).toBeGreaterThan(base.run.days);
  });

  it("every chip figure is a sweep axis that changes the answer", async () => {
    const sim = await simulator();
    const cases: [string, number[]][] = [
      ["bf16Tflops", [500, 989.5]],
      ["hbmTBps", [1, 3.35]],
      ["hbmGB", [40, 80]],
      ["scaleUpGBps", [90, 900]],
      ["scaleUpDomain", [8, 64]],
      ["scaleOutGbps", [50, 400]],
      ["tdpW", [350, 700]],
    ];
    for (const [axis, values] of cases) {
      const r = sim.sweep(llama70b, { axis: axis as "hbmTBps", values });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const col = axis === "tdpW" ? r.columns.energyMWh : r.columns.days;
      expect(col[0], axis).not.toBe(col[1]);
    }
    // FP8 moves only an FP8 run.
    const fp8 = sim.sweep(
      { ...llama70b, training: { ...llama70b.training, precision: "fp8" } },
      { axis: "fp8Tflops", values: [1000, 1979] },
    );
    if (!fp8.ok) throw new Error(JSON.stringify(fp8.errors));
    expect(fp8.columns.days[0]!).toBeGreaterThan(fp8.columns.days[1]!);
  });
});

describe("frontier", () => {
  it("Llama 3 70B on 8,192 chips under Oct 2023: the best allowed chip sits one TPP under 2,400", async () => {
    const sim = await simulator();
    const f = frontierOk(sim.frontier(llama70b, { rule: "oct2023" }));
    expect(f.rule).toEqual({ id: "oct2023", name: oct2023.name, allowed: "not controlled" });
    expect(f.best.tpp).toBe(2399);
    expect(f.best.bf16Tflops).toBe(2399 / 16);
    expect(f.best.class).toBe("not controlled");
    expect(f.best.heldBy[0]).toEqual({ by: "threshold", metric: "tpp", threshold: 2400 });
    // Memory and interconnect at their bounds, the H100's own.
    expect([f.best.hbmGB, f.best.hbmTBps, f.best.scaleUpGBps, f.best.scaleUpDomain]).toEqual([
      80, 3.35, 900, 8,
    ]);
    expect(f.reference).toMatchObject({ chip: h100.id, count: 8192, tpp: 15832, class: "3A090.a" });
    expect(f.result.run.effectiveDays!).toBeGreaterThan(f.reference.days!);
    // What backs its days is its simulate answer's stack and band.
    expect(f.calibration).toEqual({
      stack: f.result.stack.id,
      calibrated: f.result.stack.status === "calibrated",
      records: f.result.uncertainty.records,
      errorRange: f.result.uncertainty.errorRange,
    });
    // The match trains at least as fast as the reference, with more chips.
    expect(f.match!.count).toBeGreaterThan(8192);
    expect(f.match!.days!).toBeLessThanOrEqual(f.reference.days!);
    // The chart: the real H20 sits just left of the frontier chip and is slower; the H100 is not allowed.
    const h20 = f.realChips.find((c) => c.id === "nvidia-h20-96gb")!;
    expect(h20).toMatchObject({ tpp: 2368, class: "not controlled", allowed: true });
    expect(h20.days!).toBeGreaterThan(f.result.run.effectiveDays!);
    expect(f.realChips.find((c) => c.id === h100.id)!.allowed).toBe(false);
    expect(f.curve.length).toBe(15);
    expect(f.curve.some((p) => p.allowed) && f.curve.some((p) => !p.allowed)).toBe(true);
  });

  it("respects every limit of the rule, and a chip just over the limit is faster", async () => {
    const sim = await simulator();
    const f = frontierOk(sim.frontier(llama70b, { rule: "oct2023", chart: false }));
    const chip = hypotheticalChip(h100, f.best.override);
    const cls = classify(chip).find((c) => c.rule === "oct2023")!;
    expect(allowedBy(oct2023, cls)).toBe(true);
    // Every Oct 2023 clause misses: no TPP/PD clause of 3A090.a or .b holds.
    const pd = tpp(chip)! / chip.dieAreaMm2!;
    for (const c of oct2023.classes)
      for (const clause of c.anyOf) {
        const holds =
          (clause.tppMin === undefined || tpp(chip)! >= clause.tppMin) &&
          (clause.tppBelow === undefined || tpp(chip)! < clause.tppBelow) &&
          (clause.pdMin === undefined || pd >= clause.pdMin) &&
          (clause.pdBelow === undefined || pd < clause.pdBelow);
        expect(holds, `${c.name} ${JSON.stringify(clause)}`).toBe(false);
      }
    // One TPP unit over the threshold that holds it: 3A090.b, and faster.
    const over = { ...f.best.override, bf16Tflops: 2401 / 16, fp8Tflops: 2401 / 8 };
    const overChip = hypotheticalChip(h100, over);
    expect(tpp(overChip)).toBe(2401);
    expect(classify(overChip).find((c) => c.rule === "oct2023")!.class).toBe("3A090.b");
    const faster = ok(sim.simulate({ ...llama70b, cluster: { chip: over, count: 8192 } }));
    expect(faster.run.effectiveDays!).toBeLessThan(f.result.run.effectiveDays!);
  });

  it("Oct 2022 keeps the H100's FLOP/s and cuts its I/O under 600 GB/s (the H800's answer)", async () => {
    const sim = await simulator();
    const f = frontierOk(sim.frontier(llama70b, { rule: "oct2022", chart: false }));
    expect(f.best.bf16Tflops).toBe(989.5);
    expect(f.best.scaleUpGBps).toBe(599 - 128); // io 599 = NVLink + 128 GB/s PCIe
    expect(f.best.heldBy[2]).toEqual({ by: "threshold", metric: "io", threshold: 600 });
  });

  it("bounds the user moves hold: the best chip never exceeds one, and is always allowed", async () => {
    const sim = await simulator();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          bf16Tflops: fc.double({ min: 50, max: 3000, noNaN: true }),
          hbmTBps: fc.double({ min: 1, max: 10, noNaN: true }),
          scaleUpGBps: fc.double({ min: 100, max: 2000, noNaN: true }),
          dieAreaMm2: fc.double({ min: 300, max: 3000, noNaN: true }),
        }),
        fc.constantFrom("oct2022", "oct2023", "jan2026"),
        async (bounds, rule) => {
          const f = sim.frontier(llama70b, { rule, bounds, chart: false });
          if (!f.ok) {
            // Only "nothing allowed within these bounds", named at the bounds.
            expect(f.errors.map((e) => e.path)).toEqual(["bounds"]);
            return;
          }
          expect(f.best.bf16Tflops).toBeLessThanOrEqual(bounds.bf16Tflops * (1 + 1e-12));
          expect(f.best.hbmTBps).toBeLessThanOrEqual(bounds.hbmTBps);
          expect(f.best.scaleUpGBps).toBeLessThanOrEqual(bounds.scaleUpGBps);
          const r = EXPORT_RULES.find((x) => x.id === rule)!;
          const chip = hypotheticalChip(
            { ...h100, dieAreaMm2: bounds.dieAreaMm2 },
            f.best.override,
          );
          expect(
            allowedBy(
              r,
              classify(chip).find((c) => c.rule === rule)!,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("names each bad input's field", async () => {
    const sim = await simulator();
    const bad = sim.frontier(llama70b, {
      rule: "apr2025-h20",
      bounds: { hbmTBps: -1, nope: 1 } as never,
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.path)).toEqual(["rule", "bounds.hbmTBps", "bounds.nope"]);
    const scen = sim.frontier(
      { ...llama70b, cluster: { chip: "nope", count: 8 } },
      { rule: "oct2023" },
    );
    expect(scen.ok ? [] : scen.errors.map((e) => e.path)).toEqual(["cluster.chip"]);
  });

  it("runs under the same guards as every answer: inputs read once, one budget, no deep nesting", async () => {
    const sim = await simulator();
    const getter = {
      get model(): string {
        throw new Error("boom");
      },
    };
    const thrown = sim.frontier(untyped(getter), { rule: "oct2023" });
    expect(thrown.ok ? [] : thrown.errors).toEqual([
      {
        path: "model",
        code: "unreadable-input",
        data: { reason: "threw" },
        message: "could not be read: boom",
      },
    ]);
    // Its searches share one budget: a small one stops the whole answer with a named error.
    const small = sim.frontier(llama70b, { rule: "oct2023", chart: false, budget: { plans: 50 } });
    expect(small.ok ? [] : small.errors.map((e) => [e.path, e.code])).toEqual([
      ["parallelism", "budget"],
    ]);
    // A scenario changed after the call started is not seen: the answer is the one asked for.
    const live = structuredClone(llama70b) as Scenario;
    const before = frontierOk(sim.frontier(live, { rule: "oct2023", chart: false }));
    const changing = {
      ...live,
      get cluster() {
        return { chip: "nvidia-h100-sxm5-80gb", count: (n += 1024) };
      },
    };
    let n = 8192 - 1024;
    const once = frontierOk(sim.frontier(changing, { rule: "oct2023", chart: false }));
    expect(once.result.run.effectiveDays).toBe(before.result.run.effectiveDays);
  });

  it("thresholds lists each rule's bounds per metric", () => {
    expect(thresholds(oct2023)).toEqual({
      tpp: [1600, 2400, 4800],
      pd: [1.6, 3.2, 5.92],
      io: [],
      dram: [],
    });
  });
});
