// The page's pure helpers, without a browser: URL checks, unit formatting, CSV.
import { describe, expect, it } from "vitest";
import { readQuery, writeQuery, numberText, oneOf } from "../web/url-state.js";
import { energy, power, days, usd, tonnes, seconds, chips } from "../web/format.js";
import { toCsv } from "../web/export.js";
import { countsAtOrBelow, bestAtMost, countNote } from "../web/counts.js";
import { load } from "chipscale";
import { fewerAsFast } from "../web/returns.js";

describe("URL state", () => {
  const checks = { count: numberText, chip: oneOf(["nvidia-h100-sxm5-80gb", "nvidia-h20-96gb"]) };

  it("round-trips known keys", () => {
    const q = writeQuery([["chip", "nvidia-h20-96gb"], ["count", "16,384"], ["empty", ""]]);
    expect(q).toBe("?chip=nvidia-h20-96gb&count=16%2C384");
    const r = readQuery(q, checks);
    expect(r.problems).toEqual([]);
    expect([...r.values]).toEqual([["chip", "nvidia-h20-96gb"], ["count", "16,384"]]);
  });

  it("drops unknown keys, markup and unknown choices, naming each", () => {
    const r = readQuery("?count=%3Cimg%20src%3Dx%3E&chip=evil&__proto__=1&constructor=x", checks);
    expect(r.values.size).toBe(0);
    expect(r.problems).toEqual([
      'count: "<img src=x>" is not a number; ignored',
      'chip: "evil" is not one of the choices; ignored',
      'unknown parameter "__proto__" was ignored',
      'unknown parameter "constructor" was ignored',
    ]);
  });

  it("refuses an overlong link whole", () => {
    const r = readQuery(`?count=${"1".repeat(1 << 20)}`, checks); // 1 MB of state
    expect(r.values.size).toBe(0);
    expect(r.problems[0]).toMatch(/too long/);
  });
});

describe("formatting with units", () => {
  it("picks the SI prefix", () => {
    expect(energy(1234)).toBe("1.23 GWh");
    expect(energy(0.5)).toBe("500 kWh");
    expect(power(23.4)).toBe("23.4 MW");
    expect(power(0.559)).toBe("559 kW");
    expect(days(41.04)).toBe("41 d");
    expect(days(1000)).toBe("2.74 years");
    expect(usd(312e6)).toBe("$312 M");
    expect(usd(1.5e9)).toBe("$1.5 B");
    expect(tonnes(14_900)).toBe("14.9 kt");
    expect(seconds(0.0123)).toBe("12.3 ms");
    expect(chips(1)).toBe("1 chip");
    expect(chips(2048)).toBe("2,048 chips");
  });
});

describe("CSV export", () => {
  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    const csv = toCsv({ link: "http://x/?a=1,2", scenario: { model: '=HYPERLINK("x")', cluster: { count: -5 } }, result: null, sweep: null, compare: [] });
    expect(csv.split("\n")).toEqual([
      "field,value",
      'link,"http://x/?a=1,2"',
      `scenario.model,"'=HYPERLINK(""x"")"`,
      "scenario.cluster.count,-5",
      "",
    ]);
  });
});

describe("counts a plan may divide", () => {
  it("lists the count, its largest multiples of powers of two, and every 2^k and 1.5 x 2^k down to 8", () => {
    const c = countsAtOrBelow(110_000);
    expect(c.slice(0, 9)).toEqual([110_000, 109_984, 109_952, 109_824, 109_568, 108_544, 106_496, 98_304, 65_536]);
    expect(c).toContain(49_152);
    expect(c).toContain(12);
    expect(c.at(-1)).toBe(8);
    expect(new Set(c).size).toBe(c.length);
    expect(countsAtOrBelow(8)).toEqual([8]);
  });

  it("finds the fastest count far below the target when failures make huge clusters slower", async () => {
    const sim = await load();
    // The worker's API, answered in-process by the same library.
    const api = {
      sweep: async (s: unknown, o: Parameters<typeof sim.sweep>[1]) => ({ result: sim.sweep(s, o), elapsedMs: 0 }),
      simulate: async (s: unknown) => ({ result: sim.simulate(s), elapsedMs: 0 }),
    } as unknown as Parameters<typeof bestAtMost>[0];
    const scenario = { model: "llama3-405b", training: { tokens: 15e12, seqLen: 8192, globalBatch: 2048 },
      cluster: { chip: "nvidia-gb200-per-gpu", system: "nvidia-gb200-nvl72", count: 360_000 }, parallelism: "auto" };
    const best = (await bestAtMost(api, scenario, 360_000))!;
    // Every candidate that has a plan is no faster than the one picked.
    const all = sim.sweep(scenario, { axis: "count", values: countsAtOrBelow(360_000) });
    if (!all.ok) throw new Error("sweep failed");
    const walls = all.columns.effectiveDays.filter((d, i) => d !== null && all.columns.days[i] !== null) as number[];
    expect(best.result.run.effectiveDays).toBe(Math.min(...walls));
    expect(best.count).toBeLessThanOrEqual(65_536);
    expect(best.largerIsSlower).toBe(true);
    expect(countNote(360_000, best)).toBe(`asked 360,000 → ${best.count.toLocaleString("en-US")} used: more chips do not help at this batch`);
    expect(countNote(4096, { count: 4096, largerIsSlower: false })).toBeNull();
  });
});

describe("diminishing returns from the sweep", () => {
  const pts = [1024, 2048, 4096, 8192].map((count, i) => ({ count, days: [100, 51, 50.5, 50][i], powerMW: count / 1000 }));
  it("picks the smallest count at most 75% of the current one within 2% of its days", () => {
    expect(fewerAsFast(pts, { count: 8192, days: 50 })?.count).toBe(2048);
    expect(fewerAsFast(pts, { count: 8192, days: 49 })).toBeNull(); // 4,096 takes 3% longer
    expect(fewerAsFast(pts, { count: 5000, days: 50.5 })?.count).toBe(2048); // 4,096 is over 75% of 5,000
  });
});
