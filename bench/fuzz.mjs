// Fuzz harness: hostile scenarios through every entry point; prints what broke.
//   npm run fuzz -- [--count N] [--seed S] [--json]
import fc from "fast-check";
import { load } from "../build/src/index.js";
import { mutatedScenario, extremeScenario, anyJson, violation } from "./fuzz-arbitraries.mjs";

const arg = (name, def) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const count = arg("count", 10_000);
const seed = arg("seed", 42);
const sim = await load();

const failures = [];
function safeJson(v) {
  const seen = new WeakSet();
  return (
    JSON.stringify(v, (k, x) =>
      typeof x === "object" && x !== null
        ? seen.has(x)
          ? "[cycle]"
          : (seen.add(x), x)
        : typeof x === "number" && !Number.isFinite(x)
          ? String(x)
          : x,
    ) ?? String(v)
  );
}
function check(entry, fn, input) {
  let r;
  try {
    r = fn(input);
  } catch (e) {
    failures.push({ entry, input, problem: `threw ${e?.message ?? e}` });
    return;
  }
  const v = violation(r);
  if (v) failures.push({ entry, input, problem: v });
}

const t0 = performance.now();
const heap0 = process.memoryUsage().heapUsed,
  wasm0 = sim.wasmMemoryBytes;
const mix = fc.oneof(
  { weight: 6, arbitrary: mutatedScenario },
  { weight: 3, arbitrary: extremeScenario },
  { weight: 1, arbitrary: anyJson },
);
let cases = 0,
  slowest = { ms: 0, entry: "" };
const timed = (entry, fn, input) => {
  const t = performance.now();
  check(entry, fn, input);
  const ms = performance.now() - t;
  if (ms > slowest.ms) slowest = { ms, entry, input };
};
fc.assert(
  fc.property(mix, fc.nat(99), (s, roll) => {
    cases++;
    timed("simulate", (x) => sim.simulate(x), s);
    if (roll < 10) timed("search", (x) => sim.search(x, { top: 3 }), s);
    if (roll === 10) timed("sweep", (x) => sim.sweep(x, { axis: "count", values: [8, 64] }), s);
    if (roll === 11)
      timed(
        "feasible",
        (x) =>
          sim.feasible({
            ...(typeof x === "object" && x ? x : {}),
            constraints: { deadlineDays: 30 },
          }),
        s,
      );
    if (roll === 12) timed("match", (x) => sim.match(x, { chip: "nvidia-h20-96gb" }), s);
    return true;
  }),
  { numRuns: count, seed },
);
const wallS = (performance.now() - t0) / 1000;
const out = {
  cases,
  seed,
  wallS: Number(wallS.toFixed(1)),
  failures: failures.length,
  examples: failures.slice(0, 5).map((f) => ({ ...f, input: safeJson(f.input).slice(0, 300) })),
  slowestMs: Number(slowest.ms.toFixed(1)),
  slowestEntry: slowest.entry,
  wasmMemoryBytes: { before: wasm0, after: sim.wasmMemoryBytes },
  heapUsedMB: {
    before: +(heap0 / 1e6).toFixed(1),
    after: +(process.memoryUsage().heapUsed / 1e6).toFixed(1),
  },
};
console.log(JSON.stringify(out, null, process.argv.includes("--json") ? 0 : 1));
process.exitCode = failures.length ? 1 : 0;
