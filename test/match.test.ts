// How many weaker chips: match's ratios agree with simulate at the counts it prints, its first
// line names the batch policy, and no answer jumps between neighbouring counts without a word.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulator, ok } from "./helpers.js";
import type { MatchResult, Scenario, Failure } from "chipscale";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "chipscale.js"), ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout };
};
const example = (name: string): Scenario =>
  JSON.parse(readFileSync(join(root, "examples", name), "utf8"));
const matched = (r: MatchResult | Failure): MatchResult => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
};

/** Days with failures from `chipscale simulate` at a count and batch, best plan. */
function simulateDays(s: Scenario, chip: string, count: number, batch: number): number {
  const file = join(root, "test-results", `match-${chip}-${count}-${batch}.json`);
  const scenario = {
    ...s,
    training: { ...s.training, globalBatch: batch },
    cluster: { chip, count },
    parallelism: "auto",
  };
  mkdirSync(join(root, "test-results"), { recursive: true });
  writeFileSync(file, JSON.stringify(scenario));
  const r = cli(["simulate", file]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out).run.effectiveDays;
}

describe("chipscale match: the issue's two examples", () => {
  // Both sides run under the same batch policy: Llama 3's 2,048 sequences leave 16,384 H100 at pp 8
  // with few microbatches (92.5 days); grown to 8,192 they take 62.4, and no H20 count matches that.
  for (const [file, chip, extra, matches] of [
    ["llama3-405b-gb200.json", "huawei-ascend-910c", [], true],
    ["llama3-405b-h100.json", "nvidia-h20-96gb", ["--max-batch", "16384"], false],
  ] as const)
    it(`${file} against ${chip}: the answer agrees with simulate at the printed counts`, () => {
      const text = cli(["match", `examples/${file}`, "--chip", chip, ...extra]);
      expect(text.code).toBe(0);
      const first = text.out.split("\n")[0];
      const m: MatchResult = JSON.parse(
        cli(["match", `examples/${file}`, "--chip", chip, ...extra, "--json"]).out,
      );
      expect(m.matched).toBe(matches);
      // The first line carries the ratio, the concrete counts and the batch policy.
      expect(first).toBe(m.headline);
      expect(first).toContain(m.count.toLocaleString("en-US"));
      expect(first).toContain(m.referenceBest.count.toLocaleString("en-US"));
      expect(first).toMatch(m.batch.changed ? /BATCH CHANGED/ : /batch [\d,]+ kept/);
      const s = example(file);
      const target = simulateDays(s, chip, m.count, m.globalBatch);
      const ref = simulateDays(s, m.reference.chip, m.referenceBest.count, m.batch.referenceUsed);
      expect(target).toBeCloseTo(m.effectiveDays!, 6);
      expect(ref).toBeCloseTo(m.referenceBest.effectiveDays!, 6);
      if (matches) {
        expect(first).toMatch(/at equal time \((interpolated between|a grid count)/);
        // simulate says the printed target cluster is at least as fast as the printed reference...
        expect(target).toBeLessThanOrEqual(ref * (1 + 1e-9));
        // ...and the headline ratio is within 10% of the ratio of those counts.
        const simRatio = m.count / m.referenceBest.count;
        expect(Math.abs(m.ratios.time!.chipRatio / simRatio - 1)).toBeLessThanOrEqual(0.1);
      } else {
        expect(first).toMatch(/^cannot match /);
        expect(target).toBeGreaterThan(ref);
        // The CLI words the library's suggestion as its own flag, above the cap it ran with.
        expect(text.out).toMatch(
          /note +cannot match .*; a larger batch cap lets more chips work \(--max-batch above 16,384\)/,
        );
      }
      // The given reference is the one simulate runs at its count.
      expect(simulateDays(s, m.reference.chip, m.reference.count, m.batch.reference)).toBeCloseTo(
        m.reference.effectiveDays!,
        6,
      );
    });

  it("grow to the default cap: 65,536 H20 fall short of 16,384 H100 at the same grown batch", async () => {
    const m = matched(
      (await simulator()).match(example("llama3-405b-h100.json"), { chip: "nvidia-h20-96gb" }),
    );
    expect(m.matched).toBe(false);
    expect(m.count).toBe(65_536);
    expect(m.batch).toMatchObject({
      mode: "grow",
      reference: 2048,
      used: 8192,
      referenceUsed: 8192,
      changed: true,
    });
    expect(m.referenceBest.count).toBe(16_384);
    // 93.3 against 62.4 days: at the same batch the H100 gains as much as the H20 does.
    expect(m.effectiveDays! / m.referenceBest.effectiveDays!).toBeGreaterThan(1.4);
  });

  it("keep: the H20 cannot match at Llama 3's batch, and says the best count and days first", async () => {
    const m = matched(
      (await simulator()).match(
        example("llama3-405b-h100.json"),
        { chip: "nvidia-h20-96gb" },
        { batch: { mode: "keep" } },
      ),
    );
    expect(m.matched).toBe(false);
    expect(m.ratios.time).toBeNull();
    expect(m.batch).toMatchObject({ mode: "keep", reference: 2048, used: 2048, changed: false });
    const note = m.notes.find((x) => x.code === "cannot-match")!;
    expect(note.data.bestCount).toBe(m.count);
    // The suggestion is a fact; the library's words name no front end's flag or control.
    expect(note.data).toMatchObject({ suggestion: "grow-batch", maxBatch: null });
    expect(note.text).toMatch(/; letting the batch grow lets more chips work$/);
    expect(note.text).not.toMatch(/--/);
    expect(m.headline).toMatch(
      new RegExp(`^cannot match .* the best is .* days at ${m.count.toLocaleString("en-US")} `),
    );
    // The best really is the fastest of its envelope.
    const days = m.envelopes.target.days.filter((d): d is number => d !== null);
    expect(m.effectiveDays).toBe(Math.min(...days));
  });
});

describe("what backs each side", () => {
  it("an Ascend 910B target is uncalibrated: the result, the CLI and simulate agree", async () => {
    const sim = await simulator();
    const s = example("llama3-70b-h100.json");
    const m = matched(sim.match(s, { chip: "huawei-ascend-910b" }));
    // No published MindSpeed run on Ascend: 0 records and the widest band, as simulate says.
    expect(m.calibration.target).toMatchObject({
      stack: "mindspeed",
      calibrated: false,
      records: 0,
    });
    expect(m.calibration.reference).toMatchObject({ stack: "megatron-core", calibrated: true });
    expect(m.calibration.reference.records).toBeGreaterThan(0);
    const at = ok(
      sim.simulate({
        ...s,
        training: { ...s.training, globalBatch: m.globalBatch },
        cluster: { chip: "huawei-ascend-910b", count: m.count },
        parallelism: "auto",
      }),
    );
    expect(m.calibration.target.errorRange).toEqual(at.uncertainty.errorRange);
    expect(at.warnings.map((w) => w.code)).toContain("stack-uncalibrated");
    const text = cli(["match", "examples/llama3-70b-h100.json", "--chip", "huawei-ascend-910b"]);
    expect(text.out).toMatch(
      /calibration +.*huawei-ascend-910b: mindspeed, UNCALIBRATED \(0 published runs/,
    );
  });
});

describe("one batch policy for both sides", () => {
  it("a self-match is exactly 1 under every policy, chip and count", async () => {
    const sim = await simulator();
    fc.assert(
      fc.property(
        fc.constantFrom(
          "nvidia-h100-sxm5-80gb",
          "nvidia-h20-96gb",
          "nvidia-gb200-per-gpu",
          "huawei-ascend-910c",
          "amd-mi300x",
        ),
        fc.constantFrom(64, 72, 200, 384, 1000, 1536, 4096),
        fc.constantFrom("keep", "grow", "round") as fc.Arbitrary<"keep" | "grow" | "round">,
        (chip, count, mode) => {
          const s: Scenario = {
            model: "llama3-8b",
            training: { tokens: 2e12, seqLen: 8192, globalBatch: 512 },
            cluster: { chip, count },
            parallelism: "auto",
          };
          // Only counts some plan divides (1,000 is none's at batch 512: match says so, as simulate does).
          fc.pre(sim.simulate(s).ok);
          const m = matched(sim.match(s, { chip }, { batch: { mode } }));
          expect(m.matched).toBe(true);
          expect(m.ratios.time!.chipRatio).toBe(1);
          expect(m.count).toBe(m.referenceBest.count);
          expect(m.effectiveDays).toBe(m.referenceBest.effectiveDays);
          // The policy reaches both sides: the reference the ratio counts runs the target's batch.
          expect(m.batch.referenceUsed).toBe(m.batch.used);
          expect(m.headline).toMatch(/^1 /);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("grow: the H100 against itself at 4,096 chips is 1, the headline naming both sides' batch", async () => {
    const s = { ...example("llama3-405b-h100.json") };
    const m = matched(
      (await simulator()).match(
        { ...s, cluster: { chip: "nvidia-h100-sxm5-80gb", count: 4096 } },
        { chip: "nvidia-h100-sxm5-80gb" },
      ),
    );
    expect(m.ratios.time!.chipRatio).toBe(1);
    expect(m.batch).toMatchObject({ mode: "grow", used: 4096, referenceUsed: 4096 });
    expect(m.headline).toContain(
      "BATCH CHANGED from 2,048 sequences: 4,096 on every row (the same policy for every row and both sides: grown, at most 8,300)",
    );
  });
});

describe("every row against the headline's reference and batch", () => {
  it("GB200 (4,608 given, 4,096 faster) against 910C: each row counts 4,096 and its power, and the headline names each row's batch", async () => {
    const m = matched(
      (await simulator()).match(example("llama3-405b-gb200.json"), {
        chip: "huawei-ascend-910c",
      }),
    );
    const best = m.referenceBest;
    expect(best.count).toBeLessThan(m.reference.count);
    const int = (x: number) => x.toLocaleString("en-US");
    for (const x of Object.values(m.ratios)) {
      if (!x) continue;
      expect(x.referenceChips).toBe(best.count);
      expect(x.chipRatio).toBeCloseTo(x.targetChips / best.count, 12);
      expect(x.powerRatio).toBeCloseTo(
        (x.targetChips * m.envelopes.target.mwPerChip) / best.powerMW,
        12,
      );
      // A row whose cluster runs another batch than the given: the first line says so, with the batch.
      if (x.concrete.globalBatch !== m.batch.reference) {
        expect(m.headline).toContain("BATCH CHANGED");
        expect(m.headline).toContain(int(x.concrete.globalBatch));
      }
    }
    expect(m.ratios.power!.powerRatio).toBeCloseTo(1, 12);
    if (best.globalBatch !== m.batch.reference) expect(m.headline).toContain(int(best.globalBatch));
  });
});

describe("every row agrees with simulate at its concrete cluster", () => {
  const pairs: [string, number | null, string][] = [
    ["llama3-405b-gb200.json", null, "huawei-ascend-910c"],
    ["llama3-405b-h100.json", 4096, "nvidia-h20-96gb"],
    ["llama3-405b-h100.json", 4096, "amd-mi300x"],
    ["llama3-405b-gb200.json", null, "nvidia-h100-sxm5-80gb"],
    ["llama3-70b-h100.json", null, "nvidia-h20-96gb"],
    ["llama3-70b-cloudmatrix384.json", null, "nvidia-h100-sxm5-80gb"],
  ];
  for (const [file, count, chip] of pairs)
    it(`${file}${count ? ` at ${count}` : ""} against ${chip}: chips, days and power within 10%`, async () => {
      const sim = await simulator();
      const s = example(file);
      if (count) s.cluster = { ...s.cluster, count };
      const m = matched(sim.match(s, { chip }));
      const run = (chip: string, count: number, globalBatch: number) =>
        ok(
          sim.simulate({
            ...s,
            training: { ...s.training, globalBatch },
            cluster: { chip, count },
            parallelism: "auto",
          }),
        ).run;
      const b = m.referenceBest;
      const ref = run(b.chip, b.count, b.globalBatch);
      expect(ref.effectiveDays).toBeCloseTo(b.effectiveDays!, 9);
      const near = (x: number, y: number) => expect(Math.abs(x / y - 1)).toBeLessThanOrEqual(0.1);
      let rows = 0;
      for (const x of Object.values(m.ratios)) {
        if (!x) continue;
        rows++;
        const c = x.concrete;
        const got = run(c.chip, c.count, c.globalBatch);
        expect(got.effectiveDays).toBeCloseTo(c.effectiveDays!, 9);
        near(x.chipRatio, c.count / b.count);
        near(x.timeRatio, got.effectiveDays! / ref.effectiveDays!);
        near(x.powerRatio, got.powerMW / ref.powerMW);
        // A row that is not its cluster's own is read between neighbouring grid counts.
        if (x.interpolated) expect(x.between[0]).toBeLessThan(x.between[1]);
        else expect(x.targetChips).toBe(c.count);
      }
      expect(rows).toBeGreaterThanOrEqual(1);
    });
});

describe("envelopes", () => {
  const ref: Scenario = {
    model: "llama3-8b",
    training: { tokens: 2e12, seqLen: 8192, globalBatch: 512 },
    cluster: { chip: "nvidia-h100-sxm5-80gb", count: 512 },
    parallelism: "auto",
  };

  it("the envelope is the least days at or below each count, and counts are whole nodes", async () => {
    const m = matched(
      (await simulator()).match(ref, { chip: "nvidia-h20-96gb" }, { batch: { mode: "round" } }),
    );
    for (const e of [m.envelopes.target, m.envelopes.reference]) {
      let least = Infinity;
      e.counts.forEach((c, k) => {
        if (c >= 8) expect(c % 8).toBe(0);
        if (k > 0) expect(c).toBeGreaterThan(e.counts[k - 1]);
        least = Math.min(least, e.days[k] ?? Infinity);
        expect(e.envelope[k]).toBe(least);
        expect(e.days[e.counts.indexOf(e.envelopeCount[k])]).toBe(least);
      });
    }
    // round: every batch within 5% of the reference's.
    for (const b of m.envelopes.target.batch)
      expect(Math.abs(b / 512 - 1)).toBeLessThanOrEqual(0.05);
    // The grid is fine: most neighbouring counts lie within 2% (gaps are counts no batch within 5% divides).
    const c = m.envelopes.target.counts.filter((x) => x >= 256);
    const steps = c
      .slice(1)
      .map((x, k) => x / c[k])
      .sort((a, b) => a - b);
    expect(steps[Math.floor(steps.length / 2)]).toBeLessThan(1.02);
  });

  it("equal power and equal price read the days off the envelope at the reference's power and price, or give the cluster's own on a step", async () => {
    const m = matched((await simulator()).match(ref, { chip: "nvidia-h20-96gb" }));
    const best = m.referenceBest;
    const p = m.ratios.power!;
    expect(p.concrete.powerMW).toBeLessThanOrEqual(best.powerMW * (1 + 1e-9));
    if (p.onStep) {
      expect(p.powerRatio).toBeCloseTo(p.concrete.powerMW / best.powerMW, 12);
      expect(m.notes.some((x) => x.code === "target-cliff" && x.data.basis === "power")).toBe(true);
    } else {
      expect(p.powerRatio).toBeCloseTo(1, 9);
      expect(p.between[0]).toBeLessThanOrEqual(p.targetChips);
      expect(p.targetChips).toBeLessThanOrEqual(p.between[1]);
    }
    const c = m.ratios.cost!;
    // Catalog prices: H100 and H20 (chips.md).
    const { chips } = await import("chipscale");
    const price = (id: string) => chips.find((x) => x.id === id)!.priceUSD!;
    const byPrice = price("nvidia-h100-sxm5-80gb") / price("nvidia-h20-96gb");
    if (c.onStep) expect(c.chipRatio).toBeLessThanOrEqual(byPrice);
    else expect(c.chipRatio).toBeCloseTo(byPrice, 9);
  });

  it("days, energy and cost share one basis, with failures, and say so", async () => {
    const sim = await simulator();
    const m = matched(sim.match(ref, { chip: "nvidia-h20-96gb" }));
    expect(m.runBasis).toMatch(/^with failures/);
    for (const x of [
      m,
      m.reference,
      m.referenceBest,
      ...Object.values(m.ratios).map((r) => r?.concrete),
    ]) {
      if (!x) continue;
      const run = ok(
        sim.simulate({
          ...ref,
          training: { ...ref.training, globalBatch: x.globalBatch },
          cluster: { chip: x.chip, count: x.count },
          parallelism: "auto",
        }),
      ).run;
      expect(x.effectiveDays).toBeCloseTo(run.effectiveDays!, 9);
      expect(x.energyMWh).toBeCloseTo(run.effectiveEnergyMWh!, 6);
      expect(x.costUSD).toBeCloseTo(run.effectiveCostUSD!, 3);
      // With failures is more than the failure-free run (goodput < 1).
      expect(x.energyMWh!).toBeGreaterThan(run.energyMWh);
    }
    const text = cli([
      "match",
      "examples/llama3-405b-gb200.json",
      "--chip",
      "huawei-ascend-910c",
    ]).out;
    expect(text).toMatch(/^run basis +with failures: days, energy and cost/m);
    expect(text).toMatch(/days, [\d,.]+ MWh and \$[\d,.]+ \(electricity only\) with failures/);
  });

  it("the CLI prints whole chip counts (interpolated ones said so) and '1 chip', never '1 chips'", () => {
    mkdirSync(join(root, "test-results"), { recursive: true });
    const file = join(root, "test-results", "match-self.json");
    writeFileSync(file, JSON.stringify(ref));
    for (const [args, one] of [
      [["match", file, "--chip", "nvidia-h100-sxm5-80gb"], true],
      [["match", "examples/llama3-405b-gb200.json", "--chip", "huawei-ascend-910c"], false],
    ] as const) {
      const text = cli([...args]).out;
      expect(text).not.toMatch(/\b1 chips\b/);
      // No fractional chip count anywhere: "6,374.8 chips" or "6,374.8 read off".
      expect(text).not.toMatch(/\d\.\d+ read off|about [\d,]*\.\d|between [\d,]*\.\d/);
      expect(text).not.toMatch(/[\d,]+\.\d+ x [a-z]/);
      if (one) expect(text).toMatch(/^equal time +1 chip per reference chip/m);
      for (const line of text.split("\n").filter((l) => l.includes("interpolated between")))
        expect(line).toMatch(/(about [\d,]+ chips, )?interpolated between [\d,]+ and [\d,]+/);
    }
  });

  it("a bad batch policy names its field", async () => {
    const r = (await simulator()).match(
      ref,
      { chip: "nvidia-h20-96gb" },
      { batch: { mode: "double" as "keep", maxBatch: -1, tolerance: 2 } },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.path).sort()).toEqual([
        "batch.maxBatch",
        "batch.mode",
        "batch.tolerance",
      ]);
    const c = cli([
      "match",
      "examples/llama3-405b-h100.json",
      "--chip",
      "nvidia-h20-96gb",
      "--batch",
      "double",
    ]);
    expect(c.code).toBe(2);
    expect(JSON.parse(c.out).errors[0].path).toBe("--batch");
  });
});

describe("no cliffs without a word", () => {
  const base: Scenario = {
    model: "llama3-8b",
    training: { tokens: 1e12, seqLen: 8192, globalBatch: 256 },
    cluster: { chip: "nvidia-h100-sxm5-80gb", count: 256 },
    parallelism: "auto",
  };
  const explained = (a: MatchResult, b: MatchResult) =>
    [...a.notes, ...b.notes].some((x) =>
      ["target-cliff", "reference-cliff", "batch-changed"].includes(x.code),
    ) || a.batch.used !== b.batch.used;

  it("over neighbouring usable reference counts, a ratio moves by more than 10% only with a stated reason", async () => {
    const sim = await simulator();
    const counts = [128, 160, 192, 224, 256, 320, 384, 448, 512];
    const answers = counts.map((count) =>
      matched(
        sim.match({ ...base, cluster: { ...base.cluster, count } }, { chip: "nvidia-h20-96gb" }),
      ),
    );
    for (let k = 1; k < answers.length; k++) {
      const a = answers[k - 1].ratios.time!.chipRatio,
        b = answers[k].ratios.time!.chipRatio;
      if (Math.abs(b / a - 1) > 0.1) expect(explained(answers[k - 1], answers[k])).toBe(true);
    }
  });

  it("over neighbouring batches (1,000 against 1,024), the same", async () => {
    const sim = await simulator();
    const answers = [992, 1000, 1008, 1024, 1040].map((globalBatch) =>
      matched(
        sim.match(
          {
            ...base,
            training: { ...base.training, globalBatch },
            cluster: { ...base.cluster, count: 512 },
          },
          { chip: "nvidia-h20-96gb" },
          { batch: { mode: "keep" } },
        ),
      ),
    );
    for (let k = 1; k < answers.length; k++) {
      const a = answers[k - 1].ratios.time?.chipRatio ?? null,
        b = answers[k].ratios.time?.chipRatio ?? null;
      if (a === null || b === null) {
        // No match at one batch: the answer says so with a code and the best it found.
        for (const x of [answers[k - 1], answers[k]])
          if (!x.matched) expect(x.notes.some((n) => n.code === "cannot-match")).toBe(true);
      } else if (Math.abs(b / a - 1) > 0.1)
        expect(explained(answers[k - 1], answers[k])).toBe(true);
    }
  });

  it("a reference past a cliff (a smaller count is faster) is named, and equal time is its envelope", async () => {
    const m = matched(
      (await simulator()).match(example("llama3-405b-gb200.json"), {
        chip: "huawei-ascend-910c",
      }),
    );
    const sim = await simulator();
    const given = ok(sim.simulate(example("llama3-405b-gb200.json")));
    expect(m.reference.effectiveDays).toBe(given.run.effectiveDays);
    if (m.referenceBest.count < m.reference.count) {
      expect(m.referenceBest.effectiveDays!).toBeLessThan(m.reference.effectiveDays!);
      const note = m.notes.find((x) => x.code === "reference-cliff")!;
      expect(note.data).toMatchObject({ count: m.reference.count, fewer: m.referenceBest.count });
    } else expect(m.notes.some((x) => x.code === "reference-cliff")).toBe(false);
  });
});
