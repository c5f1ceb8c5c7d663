// The worker pool gives the single-thread answer, reports progress, and cancels.
import { describe, it, expect, afterAll } from "vitest";
import { createPool, type Pool, type Scenario } from "chipscale";
import { simulator, untyped } from "./helpers.js";

const sc = {
  model: "llama3-70b",
  training: { tokens: 1e12, seqLen: 8192, globalBatch: 1024 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024 },
  parallelism: "auto",
} satisfies Scenario;
let pool: Pool;
afterAll(() => pool?.close());

describe("worker pool", () => {
  it("search: same best plan, time and counts as one thread; progress reaches 1", async () => {
    pool = await createPool(2);
    const one = (await simulator()).search(sc, { top: 4 });
    let progress = 0;
    const many = await pool.search(
      sc,
      { top: 4 },
      {
        onProgress: (f) => {
          progress = f;
        },
      },
    );
    if (!one.ok || !many.ok) throw new Error("search failed");
    expect(many.best.plan).toEqual(one.best.plan);
    expect(many.best.step.timeS).toBe(one.best.step.timeS);
    expect(many.byEnergy.run.energyMWh).toBe(one.byEnergy.run.energyMWh);
    expect(many.top.map((p) => p.stepS)).toEqual(one.top.map((p) => p.stepS));
    expect([many.candidates, many.evaluated, many.pruned]).toEqual([
      one.candidates,
      one.evaluated,
      one.pruned,
    ]);
    expect(progress).toBe(1);
  });

  it("sweep: columns in the order of the values", async () => {
    const one = (await simulator()).sweep(sc, {
      axis: "count",
      values: [256, 512, 1024, 2048, 4096],
    });
    const many = await pool.sweep(sc, { axis: "count", values: [256, 512, 1024, 2048, 4096] });
    if (!one.ok || !many.ok) throw new Error("sweep failed");
    expect(many.columns.days).toEqual(one.columns.days);
    const by = { axis: "chip" as const, values: ["nvidia-h100-sxm5-80gb", "nvidia-h20-96gb"] };
    const oneBy = (await simulator()).sweep(sc, { axis: "count", values: [512, 1024, 2048], by });
    const manyBy = await pool.sweep(sc, { axis: "count", values: [512, 1024, 2048], by });
    if (!oneBy.ok || !manyBy.ok) throw new Error("sweep failed");
    expect(manyBy.series?.map((s) => s.columns.days)).toEqual(
      oneBy.series?.map((s) => s.columns.days),
    );
  });

  it("an abort rejects with AbortError and the pool keeps working", async () => {
    const ac = new AbortController();
    const run = pool.search(
      {
        ...sc,
        model: "deepseek-v3",
        cluster: { chip: "nvidia-h800-sxm5-80gb", count: 2048 },
        training: { tokens: 1e12, seqLen: 4096, globalBatch: 15360 },
      },
      {},
      { signal: ac.signal },
    );
    ac.abort();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    const again = await pool.search(sc, { top: 1 });
    expect(again.ok).toBe(true);
  });

  it("bad input comes back as field-named errors", async () => {
    const r = await pool.search(untyped({ ...sc, cluster: { chip: "nope", count: 0 } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain("cluster.count");
  });
});
