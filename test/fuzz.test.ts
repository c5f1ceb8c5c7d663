// Short fuzz run (the long one is `npm run fuzz -- --count 1000000`): hostile scenarios through
// every entry point end in a finite result or field-named errors; nothing throws.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulator, untyped } from "./helpers.js";
// prettier-ignore
// @ts-expect-error plain JavaScript module shared with bench/fuzz.mjs
import { mutatedScenario, extremeScenario, anyJson, hostileScenario, extremeMoe, searchOptions, sweepOptions, violation } from "../bench/fuzz-arbitraries.mjs";

const arb = fc.oneof(
  { weight: 6, arbitrary: mutatedScenario },
  { weight: 3, arbitrary: extremeScenario },
  { weight: 1, arbitrary: anyJson },
);

describe("fuzz", () => {
  it("12,000 hostile scenarios: simulate always answers within the contract", async () => {
    const sim = await simulator();
    let n = 0;
    fc.assert(
      fc.property(arb, (s: unknown) => {
        n++;
        expect(violation(sim.simulate(untyped(s)))).toBeNull();
      }),
      { numRuns: 12_000, seed: 1 },
    );
    expect(n).toBe(12_000);
  });

  it("search, sweep, feasible, match and frontier keep the contract on hostile input", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(arb, fc.nat(4), (s: unknown, which: number) => {
        const obj = typeof s === "object" && s !== null ? s : {};
        const r = [
          () => sim.search(untyped(s), { top: 2 }),
          () => sim.sweep(untyped(s), { axis: "count", values: [8, 64] }),
          () => sim.feasible(untyped({ ...obj, constraints: { deadlineDays: 30, powerMW: 5 } })),
          () => sim.match(untyped(s), { chip: "nvidia-h20-96gb" }),
          () => sim.frontier(untyped(s), { rule: "oct2023", chart: false }),
        ][which]();
        expect(violation(r)).toBeNull();
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it("hostile objects, options, sweep axes and re-entrant callbacks: never a throw, always the contract", async () => {
    const sim = await simulator();
    const small = {
      model: "llama3-8b",
      training: { tokens: 1e12, seqLen: 4096, globalBatch: 256 },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
      parallelism: { tp: 8, pp: 1, dp: 8 },
    };
    const budget = { plans: 20_000 };
    // The harness's mapping (bench/fuzz.mjs): raw options as they are, records with a real callback.
    const real = (o: { raw?: unknown; record?: Record<string, unknown> }) => {
      if (!o.record) return o.raw ?? { budget };
      const { callback, ...rest } = o.record;
      const onProgress = {
        none: undefined,
        noop: () => {},
        reenter: () => void sim.simulate(small),
        throw: () => {
          throw new Error("callback");
        },
      }[callback as string];
      return { budget, ...rest, ...(onProgress ? { onProgress } : {}) };
    };
    const scenarios = fc.oneof(hostileScenario, extremeMoe, mutatedScenario);
    fc.assert(
      fc.property(scenarios, searchOptions, sweepOptions, fc.nat(5), (s, o, so, which) => {
        const opts = real(o as never) as never;
        const r = [
          () => sim.simulate(s, opts),
          () => sim.search(s, opts),
          () => sim.sweep(s, so as never),
          () => sim.limits(s, opts),
          () => sim.match(s, { chip: "nvidia-h20-96gb" }, opts),
          () => sim.feasible(s, opts),
        ][which]();
        expect(violation(r)).toBeNull();
      }),
      { numRuns: 400, seed: 4 },
    );
  });

  it("the CLI answers hostile files with JSON and exit 2, never a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "chipscale-fuzz-"));
    const bin = fileURLToPath(new URL("../bin/chipscale.js", import.meta.url));
    const samples = fc.sample(arb, { numRuns: 12, seed: 3 }) as unknown[];
    const texts = [
      ...samples.map((s) => JSON.stringify(s) ?? "null"),
      "\u0000\u0001",
      "[1,2",
      "{}".repeat(1000),
      "1e999",
    ];
    texts.forEach((text, k) => {
      const file = join(dir, `s${k}.json`);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, [bin, "simulate", file], { encoding: "utf8" });
      expect([0, 2]).toContain(r.status);
      expect(r.stderr).toBe("");
      expect(violation(JSON.parse(r.stdout))).toBeNull();
    });
  });
});
