// No cliffs without a word: what lies near a scenario, as typed notes, and the CLI says it too.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulator, ok } from "./helpers.js";
import type { NearbyResult, Failure, Scenario } from "chipscale";

const root = fileURLToPath(new URL("..", import.meta.url));
const near = (r: NearbyResult | Failure): NearbyResult => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
};
const h20 = (count: number, globalBatch = 3072): Scenario => ({
  model: "1t-dense",
  training: { tokens: 450e9, seqLen: 2048, globalBatch },
  cluster: { chip: "nvidia-h20-96gb", count },
  parallelism: "auto",
});
const days = async (s: Scenario) => ok((await simulator()).simulate(s)).run.effectiveDays as number;

describe("nearby", () => {
  it("a count no plan divides: the error and the note name the usable counts either side", async () => {
    const sim = await simulator();
    const r = sim.simulate(h20(50_000));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const e = r.errors[0];
      if (e.code !== "no-plan") throw new Error(`expected no-plan, got ${e.code}`);
      expect(e.data.mostUsable).toBeNull();
      expect(e.data.below!).toBeLessThan(50_000);
      expect(e.data.above!).toBeGreaterThan(50_000);
    }
    const n = near(sim.nearby(h20(50_000)));
    if (!r.ok && r.errors[0].code === "no-plan")
      expect([r.errors[0].data.below, r.errors[0].data.above]).toEqual([
        n.below?.count ?? null,
        n.above?.count ?? null,
      ]);
    expect(n.asked.days).toBeNull();
    const note = n.notes.find((x) => x.code === "count-has-no-plan")!;
    expect(note.data.below).toBe(n.below!.count);
    expect(note.data.above).toBe(n.above!.count);
    expect(n.below!.count).toBeLessThan(50_000);
    expect(n.above!.count).toBeGreaterThan(50_000);
    // Both neighbours are usable, and their days are simulate's.
    expect(n.below!.days).toBe(await days(h20(n.below!.count)));
    expect(n.above!.days).toBe(await days(h20(n.above!.count)));
  });

  it("a larger count that is slower says which fewer chips finish sooner", async () => {
    const sim = await simulator();
    const n = near(sim.nearby(h20(65_536)));
    const note = n.notes.find((x) => x.code === "fewer-finish-sooner");
    // 65,536 at batch 3,072 cannot beat every smaller usable count (failures, a batch that splits so far).
    if (note) {
      expect(note.data.fewer!).toBeLessThan(65_536);
      expect(note.data.fewerDays!).toBeLessThan(n.asked.days!);
      expect(note.data.fewerDays).toBe(await days(h20(note.data.fewer!)));
    } else {
      // Then no sampled smaller count is faster: the asked count is on the envelope.
      expect(n.below === null || (n.below.days ?? Infinity) >= n.asked.days! * 0.99).toBe(true);
    }
  });

  it("a batch of 1,000 instead of 1,024 is not silent: a nearby batch that finishes sooner is named", async () => {
    const sim = await simulator();
    const s: Scenario = {
      model: "llama3-405b",
      training: { tokens: 15.6e12, seqLen: 8192, globalBatch: 1000 },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 16_384 },
      parallelism: "auto",
    };
    const n = near(sim.nearby(s));
    const note = n.notes.find((x) => x.code === "batch-finishes-sooner")!;
    expect(note).toBeDefined();
    expect(Math.abs(note.data.better! / 1000 - 1)).toBeLessThanOrEqual(0.05);
    expect(note.data.betterDays).toBe(
      await days({ ...s, training: { ...s.training, globalBatch: note.data.better! } }),
    );
    if (note.data.days !== null) expect(note.data.betterDays!).toBeLessThan(0.9 * note.data.days!);
  });

  it("the CLI's simulate prints the same notes (table) and carries them (JSON)", () => {
    mkdirSync(join(root, "test-results"), { recursive: true });
    const file = join(root, "test-results", "nearby-50000.json");
    writeFileSync(file, JSON.stringify(h20(50_000)));
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(root, "bin", "chipscale.js"), ...args], {
        cwd: root,
        encoding: "utf8",
      });
    const json = JSON.parse(run(["simulate", file]).stdout);
    expect(json.ok).toBe(false);
    expect(json.nearby.notes.map((x: { code: string }) => x.code)).toContain("count-has-no-plan");
    const table = run(["simulate", file, "--format", "table"]);
    expect(table.status).toBe(2);
    // In table format the errors and notes go to stderr, stdout stays empty.
    expect(table.stdout).toBe("");
    expect(table.stderr).toMatch(/^error: parallelism: no plan divides 50,000 chips/m);
    expect(table.stderr).toMatch(
      /^note: no plan runs 50,000 chips at batch 3,072; the nearest usable counts: [\d,]+ \([\d.,]+ days\) and [\d,]+/m,
    );
    expect(table.stderr).not.toMatch(/power of two/);
  });
});
