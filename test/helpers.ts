import { load, type Simulator, type SimulateResult, type Failure, type Scenario } from "chipscale";

let shared: Promise<Simulator> | undefined;
export function simulator(): Promise<Simulator> {
  shared ??= load();
  return shared;
}

export function ok(r: SimulateResult | Failure): SimulateResult {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r;
}

/** GPT-3-like dense MHA model with a plain MLP: the shape of Narayanan's and Korthikanti's formulas. */
export function gptScenario(over: Partial<Record<string, unknown>> = {}): Scenario {
  return {
    model: { name: "gpt", layers: 4, hidden: 1024, ffnHidden: 4096, heads: 16, kvHeads: 16, vocab: 51200, mlp: "gelu", tiedEmbeddings: true },
    training: { tokens: 1e9, seqLen: 2048, globalBatch: 64, precision: "bf16" },
    cluster: { chip: "nvidia-a100-sxm4-80gb", count: 8 },
    parallelism: { tp: 1, pp: 1, dp: 8, microBatch: 2, zero: 0, recompute: "none", sequenceParallel: false, flashAttention: false },
    ...over,
  } as Scenario;
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
