// Each break an outside probe found (issue 20), as a test: a work budget, inputs read once,
// re-entrant callbacks, the pool under load, sweep values and axes, physical floors.
import { describe, it, expect, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { createPool, type Pool, type Failure, type Scenario, type SearchResult } from "chipscale";
import { simulator, ok, untyped } from "./helpers.js";

const small = {
  model: "llama3-8b",
  training: { tokens: 1e12, seqLen: 4096, globalBatch: 256 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
  parallelism: { tp: 8, pp: 1, dp: 8 },
} satisfies Scenario;
const gpt3Auto = {
  ...JSON.parse(readFileSync(new URL("../examples/gpt3-1024-a100.json", import.meta.url), "utf8")),
  parallelism: "auto",
};
// The probe's search that ran 221.6 s (947,901,360 plans) before there was a budget.
const hugeMoe = {
  model: {
    name: "x",
    layers: 100000,
    hidden: 16384,
    ffnHidden: 65536,
    heads: 128,
    kvHeads: 8,
    vocab: 128000,
    mlp: "swiglu",
    moe: { experts: 720720, active: 8, shared: 0, expertFfnHidden: 2048, denseLayers: 0 },
  },
  training: { tokens: 1e12, seqLen: 65536, globalBatch: 735134400 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 735134400 },
  parallelism: "auto",
} satisfies Scenario;

function failed(r: { ok: boolean }): Failure {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r).slice(0, 200)}`);
  return r as Failure;
}
const paths = (r: { ok: boolean }) => failed(r).errors.map((e) => e.path);

describe("a work budget bounds every search", () => {
  it("the probe's huge MoE search stops at the default budget with a named error", async () => {
    const sim = await simulator();
    const r = failed(sim.search(hugeMoe));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ path: "parallelism", code: "budget" });
    expect(r.errors[0].data).toMatchObject({ limit: "plans", plans: 2_000_000 });
  });

  it("a search that reaches its budget returns its best so far and says so", async () => {
    const sim = await simulator();
    const full = sim.search(gpt3Auto) as SearchResult;
    expect(full.stoppedEarly).toBeNull();
    const part = sim.search(gpt3Auto, { budget: { plans: 300 } }) as SearchResult;
    expect(part.ok).toBe(true);
    expect(part.stoppedEarly).toMatchObject({ code: "budget", limit: "plans", evaluated: 300 });
    expect(part.stoppedEarly!.meshesDone).toBeLessThan(part.stoppedEarly!.meshesTotal);
    expect(part.best.warnings.find((w) => w.code === "search-stopped")).toMatchObject({
      path: "parallelism",
      data: { evaluated: 300 },
    });
    // A partial search can only be as fast as the whole one, never faster.
    expect(part.best.step.timeS).toBeGreaterThanOrEqual(full.best.step.timeS);
    // simulate(auto) carries the same typed stop.
    const one = ok(sim.simulate(gpt3Auto, { budget: { plans: 300 } }));
    expect(one.stoppedEarly?.code).toBe("budget");
    // A budget above the plans needed changes nothing.
    const same = sim.search(gpt3Auto, { budget: { plans: full.evaluated } }) as SearchResult;
    expect(same.stoppedEarly).toBeNull();
    expect(same.best.plan).toEqual(full.best.plan);
  });

  it("feasible, match, limits and sweep share one budget and fail by name when it runs out", async () => {
    const sim = await simulator();
    const budget = { plans: 50 };
    const withDeadline = { ...gpt3Auto, constraints: { deadlineDays: 1 } };
    for (const r of [
      sim.feasible(withDeadline, { budget }),
      sim.match(gpt3Auto, { chip: "nvidia-h20-96gb" }, { budget }),
      sim.limits(gpt3Auto, { budget }),
      sim.sweep(gpt3Auto, { axis: "count", values: [512, 1024], budget }),
    ])
      expect(failed(r).errors[0]).toMatchObject({ path: "parallelism", code: "budget" });
  });

  it("a bad budget is named", async () => {
    const sim = await simulator();
    expect(paths(sim.search(small, { budget: { plans: 0 } }))).toEqual(["budget.plans"]);
    expect(paths(sim.search(small, { budget: { ms: -1 } }))).toEqual(["budget.ms"]);
    expect(paths(sim.search(small, { budget: 5 as never }))).toEqual(["budget"]);
  });
});

describe("inputs are read once; what cannot be read is named", () => {
  it("a throwing getter and a throwing Proxy become field-named errors", async () => {
    const sim = await simulator();
    const getter = {
      get model(): string {
        throw new Error("boom");
      },
    };
    for (const r of [
      sim.simulate(untyped(getter)),
      sim.search(untyped(getter)),
      sim.feasible(untyped(getter)),
    ])
      expect(failed(r).errors[0]).toEqual({
        path: "model",
        code: "unreadable-input",
        data: { reason: "threw" },
        message: "could not be read: boom",
      });
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw 1;
        },
      },
    );
    for (const r of [
      sim.simulate(untyped(trap)),
      sim.search(untyped(trap)),
      sim.match(untyped(trap), { chip: "x" }),
    ])
      expect(paths(r)).toEqual([""]);
    const deep = {
      ...small,
      cluster: new Proxy(small.cluster, {
        get: () => {
          throw new Error("no");
        },
      }),
    };
    expect(paths(sim.simulate(deep))).toEqual(["cluster.chip"]);
  });

  it("a getter is read once: a scenario that changes under the reader gets one answer", async () => {
    const sim = await simulator();
    let reads = 0;
    const flaky = {
      ...small,
      get training() {
        reads++;
        return reads === 1 ? small.training : { tokens: -1 };
      },
    };
    ok(sim.simulate(untyped(flaky)));
    expect(reads).toBe(1);
  });

  it("null options mean none; a target of null is named", async () => {
    const sim = await simulator();
    expect(sim.simulate(small, null).ok).toBe(true);
    expect(sim.search(small, null).ok).toBe(true);
    expect(sim.limits(small, null).ok).toBe(true);
    expect(sim.feasible(small, null).ok).toBe(true);
    expect(paths(sim.match(small, null as never))).toEqual(["chip"]);
    expect(paths(sim.sweep(small, null as never))).toEqual(["axis", "values"]);
    expect(paths(sim.search(small, 7 as never))).toEqual(["options"]);
  });

  it("options that throw, or have the wrong type, are named", async () => {
    const sim = await simulator();
    const hostile = {
      get top(): number {
        throw new Error("x");
      },
    };
    expect(paths(sim.search(small, hostile))).toEqual(["top"]);
    expect(paths(sim.search(small, { top: 0 }))).toEqual(["top"]);
    expect(paths(sim.search(small, { top: "x" as never }))).toEqual(["top"]);
    expect(paths(sim.search(small, { top: 1e9 }))).toEqual(["top"]);
    expect(paths(sim.search(small, { onProgress: 5 as never }))).toEqual(["onProgress"]);
    expect(paths(sim.search(small, { exhaustive: "yes" as never }))).toEqual(["exhaustive"]);
    expect(paths(sim.search(small, { shard: { index: 2, count: 2 } }))).toEqual(["shard"]);
  });
});

describe("re-entrant calls from a progress callback", () => {
  it("a simulation run inside onProgress leaves the outer search's answer unchanged", async () => {
    const sim = await simulator();
    const plain = sim.search(gpt3Auto) as SearchResult;
    let calls = 0;
    const nested = sim.search(gpt3Auto, {
      onProgress: () => {
        calls++;
        ok(sim.simulate(small));
      },
    }) as SearchResult;
    expect(calls).toBeGreaterThan(1);
    expect(nested.ok).toBe(true);
    expect(nested.best.plan).toEqual(plain.best.plan);
    expect(nested.best.step.timeS).toBe(plain.best.step.timeS);
    expect(nested.evaluated).toBe(plain.evaluated);
    expect(nested.top.map((t) => t.stepS)).toEqual(plain.top.map((t) => t.stepS));
  });

  it("a callback that throws, or recurses without end, is named", async () => {
    const sim = await simulator();
    const threw = failed(
      sim.search(small, {
        onProgress: () => {
          throw new Error("oops");
        },
      } as never),
    );
    expect(threw.errors[0].path).toBe("onProgress");
    const auto = { ...small, parallelism: "auto" } satisfies Scenario;
    const recurse = (): unknown => sim.search(auto, { onProgress: recurse });
    const deep = recurse() as Failure;
    expect(deep.ok).toBe(false);
    expect(deep.errors[0].path).toBe("onProgress");
  });
});

describe("sweeps refuse nonsense values and axes", () => {
  it("NaN, Infinity, BigInt and objects as values are named by index", async () => {
    const sim = await simulator();
    expect(paths(sim.sweep(small, { axis: "count", values: [8, NaN] }))).toEqual(["values[1]"]);
    expect(paths(sim.sweep(small, { axis: "count", values: [Infinity] }))).toEqual(["values[0]"]);
    expect(paths(sim.sweep(small, { axis: "count", values: [8n as never] }))).toEqual([
      "values[0]",
    ]);
    expect(
      paths(
        sim.sweep(small, {
          axis: "count",
          values: [8],
          by: { axis: "tokens", values: [{} as never] },
        }),
      ),
    ).toEqual(["by.values[0]"]);
  });

  it("constructor, __proto__ and toString are not axes", async () => {
    const sim = await simulator();
    for (const axis of ["constructor", "__proto__", "toString", "hasOwnProperty"])
      expect(paths(sim.sweep(small, { axis: axis as never, values: [8] }))).toEqual(["axis"]);
  });
});

describe("physical floors", () => {
  it("one token still runs one whole step", async () => {
    const sim = await simulator();
    const r = ok(sim.simulate({ ...small, training: { ...small.training, tokens: 1 } }));
    expect(r.run.steps).toBe(1);
    expect(r.run.days).toBe(r.step.timeS / 86400);
  });

  it("a billion chips on a billion-sequence batch run at least one step", async () => {
    const sim = await simulator();
    const r = sim.simulate({
      ...small,
      training: { ...small.training, globalBatch: 1e9 },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1e9 },
      parallelism: { tp: 1, pp: 1, dp: 1e9 },
    });
    if (r.ok) expect(r.run.steps).toBeGreaterThanOrEqual(1);
    else expect(r.errors.length).toBeGreaterThan(0);
  });

  it("values that would make power 0 or time negative are refused by name", async () => {
    const sim = await simulator();
    expect(
      paths(
        sim.simulate({
          ...small,
          cluster: {
            chip: { id: "nvidia-h100-sxm5-80gb", tdpW: 5e-324 },
            count: 64,
            system: { hostWPerChip: 0 },
          },
        }),
      ),
    ).toEqual(["cluster.chip.tdpW"]);
    expect(paths(sim.simulate(small, { calibration: { loadFactor: 5e-324 } }))).toEqual([
      "calibration.loadFactor",
    ]);
    expect(paths(sim.simulate(small, { calibration: { matmulHalfDim: 1e9 } }))).toEqual([
      "calibration.matmulHalfDim",
    ]);
  });

  it("memory-bound time is never negative, even when the GEMMs dwarf it", async () => {
    const sim = await simulator();
    const r = ok(sim.simulate(small, { calibration: { matmulHalfDim: 65536 } }));
    expect(r.step.memoryBoundS).toBeGreaterThan(0);
    expect(r.step.matmulS + r.step.memoryBoundS).toBeLessThanOrEqual(r.step.computeS * (1 + 1e-12));
  });

  it("a calibration override outside its range keeps its answer inside the band", async () => {
    const sim = await simulator();
    for (const matmulEfficiency of [0.5, 0.95, 1, 0.01]) {
      const r = ok(sim.simulate(small, { calibration: { matmulEfficiency } }));
      const [lo, hi] = r.uncertainty.days;
      expect(lo).toBeLessThanOrEqual(r.run.days);
      expect(hi).toBeGreaterThanOrEqual(r.run.days);
    }
    // The defaults keep their published band exactly.
    const d = ok(sim.simulate(small));
    expect(d.uncertainty.days[0]).toBeLessThan(d.run.days);
    expect(d.uncertainty.days[1]).toBeGreaterThan(d.run.days);
  });
});

describe("the pool under load", () => {
  let pool: Pool;
  afterAll(() => pool?.close());
  const threads = () => {
    try {
      return Number(/Threads:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]);
    } catch {
      return NaN; // not Linux: the thread count is not checked
    }
  };

  it("spawns each worker once however many calls arrive while it starts", async () => {
    pool = await createPool(2);
    const before = threads();
    const auto = { ...small, parallelism: "auto" } satisfies Scenario;
    const all = await Promise.all(Array.from({ length: 50 }, () => pool.search(auto, { top: 1 })));
    expect(all.every((r) => r.ok)).toBe(true);
    const plans = new Set(all.map((r) => JSON.stringify((r as SearchResult).best.plan)));
    expect(plans.size).toBe(1);
    // Two workers add a few threads each (V8 and libuv); a spawn per call added about two per call.
    if (!Number.isNaN(before)) expect(threads() - before).toBeLessThan(40);
  });

  it("names bad options before any worker sees them", async () => {
    pool ??= await createPool(2);
    for (const top of [0, "x", 1e9])
      expect(paths(await pool.search(small, { top: top as never }))).toEqual(["top"]);
    expect(
      paths(
        await pool.search(
          untyped({
            get model(): never {
              throw new Error("x");
            },
          }),
        ),
      ),
    ).toEqual(["model"]);
    expect(paths(await pool.sweep(small, { axis: "constructor" as never, values: [8] }))).toEqual([
      "axis",
    ]);
    await expect(createPool("x" as never)).rejects.toMatchObject({ path: "size" });
  });
});
