// The page's pure helpers, without a browser: URL checks, unit formatting, CSV.
import { describe, expect, it } from "vitest";
import { readQuery, writeQuery, numberText, oneOf } from "../web/url-state.js";
import { energy, power, days, usd, tonnes, seconds } from "../web/format.js";
import { toCsv } from "../web/export.js";
import { countsAtOrBelow } from "../web/counts.js";

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
  it("lists the count and its largest multiples of powers of two below it", () => {
    expect(countsAtOrBelow(110_000)).toEqual([110_000, 109_984, 109_952, 109_824, 109_568, 108_544, 106_496, 98_304, 65_536]);
    expect(countsAtOrBelow(8)).toEqual([8]);
  });
});
