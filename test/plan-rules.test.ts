// One home for the plan rules: every plan the search enumerates passes the scenario checks, and a
// plan the checks refuse is never enumerated (src/contract/plan-rules.ts is what both read).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
// Internal modules of the built package: the enumeration and the checks side by side.
import { planGroups } from "../build/src/engine/search.js";
import { planIssues, tpFitsHeads, interleaveFits } from "../build/src/contract/plan-rules.js";
import { resolve } from "../build/src/contract/scenario.js";

const scenario = (
  heads: number,
  kvHeads: number,
  layers: number,
  batch: number,
  count: number,
) => ({
  model: {
    name: "m",
    layers,
    hidden: heads * 64,
    ffnHidden: heads * 256,
    heads,
    kvHeads,
    vocab: 32000,
    mlp: "swiglu",
  },
  training: { tokens: 1e9, seqLen: 2048, globalBatch: batch },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count },
  parallelism: "auto",
});

describe("plan rules", () => {
  it("every plan the search lists passes the checks the scenario applies", () => {
    let listed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(8, 12, 16, 32, 48),
        fc.constantFrom(1, 2, 4),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(8, 24, 64, 96),
        fc.constantFrom(8, 16, 24, 48, 64, 96),
        (heads, kvDiv, layers, batch, count) => {
          const res = resolve(scenario(heads, heads / kvDiv, layers, batch, count));
          if (!res.ok) throw new Error(JSON.stringify(res.errors));
          const r = res.value;
          for (const group of planGroups(r))
            for (const plan of group) {
              listed++;
              expect(planIssues(plan, r)).toEqual([]);
            }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
    expect(listed).toBeGreaterThan(1000);
  });

  it("the rules read as the checks name them", () => {
    expect(tpFitsHeads({ heads: 32, kvHeads: 8 }, 8)).toBe(true);
    expect(tpFitsHeads({ heads: 32, kvHeads: 8 }, 16)).toBe(false); // KV heads do not split 16 ways
    expect(tpFitsHeads({ heads: 128, kvHeads: 128, mla: {} as never }, 16)).toBe(true);
    expect(interleaveFits(4, 2, 8)).toBe(true);
    expect(interleaveFits(4, 2, 6)).toBe(false);
    expect(interleaveFits(1, 1, 3)).toBe(true);
  });
});
