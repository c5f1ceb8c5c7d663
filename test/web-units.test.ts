// The page's pure helpers, without a browser: URL checks, unit formatting, CSV.
import { describe, expect, it } from "vitest";
import { readQuery, writeQuery, linkState, numberText, oneOf } from "../web/url-state.js";
import { energy, power, days, usd, tonnes, seconds, chips } from "../web/format.js";
import { typedNumber } from "../web/typed.js";
import { toCsv, matchTable } from "../web/export.js";
import { encodeRows, decodeRows } from "../web/compare.js";
import type { Catalog } from "../web/worker.js";
import type { MatchResult, Scenario } from "chipscale";
import { bestAtMost, countNote } from "../web/counts.js";
import { load, countsAtOrBelow, countsAbove } from "chipscale";
import { fewerAsFast, fewerToName, fewerAsFastWords } from "../web/returns.js";
import { logValues, FIGURES } from "../web/chip-sliders.js";

describe("URL state", () => {
  const checks = { count: numberText, chip: oneOf(["nvidia-h100-sxm5-80gb", "nvidia-h20-96gb"]) };

  it("round-trips known keys", () => {
    const q = writeQuery([
      ["chip", "nvidia-h20-96gb"],
      ["count", "16,384"],
      ["empty", ""],
    ]);
    // The fragment: no length of it reaches a server (a long query gets HTTP 431).
    expect(q).toBe("#chip=nvidia-h20-96gb&count=16%2C384");
    const r = readQuery(q, checks);
    expect(r.problems).toEqual([]);
    expect([...r.values]).toEqual([
      ["chip", "nvidia-h20-96gb"],
      ["count", "16,384"],
    ]);
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
    for (const mark of ["?", "#"]) {
      const r = readQuery(`${mark}count=${"1".repeat(1 << 20)}`, checks); // 1 MB of state
      expect(r.values.size).toBe(0);
      expect(r.problems[0]).toMatch(/too long/);
    }
  });

  it("reads the fragment, or the query string of an older link", () => {
    expect(linkState({ hash: "#count=8", search: "?count=16" })).toBe("count=8");
    expect(linkState({ hash: "", search: "?count=16" })).toBe("?count=16");
    expect(linkState({ hash: "#", search: "" })).toBe("");
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
    // Below a day: hours, then minutes, never "0.00275 d".
    expect(days(0.5)).toBe("12 h");
    expect(days(0.00275)).toBe("3.96 min");
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
    const csv = toCsv({
      link: "http://x/?a=1,2",
      scenario: { model: '=HYPERLINK("x")', cluster: { count: -5 } },
      result: null,
      sweep: null,
    });
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
    expect(c.slice(0, 9)).toEqual([
      110_000, 109_984, 109_952, 109_824, 109_568, 108_544, 106_496, 98_304, 65_536,
    ]);
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
      sweep: async (s: Scenario, o: Parameters<typeof sim.sweep>[1]) => ({
        result: sim.sweep(s, o),
        elapsedMs: 0,
      }),
      simulate: async (s: Scenario) => ({ result: sim.simulate(s), elapsedMs: 0 }),
      counts: async (n: number) => ({ atOrBelow: countsAtOrBelow(n), above: countsAbove(n) }),
    } as unknown as Parameters<typeof bestAtMost>[0];
    const scenario = {
      model: "llama3-405b",
      training: { tokens: 15e12, seqLen: 8192, globalBatch: 2048 },
      cluster: { chip: "nvidia-gb200-per-gpu", system: "nvidia-gb200-nvl72", count: 360_000 },
      parallelism: "auto",
    } satisfies Scenario;
    const best = (await bestAtMost(api, scenario, 360_000))!;
    // Every candidate that has a plan is no faster than the one picked.
    const all = sim.sweep(scenario, { axis: "count", values: countsAtOrBelow(360_000) });
    if (!all.ok) throw new Error("sweep failed");
    const walls = all.columns.effectiveDays.filter(
      (d, i) => d !== null && all.columns.days[i] !== null,
    ) as number[];
    expect(best.result.run.effectiveDays).toBe(Math.min(...walls));
    expect(best.count).toBeLessThanOrEqual(65_536);
    expect(best.largerIsSlower).toBe(true);
    const used = best.count.toLocaleString("en-US");
    expect(countNote(360_000, best)).toBe(
      `asked 360,000 → ${used} used: no plan divides 360,000 chips at this batch; ${used} is the fastest count at or below it, and more chips do not help at this batch`,
    );
    expect(countNote(4096, { count: 4096, largerIsSlower: false })).toBeNull();
  });
});

describe("diminishing returns from the sweep", () => {
  const pts = [1024, 2048, 4096, 8192].map((count, i) => ({
    count,
    days: [100, 51, 50.5, 50][i],
    powerMW: count / 1000,
  }));
  it("picks the smallest count at most 75% of the current one within 2% of its days", () => {
    expect(fewerAsFast(pts, { count: 8192, days: 50 })?.count).toBe(2048);
    expect(fewerAsFast(pts, { count: 8192, days: 49 })).toBeNull(); // 4,096 takes 3% longer
    expect(fewerAsFast(pts, { count: 5000, days: 50.5 })?.count).toBe(2048); // 4,096 is over 75% of 5,000
  });
});

describe("the count a sweep names (days with failures)", () => {
  // Llama 3 70B, batch 1,024, H100: days with failures from the library's sweep (393,216 never finishes).
  const pts = [
    [4096, 41.5],
    [8192, 29],
    [16384, 30.6],
    [32768, 28.3],
    [65536, 30.7],
    [131072, 43.9],
  ].map(([count, d]) => ({ count, days: d, powerMW: count / 1000 }));
  it("names the fastest count when it is smaller than the current one, and says more chips do not help only when none above it is faster", () => {
    const never = { count: 393_216, days: Infinity };
    expect(fewerToName(pts, never)?.count).toBe(32768);
    expect(fewerAsFastWords(fewerToName(pts, never)!, pts, never)).toBe(
      "32,768 chips finish sooner (28.3 d with failures) at 32.8 MW: more chips do not help at this batch",
    );
    // At 16,384 the fastest (32,768) is larger: the far-fewer count as fast, and more chips do help.
    const at = { count: 16384, days: 30.6 };
    expect(fewerToName(pts, at)?.count).toBe(8192);
    expect(fewerAsFastWords(fewerToName(pts, at)!, pts, at)).toBe(
      "8,192 chips finish sooner (29 d with failures) at 8.19 MW",
    );
    expect(fewerToName(pts, { count: 32768, days: 28.3 })).toBeNull();
  });
});

describe("compare rows in a link", () => {
  const catalog = {
    chips: [{ id: "nvidia-h100-sxm5-80gb" }, { id: "nvidia-h20-96gb" }],
    systems: [{ id: "nvidia-hgx-h20" }],
  } as unknown as Catalog;
  it("keeps each row's count as typed, separators too, and drops only a row it cannot use", () => {
    const rows = [
      { chip: "nvidia-h100-sxm5-80gb", count: "1,000", system: "" },
      { chip: "nvidia-h20-96gb", count: "2048.5*~%", system: "nvidia-hgx-h20" },
    ];
    expect(decodeRows(encodeRows(rows), catalog)).toEqual({ rows, problems: [] });
    expect(
      decodeRows(
        "nvidia-h100-sxm5-80gb*abc*~bogus-chip*8*~nvidia-h20-96gb*-3*bogus-system",
        catalog,
      ),
    ).toEqual({
      rows: [
        { chip: "nvidia-h100-sxm5-80gb", count: "abc", system: "" },
        { chip: "nvidia-h20-96gb", count: "-3", system: "" },
      ],
      problems: [
        "cluster 2 names an unknown chip; it was left out",
        "cluster 3 names an unknown system; its chip's usual system is used",
      ],
    });
    expect(decodeRows("a~b~c~d~e", catalog)).toBe("must list 1 to 4 clusters");
    expect(decodeRows("bogus*8*", catalog)).toBe("names no cluster that could be used");
  });
});

describe("match export", () => {
  it("keeps an empty side's row with the reason", () => {
    const side = {
      chip: "nvidia-h100-sxm5-80gb",
      count: 16384,
      system: null,
      systems: null,
      days: 1,
      effectiveDays: 1.1,
      powerMW: 2,
      energyMWh: 3,
      costUSD: 4,
      costBasis: "capex+power",
      globalBatch: 1024,
    };
    const m = {
      ...side,
      chip: "huawei-ascend-910c",
      reference: side,
      referenceBest: side,
      equalPower: side,
      equalCapex: null,
      notes: [{ code: "no-price", data: {}, text: "equal cost: a catalog price is unknown" }],
      warnings: [],
    } as unknown as MatchResult;
    const t = matchTable(m);
    expect(t.header.at(-1)).toBe("note");
    expect(t.rows[3]).toEqual([
      "same capex",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "not available: unknown price",
    ]);
    expect(t.rows[2].at(-1)).toBe("");
  });

  it("gives the reference at the policy's batch, and the given one beside fewer, faster chips", () => {
    const side = { chip: "nvidia-h100-sxm5-80gb", count: 8192, globalBatch: 1024, days: 27 };
    const grown = { ...side, globalBatch: 4096, days: 21 };
    const m = { ...side, globalBatch: 4096, notes: [], reference: side, referenceBest: grown };
    const batchAndDays = (x: MatchResult) =>
      matchTable(x).rows.map((r) => [r[0], r[2], r[5], r[6]]);
    expect(batchAndDays(m as unknown as MatchResult).slice(0, 2)).toEqual([
      ["reference", 8192, 4096, 21],
      ["same time", 8192, 4096, 27],
    ]);
    const fewer = { ...m, referenceBest: { ...grown, count: 4096 } } as unknown as MatchResult;
    expect(batchAndDays(fewer).slice(0, 2)).toEqual([
      ["reference", 8192, 1024, 27],
      ["reference fastest at or below", 4096, 4096, 21],
    ]);
  });
});

describe("chip figure sweeps", () => {
  it("log-spaced values, 3 significant digits; whole and distinct for an integer figure", () => {
    expect(logValues(225, 3600, 9, false)).toEqual([
      225, 318, 450, 636, 900, 1270, 1800, 2550, 3600,
    ]);
    expect(logValues(1, 8, 9, true)).toEqual([1, 2, 3, 4, 5, 6, 8]);
  });
  it("a slider for every figure the library lets a sweep vary, in its order", async () => {
    const { CHIP_FIGURES } = await import("chipscale");
    expect(FIGURES.map((f) => f.key)).toEqual([...CHIP_FIGURES]);
  });
});

describe("typed numbers (every number field of the page)", () => {
  it("reads grouped and exponent forms as numbers, keeps other text, and an empty field as nothing", () => {
    expect(typedNumber("2,048")).toBe(2048);
    expect(typedNumber(" 4 000 ")).toBe(4000);
    expect(typedNumber("1_000")).toBe(1000);
    expect(typedNumber("1e3")).toBe(1000);
    expect(typedNumber("  ")).toBeUndefined();
    expect(typedNumber(" lots ")).toBe("lots");
    expect(typedNumber("Infinity")).toBe("Infinity");
  });
});
