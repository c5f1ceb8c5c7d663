// The error budget: every validated published run stays inside its tolerance.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { simulator, ok } from "./helpers.js";

interface Rec { id: string; scenario: unknown; published: { stepS: number }; tolerance: number }
const records: Rec[] = JSON.parse(readFileSync(new URL("../bench/validation/records.json", import.meta.url), "utf8"));

describe("validation against published runs", () => {
  const errors: number[] = [];
  for (const rec of records) {
    it(`${rec.id} within ${rec.tolerance * 100}%`, async () => {
      const r = ok((await simulator()).simulate(rec.scenario));
      const err = r.step.timeS / rec.published.stepS - 1;
      errors.push(Math.abs(err));
      expect(Math.abs(err)).toBeLessThanOrEqual(rec.tolerance);
      expect(r.memory.fits).toBe(true);
    });
  }
  it("Narayanan Table 1 + Korthikanti Table 5: mean |error| <= 5%, max <= 12%", () => {
    expect(errors).toHaveLength(records.length);
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThanOrEqual(0.05);
    expect(Math.max(...errors)).toBeLessThanOrEqual(0.12);
  });
});
