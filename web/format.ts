// Number formatting for display only: every value comes from the library; this picks units.

const sig3 = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const spec2 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const exactFmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });
const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", {
  notation: "compact",
  maximumSignificantDigits: 3,
});

export const sig = (x: number) => sig3.format(x);
/** A catalog figure as published, grouped: "1,307.4", never rounded to "1,310". */
export const exact = (x: number) => exactFmt.format(x);
/** A library error or warning as one line: "path: message" (the message is the library's, for people). */
export const factLine = (f: { path: string; message: string }) =>
  f.path ? `${f.path}: ${f.message}` : f.message;
export const integer = (x: number) => int.format(x);
/** "1 chip", "2,048 chips". */
export const chips = (n: number) => `${integer(n)} chip${n === 1 ? "" : "s"}`;
export const compactNum = (x: number) => compact.format(x);
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const spec = (x: number | null, unit: string) =>
  x === null ? "unknown" : `${spec2.format(x)} ${unit}`;

/** Picks the SI prefix that keeps the mantissa in [1, 1000): 1.2 GWh, 23 MW, 450 kW. */
function scaled(x: number, baseExp: number, unit: string): string {
  const prefixes: [number, string][] = [
    [12, "T"],
    [9, "G"],
    [6, "M"],
    [3, "k"],
    [0, ""],
  ];
  const e = x === 0 ? 0 : Math.log10(Math.abs(x)) + baseExp;
  for (const [p, name] of prefixes)
    if (e >= p) return `${sig(x * 10 ** (baseExp - p))} ${name}${unit}`;
  return `${sig(x * 10 ** baseExp)} ${unit}`;
}
export const energy = (mwh: number) => scaled(mwh, 6, "Wh");
export const power = (mw: number) => scaled(mw, 6, "W");
/** The unit `days` uses for a span like `d`: years from two years up, hours and minutes below a day (never "0.00275 d"). */
function dayUnit(d: number): [number, string] {
  if (d >= 730) return [365.25, "years"];
  if (d >= 1) return [1, "d"];
  if (d * 24 >= 1) return [1 / 24, "h"];
  return [1 / 1440, "min"];
}
export const days = (d: number) => {
  const [per, unit] = dayUnit(d);
  return `${sig(d / per)} ${unit}`;
};
/** A low–high range of days in the unit `days` picks for `like` (the value it brackets): never "4,760–5,730 d" beside "14.1 years". */
export const daysRange = ([lo, hi]: readonly number[], like: number) => {
  const [per, unit] = dayUnit(like);
  return `${sig(lo / per)}–${sig(hi / per)} ${unit}`;
};
/** A low–high range of energy with the SI prefix `energy` picks for `like`: "3.9–4.6 GWh". */
export function energyRange([lo, hi]: readonly number[], like: number): string {
  const unit = energy(like).replace(/^[\d.,]+ /, ""); // "GWh"
  const scale = 10 ** (6 - ["Wh", "kWh", "MWh", "GWh", "TWh"].indexOf(unit) * 3);
  return `${sig(lo * scale)}–${sig(hi * scale)} ${unit}`;
}
export const tonnes = (t: number) =>
  t >= 1e6 ? `${sig(t / 1e6)} Mt` : t >= 1e3 ? `${sig(t / 1e3)} kt` : `${sig(t)} t`;

export function usd(x: number): string {
  if (x >= 1e9) return `$${sig(x / 1e9)} B`;
  if (x >= 1e6) return `$${sig(x / 1e6)} M`;
  if (x >= 1e3) return `$${sig(x / 1e3)} k`;
  return `$${sig(x)}`;
}

export function seconds(s: number): string {
  if (s === 0) return "0 s";
  if (s >= 1) return `${sig(s)} s`;
  if (s >= 1e-3) return `${sig(s * 1e3)} ms`;
  return `${sig(s * 1e6)} µs`;
}

const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(Math.round(100 * x))}%`;

/** What backs an answer (the library's Backing): its stack's published runs, or uncalibrated and the widest band. */
export function backingWords(b: {
  stack: string;
  calibrated: boolean;
  records: number;
  errorRange: [number, number];
}): string {
  const range = `${signed(b.errorRange[0])} to ${signed(b.errorRange[1])}`;
  return b.calibrated
    ? `${b.stack}: ${b.records} published ${b.records === 1 ? "run" : "runs"} on this chip, error ${range}`
    : `${b.stack}: uncalibrated, no published run on this chip, so the widest band (${range})`;
}
