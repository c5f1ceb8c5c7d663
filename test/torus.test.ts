// Torus scale-up domains (TPU ICI): a group uses the links of the torus axes it spans.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findChip, type Plan, type Scenario } from "chipscale";
import { simulator, ok, relErr, untyped, validScenario, validMoeScenario } from "./helpers.js";

/**
 * 64 TPU v4 chips (a 4 x 4 x 4 slice of the 4,096-chip pod), a dense or MoE model with 64 heads so
 * that tp 4, 16 and 64 divide it; zero scale-up latency and no TP overlap, so that a collective's
 * time is its bytes over its bandwidth and ratios of times are ratios of bandwidths.
 */
function v4(plan: { tp: number; ep?: number }, system: Record<string, unknown> = {}): Scenario {
  return {
    model: {
      name: "t",
      layers: 4,
      hidden: 8192,
      ffnHidden: 32768,
      heads: 64,
      kvHeads: 64,
      vocab: 51200,
      mlp: "gelu",
      tiedEmbeddings: true,
      ...(plan.ep
        ? { moe: { experts: 64, active: 2, shared: 0, expertFfnHidden: 4096, denseLayers: 0 } }
        : {}),
    },
    training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, precision: "bf16" },
    cluster: { chip: "google-tpu-v4", count: 64, system: { scaleUpLatencyUs: 0, ...system } },
    parallelism: {
      tp: plan.tp,
      pp: 1,
      dp: 64 / plan.tp,
      ep: plan.ep ?? 1,
      microBatch: 1,
      zero: 0,
      recompute: "none",
      sequenceParallel: false,
      flashAttention: true,
      tpCommOverlap: false,
    },
  } as Scenario;
}

describe("torus scale-up domains", () => {
  it("TPU v4 (3D), v5e (2D) come as tori from the catalog's scale-up text; GPUs do not", async () => {
    const sim = await simulator();
    const side = (chip: string, count: number) =>
      ok(
        sim.simulate({
          model: "gpt3-175b",
          training: { tokens: 1e9, seqLen: 2048, globalBatch: 512 },
          cluster: { chip, count },
          parallelism: { tp: 8, pp: 8, dp: count / 64 },
        }),
      ).step.torusSide;
    expect(side("google-tpu-v4", 64)).toBe(4); // 64 chips: a 4 x 4 x 4 slice
    expect(side("google-tpu-v5e", 256)).toBe(16); // the 256-chip pod: 16 x 16
    expect(side("google-tpu-v5e", 512)).toBe(16); // two pods: a 16 x 16 slice each, joined over DCN
    expect(side("nvidia-h100-sxm5-80gb", 64)).toBe(0); // NVSwitch
  });

  it("a TP group along one axis of a 4 x 4 x 4 TPU v4 slice gets 2 of the chip's 6 links", async () => {
    // TPU v4: 600 GB/s bidirectional = 300 GB/s per direction over 6 links (2 per axis), 50 GB/s
    // each. TP 4 is one axis' ring: 2 links, 100 GB/s = 300 / 3, so its collectives take 3x a
    // switch's at 300 GB/s. TP 16 spans two axes (4 links, 200 GB/s): 3/2. TP 64, all three: 1.
    const sim = await simulator();
    for (const [tp, ratio, share] of [
      [4, 3, 1 / 3],
      [16, 3 / 2, 2 / 3],
      [64, 1, 1],
    ]) {
      const torus = ok(sim.simulate(v4({ tp })));
      const switched = ok(sim.simulate(v4({ tp }, { scaleUpTorusDims: 0 })));
      expect(relErr(torus.step.tpCommS / switched.step.tpCommS, ratio)).toBeLessThan(1e-12);
      expect(relErr(torus.step.tpUpShare, share)).toBeLessThan(1e-12);
      expect(switched.step.tpUpShare).toBe(1);
    }
  });

  it("DP rings use the axes from their nearest members' distance; a pipeline send one link", async () => {
    // 4 x 4 x 4, ranks TP first, then PP, DP outermost. tp 4 pp 1: DP members 4 apart, ranks 0-63,
    // axes 2 and 3: 2 of 3, time x 3/2. tp 1 pp 4: the same. tp 4 pp 4: DP members 16 apart, the
    // third axis alone: x 3. tp 16: also 16 apart: x 3. tp 1 pp 1: all three axes: x 1. A pipeline
    // send takes one of the 6 links, 50 GB/s of 300: x 6.
    const sim = await simulator();
    for (const [tp, pp, dpRatio] of [
      [4, 1, 3 / 2],
      [1, 4, 3 / 2],
      [4, 4, 3],
      [16, 1, 3],
      [1, 1, 1],
    ]) {
      const at = (system: Record<string, unknown>) => {
        const sc = v4({ tp }, system);
        const plan = {
          ...(sc.parallelism as Plan),
          pp,
          dp: 64 / tp / pp,
          overlapGradReduce: false,
        };
        return ok(sim.simulate({ ...sc, parallelism: plan })).step;
      };
      const torus = at({}),
        switched = at({ scaleUpTorusDims: 0 });
      expect(relErr(torus.dpCommS / switched.dpCommS, dpRatio)).toBeLessThan(1e-12);
      if (pp > 1) expect(relErr(torus.ppCommS / switched.ppCommS, 6)).toBeLessThan(1e-12);
    }
  });

  it("an all-to-all on the torus is bisection-limited", async () => {
    // Each rank holds B bytes and sends B/g to every other. Switch at r_chip = 300 GB/s: (g-1)/g B
    // / r_chip. Torus, links at 50 GB/s per direction:
    // - 4 x 4 x 4 (ep 64): a cut across one axis halves it; 32 ranks send B/2 each across, 16B per
    //   direction, over 2k^2 = 32 links (wraparound: 2 per ring, 16 rings) = 1,600 GB/s, so
    //   16B / 1,600 GB/s = B / 100 GB/s = 3B / r_chip; injection, 63/64 B over 6 links, is less.
    //   Ratio 3 / (63/64) = 64/21.
    // - 4 x 4 (ep 16): 8 x B/2 = 4B over 2 x 4 = 8 links, 400 GB/s: B / 100 GB/s again; 16/5.
    // - a ring of 4 (ep 4): 2 ranks send B/2 each across a cut of 2 links (100 GB/s), B per
    //   direction: B / 100 GB/s = 3B / r_chip against 3/4 B / r_chip: 4. "How to Scale Your Model"
    //   (Part 3) gives a ring's AllToAll as V / (4 W_ici): V = 4B, W_ici = 100 GB/s, the same.
    const sim = await simulator();
    for (const [ep, ratio] of [
      [64, 64 / 21],
      [16, 16 / 5],
      [4, 4],
    ]) {
      const torus = ok(sim.simulate(v4({ tp: 1, ep })));
      const switched = ok(sim.simulate(v4({ tp: 1, ep }, { scaleUpTorusDims: 0 })));
      expect(relErr(torus.step.epCommS / switched.step.epCommS, ratio)).toBeLessThan(1e-12);
    }
  });

  it("a job larger than a pod joins its slices over the data-centre network", async () => {
    // TPU v5e: 2 x 100 Gbps NICs per 8-chip host = 25 Gbps a chip (Google Cloud v5e docs). 512
    // chips are two 256-chip pods (16 x 16 slices); with tp 16 x pp 16 filling each pod, a DP
    // group has one rank in each, so its all-reduce crosses pods at the chip's DCN rate alone:
    // with zero latency, twice the DCN rate halves it.
    expect(findChip("google-tpu-v5e")?.scaleOutGbps).toBe((2 * 100) / 8);
    const sim = await simulator();
    const run = (system: Record<string, unknown>) =>
      ok(
        sim.simulate({
          model: "llama2-7b",
          training: { tokens: 1e9, seqLen: 2048, globalBatch: 64 },
          cluster: { chip: "google-tpu-v5e", count: 512, system },
          parallelism: { tp: 16, pp: 16, dp: 2, zero: 0, overlapGradReduce: false },
        }),
      ).step;
    const dcn = run({ scaleOutLatencyUs: 0 });
    expect(dcn.torusSide).toBe(16);
    expect(
      relErr(dcn.dpCommS / run({ scaleOutLatencyUs: 0, scaleOutGbps: 50 }).dpCommS, 2),
    ).toBeLessThan(1e-12);
  });

  it("names a bad scaleUpTorusDims, and a torus that is also a full mesh", async () => {
    const sim = await simulator();
    const errors = (system: Record<string, unknown>) => {
      const r = sim.simulate(untyped(v4({ tp: 4 }, system)));
      return r.ok ? [] : r.errors;
    };
    expect(errors({ scaleUpTorusDims: 4 })).toContainEqual({
      path: "cluster.system.scaleUpTorusDims",
      code: "out-of-range",
      data: { got: 4, min: 0, max: 3 },
      message: "must be an integer <= 3, got 4",
    });
    expect(errors({ scaleUpTorusDims: 2.5 })[0]?.code).toBe("not-integer");
    expect(errors({ scaleUpTorusDims: "3" })[0]?.code).toBe("wrong-type");
    expect(errors({ scaleUpTorusDims: 2, scaleUpMesh: true })).toContainEqual({
      path: "cluster.system.scaleUpTorusDims",
      code: "torus-and-mesh",
      data: { dims: 2 },
      message:
        "must be 0 for a full-mesh domain (scaleUpMesh is true): a domain is a torus or a full mesh, not both",
    });
    // The catalog's torus yields to a mesh the scenario asks for.
    expect(errors({ scaleUpMesh: true })).toEqual([]);
  });

  it("the CLI exits 2 naming cluster.system.scaleUpTorusDims", () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const p = join(mkdtempSync(join(tmpdir(), "chipscale-torus-")), "bad.json");
    writeFileSync(p, JSON.stringify(v4({ tp: 4 }, { scaleUpTorusDims: -1 })));
    const r = spawnSync(process.execPath, [join(root, "bin", "chipscale.js"), "simulate", p], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.errors.map((e: { path: string }) => e.path)).toEqual([
      "cluster.system.scaleUpTorusDims",
    ]);
  });

  it("a switched domain is never slower than a torus of the same per-chip rate", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(
        fc.oneof(validScenario, validMoeScenario),
        fc.constantFrom(1, 2, 3),
        (sc, dims) => {
          // Switched: no mesh either (MI300X's catalog mesh gives a pair 1 of its 7 links).
          const at = (d: number) =>
            ok(
              sim.simulate({
                ...sc,
                cluster: { ...sc.cluster, system: { scaleUpTorusDims: d, scaleUpMesh: false } },
              }),
            );
          expect(at(0).step.timeS).toBeLessThanOrEqual(at(dims).step.timeS * (1 + 1e-12));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("dims 0 is today's switched (or full-mesh) domain, every output the same", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(fc.oneof(validScenario, validMoeScenario), (sc) => {
        const given = sim.simulate({
          ...sc,
          cluster: { ...sc.cluster, system: { scaleUpTorusDims: 0 } },
        });
        expect(given).toEqual(sim.simulate(sc));
      }),
      { numRuns: 200 },
    );
  });
});
