import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { ServeResult, ServeScenario, Failure, ChipOverride } from "chipscale";
import { simulator } from "./helpers.js";

function served(r: ServeResult | Failure): ServeResult {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r;
}

const relErr = (a: number, b: number) => Math.abs(a / b - 1);

// A tiny dense MHA model with a plain MLP, so every operator can be added up by hand.
const tiny = {
  name: "tiny",
  layers: 2,
  hidden: 64,
  ffnHidden: 128,
  heads: 4,
  kvHeads: 4,
  vocab: 100,
  mlp: "gelu",
} as const;
// Efficiency 1 at every size: the roofline with the chip's own peak and bandwidth.
const ideal = {
  calibration: {
    matmulEfficiency: 1,
    matmulHalfDim: 0,
    attentionEfficiency: 1,
    memoryEfficiency: 1,
  },
};
const tinyScenario = (
  chip: ChipOverride,
  serving: { inputTokens: number; outputTokens: number; batch?: number },
): ServeScenario => ({
  model: tiny,
  cluster: { chip: { id: "nvidia-h100-sxm5-80gb", ...chip }, count: 1 },
  serving: { precision: "bf16", batch: 1, ...serving },
  parallelism: { tp: 1, pp: 1, ep: 1 },
});

describe("serving model against hand calculations", () => {
  it("decode: bytes read per step / HBM bandwidth when the chip has compute to spare", async () => {
    const sim = await simulator();
    const input = 100,
      output = 20;
    // 1 TB/s and an effectively unlimited peak: every op is memory-bound.
    const r = served(
      sim.serve(
        tinyScenario({ hbmTBps: 1, bf16Tflops: 1e9 }, { inputTokens: input, outputTokens: output }),
        ideal,
      ),
    );
    const ctx = input + output / 2; // average context of the generation
    // One token per layer, BF16 (2 B): each GEMM reads its weight and its input, writes its output.
    const gemm = (n: number, k: number) => 2 * k * n + 2 * (k + n);
    const perLayer =
      gemm(3 * 64, 64) + // Q, K, V
      2 * 4 * 16 * 2 * ctx + // K and V of 4 heads x 16 dims, 2 B each, for every cached token
      gemm(64, 64) + // output projection
      gemm(128, 64) + // MLP up
      gemm(64, 128); // MLP down
    const bytes = 2 * perLayer + gemm(100, 64); // + LM head
    expect(relErr(r.tpotMs / 1e3, bytes / 1e12)).toBeLessThan(1e-12);
    expect(r.decode.limitedBy).toBe("bandwidth");
    expect(relErr(r.decode.tokensPerSPerChip, 1e12 / bytes)).toBeLessThan(1e-12);
  });

  it("prefill: FLOPs / peak when the chip has bandwidth to spare", async () => {
    const sim = await simulator();
    const input = 256;
    // 1 TFLOPS and an effectively unlimited bandwidth: every op is compute-bound.
    const r = served(
      sim.serve(
        tinyScenario({ hbmTBps: 1e9, bf16Tflops: 1 }, { inputTokens: input, outputTokens: 8 }),
        ideal,
      ),
    );
    // 2 FLOPs per weight per token; causal attention: QK^T and AV over input/2 keys on average.
    const weights = 3 * 64 * 64 + 64 * 64 + 2 * 128 * 64;
    const attention = 2 * (input / 2) * 4 * 16 * 2;
    const flops = 2 * (2 * input * weights + input * attention) + 2 * 100 * 64; // LM head: the last token
    expect(relErr(r.ttftMs / 1e3, flops / 1e12)).toBeLessThan(1e-12);
    expect(relErr(r.prefill.tokensPerSPerChip, input / (flops / 1e12))).toBeLessThan(1e-12);
    expect(r.prefill.limitedBy).toBe("compute");
  });

  it("prefill through a pipeline: p stage passes per batch, no bubble; first token crosses every stage", async () => {
    const sim = await simulator();
    const input = 256,
      batch = 8;
    // As above, with a free interconnect so the stage send costs nothing.
    const chip = { hbmTBps: 1e9, bf16Tflops: 1 };
    const r = served(
      sim.serve(
        {
          ...tinyScenario(chip, { inputTokens: input, outputTokens: 8, batch }),
          cluster: {
            chip: { id: "nvidia-h100-sxm5-80gb", ...chip },
            count: 2,
            system: { scaleUpGBps: 1e9, scaleUpLatencyUs: 0 },
          },
          parallelism: { tp: 1, pp: 2, ep: 1 },
        },
        ideal,
      ),
    );
    const weights = 3 * 64 * 64 + 64 * 64 + 2 * 128 * 64;
    const attention = 2 * (input / 2) * 4 * 16 * 2;
    const layer = 2 * input * weights + input * attention; // one prompt through one layer
    const head = 2 * 100 * 64; // the last stage's LM head, the last token of a prompt
    // Each stage holds 1 layer; 2 microbatches of 4 prompts; the stage that is busiest (the last,
    // with the head) runs both microbatches back to back while the first starts the next batch.
    const stage = (prompts: number) => prompts * (layer + head);
    // (The stage send over a 1 PB/s link costs ~1e-9 of it.)
    expect(relErr(r.prefill.timeS, (2 * stage(batch / 2)) / 1e12)).toBeLessThan(1e-6);
    expect(relErr(r.ttftMs / 1e3, (2 * stage(1)) / 1e12)).toBeLessThan(1e-6);
  });

  it("KV cache per token from the shape: GQA caches K and V of its KV heads, MLA its latent", async () => {
    const sim = await simulator();
    const kv = (model: string, precision: ServeScenario["serving"]["precision"], count: number) =>
      served(
        sim.serve({
          model,
          cluster: { chip: "nvidia-h200-sxm-141gb", count },
          serving: { precision, inputTokens: 1000, outputTokens: 100, batch: 1 },
          parallelism: "auto",
        }),
      ).memory.kvCacheBytesPerToken;
    expect(await kv("llama2-70b", "bf16", 8)).toBe(80 * 2 * 8 * 128 * 2);
    expect(await kv("llama2-70b", "fp8", 8)).toBe(80 * 2 * 8 * 128);
    // DeepSeek-V2 Sec. 2.1.2: (d_c + d_h^R) = 512 + 64 elements per layer.
    expect(await kv("deepseek-v3", "fp8", 16)).toBe(61 * 576);
  });

  it("the largest batch is what the KV cache at full context leaves room for", async () => {
    const sim = await simulator();
    const input = 2000,
      output = 500;
    const r = served(
      sim.serve({
        model: "llama2-70b",
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
        serving: { precision: "bf16", inputTokens: input, outputTokens: output, batch: "auto" },
        parallelism: { tp: 8 },
      }),
    );
    const h = 8192,
      tp = 8;
    const attn = h * (64 * 128 + 2 * 8 * 128) + 64 * 128 * h;
    const layer = attn / tp + 2 * h + (3 * h * 28672) / tp;
    const weights = 80 * layer * 2 + ((2 * 32000 * h) / tp) * 2; // embedding and LM head, BF16
    const kvPerRequest = 80 * ((2 * 8 * 128) / tp) * 2 * (input + output);
    expect(r.maxBatch).toBe(Math.floor((80e9 * 0.9 - weights) / kvPerRequest));
    expect(r.batch).toBe(r.maxBatch);
    expect(r.memory.fits).toBe(true);
    expect(r.memory.weightsGB).toBeCloseTo(weights / 1e9, 9);
  });
});

describe("serving properties", () => {
  const models = fc.constantFrom("llama3-8b", "llama2-70b", "mixtral-8x7b", "deepseek-v2");
  const chipsArb = fc.constantFrom(
    "nvidia-h100-sxm5-80gb",
    "nvidia-h20-96gb",
    "nvidia-h200-sxm-141gb",
    "huawei-ascend-910b",
  );

  it("more HBM bandwidth never slows decode", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(
        models,
        chipsArb,
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 16, max: 8192 }),
        (model, chip, tbps, more, batch, input) => {
          const at = (hbmTBps: number) =>
            sim.serve({
              model,
              cluster: { chip: { id: chip, hbmTBps }, count: 16 },
              serving: { precision: "bf16", inputTokens: input, outputTokens: 128, batch },
              parallelism: { tp: 8, pp: 2 },
            });
          const a = at(tbps),
            b = at(tbps * more);
          if (!a.ok || !b.ok) return a.ok === b.ok;
          return b.tpotMs <= a.tpotMs * (1 + 1e-12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a longer context never raises the concurrent batch", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(
        models,
        chipsArb,
        fc.integer({ min: 1, max: 30000 }),
        fc.integer({ min: 0, max: 30000 }),
        fc.integer({ min: 1, max: 4000 }),
        (model, chip, input, extra, output) => {
          const at = (inputTokens: number) =>
            sim.serve({
              model,
              cluster: { chip, count: 16 },
              serving: { precision: "fp8", inputTokens, outputTokens: output, batch: "auto" },
              parallelism: { tp: 8, pp: 2 },
            });
          const a = at(input),
            b = at(input + extra);
          return a.ok && b.ok && b.maxBatch <= a.maxBatch;
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("serving input errors", () => {
  it("names every bad field", async () => {
    const sim = await simulator();
    // Wrong types on purpose (as from JavaScript or JSON): the run-time checks name each field.
    const r = sim.serve({
      model: "llama2-70b",
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 0 },
      serving: { precision: "fp4", inputTokens: -1, outputTokens: 1.5, batch: "many", tpotMs: 0 },
      parallelism: { tp: "8" },
    } as unknown as ServeScenario);
    expect(r.ok).toBe(false);
    const paths = (r as Failure).errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      [
        "cluster.count",
        "parallelism.tp",
        "serving.batch",
        "serving.inputTokens",
        "serving.outputTokens",
        "serving.precision",
        "serving.tpotMs",
      ].sort(),
    );
  });

  it("a layout that does not divide the cluster or the heads names its field", async () => {
    const sim = await simulator();
    const base = {
      model: "llama2-70b",
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
      serving: { precision: "fp8", inputTokens: 100, outputTokens: 100, batch: "auto" },
    } satisfies Omit<ServeScenario, "parallelism">;
    const tp3 = sim.serve({ ...base, parallelism: { tp: 3 } });
    expect(tp3.ok || tp3.errors[0].path).toBe("parallelism.tp");
    const pp3 = sim.serve({ ...base, parallelism: { tp: 1, pp: 3 } });
    expect(pp3.ok || pp3.errors[0].path).toBe("cluster.count");
    const ep2 = sim.serve({ ...base, parallelism: { tp: 1, ep: 2 } });
    expect(ep2.ok || ep2.errors[0].path).toBe("parallelism.ep");
  });

  it("a model too large for the cluster is an error naming the count", async () => {
    const sim = await simulator();
    const r = sim.serve({
      model: "llama3-405b",
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 2 },
      serving: { precision: "bf16", inputTokens: 100, outputTokens: 100, batch: "auto" },
      parallelism: "auto",
    });
    expect(r.ok).toBe(false);
    expect((r as Failure).errors[0].path).toBe("cluster.count");
  });
});

describe("search under a latency target", () => {
  const base = {
    model: "llama2-70b",
    cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
    parallelism: "auto",
  } satisfies Omit<ServeScenario, "serving">;
  it("meets a TPOT target with the best throughput per chip among layouts that meet it", async () => {
    const sim = await simulator();
    const free = served(
      sim.serve({
        ...base,
        serving: { precision: "fp8", inputTokens: 1000, outputTokens: 200, batch: "auto" },
      }),
    );
    const target = free.tpotMs / 2;
    const r = served(
      sim.serve({
        ...base,
        serving: {
          precision: "fp8",
          inputTokens: 1000,
          outputTokens: 200,
          batch: "auto",
          tpotMs: target,
        },
      }),
    );
    expect(r.latencyTarget).toEqual({ ttftMs: null, tpotMs: target, met: true });
    expect(r.tpotMs).toBeLessThanOrEqual(target);
    // The batch is the largest that meets the target on that layout: one more request misses it.
    const plus = served(
      sim.serve({
        ...base,
        serving: {
          precision: "fp8",
          inputTokens: 1000,
          outputTokens: 200,
          batch: r.batch + 1,
        },
        parallelism: { tp: r.plan.tp, pp: r.plan.pp, ep: r.plan.ep },
      }),
    );
    expect(r.batch === r.maxBatch || plus.tpotMs > target).toBe(true);
    expect(r.outputTokensPerSPerChip).toBeLessThanOrEqual(free.outputTokensPerSPerChip);
  });

  it("says when no layout meets the target and shows the closest", async () => {
    const sim = await simulator();
    const r = served(
      sim.serve({
        ...base,
        serving: {
          precision: "fp8",
          inputTokens: 1000,
          outputTokens: 200,
          batch: "auto",
          tpotMs: 0.01,
        },
      }),
    );
    expect(r.latencyTarget?.met).toBe(false);
    expect(r.batch).toBe(1);
    expect(r.warnings.some((w) => w.code === "latency-unmet")).toBe(true);
  });
});

describe("serving never crashes", () => {
  it("any input ends in a finite result or field-named errors", async () => {
    const sim = await simulator();
    const num = fc.oneof(
      fc.integer({ min: -10, max: 100000 }),
      fc.double({ noNaN: false }),
      fc.constant("auto"),
      fc.constant(null),
    );
    const scenario = fc.record(
      {
        model: fc.oneof(
          fc.constantFrom("llama3-8b", "deepseek-v3", "mixtral-8x7b", "nope"),
          fc.anything(),
        ),
        cluster: fc.record(
          {
            chip: fc.oneof(
              fc.constantFrom("nvidia-h20-96gb", "huawei-ascend-910c", "x"),
              fc.anything(),
            ),
            count: num,
          },
          { requiredKeys: [] },
        ),
        serving: fc.record(
          {
            precision: fc.constantFrom("bf16", "fp8", "int4", "fp2"),
            inputTokens: num,
            outputTokens: num,
            batch: num,
            ttftMs: num,
            tpotMs: num,
          },
          { requiredKeys: [] },
        ),
        parallelism: fc.oneof(
          fc.constant("auto"),
          fc.record({ tp: num, pp: num, ep: num }, { requiredKeys: [] }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(scenario, (sc) => {
        // Arbitrary values of any type, as from JavaScript: cast past the type on purpose.
        const r = sim.serve(sc as ServeScenario);
        if (!r.ok) return r.errors.length > 0 && r.errors.every((e) => typeof e.path === "string");
        const finite = (v: unknown): boolean =>
          typeof v === "number"
            ? Number.isFinite(v)
            : v && typeof v === "object"
              ? Object.values(v).every(finite)
              : true;
        return finite(r) && r.batch >= 1;
      }),
      { numRuns: 300 },
    );
  });
});
