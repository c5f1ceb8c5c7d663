// `chipscale serve` and `chipscale serve-compare` end to end, and the compare library call.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulator } from "./helpers.js";
import type { ServingStackId } from "chipscale";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "chipscale.js");
function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("chipscale serve", () => {
  it("prints the serving contract's JSON and exits 0", () => {
    const r = run(["serve", "examples/serve-llama70b-h20.json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(true);
    for (const k of ["tp", "pp", "ep"]) expect(Number.isInteger(j.plan[k])).toBe(true);
    for (const k of [
      "batch",
      "ttftMs",
      "tpotMs",
      "powerMW",
      "tokensPerJoule",
      "costPerMillionTokensUSD",
    ])
      expect(j[k]).toBeGreaterThan(0);
    expect(j.prefill.tokensPerSPerChip).toBeGreaterThan(0);
    expect(j.decode.tokensPerSPerChip).toBeGreaterThan(0);
    for (const k of ["perChipGB", "capacityGB", "kvCacheGB"])
      expect(j.memory[k]).toBeGreaterThan(0);
    expect(j.memory.fits).toBe(true);
    expect(j.tpotMs).toBeLessThanOrEqual(40);
    expect(Array.isArray(j.warnings)).toBe(true);
  });

  it("reads standard input and prints a table", () => {
    const scenario = JSON.stringify({
      model: "llama3-8b",
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1 },
      serving: { precision: "bf16", inputTokens: 1000, outputTokens: 100, batch: 8 },
      parallelism: "auto",
    });
    const r = run(["serve", "-", "--format", "table"], scenario);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^model \/ chip +llama3-8b on 1 x nvidia-h100-sxm5-80gb \(bf16\)/);
    expect(r.out).toContain("batch                8 requests per instance");
  });

  it("exits 2 naming every bad field", () => {
    const r = run(
      ["serve", "-"],
      JSON.stringify({
        model: "llama3-8b",
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1 },
        serving: { precision: "fp4", inputTokens: 0, outputTokens: 10, batch: 0 },
        parallelism: { tp: 0 },
      }),
    );
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "parallelism.tp",
      "serving.batch",
      "serving.inputTokens",
      "serving.precision",
    ]);
  });
});

describe("chipscale serve table", () => {
  const table = (chip: string, serving: Record<string, unknown>) =>
    run(
      ["serve", "-", "--format", "table"],
      JSON.stringify({
        model: "llama2-70b",
        cluster: { chip, count: 8 },
        serving: {
          precision: "fp8",
          inputTokens: 2048,
          outputTokens: 256,
          batch: "auto",
          ...serving,
        },
      }),
    ).out;

  it("says which latency target is set instead of printing a dash", () => {
    const out = table("nvidia-h100-sxm5-80gb", { tpotMs: 60 });
    expect(out).toMatch(/^latency target +met: no TTFT target, TPOT [\d.]+ ms against 60 ms$/m);
    expect(out).not.toContain("- ms");
    expect(table("nvidia-h100-sxm5-80gb", { ttftMs: 2000 })).toMatch(
      /^latency target +met: TTFT [\d,.]+ ms against 2,000 ms, no TPOT target$/m,
    );
  });

  it("marks numbers read from an estimated chip figure with ~ and names the figure", () => {
    const est = table("amd-mi355x", {});
    for (const k of ["prefill", "decode", "requests end to end", "power", "cost"])
      expect(est).toMatch(new RegExp(`^${k} +~`, "m"));
    expect(est).toMatch(/^TTFT \/ TPOT +~[\d.]+ ms \/ ~[\d.]+ ms/m);
    expect(est).toMatch(/^estimated +~ reads the chip's estimated scaleUpGBps/m);
    // Only a TDP estimate: speed is published, power and cost are estimates.
    const tdp = table("google-tpu-v6e", { precision: "bf16" });
    expect(tdp).toMatch(/^decode +\d/m);
    expect(tdp).toMatch(/^power +~/m);
    const pub = table("nvidia-h100-sxm5-80gb", {});
    expect(pub).not.toContain("~");
  });
});

describe("chipscale serve on bad input", () => {
  const paths = (out: string) => {
    const j = JSON.parse(out);
    expect(j.ok).toBe(false);
    return j.errors.map((e: { path: string }) => e.path);
  };

  it("exits 2 with the fields named, in --format table too", () => {
    const r = run(
      ["serve", "-", "--format", "table"],
      JSON.stringify({
        model: "llama3-8b",
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1 },
        serving: { precision: "bf16", inputTokens: "lots", outputTokens: 10, stack: "trt" },
      }),
    );
    expect(r.code).toBe(2);
    // In table format: one "error: <field>: <message>" line per problem on stderr.
    expect(r.out).toBe("");
    const lines = r.err.trim().split("\n");
    expect(lines.map((l) => l.split(": ")[1])).toEqual(["serving.inputTokens", "serving.stack"]);
    expect(lines[0]).toMatch(/^error: serving\.inputTokens: .*got the string "lots"/);
  });

  it("exits 2 on text that is not JSON or not an object, never a stack trace", () => {
    const broken = run(["serve", "-"], '{"model": "llama3-8b",');
    expect(broken.code).toBe(2);
    expect(paths(broken.out)).toEqual([""]);
    expect(JSON.parse(broken.out).errors[0].message).toMatch(/not valid JSON/);
    const array = run(["serve", "-"], "[]");
    expect(array.code).toBe(2);
    expect(JSON.parse(array.out).errors[0].message).toMatch(/must be a JSON object, got an array/);
  });
});

describe("training vs serving", () => {
  it("puts the H20 at a fraction of the H100 for training and prefill, ahead for one request's decode", async () => {
    const sim = await simulator();
    const r = sim.serveCompare({ chips: ["nvidia-h20-96gb", "nvidia-h100-sxm5-80gb"] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const [h20, h100] = r.rows;
    // The reference against itself is exactly 1.
    for (const k of ["training", "prefill", "decode", "decodeOneRequest"] as const)
      expect(h100[k]?.ratio).toBe(1);
    // Compute-bound phases scale toward the peak ratio 148 / 989.5 = 0.15; decode of one request
    // toward the bandwidth ratio 4.0 / 3.35 = 1.19 (collectives and the LM head keep it under).
    expect(h20.training?.limitedBy).toBe("compute");
    expect(h20.training!.ratio).toBeLessThan(0.25);
    expect(h20.prefill?.limitedBy).toBe("compute");
    expect(h20.prefill!.ratio).toBeLessThan(0.2);
    expect(h20.decodeOneRequest?.limitedBy).toBe("bandwidth");
    expect(h20.decodeOneRequest!.ratio).toBeGreaterThan(1);
    expect(h20.decodeOneRequest!.ratio).toBeLessThanOrEqual(4.0 / 3.35);
    expect(h20.decodeOneRequest!.figure).toEqual({
      name: "HBM bandwidth",
      value: 4,
      reference: 3.35,
      unit: "TB/s",
    });
  });

  it("serves every chip on the reference's stack, so a ratio is the hardware's", async () => {
    const sim = await simulator();
    const r = sim.serveCompare({ chips: ["huawei-ascend-910b"] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.serving.stack).toBe("tensorrt-llm");
    const serve = (chip: string, stack?: ServingStackId) => {
      const s = sim.serve({
        model: r.serving.model,
        cluster: { chip, count: r.serving.count },
        serving: {
          precision: r.serving.precision,
          inputTokens: r.serving.inputTokens,
          outputTokens: r.serving.outputTokens,
          batch: "auto",
          ttftMs: r.serving.ttftMs,
          tpotMs: r.serving.tpotMs,
          ...(stack ? { stack } : {}),
        },
        parallelism: "auto",
      });
      if (!s.ok) throw new Error(JSON.stringify(s.errors));
      return s.prefill.tokensPerSPerChip;
    };
    const ratio = serve("huawei-ascend-910b", "tensorrt-llm") / serve("nvidia-h100-sxm5-80gb");
    expect(r.rows[0].prefill!.ratio).toBeCloseTo(ratio, 12);
    // The 910B trains on MindSpeed, which no published run calibrates on Ascend: the row says so.
    expect(r.rows[0].calibration.training).toMatchObject({
      stack: "mindspeed",
      calibrated: false,
      records: 0,
    });
    expect(r.rows[0].calibration.serving).toMatchObject({ stack: "tensorrt-llm" });
    // On its own default (unprofiled) stack the 910B would run on other efficiencies.
    expect(serve("huawei-ascend-910b")).not.toBe(serve("huawei-ascend-910b", "tensorrt-llm"));
  });

  it("compares the caller's model, precision, context and TPOT target", async () => {
    const sim = await simulator();
    const serving = { precision: "fp8" as const, inputTokens: 4096, outputTokens: 256, tpotMs: 60 };
    const r = sim.serveCompare({ chips: ["nvidia-h20-96gb"], model: "llama2-70b", serving });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.training.model).toBe("llama2-70b");
    expect(r.serving).toMatchObject({ model: "llama2-70b", ttftMs: 450, ...serving });
    const one = (chip: string) => {
      const s = sim.serve({
        model: "llama2-70b",
        cluster: { chip, count: 8 },
        serving: { ...serving, batch: 1, stack: "tensorrt-llm" },
        parallelism: { tp: 8 },
      });
      if (!s.ok) throw new Error(JSON.stringify(s.errors));
      return s.tpotMs;
    };
    expect(r.rows[0].decodeOneRequest!.ratio).toBeCloseTo(
      one("nvidia-h100-sxm5-80gb") / one("nvidia-h20-96gb"),
      12,
    );
    // A serve scenario file sets them on the command line; its bad fields are named.
    const cli = run(
      ["serve-compare", "-", "--chips", "nvidia-h20-96gb"],
      JSON.stringify({
        model: "llama2-70b",
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
        serving: { ...serving, batch: "auto" },
      }),
    );
    expect(cli.code).toBe(0);
    expect(cli.out).toContain("Serving: llama2-70b on 8 chips, fp8, 4096 in / 256 out");
    expect(cli.out).toContain("TPOT 60 ms");
    const bad = run(
      ["serve-compare", "-"],
      JSON.stringify({ model: "llama2-70b", cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 } }),
    );
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).errors.map((e: { path: string }) => e.path)).toEqual([
      "serving",
      "serving.inputTokens",
      "serving.outputTokens",
    ]);
  });

  it("names chips by their short catalog names and marks ratios read from estimates with ~", () => {
    const r = run(["serve-compare", "--chips", "nvidia-h20-96gb,amd-mi355x"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Relative to H100 SXM5 80GB, per chip/);
    expect(r.out).toMatch(/^\| H20 HGX SXM 96GB \| x0\.\d\d \(compute\)/m);
    // The MI355X's scale-up bandwidth is chipscale's estimate (catalog estimates): every ratio reads it.
    expect(r.out).toMatch(/^\| Instinct MI355X OAM 288GB \| ~x\d\.\d\d \(compute\) \| ~x/m);
    expect(r.out).toContain("~ an estimate");
    expect(r.out).not.toContain("nvidia-h20-96gb");
  });

  it("names an unknown chip", () => {
    const r = run(["serve-compare", "--chips", "nvidia-h20-96gb,nope"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors[0].path).toBe("--chips");
  });
});
