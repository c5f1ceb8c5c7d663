// Exact, hand-checkable values of the core's formulas, through the public API.
import { describe, it, expect } from "vitest";
import { simulator, ok, gptScenario, relErr } from "./helpers.js";
import { factText, CALIBRATION, type Plan, type Scenario } from "chipscale";

const L = 4,
  h = 1024,
  V = 51200,
  s = 2048,
  B = 64,
  a = 16;

/** One DGX H100, tp 8, ZeRO-0, no recompute, no scale-up latency: TP collectives alone. */
const h100Tp8 = (system: Record<string, unknown>, plan: Record<string, unknown>) =>
  gptScenario({
    cluster: {
      chip: "nvidia-h100-sxm5-80gb",
      count: 8,
      system: { id: "nvidia-dgx-h100", scaleUpLatencyUs: 0, ...system },
    },
    parallelism: { tp: 8, pp: 1, dp: 1, microBatch: 2, zero: 0, recompute: "none", ...plan },
  });

/** 64 A100 in 8 nodes, tp 1 dp 64, ZeRO-0 not overlapped, no latency, 200 Gb/s NICs: DP collectives alone. */
const a100Dp64 = (system: Record<string, unknown>) =>
  gptScenario({
    training: { tokens: 1e9, seqLen: 2048, globalBatch: 128, precision: "bf16" },
    cluster: {
      chip: "nvidia-a100-sxm4-80gb",
      count: 64,
      system: { scaleUpLatencyUs: 0, scaleOutLatencyUs: 0, scaleOutGbps: 200, ...system },
    },
    parallelism: {
      tp: 1,
      pp: 1,
      dp: 64,
      microBatch: 2,
      zero: 0,
      recompute: "none",
      overlapGradReduce: false,
    },
  });

describe("FLOPs", () => {
  it("model FLOPs per step = 72 B s L h^2 (1 + s/6h + V/12Lh) (Narayanan 2021, eq. 3 without recompute)", async () => {
    const r = ok((await simulator()).simulate(gptScenario()));
    const expected = 72 * B * s * L * h * h * (1 + s / (6 * h) + V / (12 * L * h));
    expect(relErr(r.model.modelFlopsPerStep, expected)).toBeLessThan(1e-12);
    expect(r.model.hardwareFlopsPerStep).toBe(r.model.modelFlopsPerStep);
  });

  it("full recompute: hardware FLOPs = 96 B s L h^2 (1 + s/6h + V/16Lh) (Narayanan 2021, eq. 3)", async () => {
    const sc = gptScenario();
    (sc.parallelism as { recompute: string }).recompute = "full";
    const r = ok((await simulator()).simulate(sc));
    const expected = 96 * B * s * L * h * h * (1 + s / (6 * h) + V / (16 * L * h));
    expect(relErr(r.model.hardwareFlopsPerStep, expected)).toBeLessThan(1e-12);
  });

  it("6ND: model FLOPs less attention and LM head = 6 x non-embedding matmul params x tokens", async () => {
    const r = ok((await simulator()).simulate(gptScenario()));
    const attention = 12 * B * L * s * s * h; // 3 x (QK^T + AV) = 3 x 4 s h per token per layer
    const head = 6 * B * s * h * V;
    const matmulParams = r.model.params - V * h - 2 * h * L; // tied embedding, two norms per layer
    expect(
      relErr(r.model.modelFlopsPerStep - attention - head, 6 * matmulParams * B * s),
    ).toBeLessThan(1e-12);
  });

  it("counts GPT-3 175B at 174.6B parameters and Llama 3 8B at 8.0B", async () => {
    const sim = await simulator();
    const base = {
      training: { tokens: 1e9, seqLen: 2048, globalBatch: 1024 },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024 },
    };
    const plan = { tp: 8, pp: 8, dp: 16, recompute: "full" } as const;
    expect(
      ok(sim.simulate({ ...base, model: "gpt3-175b", parallelism: plan })).model.params / 1e9,
    ).toBeCloseTo(174.58, 1);
    expect(
      ok(sim.simulate({ ...base, model: "llama3-8b", parallelism: { tp: 8, pp: 4, dp: 32 } })).model
        .params / 1e9,
    ).toBeCloseTo(8.03, 2);
  });

  it("MoE: DeepSeek-V3 has 671B total and about 37B active parameters", async () => {
    const r = ok(
      (await simulator()).simulate({
        model: "deepseek-v3",
        training: { tokens: 1e9, seqLen: 4096, globalBatch: 1024 },
        cluster: { chip: "nvidia-h800-sxm5-80gb", count: 2048 },
        parallelism: { tp: 1, pp: 16, dp: 128, ep: 64, zero: 1 },
      }),
    );
    // 671B main model; the 14B multi-token-prediction module (685B in all) is not modelled.
    expect(r.model.params / 1e9).toBeCloseTo(671, 0);
    expect(r.model.activeParams / 1e9).toBeGreaterThan(36);
    expect(r.model.activeParams / 1e9).toBeLessThan(39);
  });
});

describe("activation memory", () => {
  it("no parallelism: 34 s b h + 5 a s^2 b per layer (Korthikanti 2022, eq. 1)", async () => {
    const r = ok((await simulator()).simulate(gptScenario()));
    const b = 2; // microBatch
    const perLayer = s * b * h * 34 + 5 * a * s * s * b;
    const embeddingMask = s * b * h,
      logits = 4 * s * b * V;
    expect(
      relErr(r.memory.activationsGB * 1e9, L * perLayer + embeddingMask + logits),
    ).toBeLessThan(1e-12);
  });

  it("tensor + sequence parallel divide every term by t (Korthikanti 2022, Table 2)", async () => {
    const t = 8;
    const sc = gptScenario({
      parallelism: {
        tp: t,
        pp: 1,
        dp: 1,
        microBatch: 2,
        zero: 0,
        recompute: "none",
        sequenceParallel: true,
        flashAttention: false,
      },
    });
    const r = ok((await simulator()).simulate(sc));
    const b = 2;
    const perLayer = ((s * b * h) / t) * (34 + (5 * a * s) / h);
    expect(
      relErr(r.memory.activationsGB * 1e9, L * perLayer + (s * b * h) / t + (4 * s * b * V) / t),
    ).toBeLessThan(1e-12);
  });

  it("tensor parallel without SP: s b h (10 + 24/t + 5as/(h t)) (Korthikanti 2022, Table 2)", async () => {
    const t = 8;
    const sc = gptScenario({
      parallelism: {
        tp: t,
        pp: 1,
        dp: 1,
        microBatch: 2,
        zero: 0,
        recompute: "none",
        sequenceParallel: false,
        flashAttention: false,
      },
    });
    const r = ok((await simulator()).simulate(sc));
    const b = 2;
    const perLayer = s * b * h * (10 + 24 / t + (5 * a * s) / (h * t));
    expect(
      relErr(r.memory.activationsGB * 1e9, L * perLayer + s * b * h + (4 * s * b * V) / t),
    ).toBeLessThan(1e-12);
  });

  it("selective recompute drops the 5as^2b term: 34 s b h / t with SP", async () => {
    const t = 8;
    const sc = gptScenario({
      parallelism: {
        tp: t,
        pp: 1,
        dp: 1,
        microBatch: 2,
        zero: 0,
        recompute: "selective",
        sequenceParallel: true,
        flashAttention: false,
      },
    });
    const r = ok((await simulator()).simulate(sc));
    const b = 2;
    expect(
      relErr(
        r.memory.activationsGB * 1e9,
        (L * 34 * s * b * h) / t + (s * b * h) / t + (4 * s * b * V) / t,
      ),
    ).toBeLessThan(1e-12);
  });

  it("FP8 keeps the four GEMM inputs (QKV, projection, both MLP) in 1 byte: 27 s b h + 5 a s^2 b per layer", async () => {
    const sc = gptScenario({
      training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, precision: "fp8" },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
    });
    const r = ok((await simulator()).simulate(sc));
    const b = 2;
    // 34 sbh less 1 sbh each for the QKV, projection and first MLP inputs and 4 sbh (F = 4h) for the second.
    const perLayer = s * b * h * 27 + 5 * a * s * s * b;
    expect(
      relErr(r.memory.activationsGB * 1e9, L * perLayer + s * b * h + 4 * s * b * V),
    ).toBeLessThan(1e-12);
  });

  it("MLA keeps its down-projections whole on every TP rank; the rest of the layer splits", async () => {
    const sim = await simulator();
    const q = 384,
      kv = 128,
      rope = 32;
    const at = (tp: number) =>
      (ok(
        sim.simulate(
          gptScenario({
            model: {
              name: "mla",
              layers: L,
              hidden: h,
              ffnHidden: 4096,
              heads: a,
              kvHeads: a,
              headDim: 64,
              vocab: V,
              mlp: "gelu",
              tiedEmbeddings: true,
              mla: { qLoraRank: q, kvLoraRank: kv, ropeHeadDim: rope, vHeadDim: 64 },
            },
            parallelism: {
              tp,
              pp: 1,
              dp: 8 / tp,
              microBatch: 2,
              zero: 0,
              recompute: "none",
              sequenceParallel: true,
              flashAttention: true,
            },
          }),
        ),
      ).memory.weightsGB *
        1e9) /
      2;
    const norms = L * 2 * h,
      down = L * (h * q + h * (kv + rope));
    expect(relErr(at(2), (at(1) - norms - down) / 2 + norms + down)).toBeLessThan(1e-12);
  });

  it("weights, gradients and optimizer follow 2 + 4 + 12 bytes per parameter, sharded by ZeRO stage", async () => {
    const sim = await simulator();
    const r0 = ok(sim.simulate(gptScenario()));
    const P = r0.model.params; // tp = pp = 1: every chip holds the whole model
    expect(relErr(r0.memory.weightsGB * 1e9, 2 * P)).toBeLessThan(1e-12);
    expect(relErr(r0.memory.gradientsGB * 1e9, 4 * P)).toBeLessThan(1e-12);
    expect(relErr(r0.memory.optimizerGB * 1e9, 12 * P)).toBeLessThan(1e-12);
    const sc = gptScenario();
    (sc.parallelism as { zero: number }).zero = 2;
    const r2 = ok(sim.simulate(sc));
    expect(relErr(r2.memory.gradientsGB * 1e9, (4 * P) / 8)).toBeLessThan(1e-12);
    expect(relErr(r2.memory.optimizerGB * 1e9, (12 * P) / 8)).toBeLessThan(1e-12);
    expect(relErr(r2.memory.weightsGB * 1e9, 2 * P)).toBeLessThan(1e-12);
  });
});

describe("communication", () => {
  it("data-parallel ring all-reduce moves 2(n-1)/n of the gradients per chip", async () => {
    // One 8-chip NVLink domain, zero latency so the ring term stands alone; gradients fp32.
    const sc = gptScenario({
      cluster: { chip: "nvidia-a100-sxm4-80gb", count: 8, system: { scaleUpLatencyUs: 0 } },
      parallelism: {
        tp: 1,
        pp: 1,
        dp: 8,
        microBatch: 2,
        zero: 0,
        recompute: "none",
        flashAttention: false,
        overlapGradReduce: false,
      },
    });
    const r = ok((await simulator()).simulate(sc, { calibration: { scaleUpEfficiency: 1 } }));
    const n = 8,
      bytes = 4 * r.model.params,
      bw = 600e9 / 2; // A100: 600 GB/s bidirectional
    expect(relErr(r.step.dpCommS, ((2 * (n - 1)) / n) * (bytes / bw))).toBeLessThan(1e-12);
  });

  it("a data-parallel group with k chips per domain reduces over k NICs per chip, capped by scale-up", async () => {
    // Two 8-chip A100 nodes, tp 1: every chip of a node is in the one DP group (k = 8).
    const sc = gptScenario({
      cluster: {
        chip: "nvidia-a100-sxm4-80gb",
        count: 16,
        system: { scaleUpLatencyUs: 0, scaleOutLatencyUs: 0, scaleOutGbps: 200 },
      },
      training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, precision: "bf16" },
      parallelism: {
        tp: 1,
        pp: 1,
        dp: 16,
        microBatch: 2,
        zero: 0,
        recompute: "none",
        flashAttention: false,
        overlapGradReduce: false,
      },
    });
    const r = ok(
      (await simulator()).simulate(sc, {
        calibration: { scaleUpEfficiency: 1, scaleOutEfficiency: 1 },
      }),
    );
    const n = 16,
      bytes = 4 * r.model.params,
      bw = Math.min(600e9 / 2, 8 * (200e9 / 8)); // min(300, 8 x 25) GB/s
    expect(relErr(r.step.dpCommS, ((2 * (n - 1)) / n) * (bytes / bw))).toBeLessThan(1e-12);
  });

  it("an all-to-all with k ranks per domain sends (n-k)/n of its buffer over scale-out", async () => {
    const sim = await simulator();
    const sc = (domain: number) =>
      gptScenario({
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
        cluster: {
          chip: "nvidia-a100-sxm4-80gb",
          count: 16,
          system: { scaleUpDomain: domain, scaleUpLatencyUs: 0, scaleOutLatencyUs: 0 },
        },
        parallelism: {
          tp: 1,
          pp: 1,
          dp: 16,
          ep: 16,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          flashAttention: true,
        },
      });
    const split = ok(sim.simulate(sc(8))),
      alone = ok(sim.simulate(sc(1)));
    // k = 8: max((k-1)/n over NVLink, (n-k)/n over the NIC) = 8/16 of the buffer at NIC speed; k = 1: 15/16.
    expect(relErr(split.step.epCommS / alone.step.epCommS, 8 / 15)).toBeLessThan(1e-12);
  });

  it("CloudMatrix 384's UB plane carries an EP group of all 384 NPUs at its full rate, none of it over RDMA", async () => {
    // The UB plane is a two-tier non-blocking Clos of UB switches joining all 384 NPUs (Zuo et al.
    // 2025, arXiv:2506.12708, Sec. 3), modelled as one switched domain: any group keeps the full rate.
    const sim = await simulator();
    const sc = (ep: number, scaleOutGbps: number) =>
      gptScenario({
        // The shared small GPT with 384 experts of 1,024 in each MLP.
        model: {
          ...(gptScenario().model as object),
          name: "moe",
          moe: { experts: 384, active: 8, shared: 0, expertFfnHidden: 1024, denseLayers: 0 },
        },
        training: { tokens: 1e9, seqLen: 2048, globalBatch: 768, precision: "bf16" },
        cluster: {
          chip: "huawei-ascend-910c",
          count: 384,
          system: { id: "huawei-cloudmatrix-384", scaleUpLatencyUs: 0, scaleOutGbps },
        },
        parallelism: {
          tp: 1,
          pp: 1,
          dp: 384,
          ep,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          flashAttention: true,
        },
      });
    const all = ok(sim.simulate(sc(384, 400))),
      node = ok(sim.simulate(sc(8, 400))),
      slowNic = ok(sim.simulate(sc(384, 100)));
    // Same buffer per rank, zero latency: (n-1)/n of it at the UB rate, so 384 ranks take
    // (383/384) / (7/8) of what 8 ranks take, and the RDMA NICs' rate does not enter.
    expect(relErr(all.step.epCommS / node.step.epCommS, 383 / 384 / (7 / 8))).toBeLessThan(1e-12);
    expect(slowNic.step.epCommS).toBe(all.step.epCommS);
  });

  it("MoE parallel folding: with etp = 1 an EP group is ep consecutive ranks, so ep may exceed dp and stay in one domain", async () => {
    const sim = await simulator();
    const sc = (ep: number, etp: number) =>
      gptScenario({
        model: {
          name: "moe",
          layers: L,
          hidden: h,
          ffnHidden: 4096,
          heads: a,
          kvHeads: a,
          vocab: V,
          mlp: "gelu",
          moe: { experts: 16, active: 2, shared: 0, expertFfnHidden: 1024, denseLayers: 0 },
        },
        cluster: {
          chip: "nvidia-a100-sxm4-80gb",
          count: 16,
          system: { scaleUpDomain: 8, scaleUpLatencyUs: 0, scaleOutLatencyUs: 0 },
        },
        parallelism: {
          tp: 4,
          pp: 1,
          dp: 4,
          ep,
          etp,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          sequenceParallel: true,
          flashAttention: true,
        },
      });
    // ep 8 > dp 4: 8 consecutive ranks (two TP groups of 4) fill one 8-GPU domain, so the whole
    // all-to-all runs over NVLink (300 GB/s per direction): 7/8 of each rank's tok/t * k * h * 2 B,
    // dispatch and combine, forward and backward, per layer and microbatch.
    const r = ok(sim.simulate(sc(8, 1), { calibration: { scaleUpEfficiency: 1 } }));
    const bytes = ((2 * s) / 4) * 2 * h * 2,
      micro = B / (4 * 2);
    expect(relErr(r.step.epCommS, (micro * L * 4 * (7 / 8) * bytes) / 300e9)).toBeLessThan(1e-12);
    // With the experts split over TP (etp = 4) the same ep needs 8 x 4 = 32 of the stage's 16 ranks.
    const bad = sim.simulate(sc(8, 4));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toContain("parallelism.ep");
  });

  it("context parallelism folds into EP too: ep 8 over cp 2 x dp 4 on one 8-GPU node never leaves it", async () => {
    const sim = await simulator();
    const sc = (domain: number) =>
      gptScenario({
        model: {
          name: "moe",
          layers: L,
          hidden: h,
          ffnHidden: 4096,
          heads: a,
          kvHeads: a,
          vocab: V,
          mlp: "gelu",
          moe: { experts: 16, active: 2, shared: 0, expertFfnHidden: 1024, denseLayers: 0 },
        },
        cluster: {
          chip: "nvidia-a100-sxm4-80gb",
          count: 8,
          system: { scaleUpDomain: domain, scaleUpLatencyUs: 0, scaleOutLatencyUs: 0 },
        },
        parallelism: {
          tp: 1,
          pp: 1,
          dp: 4,
          cp: 2,
          ep: 8,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          flashAttention: true,
        },
      });
    // The 8 EP ranks are the node's 8 GPUs: 7/8 of each rank's tok/cp * k * h * 2 B over NVLink.
    const r = ok(sim.simulate(sc(8), { calibration: { scaleUpEfficiency: 1 } }));
    const bytes = ((2 * s) / 2) * 2 * h * 2,
      micro = B / (4 * 2);
    expect(relErr(r.step.epCommS, (micro * L * 4 * (7 / 8) * bytes) / 300e9)).toBeLessThan(1e-12);
    expect(ok(sim.simulate(sc(16), { calibration: { scaleUpEfficiency: 1 } })).step.epCommS).toBe(
      r.step.epCommS,
    );
  });

  it("node-limited routing sends a token over scale-out once per target domain: min(M, domains)/k of its k copies", async () => {
    const sim = await simulator();
    const sc = (maxNodes?: number) =>
      gptScenario({
        model: {
          name: "moe",
          layers: 4,
          hidden: 1024,
          ffnHidden: 4096,
          heads: 16,
          kvHeads: 16,
          vocab: 51200,
          mlp: "gelu",
          moe: {
            experts: 16,
            active: 4,
            shared: 0,
            expertFfnHidden: 1024,
            denseLayers: 0,
            ...(maxNodes ? { maxNodes } : {}),
          },
        },
        cluster: {
          chip: "nvidia-a100-sxm4-80gb",
          count: 16,
          system: { scaleUpDomain: 8, scaleUpLatencyUs: 0, scaleOutLatencyUs: 0 },
        },
        parallelism: {
          tp: 1,
          pp: 1,
          dp: 16,
          ep: 16,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          flashAttention: true,
        },
      });
    // The scale-out half (8 of 16 ranks off-domain, at 25 GB/s per GPU) paces the all-to-all either way.
    const limited = ok(sim.simulate(sc(1))),
      free = ok(sim.simulate(sc()));
    expect(relErr(limited.step.epCommS / free.step.epCommS, 1 / 4)).toBeLessThan(1e-12);
    // M = 4 of k = 4, but the group spans 2 domains: at most 2 target domains per token.
    expect(relErr(ok(sim.simulate(sc(4))).step.epCommS / free.step.epCommS, 2 / 4)).toBeLessThan(
      1e-12,
    );
  });

  it("an all-to-all overlapped with compute (DualPipe) shows max(T - C, s T): the compute units it holds, or what outlasts compute", async () => {
    const sim = await simulator();
    const sc = (overlapAllToAll: boolean, scaleOutGbps: number) =>
      gptScenario({
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
        cluster: {
          chip: "nvidia-a100-sxm4-80gb",
          count: 16,
          system: { scaleUpDomain: 4, scaleOutGbps },
        },
        parallelism: {
          tp: 1,
          pp: 2,
          dp: 8,
          ep: 8,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          flashAttention: true,
          overlapAllToAll,
        },
      });
    for (const [gbps, s] of [
      [200, 0.25],
      [200, 0],
      [2, 0.25],
    ] as const) {
      const serial = ok(sim.simulate(sc(false, gbps))),
        beside = ok(sim.simulate(sc(true, gbps), { calibration: { commSmShare: s } }));
      const micro = serial.step.microbatches;
      const T = serial.step.epCommS / micro,
        C = (serial.step.computeS - serial.step.optimizerS) / micro;
      const shown = micro * Math.max(T - C, s * T);
      if (shown === 0) expect(beside.step.epCommS).toBe(0);
      else expect(relErr(beside.step.epCommS, shown)).toBeLessThan(1e-9);
      expect(beside.step.timeS).toBeLessThanOrEqual(serial.step.timeS);
      // The pipeline bubble is (p - 1) microbatch times, the shown all-to-all included.
      const perMicro =
        (beside.step.computeS -
          beside.step.optimizerS +
          beside.step.exposedCommS -
          beside.step.dpCommS) /
        micro;
      expect(relErr(beside.step.bubbleS, (2 - 1) * perMicro)).toBeLessThan(1e-9);
    }
  });

  it("tensor parallelism all-reduces 2 activations per layer forward and 2 backward, plus the LM head's input gradient", async () => {
    const b = 2,
      tp = 2;
    const r = ok(
      (await simulator()).simulate(
        gptScenario({
          cluster: { chip: "nvidia-a100-sxm4-80gb", count: 8, system: { scaleUpLatencyUs: 0 } },
          parallelism: {
            tp,
            pp: 1,
            dp: 4,
            microBatch: b,
            zero: 0,
            recompute: "none",
            sequenceParallel: false,
            flashAttention: true,
          },
        }),
      ),
    );
    // Ring all-reduce of one b s h bf16 activation: 2 (t-1)/t x bytes over 600/2 GB/s x 0.8 per direction.
    const one = (((2 * (tp - 1)) / tp) * (b * s * h * 2)) / (300e9 * 0.8);
    const micro = B / (4 * b);
    expect(relErr(r.step.tpCommS, micro * (L * 4 + 1) * one)).toBeLessThan(1e-12);
  });

  it("MoE with experts split over TP (etp = tp): the MLP's all-gather/reduce-scatter carries k token copies", async () => {
    const sim = await simulator();
    const sc = (etp: number) =>
      gptScenario({
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
        parallelism: {
          tp: 8,
          pp: 1,
          dp: 1,
          etp,
          microBatch: 2,
          zero: 1,
          recompute: "none",
          sequenceParallel: true,
          flashAttention: true,
          tpCommOverlap: false, // every pair exposed, so the pairs count
        },
      });
    // Per pass: attention pair + k = 2 dispatched copies (etp = tp) vs the attention pair alone (etp = 1),
    // 2 passes in 4 layers, plus the LM head's one pair.
    const split = ok(sim.simulate(sc(8))),
      whole = ok(sim.simulate(sc(1)));
    expect(
      relErr(split.step.tpCommS / whole.step.tpCommS, (4 * 2 * 3 + 1) / (4 * 2 * 1 + 1)),
    ).toBeLessThan(1e-12);
  });

  it("MoE token permutation: (3k + 1) h-wide rows of 2 B through HBM per token per MoE layer forward", async () => {
    const k = 2,
      E = 16,
      F = 1024,
      b = 2,
      tok = b * s;
    const sc = gptScenario({
      model: {
        name: "moe",
        layers: L,
        hidden: h,
        ffnHidden: 4096,
        heads: a,
        kvHeads: a,
        vocab: V,
        mlp: "swiglu",
        moe: { experts: E, active: k, shared: 0, expertFfnHidden: F, denseLayers: 0 },
      },
      cluster: { chip: { id: "nvidia-a100-sxm4-80gb", hbmTBps: 2 }, count: 8 },
      parallelism: {
        tp: 1,
        pp: 1,
        dp: 8,
        ep: 8,
        microBatch: b,
        zero: 1,
        recompute: "none",
        flashAttention: true,
      },
    });
    const r = ok((await simulator()).simulate(sc, { calibration: { memoryEfficiency: 1 } }));
    const norms = 10 * tok * h * 2,
      act = 3 * tok * k * F * 2,
      permute = (3 * k + 1) * tok * h * 2;
    const micro = 64 / (8 * b);
    // Forward x 3 for training (backward = 2x forward), every layer, every microbatch.
    expect(
      relErr(r.step.memoryBoundS, (micro * L * 3 * (norms + act + permute)) / 2e12),
    ).toBeLessThan(1e-12);
  });

  it("MoE memory: experts split over TP keep the TP-gathered copies, k h-wide rows per token, on every TP rank", async () => {
    const sim = await simulator();
    const k = 2,
      t = 8,
      b = 2,
      tok = b * s;
    const sc = (etp: number) =>
      gptScenario({
        model: {
          name: "moe",
          layers: L,
          hidden: h,
          ffnHidden: 4096,
          heads: a,
          kvHeads: a,
          vocab: V,
          mlp: "gelu",
          moe: { experts: 16, active: k, shared: 0, expertFfnHidden: 1024, denseLayers: 0 },
        },
        parallelism: {
          tp: t,
          pp: 1,
          dp: 1,
          etp,
          microBatch: b,
          zero: 1,
          recompute: "none",
          sequenceParallel: true,
          flashAttention: true,
        },
      });
    const split = ok(sim.simulate(sc(t))),
      whole = ok(sim.simulate(sc(1)));
    // bf16 copies (2 B): tok k h on each rank with etp = tp, tok k h / t with etp = 1; one microbatch in flight.
    expect(
      relErr(
        (split.memory.activationsGB - whole.memory.activationsGB) * 1e9,
        L * 2 * tok * k * h * (1 - 1 / t),
      ),
    ).toBeLessThan(1e-9);
  });

  it("MoE with etp = 1 and tp > 1: expert optimizer state shards over tp x dp / ep ranks (Megatron-Core expert data parallelism)", async () => {
    const sim = await simulator();
    const E = 16,
      F = 1024,
      t = 2,
      d = 4,
      e = 4;
    const r = ok(
      sim.simulate(
        gptScenario({
          model: {
            name: "moe",
            layers: L,
            hidden: h,
            ffnHidden: 4096,
            heads: a,
            kvHeads: a,
            vocab: V,
            mlp: "gelu",
            tiedEmbeddings: true,
            moe: { experts: E, active: 2, shared: 0, expertFfnHidden: F, denseLayers: 0 },
          },
          parallelism: {
            tp: t,
            pp: 1,
            dp: d,
            ep: e,
            etp: 1,
            microBatch: 2,
            zero: 1,
            recompute: "none",
            sequenceParallel: true,
            flashAttention: true,
          },
        }),
      ),
    );
    const expertChip = L * (E / e) * 2 * h * F; // each TP rank holds its E/ep experts whole
    const denseChip = (r.memory.weightsGB * 1e9) / 2 - expertChip;
    expect(
      relErr(r.memory.optimizerGB * 1e9, 12 * (denseChip / d + expertChip / ((t * d) / e))),
    ).toBeLessThan(1e-12);
  });

  it("ZeRO-2 and 3 expose at least the last gradient bucket, as ZeRO-1 does", async () => {
    const sim = await simulator();
    const plan = (zero: 0 | 1 | 2 | 3) =>
      ({
        model: "llama3-405b",
        training: { tokens: 1e12, seqLen: 8192, globalBatch: 2048 },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 16384 },
        parallelism: {
          tp: 8,
          pp: 8,
          dp: 256,
          vpp: 8,
          microBatch: 1,
          zero,
          recompute: "full",
          sequenceParallel: true,
          flashAttention: true,
        },
      }) satisfies Scenario;
    const z1 = ok(sim.simulate(plan(1))),
      z2 = ok(sim.simulate(plan(2)));
    expect(z2.step.dpCommS).toBeGreaterThanOrEqual(z1.step.dpCommS);
    expect(z2.step.timeS).toBeGreaterThanOrEqual(z1.step.timeS);
  });

  it("a switchless full mesh (MI300X's 8-OAM Infinity Fabric) gives a group of g chips g-1 of its 7 links", async () => {
    const sim = await simulator();
    const run = (tp: number, mesh?: boolean) =>
      ok(
        sim.simulate(
          gptScenario({
            cluster: {
              chip: "amd-mi300x",
              count: 8,
              system: { scaleUpLatencyUs: 0, ...(mesh === undefined ? {} : { scaleUpMesh: mesh }) },
            },
            parallelism: {
              tp,
              pp: 1,
              dp: 8 / tp,
              microBatch: 2,
              zero: 0,
              recompute: "none",
              sequenceParallel: false,
              flashAttention: true,
            },
          }),
        ),
      ).step.tpCommS;
    expect(relErr(run(2) / run(2, false), 7)).toBeLessThan(1e-12); // the catalog's "fully-connected 8-OAM" is a mesh
    expect(relErr(run(4) / run(4, false), 7 / 3)).toBeLessThan(1e-12);
    expect(relErr(run(8) / run(8, false), 1)).toBeLessThan(1e-12); // all seven peers: the chip's whole rate
    const bad = sim.simulate(
      gptScenario({ cluster: { chip: "amd-mi300x", count: 8, system: { scaleUpMesh: "yes" } } }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors).toContainEqual({
        path: "cluster.system.scaleUpMesh",
        code: "wrong-type",
        data: { expected: "true or false", got: 'the string "yes"' },
        message: 'must be true or false, got the string "yes"',
      });
  });

  it("a tensor-parallel group larger than the scale-up domain pays scale-out bandwidth", async () => {
    const sim = await simulator();
    const base = {
      model: "gpt3-175b",
      training: { tokens: 1e9, seqLen: 2048, globalBatch: 64 },
      parallelism: { tp: 8, pp: 8, dp: 16 },
    };
    const inDomain = ok(
      sim.simulate({
        ...base,
        cluster: { chip: "nvidia-gb200-per-gpu", count: 1024, system: "nvidia-gb200-nvl72" },
      }),
    );
    const straddles = ok(
      sim.simulate({
        ...base,
        cluster: { chip: "nvidia-gb200-per-gpu", count: 1024, system: { scaleUpDomain: 4 } },
      }),
    );
    expect(straddles.step.tpCommS).toBeGreaterThan(5 * inDomain.step.tpCommS);
    // 72 is not a multiple of 16: some 16-way group spans two racks and paces the rest.
    const ragged = ok(
      sim.simulate({
        ...base,
        parallelism: { tp: 16, pp: 8, dp: 8 },
        cluster: { chip: "nvidia-gb200-per-gpu", count: 1024, system: "nvidia-gb200-nvl72" },
      }),
    );
    expect(ragged.step.tpCommS).toBeGreaterThan(5 * inDomain.step.tpCommS);
  });
});

describe("data-parallel overlap that runs out, and NCCL's hierarchical latency", () => {
  // 16 A100 in two 8-GPU nodes, tp 1: the DP group has k = 8 ranks per node, 2 nodes; it moves
  // min(NVLink 300 GB/s, 8 NICs x NIC rate) per chip (efficiencies 1 so the figures stand alone).
  const n = 16,
    k = 8,
    nodes = 2,
    upLat = 1e-6,
    outLat = 3e-6;
  const dpScenario = (
    zero: 0 | 1 | 3,
    scaleOutGbps: number,
    overlapGradReduce: boolean,
    count = n,
  ) =>
    gptScenario({
      training: { tokens: 1e9, seqLen: 2048, globalBatch: 4 * count, precision: "bf16" },
      cluster: {
        chip: "nvidia-a100-sxm4-80gb",
        count,
        system: { scaleUpLatencyUs: upLat * 1e6, scaleOutLatencyUs: outLat * 1e6, scaleOutGbps },
      },
      parallelism: {
        tp: 1,
        pp: 1,
        dp: count,
        microBatch: 2,
        zero,
        recompute: "none",
        flashAttention: false,
        overlapGradReduce,
      },
    });
  const run = async (sc: Scenario) =>
    ok(
      (await simulator()).simulate(sc, {
        calibration: { scaleUpEfficiency: 1, scaleOutEfficiency: 1, stragglerCv: 0 },
      }),
    );
  // One all-gather / reduce-scatter ring of `bytes` over the group, per layer: NCCL's ring crosses
  // nodes nodes - 1 times and stays on NVLink for the other hops (src/graph/tuning.cc).
  const ring = (bytes: number, bw: number) =>
    (((n - 1) / n) * bytes) / bw + (n - nodes) * upLat + (nodes - 1) * outLat;

  it("ZeRO-3 with compute to spare exposes only each pass's first gather and the last reduce-scatter", async () => {
    const r = await run(dpScenario(3, 200, true));
    const P = r.model.params,
      bw = Math.min(300e9, k * 25e9),
      micro = 2; // 4 sequences per rank / microbatch 2
    const gather = L * ring((2 * P) / L, bw), // bf16 weights, one collective per layer
      scatter = L * ring((4 * P) / L, bw); // fp32 gradients
    expect(relErr(r.step.dpCommS, (micro * (2 * gather + scatter)) / L)).toBeLessThan(1e-12);
  });

  it("ZeRO-3 on a slow network exposes what exceeds one forward and one backward per microbatch", async () => {
    // Both runs are network-bound, so the windows cancel in the difference: each extra second of
    // gathers and scatters is an exposed second, twice per step (two microbatches).
    const slow = await run(dpScenario(3, 1, true)),
      slower = await run(dpScenario(3, 0.5, true));
    const P = slow.model.params,
      perByte = (gbps: number) => ((n - 1) / n) * (1 / ((k * (gbps * 1e9)) / 8));
    const extra = (2 * 2 * P + 4 * P) * (perByte(0.5) - perByte(1));
    expect(relErr(slower.step.dpCommS - slow.step.dpCommS, 2 * extra)).toBeLessThan(1e-9);
    // and the exposed part is less than all of it: one forward and one backward hid some
    const all =
      2 *
      (2 * L * ring((2 * slow.model.params) / L, k * 0.125e9) + L * ring((4 * P) / L, k * 0.125e9));
    expect(slow.step.dpCommS).toBeLessThan(all);
  });

  it("ZeRO-1 overlapped exposes its last gradient bucket and its first weight bucket, in Megatron-Core's buckets", async () => {
    const r = await run(dpScenario(1, 200, true));
    const P = r.model.params,
      bw = Math.min(300e9, k * 25e9);
    // Buckets of max(40M, 1M x 16) parameters: ceil(102.8M / 40M) = 3 collectives each way; the
    // reduce-scatter's last hides in no backward, the gather's first in no forward.
    const buckets = Math.ceil(P / 40e6);
    expect(buckets).toBe(3);
    const expected =
      (buckets * ring((4 * P) / buckets, bw) + buckets * ring((2 * P) / buckets, bw)) / buckets;
    expect(relErr(r.step.dpCommS, expected)).toBeLessThan(1e-12);
  });

  it("an all-reduce across nodes takes NCCL's cheaper of ring (2(n-1) hops, 2(nodes-1) across) and tree (log2 nodes deep)", async () => {
    // 64 A100 = 8 nodes; not overlapped: one all-reduce of all gradients (no buckets), all exposed.
    const count = 64,
      nn = 8;
    const at = async (upUs: number, outUs: number) => {
      const sc = dpScenario(0, 200, false, count);
      Object.assign(sc.cluster.system as object, {
        scaleUpLatencyUs: upUs,
        scaleOutLatencyUs: outUs,
      });
      const r = await run(sc);
      const bytes = 4 * r.model.params,
        bw = Math.min(300e9, k * 25e9),
        up = upUs * 1e-6,
        out = outUs * 1e-6;
      const ringT =
        (((2 * (count - 1)) / count) * bytes) / bw + 2 * (count - nn) * up + 2 * (nn - 1) * out;
      const treeT = (2 * bytes) / bw + 2 * ((k - 1) * up + Math.log2(nn) * out);
      return { got: r.step.dpCommS, ring: ringT, tree: treeT };
    };
    // No latency: the ring's 2(n-1)/n of the buffer beats the tree's 2.
    const bw = await at(0, 0);
    expect(bw.ring).toBeLessThan(bw.tree);
    expect(relErr(bw.got, bw.ring)).toBeLessThan(1e-12);
    // 1 ms per cross-node hop: the tree's 2 log2(8) = 6 crossings beat the ring's 2 x 7 = 14.
    const lat = await at(1, 1000);
    expect(lat.tree).toBeLessThan(lat.ring);
    expect(relErr(lat.got, lat.tree)).toBeLessThan(1e-12);
  });
});

describe("in-network reduction (NVLink SHARP, InfiniBand SHARP)", () => {
  it("a TP all-reduce through NVSwitch SHARP moves its buffer once each way: 1 / (2(n-1)/n) of the ring's time", async () => {
    const sim = await simulator();
    const tpRun = (scaleUpReduction?: boolean) =>
      // all-reduces, not gathers and scatters
      ok(sim.simulate(h100Tp8({ scaleUpReduction }, { sequenceParallel: false })));
    // DGX H100's catalog entry says its NVSwitch reduces (the default); turning it off gives the ring.
    const nvls = tpRun(true),
      ring = tpRun(false);
    expect(tpRun().step.tpCommS).toBe(nvls.step.tpCommS);
    expect(relErr(nvls.step.tpCommS / ring.step.tpCommS, 1 / ((2 * 7) / 8))).toBeLessThan(1e-12);
  });

  it("a DP all-reduce with SHARP across nodes: domain reduce-scatter and gather beside one pass through the fabric", async () => {
    // 64 A100 in 8 nodes, ZeRO-0 not overlapped, no latency: ring 2(63/64) x bytes at min(300, 8 x 25)
    // GB/s; SHARP max(2(7/8) bytes at NVLink 300, bytes / (8 x 25 GB/s)).
    const sc = (scaleOutReduction: boolean) => a100Dp64({ scaleOutReduction });
    const sim = await simulator(),
      cal = { calibration: { scaleUpEfficiency: 1, scaleOutEfficiency: 1 } };
    const sharp = ok(sim.simulate(sc(true), cal)),
      plain = ok(sim.simulate(sc(false), cal));
    const bytes = 4 * sharp.model.params;
    expect(relErr(plain.step.dpCommS, (((2 * 63) / 64) * bytes) / 200e9)).toBeLessThan(1e-12);
    expect(
      relErr(sharp.step.dpCommS, Math.max((((2 * 7) / 8) * bytes) / 300e9, bytes / (8 * 25e9))),
    ).toBeLessThan(1e-12);
  });
});

describe("TP communication pipelined with its GEMMs (Transformer Engine userbuffers)", () => {
  // tp 8 with sequence parallelism, no recompute: per layer and microbatch 2 passes x 2 pairs (an
  // all-gather and a reduce-scatter, "one") and one more pair at the LM head, all exposed when off.
  const sc = (tpCommOverlap: boolean, scaleUpGBps: number) =>
    h100Tp8({ scaleUpGBps }, { sequenceParallel: true, tpCommOverlap });

  it("with GEMMs longer than the collectives only the first of tp chunks shows: one / tp a pair", async () => {
    const sim = await simulator();
    // 60 TB/s scale-up: a pair takes well under a GEMM, so each pair shows its first chunk alone.
    const off = ok(sim.simulate(sc(false, 60000))),
      on = ok(sim.simulate(sc(true, 60000)));
    const micro = off.step.microbatches,
      layers = 4,
      tp = 8;
    const one = off.step.tpCommS / (micro * (4 * layers + 1));
    expect(relErr(on.step.tpCommS, micro * (4 * layers * (one / tp) + one))).toBeLessThan(1e-12);
    expect(on.plan.tpCommOverlap).toBe(true);
  });

  it("with collectives longer than the GEMMs it hides at most the GEMMs' time, and never slows a step", async () => {
    const sim = await simulator();
    for (const gbps of [60, 900, 60000]) {
      const off = ok(sim.simulate(sc(false, gbps))),
        on = ok(sim.simulate(sc(true, gbps)));
      expect(on.step.tpCommS).toBeLessThan(off.step.tpCommS);
      // What it hides is bounded by the layers' GEMM time: 3 x (forward GEMMs) per layer and microbatch.
      expect(off.step.tpCommS - on.step.tpCommS).toBeLessThanOrEqual(on.step.matmulS * (1 + 1e-12));
      expect(on.step.computeS).toBe(off.step.computeS);
    }
  });

  it("is the stack's default: on for megatron-core with SP, off for megatron-lm, a no-op without SP", async () => {
    const sim = await simulator();
    const plan = { tp: 8, pp: 1, dp: 1, microBatch: 2, zero: 0, recompute: "none" } as const;
    const at = (stack: string, p: Record<string, unknown>) =>
      ok(
        sim.simulate(
          gptScenario({
            training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, precision: "bf16", stack },
            cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
            parallelism: { ...plan, ...p },
          }),
        ),
      );
    expect(at("megatron-core", {}).plan.tpCommOverlap).toBe(true);
    expect(at("megatron-lm", {}).plan.tpCommOverlap).toBe(false);
    expect(at("megatron-core", { tpCommOverlap: false }).plan.tpCommOverlap).toBe(false);
    expect(at("megatron-core", { sequenceParallel: false }).plan.tpCommOverlap).toBe(false);
    const noSp = at("megatron-lm", { sequenceParallel: false, tpCommOverlap: true });
    expect(noSp.warnings.find((w) => w.code === "tp-overlap-no-effect")).toMatchObject({
      path: "parallelism.tpCommOverlap",
      data: { tp: 8, sequenceParallel: false },
    });
    expect(noSp.step.tpCommS).toBe(at("megatron-lm", { sequenceParallel: false }).step.tpCommS);
    const searched = sim.search(
      gptScenario({
        training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, stack: "megatron-core" },
        cluster: { chip: "nvidia-h100-sxm5-80gb", count: 8 },
        parallelism: "auto",
      }),
      { top: 50, exhaustive: true },
    );
    if (!searched.ok) throw new Error("search failed");
    for (const r of searched.top)
      expect(r.plan.tpCommOverlap).toBe(r.plan.tp > 1 && r.plan.sequenceParallel);
  });
});

describe("pods joined by an oversubscribed layer (Llama 3's 3,072-GPU pods, 1:7 above)", () => {
  // 64 A100 in 8 nodes, dp 64: one ring per NIC, 8 ranks of it in each node, 8 nodes along it.
  // ZeRO-0 not overlapped, no latency: ring time 2(63/64) x bytes at min(NVLink 300, 8 NICs x NIC).
  const sc = a100Dp64;
  const cal = { calibration: { scaleUpEfficiency: 1, scaleOutEfficiency: 1 } };

  it("a ring with m nodes in each pod keeps min(1, m / ratio) of a NIC between pods", async () => {
    const sim = await simulator();
    // Pods of 16 chips: 4 pods, 2 of the ring's 8 nodes in each; at 7:1 a hop keeps 2/7 of 25 GB/s.
    const r = ok(sim.simulate(sc({ podChips: 16, podOversubscription: 7 }), cal));
    const bytes = 4 * r.model.params;
    expect(r.step.dpPodShare).toBe(2 / 7);
    expect(
      relErr(r.step.dpCommS, (((2 * 63) / 64) * bytes) / Math.min(300e9, (8 * 25e9 * 2) / 7)),
    ).toBeLessThan(1e-12);
    expect(r.warnings.find((w) => w.code === "dp-pod-limited")?.data).toEqual({
      share: 0.2857,
      tier: 0,
      podChips: 16,
      podOversubscription: 7,
    });
    // 2 nodes a pod share 2:1 uplinks at their full rate; one pod is no tier at all.
    const plain = ok(sim.simulate(sc({}), cal));
    expect(relErr(plain.step.dpCommS, (((2 * 63) / 64) * bytes) / 200e9)).toBeLessThan(1e-12);
    for (const system of [
      { podChips: 16, podOversubscription: 2 },
      { podChips: 64, podOversubscription: 7 },
    ]) {
      const same = ok(sim.simulate(sc(system), cal));
      expect(same.step.dpCommS).toBe(plain.step.dpCommS);
      expect(same.step.dpPodShare).toBe(1);
      expect(same.warnings.map((w) => w.code)).not.toContain("dp-pod-limited");
    }
  });

  it("Llama 3.1 405B on 16,384 H100 in Meta's pods: 24 ranks of each DP ring a pod, no slowdown", async () => {
    // tp 8 pp 16 dp 128 (arXiv:2407.21783, Table 4); 16,384 / 3,072 = 5.3 pods, 1:7 above (Sec.
    // 3.3.1): 128 / 5.3 = 24 ranks of each ring in a pod, more than 7.
    const sim = await simulator();
    const at = (system: Record<string, unknown>) =>
      ok(
        sim.simulate({
          model: "llama3-405b",
          training: { tokens: 15.6e12, seqLen: 8192, globalBatch: 2048 },
          cluster: { chip: "nvidia-h100-sxm5-80gb", count: 16384, system },
          parallelism: { tp: 8, pp: 16, dp: 128, microBatch: 1, zero: 1 },
        }),
      );
    const pods = at({ id: "nvidia-dgx-h100", podChips: 3072, podOversubscription: 7 });
    expect(pods.step.dpPodShare).toBe(1);
    expect(pods.step.timeS).toBe(at({ id: "nvidia-dgx-h100" }).step.timeS);
  });

  it("names a pod size or ratio that is not one", async () => {
    const r = (await simulator()).simulate(sc({ podChips: 0.5, podOversubscription: 0.5 }));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => [e.path, e.code])).toEqual([
        ["cluster.system.podChips", "not-integer"],
        ["cluster.system.podOversubscription", "out-of-range"],
      ]);
  });
});

describe("tiers above the scale-out fabric: pods, then sites (cluster.system.tiers)", () => {
  // 64 A100 in 8 nodes, dp 64 (a100Dp64): one ring per NIC through the 8 nodes. Tier 1: pods of
  // 16 chips (4 pods, 2 nodes a pod) at 2:1; tier 2: sites of 32 chips (2 sites, 4 nodes a site) at 7:1.
  const cal = { calibration: { scaleUpEfficiency: 1, scaleOutEfficiency: 1, stragglerCv: 0 } };
  const podUs = 5, // 1 km of fibre, ~5 µs (Wikipedia, Latency (engineering): fibre optics)
    siteUs = 2000; // 2 ms: ~400 km of fibre between sites
  const twoTiers = (podLatencyUs: number, siteLatencyUs: number, zero: 0 | 1 = 0) => {
    const sc = a100Dp64({
      tiers: [
        { chips: 16, oversubscription: 2, latencyUs: podLatencyUs },
        { chips: 32, oversubscription: 7, latencyUs: siteLatencyUs },
      ],
    });
    (sc.parallelism as { zero: number }).zero = zero;
    return sc;
  };

  it("the steeper tier sets the share: min over tiers of min(1, nodes per unit / ratio)", async () => {
    const sim = await simulator();
    const r = ok(sim.simulate(twoTiers(0, 0), cal));
    // pods: 8 nodes / 4 pods = 2 a pod, 2 / 2 = 1 (no loss); sites: 8 / 2 = 4 a site, 4 / 7 < 1.
    expect(r.step.dpPodShare).toBe(4 / 7);
    expect(r.step.dpLimitingTier).toBe(1);
    // ring 2(63/64) x bytes at min(NVLink 300 GB/s, 8 NICs x 25 GB/s x 4/7 = 114.3 GB/s)
    const bytes = 4 * r.model.params;
    expect(
      relErr(r.step.dpCommS, (((2 * 63) / 64) * bytes) / Math.min(300e9, (8 * 25e9 * 4) / 7)),
    ).toBeLessThan(1e-12);
    const fact = r.warnings.find((w) => w.code === "dp-pod-limited");
    expect(fact?.path).toBe("cluster.system.tiers[1].oversubscription");
    expect(fact?.data).toEqual({ share: 0.5714, tier: 1, podChips: 32, podOversubscription: 7 });
  });

  it("an all-reduce pays each tier's latency on the hops that cross it: ring 2(units - 1), tree 2 log2(units)", async () => {
    const sim = await simulator();
    const r = ok(sim.simulate(twoTiers(podUs, siteUs), cal));
    const bytes = 4 * r.model.params,
      bw = Math.min(300e9, (8 * 25e9 * 4) / 7),
      pod = podUs * 1e-6,
      site = siteUs * 1e-6;
    // ring: 2(4 - 1) = 6 hops cross pods, 2(2 - 1) = 2 cross sites (both on top of the fabric's 0)
    const ring = (((2 * 63) / 64) * bytes) / bw + 2 * (3 * pod + 1 * site);
    // tree: log2(4) = 2 levels join pods, log2(2) = 1 joins sites, each climbed up and down
    const tree = (2 * bytes) / bw + 2 * (2 * pod + 1 * site);
    // the tree's latency saves 2 x 5 µs; its 2 x bytes instead of 2(63/64) costs more
    expect(ring).toBeLessThan(tree);
    expect(relErr(r.step.dpCommS, ring)).toBeLessThan(1e-12);
    // 100 µs between pods: the tree's 2 x 100 µs saved now exceeds its extra bytes
    const slowPods = ok(sim.simulate(twoTiers(100, siteUs), cal));
    const tree100 = (2 * bytes) / bw + 2 * (2 * 100e-6 + site),
      ring100 = (((2 * 63) / 64) * bytes) / bw + 2 * (3 * 100e-6 + site);
    expect(tree100).toBeLessThan(ring100);
    expect(relErr(slowPods.step.dpCommS, tree100)).toBeLessThan(1e-12);
  });

  it("a reduce-scatter or all-gather pays (units - 1) crossings of each tier", async () => {
    // ZeRO-1 not overlapped: a gradient reduce-scatter and a weight all-gather, one ring each,
    // 3 pod crossings and 1 site crossing each; the bandwidth terms cancel in the difference.
    const sim = await simulator();
    const slow = ok(sim.simulate(twoTiers(podUs, siteUs, 1), cal)),
      none = ok(sim.simulate(twoTiers(0, 0, 1), cal));
    const perRing = 3 * podUs * 1e-6 + 1 * siteUs * 1e-6;
    expect(relErr(slow.step.dpCommS - none.step.dpCommS, 2 * perRing)).toBeLessThan(1e-9);
  });

  it("README: Llama 3.1 405B on two 49,152-H100 sites 2 ms apart pays 2 ms per bucket and collective", async () => {
    // tp 8 pp 16 dp 768, ZeRO-1 overlapped: Megatron-Core buckets of max(40M, 1M x 768) = 768M
    // parameters; a stage's ~405B / 128 = 3.2B of them are 5 buckets. Each bucket's reduce-scatter
    // and all-gather crosses the site boundary 2 - 1 = 1 time: 5 x 2 x 2 ms = 20 ms, all exposed
    // (DP outlasts its window already). 384 ranks a site / 196.6 > 1: no bandwidth lost.
    const sim = await simulator();
    const at = (siteUs: number) =>
      ok(
        sim.simulate({
          model: "llama3-405b",
          training: { tokens: 15.6e12, seqLen: 8192, globalBatch: 3072 },
          cluster: {
            chip: "nvidia-h100-sxm5-80gb",
            count: 98304,
            system: {
              id: "nvidia-dgx-h100",
              tiers: [
                { chips: 3072, oversubscription: 7 },
                { chips: 49152, oversubscription: (49152 * 400) / 100e3, latencyUs: siteUs },
              ],
            },
          },
          parallelism: { tp: 8, pp: 16, dp: 768, microBatch: 1, zero: 1 },
        }),
      );
    const near = at(0),
      far = at(2000);
    expect(Math.ceil(near.model.params / 128 / 768e6)).toBe(5);
    expect(far.step.dpPodShare).toBe(1);
    expect(relErr(far.step.dpCommS - near.step.dpCommS, 5 * 2 * 2e-3)).toBeLessThan(1e-9);
    expect(relErr(far.step.timeS - near.step.timeS, 5 * 2 * 2e-3)).toBeLessThan(1e-9);
  });

  it("the pod shorthand is the one-tier list", async () => {
    const sim = await simulator();
    const short = ok(sim.simulate(a100Dp64({ podChips: 16, podOversubscription: 7 }), cal)),
      list = ok(sim.simulate(a100Dp64({ tiers: [{ chips: 16, oversubscription: 7 }] }), cal));
    expect(list.step).toEqual(short.step);
    expect(short.step.dpLimitingTier).toBe(0);
    expect(list.warnings.find((w) => w.code === "dp-pod-limited")?.path).toBe(
      "cluster.system.tiers[0].oversubscription",
    );
  });

  it("names unsorted tiers, both forms, a negative latency, too many tiers", async () => {
    const sim = await simulator();
    const codes = (system: Record<string, unknown>) => {
      const r = sim.simulate(a100Dp64(system));
      return r.ok ? [] : r.errors.map((e) => [e.path, e.code]);
    };
    expect(
      codes({
        podChips: 16,
        tiers: [{ chips: 32, latencyUs: -1 }, { chips: 16 }, { chips: 64, oversubscription: 0.5 }],
      }),
    ).toEqual([
      ["cluster.system.tiers", "one-form-only"],
      ["cluster.system.tiers[0].latencyUs", "out-of-range"],
      ["cluster.system.tiers[1].chips", "out-of-range"],
      ["cluster.system.tiers[2].oversubscription", "out-of-range"],
    ]);
    expect(codes({ tiers: [{ chips: 8 }, { chips: 16 }, { chips: 32 }, { chips: 64 }] })).toEqual([
      ["cluster.system.tiers", "out-of-range"],
    ]);
    expect(codes({ tiers: [{ chips: 8 }, 16] })).toEqual([
      ["cluster.system.tiers[1]", "wrong-type"],
    ]);
    expect(codes({ tiers: { chips: 8 } })).toEqual([["cluster.system.tiers", "wrong-type"]]);
  });
});

describe("step breakdown", () => {
  const plan = {
    tp: 8,
    pp: 4,
    dp: 4,
    microBatch: 1,
    zero: 0,
    recompute: "none",
    flashAttention: true,
    overlapGradReduce: false,
  } as const;
  const scenario = gptScenario({
    cluster: { chip: "nvidia-h100-sxm5-80gb", count: 128 },
    parallelism: plan,
  });

  it("stragglers: cv x compute x E[max of n normals], Blom's Phi^-1((n - 3/8)/(n + 1/4)) (A&S 26.2.23)", async () => {
    const cv = 0.02;
    const r = ok((await simulator()).simulate(scenario, { calibration: { stragglerCv: cv } }));
    // By hand for n = 128 ranks: p = 127.625 / 128.25, t = sqrt(-2 ln(1 - p)) = 3.2631;
    // Phi^-1(p) = t - (c0 + c1 t + c2 t^2) / (1 + d1 t + d2 t^2 + d3 t^3) = 2.5851 (the exact
    // expectation, integral of x n phi(x) Phi(x)^(n-1), is 2.5946).
    const t = Math.sqrt(-2 * Math.log(1 - 127.625 / 128.25));
    const eMax =
      t -
      (2.515517 + 0.802853 * t + 0.010328 * t * t) /
        (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t ** 3);
    expect(t).toBeCloseTo(3.2631, 4);
    expect(eMax).toBeCloseTo(2.5851, 4);
    expect(relErr(r.step.stragglerS, cv * r.step.computeS * eMax)).toBeLessThan(1e-12);
    // It is its own line of the step: the step grows by it and nothing else moves.
    const none = ok((await simulator()).simulate(scenario, { calibration: { stragglerCv: 0 } }));
    expect(none.step.stragglerS).toBe(0);
    expect(relErr(r.step.timeS - none.step.timeS, r.step.stragglerS)).toBeLessThan(1e-9);
    expect(r.step.dpCommS).toBe(none.step.dpCommS);
    expect(r.step.bubbleS).toBe(none.step.bubbleS);
  });

  it("a single chip has no straggler: the maximum of one rank's time is its time", async () => {
    const one = gptScenario({
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1 },
      parallelism: { ...plan, tp: 1, pp: 1, dp: 1 },
    });
    const r = ok((await simulator()).simulate(one, { calibration: { stragglerCv: 0.05 } }));
    expect(r.step.stragglerS).toBe(0);
  });

  it("bubble: (p - 1) microbatch times through the slowest stage (Narayanan 2021, Sec. 2.2.1)", async () => {
    const r = ok((await simulator()).simulate(scenario));
    // One microbatch through the slowest stage is the steady part of the step over its microbatches.
    const micro = r.step.microbatches;
    const perMicro =
      (r.step.timeS - r.step.bubbleS - r.step.dpCommS - r.step.optimizerS - r.step.stragglerS) /
      micro;
    expect(micro).toBe(B / 4);
    expect(relErr(r.step.bubbleS, (4 - 1) * perMicro)).toBeLessThan(1e-9);
  });
});

describe("run totals", () => {
  it("steps = tokens / (globalBatch x seqLen); days = steps x step time", async () => {
    const r = ok((await simulator()).simulate(gptScenario()));
    expect(r.run.steps).toBe(1e9 / (64 * 2048));
    expect(relErr(r.run.days, (r.run.steps * r.step.timeS) / 86400)).toBeLessThan(1e-12);
    expect(relErr(r.run.chipHours, 8 * r.run.days * 24)).toBeLessThan(1e-12);
  });

  it("facility power = chips x (TDP + host) x load factor x PUE (chips.md Sec. 5)", async () => {
    const sc = gptScenario({ datacenter: { pue: 1.5 } });
    const r = ok((await simulator()).simulate(sc));
    // A100's usual node is the DGX A100: 6.5 kW max for 8 GPUs plus 75 W each of scale-out network
    // (the all-in basis, chips.md Sec. 5.3), so TDP + host = 887.5 W per chip.
    expect(relErr(r.run.powerMW * 1e6, 8 * (6500 / 8 + 75) * 0.75 * 1.5)).toBeLessThan(1e-12);
    // Without a catalog system, the host share is 0.8 x TDP (server multiplier 1.8) plus the network.
    const custom = ok(
      (await simulator()).simulate(
        gptScenario({
          datacenter: { pue: 1.5 },
          cluster: {
            chip: {
              name: "x",
              bf16Tflops: 312,
              hbmGB: 80,
              hbmTBps: 2,
              scaleUpGBps: 600,
              scaleUpDomain: 8,
              tdpW: 400,
            },
            count: 8,
          },
        }),
      ),
    );
    expect(relErr(custom.run.powerMW * 1e6, 8 * (400 * 1.8 + 75) * 0.75 * 1.5)).toBeLessThan(1e-12);
  });

  it("Young-Daly: checkpoint interval sqrt(2 delta M) and goodput below 1", async () => {
    const r = ok((await simulator()).simulate(gptScenario()));
    const M = r.run.mtbfHours! * 3600;
    expect(
      relErr(r.run.checkpointIntervalMin * 60, Math.sqrt(2 * r.run.checkpointWriteS * M)),
    ).toBeLessThan(1e-12);
    expect(r.run.goodput).toBeLessThan(1);
    expect(r.run.goodput).toBeGreaterThan(0.9);
    expect(relErr(r.run.effectiveDays!, r.run.days / r.run.goodput)).toBeLessThan(1e-12);
  });
});

describe("precision on chips without FP8", () => {
  it("FP8 on an A100 (no FP8 peak) is modelled exactly as BF16, with a warning", async () => {
    const sim = await simulator();
    const base = gptScenario({ cluster: { chip: "nvidia-a100-sxm4-80gb", count: 8 } });
    const bf16 = ok(sim.simulate(base));
    const fp8 = ok(sim.simulate({ ...base, training: { ...base.training, precision: "fp8" } }));
    expect(fp8.step.timeS).toBe(bf16.step.timeS);
    expect(fp8.memory.perChipGB).toBe(bf16.memory.perChipGB);
    expect(fp8.scenario.precision).toBe("bf16"); // the result says what was modelled
    expect(fp8.warnings.map(factText).join(" ")).toMatch(
      /training.precision: nvidia-a100-sxm4-80gb has no FP8 peak in the catalog; the run is modelled in BF16/,
    );
  });
});

describe("recompute modules (Megatron-Core --recompute-modules; DeepSeek-V3 Sec. 3.3.3)", () => {
  const b = 2,
    tok = b * s;
  const withModules = (
    modules: string[],
    over: Partial<Record<string, unknown>> = {},
    plan: Record<string, unknown> = {},
  ) =>
    gptScenario({
      cluster: { chip: { id: "nvidia-a100-sxm4-80gb", hbmTBps: 2 }, count: 8 },
      parallelism: {
        tp: 1,
        pp: 1,
        dp: 8,
        microBatch: b,
        zero: 0,
        recompute: "none",
        flashAttention: true,
        recomputeModules: modules,
        ...plan,
      },
      ...over,
    });
  const run = async (sc: ReturnType<typeof gptScenario>) =>
    ok((await simulator()).simulate(sc, { calibration: { memoryEfficiency: 1 } }));
  // MLA and MoE with one leading dense layer: 4 layers, 3 of them MoE.
  const q = 384,
    kv = 128,
    rope = 32,
    d = 64,
    vd = 64,
    qk = d + rope,
    E = 16,
    F = 1024;
  const shape = (qLoraRank: number, moe: Record<string, number> = {}) => ({
    model: {
      name: "mla-moe",
      layers: L,
      hidden: h,
      ffnHidden: 4096,
      heads: a,
      kvHeads: a,
      headDim: d,
      vocab: V,
      mlp: "swiglu",
      tiedEmbeddings: true,
      mla: { qLoraRank, kvLoraRank: kv, ropeHeadDim: rope, vHeadDim: vd },
      moe: { experts: E, active: 2, shared: 0, expertFfnHidden: F, denseLayers: 1, ...moe },
    },
  });
  const fMoe = 3 / 4;

  it("layernorm drops the norm outputs that are not fused into a GEMM, MLA's attention norm and the MoE layers' MLP norm, and re-runs them", async () => {
    const t = 2,
      plan = { tp: t, dp: 4, sequenceParallel: true, zero: 1 };
    const kept = await run(withModules([], shape(q), plan)),
      dropped = await run(withModules(["layernorm"], shape(q), plan));
    // 2 B per element of each dropped norm output, divided by t under SP: every layer's attention norm, 3 of 4 MLP norms.
    expect(
      relErr(
        (kept.memory.activationsGB - dropped.memory.activationsGB) * 1e9,
        (L * (1 + fMoe) * 2 * tok * h) / t,
      ),
    ).toBeLessThan(1e-9);
    const micro = B / (4 * b);
    expect(
      relErr(
        dropped.step.memoryBoundS - kept.step.memoryBoundS,
        (micro * L * (1 + fMoe) * 2 * tok * (h / t) * 2) / 2e12,
      ),
    ).toBeLessThan(1e-9);
    expect(dropped.plan.recomputeModules).toEqual(["layernorm"]);
  });

  it("layernorm on a dense GQA model changes nothing: Transformer Engine fuses its norms into the next GEMM", async () => {
    const kept = await run(withModules([])),
      asked = await run(withModules(["layernorm"]));
    expect(asked.plan.recomputeModules).toEqual([]);
    expect(asked.memory.activationsGB).toBe(kept.memory.activationsGB);
    expect(asked.warnings.map(factText).join(" ")).toMatch(
      /"layernorm" dropped: this model's norms are fused/,
    );
  });

  for (const qLoraRank of [q, 0]) {
    it(`mla_up_proj (query rank ${qLoraRank}) drops the per-head Q, K and V (2 B each) and re-runs their projections, counted in hardware FLOPs`, async () => {
      const kept = await run(withModules([], shape(qLoraRank))),
        dropped = await run(withModules(["mla_up_proj"], shape(qLoraRank)));
      expect(
        relErr(
          (kept.memory.activationsGB - dropped.memory.activationsGB) * 1e9,
          L * 2 * (2 * a * qk + a * vd) * tok,
        ),
      ).toBeLessThan(1e-9);
      // W_UQ from the query latent, or W_Q from h when queries are not compressed; W_UK and W_UV from the KV latent.
      const upParams = (qLoraRank || h) * a * qk + kv * a * (d + vd);
      expect(
        relErr(
          dropped.model.hardwareFlopsPerStep - dropped.model.modelFlopsPerStep,
          L * 2 * upParams * B * s,
        ),
      ).toBeLessThan(1e-9);
      expect(kept.model.hardwareFlopsPerStep).toBe(kept.model.modelFlopsPerStep);
      // The same GEMMs' time again: the forward's Q/K/V projection time, once more per layer and microbatch.
      const micro = B / (8 * b),
        peak = 312e12 * CALIBRATION.matmulEfficiency.value,
        side = (x: number) => x / (x + 24);
      const gemm = (m: number, n: number, k: number) =>
        Math.max(
          (2 * m * n * k) / (peak * side(m) * side(n) * side(k)),
          (2 * (m * k + k * n + m * n)) / 2e12,
        );
      const up = gemm(tok, a * qk, qLoraRank || h) + gemm(tok, a * (d + vd), kv);
      expect(relErr(dropped.step.matmulS - kept.step.matmulS, micro * L * up)).toBeLessThan(1e-9);
    });
  }

  it("moe_act drops the routed experts' activation output (k F per token, paced by the busiest expert) and re-runs the activation", async () => {
    const k = 2,
      t = 2,
      imbalance = 1.25,
      plan = { tp: t, dp: 4, ep: 4, sequenceParallel: true, zero: 1 };
    const sc = (modules: string[]) =>
      withModules(
        modules,
        {
          ...shape(q, { shared: 1 }),
          training: {
            tokens: 1e9,
            seqLen: s,
            globalBatch: B,
            precision: "bf16",
            moeImbalance: imbalance,
          },
        },
        plan,
      );
    const kept = await run(sc([])),
      dropped = await run(sc(["moe_act"]));
    expect(
      relErr(
        (kept.memory.activationsGB - dropped.memory.activationsGB) * 1e9,
        (L * fMoe * 2 * tok * k * imbalance * F) / t,
      ),
    ).toBeLessThan(1e-9);
    // SwiGLU reads gate and up and writes their product: 3 k F-wide rows of 2 B per routed token copy.
    const micro = B / (4 * b);
    expect(
      relErr(
        dropped.step.memoryBoundS - kept.step.memoryBoundS,
        (micro * L * fMoe * 3 * tok * k * imbalance * (F / t) * 2) / 2e12,
      ),
    ).toBeLessThan(1e-9);
  });

  it("DeepSeek-V3's published plan fits an 80 GB H800 only with its published recompute (norms and MLA up-projections)", async () => {
    const sim = await simulator();
    const plan = {
      tp: 1,
      pp: 16,
      dp: 128,
      ep: 64,
      microBatch: 1,
      zero: 1 as const,
      flashAttention: true,
    };
    const sc = (p: Partial<Plan>) =>
      ({
        model: "deepseek-v3",
        training: { tokens: 14.8e12, seqLen: 4096, globalBatch: 15360, precision: "fp8" },
        cluster: { chip: "nvidia-h800-sxm5-80gb", count: 2048 },
        parallelism: { ...plan, ...p },
      }) satisfies Scenario;
    expect(ok(sim.simulate(sc({ recompute: "selective" }))).memory.fits).toBe(false);
    const published = ok(
      sim.simulate(sc({ recompute: "none", recomputeModules: ["mla_up_proj", "layernorm"] })),
    );
    expect(published.memory.fits).toBe(true);
    expect(published.plan.recomputeModules).toEqual(["layernorm", "mla_up_proj"]); // one order, whatever the input's
  });
});

describe("offload to host memory (ZeRO-Offload; Transformer Engine CPU offloading)", () => {
  // The 4-layer GPT on 8 A100, dp 8, ZeRO-1, no stragglers; a host tier of a 64 GB/s bidirectional
  // link (32 GB/s each way), 1,000 GB of host memory and 100 GB/s of host memory bandwidth per chip.
  const host = { hostLinkGBps: 64, hostMemoryGB: 1000, hostMemoryGBps: 100 };
  const offloaded = (plan: Record<string, unknown>, system: Record<string, unknown> = host) =>
    gptScenario({
      cluster: { chip: "nvidia-a100-sxm4-80gb", count: 8, system },
      parallelism: {
        tp: 1,
        pp: 1,
        dp: 8,
        microBatch: 2,
        zero: 1,
        recompute: "none",
        flashAttention: false,
        ...plan,
      },
    });
  const run = async (sc: Scenario) =>
    ok((await simulator()).simulate(sc, { calibration: { stragglerCv: 0 } }));

  it("optimizer offload: 12 + 4 B per owned parameter in host memory, gradients down, Adam on the CPU, weights up", async () => {
    const on = await run(offloaded({ offloadOptimizer: true })),
      off = await run(offloaded({}));
    const owned = on.model.params / 8; // ZeRO-1 over dp 8: 102,768,640 / 8 = 12,846,080 parameters
    // HBM: the 12 B of fp32 master, m and v leave it; host: those 12 B and the 4 B fp32 gradient.
    expect(on.memory.optimizerGB).toBe(0);
    expect(relErr((off.memory.perChipGB - on.memory.perChipGB) * 1e9, 12 * owned)).toBeLessThan(
      1e-9,
    );
    expect(relErr(on.memory.hostGB * 1e9, 16 * owned)).toBeLessThan(1e-12); // 205.5 MB
    // Time: gradients down, 4 B x 12.85M / 32 GB/s = 1.606 ms, in ceil(102.8M / 40M) = 3 buckets
    // behind the backward (~3.7 ms of GEMMs), so the last bucket shows: 0.535 ms; the CPU's Adam
    // streams 32 B x 12.85M / 100 GB/s = 4.111 ms; bf16 weights up, 2 B x 12.85M / 32 GB/s = 0.803 ms.
    const down = (4 * owned) / 32e9,
      adam = (32 * owned) / 100e9,
      up = (2 * owned) / 32e9;
    expect(relErr(on.step.offloadS, down / 3 + adam + up)).toBeLessThan(1e-12); // 5.449 ms
    // The GPU's own optimizer step (32 B per owned parameter at 2.039 TB/s x memoryEfficiency) is gone.
    expect(on.step.optimizerS).toBe(0);
    const gpuAdam = (32 * owned) / (2.039e12 * CALIBRATION.memoryEfficiency.value); // 0.252 ms
    expect(relErr(on.step.timeS - off.step.timeS, down / 3 + adam + up - gpuAdam)).toBeLessThan(
      1e-9,
    );
  });

  it("activation offload: floor(share x layers) layers' activations in host memory, what outlasts a layer's compute shows", async () => {
    // Half of 4 layers: 2 layers keep 34 s b h + 5 a s^2 b = 142.6 MB + 671.1 MB = 813.7 MB each
    // (Korthikanti 2022, eq. 1; b = 2, no FlashAttention) in host memory, one microbatch in flight (pp 1).
    const b = 2,
      perLayer = s * b * h * 34 + 5 * a * s * s * b;
    const slow = await run(offloaded({ offloadActivations: 0.5 })),
      none = await run(offloaded({}));
    expect(relErr(slow.memory.hostGB * 1e9, 2 * perLayer)).toBeLessThan(1e-12); // 1.627 GB
    expect(
      relErr((none.memory.activationsGB - slow.memory.activationsGB) * 1e9, 2 * perLayer),
    ).toBeLessThan(1e-9);
    // 813.7 MB at 32 GB/s each way is 25.4 ms, far beyond a layer's ~1 ms forward or ~2 ms backward,
    // so each direction shows all but its layer's compute; halving the link (16 GB/s) adds, for
    // 4 microbatches (8 sequences per replica / 2) x 2 layers x 2 directions, 813.7 MB / 32 GB/s each:
    // the compute windows cancel in the difference.
    const slower = await run(offloaded({ offloadActivations: 0.5 }, { ...host, hostLinkGBps: 32 }));
    const extra = 4 * 2 * 2 * (perLayer / 16e9 - perLayer / 32e9); // 0.4069 s
    expect(relErr(slower.step.offloadS - slow.step.offloadS, extra)).toBeLessThan(1e-9);
    expect(relErr(slower.step.timeS - slow.step.timeS, extra)).toBeLessThan(1e-9);
    // A link fast enough hides it all: 813.7 MB at 5 PB/s each way is 0.16 us, behind every layer.
    const fast = await run(offloaded({ offloadActivations: 0.5 }, { ...host, hostLinkGBps: 1e7 }));
    expect(fast.step.offloadS).toBe(0);
    expect(fast.step.timeS).toBe(none.step.timeS);
    // A share below one layer (0.2 x 4 = 0.8) offloads nothing; all of them keeps the last layer.
    const tiny = await run(offloaded({ offloadActivations: 0.2 }));
    expect(tiny.memory.hostGB).toBe(0);
    const all = await run(offloaded({ offloadActivations: 1 }));
    expect(relErr(all.memory.hostGB * 1e9, 3 * perLayer)).toBeLessThan(1e-12);
  });

  it("the search offloads the optimizer only when no plan fits without it, and only with the host figures known", async () => {
    const sim = await simulator();
    // Llama 3 8B needs 18 B x 8.03B = 145 GB of weights, gradients and Adam state: no plan fits one
    // 80 GB H100; on eight, ZeRO-1 shards Adam to 8.03B x (2 + 4 + 12 / 8) B = 60 GB, and fits.
    const llama = (count: number, system: Record<string, unknown>) => ({
      model: "llama3-8b",
      training: { tokens: 1e9, seqLen: 8192, globalBatch: 32 },
      cluster: {
        chip: "nvidia-h100-sxm5-80gb",
        count,
        system: { id: "nvidia-dgx-h100", ...system },
      },
    });
    const one = sim.search(llama(1, { hostMemoryGBps: 76.8 }));
    expect(one.ok && one.best.plan.offloadOptimizer).toBe(true);
    expect(one.ok && one.top.every((t) => t.plan.offloadOptimizer)).toBe(true);
    // DGX H100's host memory bandwidth is not in the catalog: without it the search cannot offload.
    const unknown = sim.search(llama(1, {}));
    expect(!unknown.ok && unknown.errors[0].code).toBe("no-plan-fits");
    const eight = sim.search(llama(8, { hostMemoryGBps: 76.8 }));
    expect(eight.ok && eight.top.some((t) => t.plan.offloadOptimizer)).toBe(false);
  });

  it("host memory overflow: the plan does not fit, with a typed warning naming the host figure", async () => {
    const r = await run(offloaded({ offloadOptimizer: true }, { ...host, hostMemoryGB: 0.1 }));
    expect(r.memory.fits).toBe(false);
    const w = r.warnings.find((x) => x.code === "host-memory-exceeded");
    expect(w).toMatchObject({
      path: "cluster.system.hostMemoryGB",
      data: { capacityGB: 0.1 },
    });
    expect(r.warnings.find((x) => x.code === "memory-exceeded")).toBeUndefined();
  });

  it("names each host figure it needs, a share out of [0, 1], and activation offload with pp > 1", async () => {
    const sim = await simulator();
    const bad = sim.simulate(
      gptScenario({
        parallelism: { tp: 1, pp: 2, dp: 4, offloadOptimizer: true, offloadActivations: 0.5 },
      }),
    );
    expect(bad.ok).toBe(false);
    const paths = !bad.ok ? bad.errors.map((e) => `${e.path} ${e.code}`) : [];
    expect(paths).toEqual([
      "cluster.system.hostLinkGBps missing-figure",
      "cluster.system.hostMemoryGB missing-figure",
      "cluster.system.hostMemoryGBps missing-figure",
      "parallelism.offloadActivations offload-needs-pp1",
    ]);
    const range = sim.simulate(offloaded({ offloadActivations: 1.5 }));
    expect(!range.ok && range.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      "parallelism.offloadActivations out-of-range",
    ]);
    const link = sim.simulate(offloaded({ offloadOptimizer: true }, { ...host, hostLinkGBps: 0 }));
    expect(!link.ok && link.errors.map((e) => e.path)).toEqual(["cluster.system.hostLinkGBps"]);
    // A catalog system with a sourced host tier needs no figures: GB200's Grace, 450 GB/s per GPU.
    const gb200 = sim.simulate(
      gptScenario({
        cluster: { chip: "nvidia-gb200-per-gpu", count: 8 },
        parallelism: { tp: 1, pp: 1, dp: 8, offloadActivations: 0.5 },
      }),
    );
    expect(gb200.ok).toBe(true);
  });
});
