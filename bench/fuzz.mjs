// Fuzz harness: hostile scenarios, options, sweep axes and values, re-entrant callbacks and hostile
// objects through every entry point, then the worker pool under concurrent calls; prints what broke.
//   npm run fuzz -- [--count N] [--seed S] [--limit-ms MS] [--pool-calls N] [--json]
// Each case must end within --limit-ms (default 5,000; a case over it is a failure; the slowest
// case on a quiet machine takes about 1 s, so the margin absorbs a busy one). Calls without a
// budget of their own get { plans: 20,000 }, so that a million cases fit in minutes; the default
// budget is the same code with a larger number (test/reliability.test.ts runs it).
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { load, createPool } from "../build/src/index.js";
import {
  mutatedScenario,
  extremeScenario,
  anyJson,
  hostileScenario,
  extremeMoe,
  searchOptions,
  sweepOptions,
  violation,
} from "./fuzz-arbitraries.mjs";

const arg = (name, def) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const count = arg("count", 10_000);
const seed = arg("seed", 42);
const limitMs = arg("limit-ms", 5000);
const poolCalls = arg("pool-calls", 200);
const FUZZ_BUDGET = { plans: 20_000 };
const sim = await load();

const small = {
  model: "llama3-8b",
  training: { tokens: 1e12, seqLen: 4096, globalBatch: 256 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
  parallelism: { tp: 8, pp: 1, dp: 8 },
};

const failures = [];
function safeJson(v) {
  const seen = new WeakSet();
  try {
    return (
      JSON.stringify(v, (k, x) =>
        typeof x === "bigint"
          ? `${x}n`
          : typeof x === "object" && x !== null
            ? seen.has(x)
              ? "[cycle]"
              : (seen.add(x), x)
            : typeof x === "number" && !Number.isFinite(x)
              ? String(x)
              : x,
      ) ?? String(v)
    );
  } catch (e) {
    return `[unprintable: ${e.message}]`;
  }
}

let cases = 0,
  calls = 0,
  okResults = 0,
  slowest = { ms: 0, entry: "" };
function check(entry, fn, input) {
  calls++;
  const t = performance.now();
  let r;
  try {
    r = fn();
  } catch (e) {
    failures.push({ entry, input, problem: `threw ${e?.message ?? String(e)}` });
    return undefined;
  }
  const ms = performance.now() - t;
  if (ms > slowest.ms) slowest = { ms, entry, input };
  if (ms > limitMs)
    failures.push({ entry, input, problem: `took ${ms.toFixed(0)} ms > ${limitMs}` });
  const v = violation(r);
  if (v) failures.push({ entry, input, problem: v });
  else if (r.ok) okResults++;
  return r;
}

/**
 * The arbitrary's options as the library sees them: raw ones as they are, records with their
 * callback made real and a budget unless they carry one (`pool`: no callback, workers take none).
 */
function realOptions(opts, pool = false) {
  if (!opts.record) return bounded(opts.raw);
  const { callback, ...rest } = opts.record;
  const onProgress = pool
    ? undefined
    : {
        none: undefined,
        noop: () => {},
        reenter: () => void sim.simulate(small),
        throw: () => {
          throw new Error("callback");
        },
      }[callback];
  return {
    ...rest,
    ...(rest.budget === undefined ? { budget: FUZZ_BUDGET } : {}),
    ...(onProgress ? { onProgress } : {}),
  };
}
/** Options for the calls that take no callback; absent ones get the fuzz budget. */
const quiet = (opts) =>
  opts.record
    ? realOptions(opts, true)
    : opts.raw === undefined || opts.raw === null
      ? { budget: FUZZ_BUDGET }
      : bounded(opts.raw);

/**
 * A raw options object (special keys, getters, Proxies) with the fuzz budget added as one more own
 * key where it takes one, so that it still reaches the library as it is but is bounded like the rest.
 */
function bounded(raw) {
  if (raw !== null && typeof raw === "object")
    try {
      Object.defineProperty(raw, "budget", {
        value: FUZZ_BUDGET,
        enumerable: true,
        configurable: true,
      });
    } catch {
      // a Proxy that refuses: its reads fail by name before any search
    }
  return raw;
}

const t0 = performance.now();
const heap0 = process.memoryUsage().heapUsed,
  wasm0 = sim.wasmMemoryBytes;
const mix = fc.oneof(
  { weight: 5, arbitrary: mutatedScenario },
  { weight: 2, arbitrary: extremeScenario },
  { weight: 1, arbitrary: anyJson },
  { weight: 2, arbitrary: hostileScenario },
  { weight: 2, arbitrary: extremeMoe },
);
let reentered = 0;
/** The scenario with a deadline where it can take one (a hostile one goes as it is). */
function withDeadline(s) {
  try {
    return { ...(typeof s === "object" && s ? s : {}), constraints: { deadlineDays: 30 } };
  } catch {
    return s;
  }
}
fc.assert(
  fc.property(mix, searchOptions, sweepOptions, fc.nat(99), (s, opts, sweepOpts, roll) => {
    // A line on stderr every 50,000 cases: a run stopped early still says exactly what it ran.
    if (++cases % 50_000 === 0)
      console.error(
        JSON.stringify({
          cases,
          failures: failures.length,
          wallS: Math.round((performance.now() - t0) / 1000),
        }),
      );
    const o = realOptions(opts);
    check("simulate", () => sim.simulate(s, o ?? { budget: FUZZ_BUDGET }), { s, opts });
    if (roll < 10) {
      const r = check("search", () => sim.search(s, o ?? { budget: FUZZ_BUDGET }), { s, opts });
      // A search whose callback re-entered the simulator gives the answer it gives without one.
      if (r?.ok && opts.record?.callback === "reenter" && !r.stoppedEarly) {
        reentered++;
        const plain = sim.search(s, quiet(opts));
        if (!plain.ok || plain.best.step.timeS !== r.best.step.timeS)
          failures.push({
            entry: "search re-entered",
            input: { s, opts },
            problem: "answer changed",
          });
      }
    }
    if (roll >= 10 && roll < 14) check("sweep", () => sim.sweep(s, sweepOpts), { s, sweepOpts });
    if (roll === 14)
      check("feasible", () => sim.feasible(withDeadline(s), quiet(opts)), { s, opts });
    if (roll === 15)
      check("match", () => sim.match(s, { chip: "nvidia-h20-96gb" }, quiet(opts)), { s, opts });
    if (roll === 16) check("limits", () => sim.limits(s, quiet(opts)), { s, opts });
    return true;
  }),
  { numRuns: count, seed },
);
const wallS = (performance.now() - t0) / 1000;

// The pool under concurrency: `poolCalls` searches at once, hostile ones among them.
const threads = () => {
  try {
    return Number(/Threads:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]);
  } catch {
    return null;
  }
};
const pool = await createPool(2);
const before = { threads: threads(), rssMB: +(process.memoryUsage().rss / 1e6).toFixed(0) };
const samples = fc.sample(fc.tuple(mix, searchOptions), { numRuns: poolCalls, seed: seed + 1 });
const tp = performance.now();
let peakThreads = before.threads ?? 0,
  peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakThreads = Math.max(peakThreads, threads() ?? 0);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const answers = await Promise.all(
  samples.map(async ([s, opts]) => {
    try {
      return [s, await pool.search(s, quiet(opts))];
    } catch (e) {
      return [s, e];
    }
  }),
);
clearInterval(sampler);
for (const [s, r] of answers) {
  const v = r instanceof Error ? `rejected: ${r.message}` : violation(r);
  if (v) failures.push({ entry: "pool.search", input: s, problem: v });
}
const poolOut = {
  calls: poolCalls,
  workers: pool.size,
  wallS: +((performance.now() - tp) / 1000).toFixed(1),
  threads: { before: before.threads, peak: peakThreads, after: threads() },
  rssMB: { before: before.rssMB, peak: +(peakRss / 1e6).toFixed(0) },
};
pool.close();

const out = {
  cases,
  calls,
  seed,
  wallS: Number(wallS.toFixed(1)),
  casesPerS: Math.round(cases / wallS),
  okShare: Number((okResults / calls).toFixed(3)),
  reenteredSearchesCompared: reentered,
  failures: failures.length,
  examples: failures.slice(0, 5).map((f) => ({ ...f, input: safeJson(f.input).slice(0, 300) })),
  limitMs,
  slowestMs: Number(slowest.ms.toFixed(1)),
  slowestEntry: slowest.entry,
  slowestInput: safeJson(slowest.input).slice(0, 300),
  pool: poolOut,
  wasmMemoryBytes: { before: wasm0, after: sim.wasmMemoryBytes },
  heapUsedMB: {
    before: +(heap0 / 1e6).toFixed(1),
    after: +(process.memoryUsage().heapUsed / 1e6).toFixed(1),
  },
};
console.log(JSON.stringify(out, null, process.argv.includes("--json") ? 0 : 1));
process.exitCode = failures.length ? 1 : 0;
