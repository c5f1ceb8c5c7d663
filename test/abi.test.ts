// The wasm ABI as a contract: ABI.md is generated from the code, and a caller that uses only the
// WebAssembly API and ABI.md (examples/raw-wasm.mjs) gets the facade's answer, bit for bit.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { simulator } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const node = (...args: string[]) =>
  spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });

describe("the wasm ABI", () => {
  it("ABI.md is current with assembly/layout.ts and src/engine/wire.ts", () => {
    const r = node("scripts/abi-doc.mjs", "--check");
    expect(r.stdout.trim()).toBe("ABI.md is current");
    expect(r.status).toBe(0);
  });

  it("the raw-wasm example equals the facade on the same figures, every bit", async () => {
    const r = node("examples/raw-wasm.mjs", "--json");
    expect(r.stderr).toBe("");
    const { figures: f, result } = JSON.parse(r.stdout);
    const sim = await simulator();
    const s = sim.simulate(
      {
        model: { name: "gpt3-raw", ...f.model, vocab: f.vocab, mlp: "gelu", tiedEmbeddings: true },
        training: { ...f.training, precision: "bf16" },
        cluster: {
          chip: { id: "nvidia-a100-sxm4-80gb", ...f.chip },
          system: { ...f.system, scaleUpMesh: false },
          count: f.count,
        },
        parallelism: {
          ...f.plan,
          recompute: "full",
          zero: 0,
          sequenceParallel: false,
          flashAttention: false,
        },
        datacenter: { ...f.datacenter, usdPerChipHour: 0 },
        reliability: f.reliability,
      },
      { calibration: f.calibration },
    );
    if (!s.ok) throw new Error(JSON.stringify(s.errors));
    expect(result).toEqual({
      stepS: s.step.timeS,
      days: s.run.days,
      memoryGB: s.memory.perChipGB,
      mfu: s.throughput.mfu,
      powerMW: s.run.powerMW,
      energyMWh: s.run.energyMWh,
    });
    expect(result.stepS).toBeGreaterThan(1); // a real step, not an all-zero answer
  });
});
