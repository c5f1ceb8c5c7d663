// The public surface, pinned: adding or removing an export is a deliberate change.
import { describe, it, expect } from "vitest";
import * as api from "chipscale";
import { factText } from "chipscale";
import { readFileSync } from "node:fs";

describe("public API", () => {
  it("exports exactly these names", () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        "CALIBRATION",
        "CHIP_FIGURES",
        "DEFAULTS",
        "FRONTIER_BOUNDS",
        "allowedBy",
        "hypotheticalChip",
        "thresholds",
        "EXPORT_RULES",
        "Pool",
        "Simulator",
        "createPool",
        "chips",
        "classify",
        "allInPower",
        "compareSystems",
        "NETWORK_W_PER_CHIP",
        "conflictFigure",
        "exportClass",
        "exportClassEstimated",
        "estimatedMetrics",
        "findChip",
        "findModel",
        "findSystem",
        "shortChipName",
        "load",
        "metrics",
        "models",
        "performanceDensity",
        "RECOMPUTE_MODULES",
        "SERVING",
        "SERVING_STACKS",
        "SERVING_STACK_IDS",
        "COMPARE_CHIPS",
        "RECOMPUTE_MODULE_WORDS",
        "recomputeText",
        "offloadText",
        "STACKS",
        "STACK_IDS",
        "chipClass",
        "defaultStack",
        "systems",
        "tpp",
        "factText",
        "parseScenario",
        "parseServeScenario",
        "countsAtOrBelow",
        "countsAbove",
        "COUNT_FLOOR",
      ].sort(),
    );
  });

  it("has zero runtime dependencies and types first in exports", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.exports["."])[0]).toBe("types");
  });

  it("refuses a core built for another ABI", async () => {
    // A minimal module exporting abiVersion() = 999.
    const wasm = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 14, 1, 10, 97, 98, 105,
      86, 101, 114, 115, 105, 111, 110, 0, 0, 10, 7, 1, 5, 0, 65, 231, 7, 11,
    ]);
    await expect(api.load({ wasm })).rejects.toThrow(/ABI 999/);
  });

  it("keeps wasm memory flat over many calls", async () => {
    const sim = await api.load();
    const sc = JSON.parse(
      readFileSync(new URL("../examples/gpt3-1024-a100.json", import.meta.url), "utf8"),
    );
    const before = sim.wasmMemoryBytes;
    for (let k = 0; k < 20000; k++) sim.simulate(sc);
    expect(sim.wasmMemoryBytes).toBe(before);
  });

  it("names bad calibration overrides and interleaving without a pipeline, field by field", async () => {
    const sim = await api.load();
    const sc = JSON.parse(
      readFileSync(new URL("../examples/gpt3-1024-a100.json", import.meta.url), "utf8"),
    );
    const bad = sim.simulate(sc, {
      calibration: {
        tpOverlap: 2,
        scaleUpEfficiency: 0,
        matmulEficiency: 0.7,
        commSmShare: -0.1,
      } as never,
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.map((e) => e.path).sort()).toEqual([
        "calibration.commSmShare",
        "calibration.matmulEficiency",
        "calibration.scaleUpEfficiency",
        "calibration.tpOverlap",
      ]);
    const flat = sim.simulate({
      ...sc,
      parallelism: { ...sc.parallelism, tp: 8, pp: 1, dp: 128, vpp: 2 },
    });
    expect(flat.ok).toBe(false);
    if (!flat.ok)
      expect(flat.errors).toContainEqual({
        path: "parallelism.vpp",
        code: "vpp-needs-pp",
        data: { vpp: 2 },
        message: "interleaved stages need pipeline parallelism: vpp must be 1 when pp is 1, got 2",
      });
  });

  it("a plan that leaves recompute out gets none with FlashAttention (nothing to drop) and selective without", async () => {
    const sim = await api.load();
    const sc = JSON.parse(
      readFileSync(new URL("../examples/gpt3-1024-a100.json", import.meta.url), "utf8"),
    );
    const plan = { tp: 8, pp: 8, dp: 16 };
    const flash = sim.simulate({ ...sc, parallelism: plan }),
      noFlash = sim.simulate({ ...sc, parallelism: { ...plan, flashAttention: false } });
    expect([flash.ok && flash.plan.recompute, noFlash.ok && noFlash.plan.recompute]).toEqual([
      "none",
      "selective",
    ]);
  });

  it("names bad recompute modules by index, and drops (with a warning) the ones that change nothing", async () => {
    const sim = await api.load();
    const sc = JSON.parse(
      readFileSync(new URL("../examples/gpt3-1024-a100.json", import.meta.url), "utf8"),
    );
    const plan = { tp: 8, pp: 8, dp: 16 };
    const bad = sim.simulate({
      ...sc,
      parallelism: { ...plan, recomputeModules: ["layernorm", "layrnorm", 3] },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map((e) => e.path)).toEqual([
        "parallelism.recomputeModules[1]",
        "parallelism.recomputeModules[2]",
      ]);
      expect(bad.errors[0].message).toMatch(/\(did you mean layernorm\?\)/);
    }
    const notArray = sim.simulate({
      ...sc,
      parallelism: { ...plan, recomputeModules: "layernorm" },
    });
    expect(!notArray.ok && notArray.errors.map((e) => e.path)).toEqual([
      "parallelism.recomputeModules",
    ]);
    // GPT-3 has neither MLA nor experts, and its norms are fused into the GEMMs after them.
    const r = sim.simulate({
      ...sc,
      parallelism: { ...plan, recomputeModules: ["moe_act", "layernorm", "mla_up_proj"] },
    });
    expect(r.ok && r.plan.recomputeModules).toEqual([]);
    expect(
      r.warnings
        .filter((w) => w.code === "recompute-module-dropped")
        .map((w) => factText(w).slice(0, 70)),
    ).toEqual(
      [
        "parallelism.recomputeModules: \"layernorm\" dropped: this model's norms are fused into the GEMMs after them (Transformer Engine LayerNormLinear), which keep their outputs; only MLA's attention norm and an MoE layer's pre-MLP norm have outputs to drop",
        'parallelism.recomputeModules: "mla_up_proj" dropped: the model has no MLA up-projections',
        'parallelism.recomputeModules: "moe_act" dropped: the model has no routed experts',
      ].map((w) => w.slice(0, 70)),
    );
    const holes = sim.simulate({
      ...sc,
      parallelism: { ...plan, recomputeModules: [, "layernorm"] },
    });
    expect(!holes.ok && holes.errors.map((e) => e.path)).toEqual([
      "parallelism.recomputeModules[0]",
    ]);
    const long = sim.simulate({
      ...sc,
      parallelism: { ...plan, recomputeModules: Array(100000).fill("x".repeat(1000)) },
    });
    expect(!long.ok && long.errors.map((e) => e.path)).toEqual(["parallelism.recomputeModules"]);
    const full = sim.simulate({
      ...sc,
      parallelism: { ...plan, recompute: "full", recomputeModules: ["moe_act"] },
    });
    expect(full.ok && full.plan.recomputeModules).toEqual([]);
    expect(full.warnings.map(factText)).toContain(
      'parallelism.recomputeModules: "moe_act" dropped: full recompute already re-runs every module',
    );
    // overlapAllToAll without an all-to-all warns, but not when ep itself is the error.
    const dense = sim.simulate({ ...sc, parallelism: { ...plan, overlapAllToAll: true } });
    expect(dense.warnings.map(factText)).toContain(
      "parallelism.overlapAllToAll: no expert all-to-all to overlap (a dense model); it changes nothing",
    );
    expect(dense.warnings.find((w) => w.code === "overlap-no-effect")?.data).toEqual({
      dense: true,
    });
    const badEp = sim.simulate({
      ...sc,
      model: "mixtral-8x7b",
      parallelism: { ...plan, ep: -3, overlapAllToAll: true },
    });
    expect(!badEp.ok && badEp.errors.map((e) => e.path)).toContain("parallelism.ep");
    expect(badEp.warnings.filter((w) => w.path === "parallelism.overlapAllToAll")).toEqual([]);
    expect(
      api.recomputeText({ recompute: "none", recomputeModules: ["layernorm", "mla_up_proj"] }),
    ).toBe("none + norms, MLA up-projections");
  });

  // 21 presets x 46 chips, each an auto search (every chip now runs): ~11 s alone, more beside other files.
  it(
    "every model preset on every catalog chip simulates, or names a cluster or plan problem",
    { timeout: 300_000 },
    async () => {
      const sim = await api.load();
      for (const m of api.models) {
        for (const c of api.chips) {
          const r = sim.simulate({
            model: m.id,
            training: { tokens: 1e12, seqLen: 4096, globalBatch: 1024 },
            cluster: { chip: c.id, count: 1024 },
            parallelism: "auto",
          });
          if (!r.ok) for (const e of r.errors) expect(e.path).toMatch(/^(cluster\.|parallelism)/);
          else expect(r.run.days).toBeGreaterThan(0);
        }
      }
    },
  );
});
