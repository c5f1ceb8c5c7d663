// Serving stacks (serving.stack): their constants are the fit of their own published results, a
// serving answer says which stack it ran and carries the band those results earned, widened by the
// chip's estimated figures (src/calibration/serve-stacks.ts, bench/fit-serve-stacks.mjs, src/calibration/estimates.ts).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { simulator } from "./helpers.js";
import { SERVING_STACK_FITS } from "../build/src/calibration/serve-stacks.fit.js";
import { CALIBRATION } from "../build/src/index.js";
import type { ServeResult, ServeScenario } from "../src/index.js";

const served = (r: unknown): ServeResult => {
  expect((r as { ok: boolean }).ok, JSON.stringify(r)).toBe(true);
  return r as ServeResult;
};
const scenario = (
  chip: string,
  serving: Partial<ServeScenario["serving"]> = {},
): ServeScenario => ({
  model: "llama2-70b",
  cluster: { chip, count: 8 },
  serving: { precision: "fp8", inputTokens: 512, outputTokens: 290, batch: 64, ...serving },
  parallelism: { tp: 2 },
});

describe("serving stacks", () => {
  it("src/calibration/serve-stacks.fit.ts is the fit of the current records and model (validate:serve --fit)", async () => {
    const sim = await simulator();
    // @ts-expect-error plain ESM bench module over build/
    const { fitServingStacks } = await import("../bench/fit-serve-stacks.mjs");
    const records = JSON.parse(
      readFileSync(new URL("../bench/validation/serving-records.json", import.meta.url), "utf8"),
    );
    const fit = fitServingStacks(sim, records);
    expect({ stacks: fit.stacks, widest: fit.widest }).toEqual(SERVING_STACK_FITS);
  });

  it("the serving model meets its target: median cross-validated |error| <= 15% (issue 18)", async () => {
    // @ts-expect-error plain ESM bench module over build/
    const { validateServe, summarize } = await import("../bench/validate-serve.mjs");
    const s = summarize(validateServe());
    expect(s.counted).toBeGreaterThanOrEqual(13);
    expect(s.medianAbsCrossValidated).toBeLessThanOrEqual(0.15);
  });

  it("every cross-validated error comes from a fit that never saw the record's source", async () => {
    const sim = await simulator();
    // @ts-expect-error plain ESM bench module over build/
    const { fitServingStacks } = await import("../bench/fit-serve-stacks.mjs");
    // Two sources of one stack: each is predicted by the other's fit, which has one result and so
    // fits nothing (a fit has fewer constants than results): both keep the base constants.
    const rec = (id: string, unit: string, chip: string, value: number) => ({
      id,
      stack: "tensorrt-llm",
      sourceUnit: unit,
      publishedConfig: true,
      scenario: scenario(chip),
      published: { metric: "outputTokensPerSPerChip", value },
    });
    const fit = fitServingStacks(sim, [
      rec("a", "A", "nvidia-h100-sxm5-80gb", 1000),
      rec("b", "B", "nvidia-h200-sxm-141gb", 1000),
    ]);
    const base = (chip: string) =>
      served(
        sim.serve(scenario(chip), {
          calibration: {
            memoryEfficiency: 0.8,
            matmulEfficiency: CALIBRATION.matmulEfficiency.value,
          },
        }),
      ).outputTokensPerSPerChip;
    const cv = Object.fromEntries(
      fit.rows.map((r: { id: string; crossValidated: number }) => [r.id, r.crossValidated]),
    );
    expect(cv.a).toBeCloseTo(base("nvidia-h100-sxm5-80gb") / 1000 - 1, 12);
    expect(cv.b).toBeCloseTo(base("nvidia-h200-sxm-141gb") / 1000 - 1, 12);
    // On both results together it fits its one constant.
    expect(Object.keys(fit.stacks["tensorrt-llm"].constants)).toEqual(["matmulEfficiency"]);
  });

  it("an answer runs on its stack's fitted constants and says so", async () => {
    const sim = await simulator();
    const trt = served(sim.serve(scenario("nvidia-h100-sxm5-80gb")));
    expect(trt.stack).toEqual({
      id: "tensorrt-llm",
      name: expect.stringContaining("TensorRT-LLM"),
      chosen: "chip default",
      status: "calibrated",
    });
    const same = served(
      sim.serve(scenario("nvidia-h100-sxm5-80gb"), {
        calibration: SERVING_STACK_FITS.stacks["tensorrt-llm"].constants,
      }),
    );
    expect(trt.outputTokensPerSPerChip).toBe(same.outputTokensPerSPerChip);
    const rocm = served(sim.serve(scenario("nvidia-h100-sxm5-80gb", { stack: "vllm-rocm" })));
    expect(rocm.stack.chosen).toBe("scenario");
    expect(rocm.outputTokensPerSPerChip).not.toBe(trt.outputTokensPerSPerChip);
    expect(served(sim.serve(scenario("amd-mi300x"))).stack.id).toBe("vllm-rocm");
    const other = served(sim.serve(scenario("huawei-ascend-910b")));
    expect(other.stack).toMatchObject({ id: "unprofiled", status: "uncalibrated" });
  });

  it("the band is the stack's cross-validated p10-p90 around the answer", async () => {
    const sim = await simulator();
    const r = served(sim.serve(scenario("nvidia-h100-sxm5-80gb")));
    const f = SERVING_STACK_FITS.stacks["tensorrt-llm"];
    const tok = r.outputTokensPerSPerChip;
    expect(r.uncertainty.outputTokensPerSPerChip[0]).toBeCloseTo(tok / (1 + f.p90), 9);
    expect(r.uncertainty.outputTokensPerSPerChip[1]).toBeCloseTo(tok / (1 + f.p10), 9);
    expect(r.uncertainty.records).toBe(f.n);
    const none = served(sim.serve(scenario("huawei-ascend-910b"))).uncertainty;
    expect(none.records).toBe(0);
    expect(none.basis).toContain("widest");
  });

  it("a chip's estimated figures are said with their code and widen the band", async () => {
    const sim = await simulator();
    const chip = "hygon-dcu-k100"; // bf16Tflops and hbmTBps are estimates
    const r = served(sim.serve({ ...scenario(chip, { precision: "bf16" }), parallelism: "auto" }));
    const paths = r.estimatedFigures.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(["cluster.chip.bf16Tflops", "cluster.chip.hbmTBps"]),
    );
    expect(r.estimatedFigures.every((e) => e.code === "chip-figure-estimated")).toBe(true);
    expect(r.warnings.some((w) => w.path === "cluster.chip.hbmTBps")).toBe(true);
    const spread = Math.max(
      ...r.estimatedFigures
        // the time figures (src/calibration/estimates.ts): a phase's time is inversely proportional to each
        .filter((e) =>
          [
            "bf16Tflops",
            "fp16Tflops",
            "fp8Tflops",
            "hbmTBps",
            "scaleUpGBps",
            "scaleOutGbps",
          ].includes(e.path.replace("cluster.chip.", "")),
        )
        .map((e) => Math.min(0.9, Math.max(e.value - e.range[0], e.range[1] - e.value) / e.value)),
    );
    const w = SERVING_STACK_FITS.widest;
    const tok = r.outputTokensPerSPerChip;
    expect(r.uncertainty.outputTokensPerSPerChip[0]).toBeCloseTo(
      (tok / (1 + w.max)) * (1 - spread),
      9,
    );
    expect(r.uncertainty.outputTokensPerSPerChip[1]).toBeCloseTo(
      (tok / (1 + w.min)) * (1 + spread),
      9,
    );
    expect(r.uncertainty.basis).toContain("estimated");
  });

  it("an unknown stack is an error naming serving.stack, with the nearest name", async () => {
    const sim = await simulator();
    // A misspelt stack id, as from JSON: cast past the type to reach the run-time check.
    const tensorrt = "tensorrt" as ServeScenario["serving"]["stack"];
    const r = sim.serve(scenario("nvidia-h100-sxm5-80gb", { stack: tensorrt }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        path: "serving.stack",
        code: "not-one-of",
        data: { options: expect.arrayContaining(["tensorrt-llm"]), got: 'the string "tensorrt"' },
        message: expect.stringContaining('"tensorrt-llm"'),
      },
    ]);
  });
});
