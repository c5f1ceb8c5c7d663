// The `chipscale` command end to end, as a user runs it.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulator, ok } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "chipscale.js");
const dir = mkdtempSync(join(tmpdir(), "chipscale-cli-"));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("chipscale simulate", () => {
  it("prints the contract's JSON and exits 0", () => {
    const r = run(["simulate", "examples/gpt3-1024-a100.json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(true);
    for (const k of ["tp", "pp", "dp", "cp", "ep", "vpp", "microBatch", "zero", "recompute"])
      expect(j.plan).toHaveProperty(k);
    for (const k of ["timeS", "computeS", "bubbleS", "exposedCommS"])
      expect(typeof j.step[k]).toBe("number");
    for (const k of ["tokensPerS", "tokensPerSPerChip", "modelTflopsPerChip", "mfu", "hfu"])
      expect(typeof j.throughput[k]).toBe("number");
    for (const k of [
      "perChipGB",
      "capacityGB",
      "fits",
      "weightsGB",
      "gradientsGB",
      "optimizerGB",
      "activationsGB",
    ])
      expect(j.memory).toHaveProperty(k);
    for (const k of ["days", "chipHours", "energyMWh", "co2Tonnes", "costUSD", "goodput"])
      expect(typeof j.run[k]).toBe("number");
    expect(Array.isArray(j.warnings)).toBe(true);
    expect(r.err).toBe("");
  });

  it("GPT-3 175B on 1024 A100 with Megatron's plan is within 10% of the published 34 days", () => {
    const j = JSON.parse(run(["simulate", "examples/gpt3-1024-a100.json"]).out);
    expect(Math.abs(j.run.days / 34 - 1)).toBeLessThan(0.1);
  });

  it("names every bad field and exits 2", () => {
    const p = file(
      "bad.json",
      JSON.stringify({
        model: "gpt3-175b",
        training: { tokens: -5, seqLen: 2048.5, globalBatch: 1536 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024 },
        parallelism: { tp: 7, pp: 8, dp: 16 },
      }),
    );
    const r = run(["simulate", p]);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    const paths = j.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain("training.tokens");
    expect(paths).toContain("training.seqLen");
  });

  it("names unsorted tiers, both forms and a negative latency by field and exits 2", () => {
    const system = {
      podChips: 3072,
      tiers: [{ chips: 49152, latencyUs: -1 }, { chips: 3072 }],
    };
    const p = file(
      "tiers.json",
      JSON.stringify({
        model: "gpt3-175b",
        training: { tokens: 1e9, seqLen: 2048, globalBatch: 1536 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024, system },
        parallelism: { tp: 8, pp: 8, dp: 16 },
      }),
    );
    const r = run(["simulate", p]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors.map((e: { path: string }) => e.path)).toEqual([
      "cluster.system.tiers",
      "cluster.system.tiers[0].latencyUs",
      "cluster.system.tiers[1].chips",
    ]);
  });

  it("names an offload's unknown host figure and a bad share, and exits 2", () => {
    const p = file(
      "offload.json",
      JSON.stringify({
        model: "llama3-8b",
        training: { tokens: 1e9, seqLen: 8192, globalBatch: 64 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
        parallelism: { tp: 1, pp: 1, dp: 8, offloadOptimizer: true, offloadActivations: -0.5 },
      }),
    );
    const r = run(["simulate", p]);
    expect(r.code).toBe(2);
    const paths = JSON.parse(r.out).errors.map((e: { path: string }) => e.path);
    // DGX H100's link (PCIe Gen5 x16) and host memory are sourced; its host memory bandwidth is not.
    expect(paths).toEqual(["parallelism.offloadActivations", "cluster.system.hostMemoryGBps"]);
  });

  it("reports a plan that does not divide the cluster or the model", () => {
    const p = file(
      "plan.json",
      JSON.stringify({
        model: "gpt3-175b",
        training: { tokens: 1e9, seqLen: 2048, globalBatch: 1536 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024 },
        parallelism: { tp: 7, pp: 8, dp: 16 },
      }),
    );
    const j = JSON.parse(run(["simulate", p]).out);
    const paths = j.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain("parallelism");
    expect(paths).toContain("parallelism.tp");
  });

  it("gives a one-line error and exit 2 for a missing, empty or non-JSON file", () => {
    for (const [args, needle] of [
      [["simulate", join(dir, "nope.json")], "no such file"],
      [["simulate", file("empty.json", "")], "empty"],
      [["simulate", file("junk.json", "{not json")], "not valid JSON"],
      [["simulate", dir], "not a file"],
      [["simulate"], "missing scenario file"],
    ] as const) {
      const r = run([...args]);
      expect(r.code).toBe(2);
      expect(r.out.trim().split("\n")).toHaveLength(1);
      expect(JSON.parse(r.out).errors[0].message).toContain(needle);
    }
  });

  it("reads a scenario from standard input with -", () => {
    const r = run(
      ["simulate", "-"],
      JSON.stringify({
        model: "llama3-8b",
        training: { tokens: 1e12, seqLen: 8192, globalBatch: 512 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
        parallelism: "auto",
      }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).ok).toBe(true);
  });

  it("prints a human-readable table with --format table", () => {
    const r = run(["simulate", "examples/gpt3-1024-a100.json", "--format", "table"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/training time\s+\d/);
    expect(r.out).toMatch(/memory per chip/);
    // The stack the example names, and what backs its band (src/calibration/stacks.fit.ts: 17 runs on A100).
    expect(r.out).toMatch(
      /^stack\s+Megatron-LM 2021-23 \(no FlashAttention\); band from 17 published runs on nvidia-ampere, cross-validated error -4% to \+8%$/m,
    );
  });

  it("the table's step breakdown shows the JSON's exposed DP, TP, EP, bubble and stragglers", () => {
    const j = JSON.parse(run(["simulate", "examples/gpt3-1024-a100.json"]).out);
    const t = run(["simulate", "examples/gpt3-1024-a100.json", "--format", "table"]).out;
    const three = (x: number) => Number(x.toPrecision(3)).toLocaleString("en-US");
    const s = j.step;
    expect(s.stragglerS).toBeGreaterThan(0);
    expect(t).toContain(
      `step breakdown   exposed DP ${three(s.dpCommS)} s, exposed TP ${three(s.tpCommS)} s, exposed EP 0 s, bubble ${three(s.bubbleS)} s, stragglers ${three(s.stragglerS)} s`,
    );
  });

  it("stacks lists every stack with its runs per chip class, and --json the same as data", () => {
    const r = run(["stacks"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^mindspeed\s+MindSpeed \/ CANN on Ascend: no published run/m);
    expect(r.out).toMatch(
      /^megatron-lm\s.*nvidia-ampere 17 runs \(matmulEfficiency 0\.77, attentionEfficiency 0\.8;/m,
    );
    const j = JSON.parse(run(["stacks", "--json"]).out);
    expect(j.map((s: { id: string }) => s.id)).toEqual([
      "megatron-core",
      "megatron-lm",
      "megatron-deepspeed",
      "deepspeed-zero3",
      "pytorch-fsdp",
      "maxtext",
      "mindspeed",
    ]);
    expect(
      j.find((s: { id: string }) => s.id === "megatron-core").byChipClass["nvidia-hopper"].n,
    ).toBe(14);
  });

  it("search --format table prints the best plan's table, then the ranking of --top plans", () => {
    const r = run(["search", "examples/llama3-405b-h100.json", "--top", "3", "--format", "table"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/training time\s+\d/);
    expect(r.out.match(/^#\d+ /gm)).toEqual(["#1 ", "#2 ", "#3 "]);
  });

  it("has --help for the tool and each command", () => {
    for (const args of [
      ["--help"],
      ["simulate", "--help"],
      ["search", "--help"],
      ["chips", "--help"],
    ]) {
      const r = run(args);
      expect(r.code).toBe(0);
      expect(r.out).toContain("chipscale");
    }
    const r = run(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors[0].message).toContain("unknown command");
  });
});

describe("chipscale search and chips", () => {
  it("search prints the best plan in the simulate shape plus counts", () => {
    const r = run(["search", "examples/llama3-405b-h100.json", "--top", "3"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(true);
    expect(j.best.ok).toBe(true);
    expect(j.top.length).toBeLessThanOrEqual(3);
    expect(j.candidates).toBeGreaterThan(0);
    expect(j.top[0].stepS).toBeCloseTo(j.best.step.timeS, 9);
  });

  it("chips lists the catalog; chips <id> shows the H20 with its sources and the corrected press claim", () => {
    const all = JSON.parse(run(["chips", "--json"]).out);
    expect(all.length).toBeGreaterThanOrEqual(39);
    const r = run(["chips", "nvidia-h20-96gb"]);
    expect(r.code).toBe(0);
    const h20 = JSON.parse(r.out);
    expect(h20.hbmTBps).toBe(4.0);
    expect(h20.scaleUpGBps).toBe(900);
    expect(h20.sources.length).toBeGreaterThan(0);
    expect(JSON.stringify(h20.conflicts)).toContain("3.35");
    expect(run(["chips", "nvidia-h999"]).code).toBe(2);
  });

  it("chips marks an estimated figure with ~; chips <id> gives its basis and range", () => {
    const row = run(["chips"])
      .out.split("\n")
      .find((l) => l.startsWith("google-tpu-v5p "));
    expect(row?.split(/\s+/).slice(1, 9)).toEqual([
      "459",
      "459",
      "102.01",
      "2.765",
      "1200",
      "8960",
      "50",
      "~320",
    ]);
    // The H100's TPP, 15,832 grouped; a fractional TPP reads rounded down (20919.2 -> "20,919").
    const h100 = run(["chips"])
      .out.split("\n")
      .find((l) => l.startsWith("nvidia-h100-sxm5-80gb"));
    expect(h100?.split(/\s+/)[9]).toBe("15,832");
    expect(run(["chips"]).out).not.toMatch(/^\S+(\s+\S+){8}\s+\d+\.\d+\s/m);
    const v5p = JSON.parse(run(["chips", "google-tpu-v5p"]).out);
    expect(v5p.estimates.tdpW.range).toEqual([250, 450]);
    expect(v5p.estimates.tdpW.confidence).toBe("estimate");
    expect(v5p.fieldSources.tdpW).toEqual(["chipscale_estimate"]);
    expect(Object.keys(JSON.parse(run(["chips", "nvidia-h20-96gb"]).out).estimates)).toEqual([]);
  });

  it("chips <id> --format table: a row per figure with its sources, ~ and the range for an estimate", () => {
    const t = run(["chips", "google-tpu-v5p", "--format", "table"]);
    expect(t.code).toBe(0);
    const lines = t.out.split("\n");
    expect(lines[0]).toBe("google-tpu-v5p: TPU v5p (Google, 2023), confidence vendor");
    expect(lines).toContain("BF16 dense TFLOP/s     459         gc_tpu_v5p, epoch_db");
    expect(lines).toContain("scale-up domain        8,960       gc_tpu_v5p");
    expect(lines.find((l) => l.startsWith("TDP W"))).toMatch(
      /^TDP W +~320 +estimate, 250 to 450: not published; TPU v4/,
    );
    expect(lines).toContain("die mm2                unknown     no source gives it");
    expect(lines).toContain("TPP                    7,344");
    expect(lines).toContain("oct2023                3A090.a (tpp >= 4800)");
    const bad = run(["chips", "google-tpu-v5p", "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out).errors[0].path).toBe("--format");
  });
});

describe("chipscale feasible, match, sweep", () => {
  it("feasible explains a failing scenario in words, and --json gives the verdict object", async () => {
    const text = run(["feasible", "examples/h20-deadline.json"]);
    // NOT FEASIBLE is an answer, not an error: its own exit code, 3.
    expect(text.code).toBe(3);
    expect(text.out).toMatch(/^NOT FEASIBLE/);
    expect(text.out).toMatch(/VIOLATED\s+deadlineDays/);
    expect(text.out).toMatch(/->/);
    const jr = run(["feasible", "examples/h20-deadline.json", "--json"]);
    expect(jr.code).toBe(3);
    const j = JSON.parse(jr.out);
    expect(j).toMatchObject({ ok: true, feasible: false });
    // 120 days is out of reach under 50 MW at any batch up to 8x 2,048: the fastest larger batch,
    // 16,384, takes 155 days on 57,344 chips (326 days at 2,048).
    const grown = j.suggestions.find((s: { code: string }) => s.code === "deadline-batch");
    expect(grown.data).toMatchObject({
      deadlineDays: 120,
      globalBatch: 16384,
      meetsDeadline: false,
      within: ["powerMW"],
      option: { count: 57344, plan: "tp 8 pp 7 dp 1024" },
    });
    // The days are the library's for that cluster at that batch, with failures.
    const scenario = JSON.parse(readFileSync(join(root, "examples", "h20-deadline.json"), "utf8"));
    const sim = await simulator();
    const check = ok(
      sim.simulate({
        ...scenario,
        constraints: undefined,
        training: { ...scenario.training, globalBatch: 16384 },
        cluster: { ...scenario.cluster, count: 57344 },
        parallelism: "auto",
      }),
    );
    expect(grown.data.option.days).toBe(check.run.effectiveDays);
    expect(grown.data.option.days).toBeGreaterThan(120);
    expect(grown.data.option.powerMW).toBeLessThanOrEqual(50);
    expect(text.out).toContain("-> at global batch 16,384: 57,344 chips");
    expect(j.constraints[0]).toMatchObject({ name: "deadlineDays", limit: 120, binding: true });
    expect(j.suggestions.length).toBeGreaterThan(0);
  });

  it("feasible exits 0 on a feasible verdict, and a reachable deadline needs no larger batch", () => {
    const ok = JSON.stringify({
      model: "llama3-405b",
      training: { tokens: 15.6e12, seqLen: 8192, globalBatch: 2048, precision: "bf16" },
      cluster: { chip: "nvidia-h20-96gb", count: 16384 },
      parallelism: "auto",
      constraints: { deadlineDays: 400, powerMW: 50 },
    });
    const r = run(["feasible", "-", "--json"], ok);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.feasible).toBe(true);
    expect(j.suggestions).toEqual([]);
  });

  it("match --json prints the contract's fields", () => {
    const r = run([
      "match",
      "examples/gpt3-1024-a100.json",
      "--chip",
      "nvidia-h100-sxm5-80gb",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const k of ["chip", "count", "plan", "days", "powerMW", "energyMWh", "costUSD", "goodput"])
      expect(j).toHaveProperty(k);
    for (const k of ["count", "days", "powerMW", "energyMWh", "goodput"])
      expect(j.reference).toHaveProperty(k);
    expect(j.count).toBeLessThan(1024); // H100 is faster than A100
    expect(run(["match", "examples/gpt3-1024-a100.json"]).code).toBe(2);
  });

  it("match text reads its reference row at the headline's batch, the cluster as given beside it", () => {
    // Llama 3 70B on 8,192 H100 at batch 1,024 against H20, batch allowed to grow: the headline
    // counts the reference at the grown batch; the row says the same, and the given batch follows.
    const dir = mkdtempSync(join(tmpdir(), "chipscale-match-"));
    const file = join(dir, "ref.json");
    writeFileSync(
      file,
      JSON.stringify({
        model: "llama3-70b",
        training: { tokens: 15e12, seqLen: 8192, globalBatch: 1024 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8192 },
        parallelism: "auto",
      }),
    );
    const j = JSON.parse(run(["match", file, "--chip", "nvidia-h20-96gb", "--json"]).out);
    expect(j.referenceBest.globalBatch).not.toBe(j.reference.globalBatch);
    const text = run(["match", file, "--chip", "nvidia-h20-96gb"]).out.split("\n");
    const row = (label: string) => text.find((l) => l.startsWith(label))!;
    const days = (x: number) => `${Number(x.toPrecision(3)).toLocaleString("en-US")} days`;
    expect(text[0]).toContain(`(${days(j.referenceBest.effectiveDays)})`);
    expect(row("reference")).toContain(`: ${days(j.referenceBest.effectiveDays)},`);
    expect(row("reference")).toContain(
      `batch ${j.referenceBest.globalBatch.toLocaleString("en-US")}`,
    );
    expect(row("as given")).toContain(`: ${days(j.reference.effectiveDays)},`);
    expect(row("as given")).toContain(`batch ${j.reference.globalBatch.toLocaleString("en-US")}`);
  });

  it("sweep prints CSV with a header and one row per value", () => {
    const r = run([
      "sweep",
      "examples/gpt3-1024-a100.json",
      "--axis",
      "count",
      "--values",
      "512,1024,2048",
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toBe(
      "x,days,effectiveDays,energyMWh,powerMW,costUSD,costBasis,mfu,tokensPerS,stepS,plan,error,warnings",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1].startsWith("512,")).toBe(true);
  });

  it("sweep --format csv says bad input as error lines on stderr, exit 2, as --format table does", () => {
    const sweep = (...more: string[]) =>
      run(["sweep", "examples/gpt3-1024-a100.json", "--axis", "count", ...more]);
    for (const format of [["--format", "csv"], ["--format=csv"]]) {
      const r = sweep("--values", "512,abc,0", ...format);
      expect([r.code, r.out]).toEqual([2, ""]);
      expect(r.err).toBe(
        'error: --values[1]: cluster.count: must be a finite number, got the string "abc"\n' +
          "error: --values[2]: cluster.count: must be an integer >= 1, got 0\n",
      );
    }
    // A usage mistake and a bad second axis too; without --format csv the JSON object stays.
    const usage = sweep("--format", "csv");
    expect([usage.code, usage.out, usage.err]).toEqual([
      2,
      "",
      "error: --values: sweep needs --axis <axis> --values v1,v2,...\n",
    ]);
    const by = sweep("--values", "512", "--by", "chip", "--by-values", "h100x", "--format", "csv");
    expect([by.code, by.out]).toEqual([2, ""]);
    expect(by.err).toMatch(/^error: --by-values\[0\]: cluster\.chip: unknown chip "h100x"/);
    const json = sweep("--values", "abc");
    expect([json.code, json.err]).toEqual([2, ""]);
    expect(JSON.parse(json.out).errors[0].path).toBe("--values[0]");
  });
});

describe("mistakes a user makes", () => {
  it("a mistyped option or an extra file exits 2 and names it, with the likely option", () => {
    const typo = run(["simulate", "examples/gpt3-1024-a100.json", "--fromat", "table"]);
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.out).errors[0].message).toMatch(
      /unknown option --fromat for simulate \(did you mean --format\?\)/,
    );
    const extra = run(["simulate", "examples/gpt3-1024-a100.json", "examples/h20-deadline.json"]);
    expect(extra.code).toBe(2);
    expect(JSON.parse(extra.out).errors[0].message).toMatch(/takes one file, got 2/);
  });

  it("a bad option value names its option as the path, before any work", () => {
    for (const [args, path] of [
      [["search", "examples/gpt3-1024-a100.json", "--top", "5000"], "--top"],
      [
        [
          "sweep",
          "examples/gpt3-1024-a100.json",
          "--axis",
          "count",
          "--values",
          "1024",
          "--format",
          "xml",
        ],
        "--format",
      ],
      [["simulate", "examples/gpt3-1024-a100.json", "--format", "yaml"], "--format"],
    ] as const) {
      const r = run([...args]);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).errors[0].path).toBe(path);
    }
  });

  it("an ep that fits only with experts whole on each rank says etp 1 would fit, naming parallelism.ep", () => {
    const sc = (etp?: number) =>
      JSON.stringify({
        model: "qwen3-235b-a22b",
        training: { tokens: 1e12, seqLen: 4096, globalBatch: 8192 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 256 },
        parallelism: { tp: 2, pp: 8, dp: 16, ep: 32, ...(etp ? { etp } : {}) },
      });
    const defaulted = run(["simulate", "-"], sc());
    expect(defaulted.code).toBe(2);
    const e = JSON.parse(defaulted.out).errors.find(
      (x: { path: string }) => x.path === "parallelism.ep",
    );
    expect(e.message).toMatch(/ep\*etp = 32\*2 must divide tp\*cp\*dp \(32\).*etp 1 .* fits ep 32/);
    expect(run(["simulate", "-"], sc(1)).code).toBe(0);
  });

  it("a chip id mistyped in its leading part gets the chip it probably meant", () => {
    const r = run(["chips", "nvidia-h30"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors[0].data.suggestions[0]).toBe("nvidia-h20-96gb");
  });

  it("match names its own options: --chip, not a scenario field", () => {
    const r = run(["match", "examples/gpt3-1024-a100.json", "--chip", "nvidia-h2O"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors[0].path).toBe("--chip");
  });

  it("a custom model whose hidden size heads do not divide says why headDim is needed", () => {
    const r = run(
      ["simulate", "-"],
      JSON.stringify({
        model: { name: "x", layers: 4, hidden: 1000, ffnHidden: 4000, heads: 7, vocab: 1000 },
        training: { tokens: 1e9, seqLen: 1024, globalBatch: 8 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
        parallelism: "auto",
      }),
    );
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors).toContainEqual({
      path: "model.headDim",
      code: "head-dim-required",
      data: { hidden: 1000, heads: 7 },
      message: "is required: hidden / heads = 1000 / 7 is not a whole number",
    });
  });

  it("an unknown chip or a misspelt section gets the ids it probably meant", () => {
    const r = run(
      ["simulate", "-"],
      JSON.stringify({
        model: "llama3-8b",
        trainig: {},
        cluster: { chip: "nvidia-h100", count: 8 },
        parallelism: "auto",
      }),
    );
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    const chip = j.errors.find((e: { path: string }) => e.path === "cluster.chip");
    expect(chip.code).toBe("unknown-id");
    expect(chip.data.suggestions).toContain("nvidia-h100-sxm5-80gb");
    expect(j.errors.find((e: { path: string }) => e.path === "training").message).toBe(
      "is required (an object)",
    );
    expect(j.warnings).toContainEqual({
      path: "trainig",
      code: "unknown-field",
      data: { field: "trainig", suggestions: ["training"] },
      message: "unknown field, ignored (did you mean training?)",
    });
    const h20 = JSON.parse(run(["chips", "h20"]).out).errors[0];
    expect(h20.code).toBe("unknown-id");
    expect(h20.data.suggestions).toContain("nvidia-h20-96gb");
  });

  it("more chips than the batch and model can use: says how many they can", () => {
    const sc = {
      model: "llama3-405b",
      training: { tokens: 1e12, seqLen: 8192, globalBatch: 2048 },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 10_000_000 },
      parallelism: "auto",
    };
    const r = run(["simulate", "-"], JSON.stringify(sc));
    expect(r.code).toBe(2);
    // dp <= 2048, tp <= 8 (the KV heads), pp <= 126 layers
    expect(JSON.parse(r.out).errors[0]).toMatchObject({
      code: "no-plan",
      data: { mostUsable: 2_064_384 },
    });
  });
});

describe("npm start's server", () => {
  it("takes Vite down when whatever started it is killed outright (no orphaned server)", async () => {
    const { spawn } = await import("node:child_process");
    const { createServer } = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    // A shell that does not forward signals stands in for npm: SIGKILL leaves serve.mjs without its parent.
    const sh = spawn("sh", ["-c", `PORT=${port} "${process.execPath}" scripts/serve.mjs; true`], {
      cwd: root,
      stdio: "ignore",
    });
    const up = async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/`)).ok;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 300 && !(await up()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await up()).toBe(true);
    sh.kill("SIGKILL");
    for (let i = 0; i < 100 && (await up()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await up()).toBe(false);
  }, 60_000);
});

describe("chipscale frontier", () => {
  const scen = () =>
    file(
      "llama70b.json",
      JSON.stringify({
        model: "llama3-70b",
        training: { tokens: 15e12, seqLen: 8192, globalBatch: 2048 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8192 },
      }),
    );
  it("names the best chip Oct 2023 allows, as JSON and as a table", () => {
    const j = run(["frontier", scen(), "--rule", "oct2023"]);
    expect(j.code).toBe(0);
    const r = JSON.parse(j.out);
    expect(r.best.tpp).toBe(2399);
    expect(r.best.class).toBe("not controlled");
    const t = run(["frontier", scen(), "--rule=oct2023", "--format", "table"]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/TPP 2,399, PD 2\.95: not controlled; held by tpp one unit under 2,400/);
    expect(t.out).toMatch(/nvidia-h20-96gb +TPP +2,368/);
    // Counts grouped, in words: "65,536 of these chips", never "of it" or "at 8192".
    expect(t.out).toMatch(
      /^match +[\d,]+ of these chips \([\d.]+ per nvidia-h100-sxm5-80gb\) train as fast as 8,192 nvidia-h100-sxm5-80gb$/m,
    );
    expect(t.out).toContain("catalog chips, 8,192 of each:");
    expect(t.out).not.toMatch(/of it\b/);
    // A TPP reads as a grouped integer rounded down; no fraction, no ungrouped digits.
    expect(t.out).not.toMatch(/TPP +[\d,]*\.\d/);
    expect(t.out).toMatch(/nvidia-h100-sxm5-80gb +TPP +15,832 /);
  });
  it("bad input exits 2 naming each flag", () => {
    const r = run(["frontier", scen(), "--rule", "oct2099", "--bounds", "hbmTBps=fast"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors.map((e: { path: string }) => e.path)).toEqual([
      "--rule",
      "--bounds.hbmTBps",
    ]);
    expect(JSON.parse(run(["frontier", scen()]).out).errors[0].path).toBe("--rule");
    expect(
      JSON.parse(run(["frontier", scen(), "--rule", "oct2023", "--bounds", "x"]).out).errors[0]
        .path,
    ).toBe("--bounds");
  });
});

describe("chipscale chips: recorded conflicts beside their figures", () => {
  it("marks the H100's 3.35 TB/s with the press claim of 4.8 and its sources", () => {
    const r = run(["chips"]);
    expect(r.code).toBe(0);
    const n = /^nvidia-h100-sxm5-80gb\S* .* 3\.35\[(\d+)\]/m.exec(r.out)?.[1];
    expect(n).toBeDefined();
    const note = r.out.split("\n").find((l) => l.startsWith(`[${n}] `))!;
    expect(note).toMatch(
      /nvidia-h100-sxm5-80gb hbmTBps: 3\.35 \(nv_h100_ds\) vs 4\.8 \(press quote/,
    );
    expect(note).toMatch(/4\.8 TB\/s HBM3e is the H200/);
    // The H20's NVLink: 900 GB/s marked, the press's 400 in its note.
    const m = /^nvidia-h20-96gb\S* .* 900\[(\d+)\]/m.exec(r.out)?.[1];
    expect(r.out).toMatch(
      new RegExp(`^\\[${m}\\] nvidia-h20-96gb scaleUpGBps: 900 \\(h20_smbom\\) vs 400`, "m"),
    );
  });
});

describe("chipscale --format table: errors as lines on stderr", () => {
  it("every subcommand prints error: <field>: <message> on stderr, exit 2; JSON without table", () => {
    const bad = file(
      "bad-table.json",
      JSON.stringify({
        model: "llama3-70b",
        training: { tokens: -1, seqLen: 8192, globalBatch: 2048 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
      }),
    );
    const good = file(
      "good-table.json",
      JSON.stringify({
        model: "llama3-70b",
        training: { tokens: 1e12, seqLen: 8192, globalBatch: 2048 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024 },
      }),
    );
    const cases: [string[], string][] = [
      [["simulate", bad], "training.tokens"],
      [["search", bad], "training.tokens"],
      [["frontier", good, "--rule", "oct2099"], "--rule"],
      [["search", good, "--top", "0"], "--top"],
      [["chips", "nvidia-h999"], "id"],
      [["serve-compare", "--chips", "nvidia-h999"], "--chips"],
    ];
    for (const [args, field] of cases) {
      const t = run([...args, "--format", "table"]);
      expect(t.code, args.join(" ")).toBe(2);
      expect(t.out, args.join(" ")).toBe("");
      expect(t.err.split("\n")[0], args.join(" ")).toMatch(
        new RegExp(`^error: ${field.replace(/[.]/g, "\\.")}[.\\[\\d\\]]*: \\S`),
      );
      const j = run([...args, "--format", "json"]);
      expect(j.code, args.join(" ")).toBe(2);
      expect(JSON.parse(j.out).errors[0].path.startsWith(field), args.join(" ")).toBe(true);
    }
  });
});
