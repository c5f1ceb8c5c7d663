// The public calls take a typed Scenario: a misspelt field fails to compile (tsc checks this file in
// npm test; an @ts-expect-error that no longer errors fails it). Untyped input goes through
// parseScenario, which checks it at run time and names each problem.
import { describe, it, expect } from "vitest";
import { parseScenario, parseServeScenario, type Scenario, type ServeScenario } from "chipscale";
import { simulator } from "./helpers.js";

const good = {
  model: "llama3-8b",
  training: { tokens: 1e12, seqLen: 4096, globalBatch: 256 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
  parallelism: "auto",
} satisfies Scenario;

describe("Scenario-typed calls", () => {
  it("a misspelt field is a compile error; at run time it is a named warning", async () => {
    const sim = await simulator();
    const r = sim.simulate({
      ...good,
      // @ts-expect-error "paralelism" is not a Scenario field
      paralelism: { tp: 8, pp: 1, dp: 8 },
    });
    expect(r.ok && r.warnings.find((w) => w.code === "unknown-field")?.data).toEqual({
      field: "paralelism",
      suggestions: ["parallelism"],
    });
    const nested = sim.search({
      ...good,
      // @ts-expect-error "tokns" misspells training.tokens (and tokens is then missing)
      training: { tokns: 1e12, seqLen: 4096, globalBatch: 256 },
    });
    expect(nested.ok || nested.errors.map((e) => [e.path, e.code])).toEqual([
      ["training.tokens", "required"],
    ]);
    // A value outside a field's type is a compile error too.
    // @ts-expect-error precision is "bf16" | "fp16" | "fp8"
    const wrong: Scenario = { ...good, training: { ...good.training, precision: "fp32" } };
    expect(wrong.training.precision).toBe("fp32");
  });

  it("parseScenario turns untyped input into a Scenario, or names every problem", async () => {
    const text = JSON.stringify(good);
    const p = parseScenario(JSON.parse(text));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const sim = await simulator();
    const r = sim.simulate(p.scenario);
    expect(r.ok).toBe(true);
    const bad = parseScenario({ ...good, cluster: { chip: "nvidia-h100-sxm5-80gb", count: -1 } });
    expect(bad.ok || bad.errors).toEqual([
      {
        path: "cluster.count",
        code: "out-of-range",
        data: { got: -1, min: 1, max: 1e9 },
        message: "must be an integer >= 1, got -1",
      },
    ]);
  });

  it("serve takes a typed ServeScenario: a misspelt serving field is a compile error", async () => {
    const sim = await simulator();
    const serving = { precision: "fp8", inputTokens: 512, outputTokens: 128, batch: 8 } as const;
    const base = {
      model: "llama2-70b",
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
      serving,
      parallelism: { tp: 8 },
    } satisfies ServeScenario;
    const r = sim.serve({
      ...base,
      // @ts-expect-error "tpotMS" misspells serving.tpotMs
      serving: { ...serving, tpotMS: 50 },
    });
    const w = r.ok ? r.warnings.find((w) => w.code === "unknown-field") : undefined;
    expect([w?.path, w?.data]).toEqual([
      "serving.tpotMS",
      { field: "tpotMS", suggestions: ["tpotMs"] },
    ]);
    // @ts-expect-error serving precision is "bf16" | "fp8" | "int4"
    const fp16: ServeScenario = { ...base, serving: { ...serving, precision: "fp16" } };
    expect(fp16.serving.precision).toBe("fp16");
    // Untyped input: parseServeScenario checks it and hands back a ServeScenario.
    const p = parseServeScenario(JSON.parse(JSON.stringify(base)));
    expect(p.ok && sim.serve(p.scenario).ok).toBe(true);
  });
});
