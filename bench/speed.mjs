// Speed benchmark over the built package. Prints a table (or one JSON object with --json).
//   npm run bench [-- --json]
import { load, createPool } from "../build/src/index.js";
import { readFileSync } from "node:fs";

const json = process.argv.includes("--json");
const sim = await load();
const example = (f) =>
  JSON.parse(readFileSync(new URL(`../examples/${f}`, import.meta.url), "utf8"));

function time(fn, minMs = 1000) {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let k = 0; k < 100; k++) fn();
    n += 100;
    t = performance.now();
  }
  return { calls: n, seconds: (t - t0) / 1000 };
}

const gpt3 = example("gpt3-1024-a100.json");
const simulate = time(() => sim.simulate(gpt3));
// The wasm step model alone, on the input the last simulate() left in its buffer (the facade's
// `core` is private in TypeScript only; a search calls exactly this once per plan).
const core = time(() => sim.core.run());

const searches = [
  [
    "GPT-3 175B on 1024 H100",
    {
      model: "gpt3-175b",
      training: { tokens: 300e9, seqLen: 2048, globalBatch: 1536 },
      cluster: { chip: "nvidia-h100-sxm5-80gb", count: 1024 },
    },
  ],
  ["Llama 3 405B on 16384 H100", example("llama3-405b-h100.json")],
  [
    "DeepSeek-V3 on 2048 H800",
    {
      model: "deepseek-v3",
      training: { tokens: 14.8e12, seqLen: 4096, globalBatch: 15360 },
      cluster: { chip: "nvidia-h800-sxm5-80gb", count: 2048 },
    },
  ],
  [
    "1T dense on 100000 H20",
    {
      model: "1t-dense",
      training: { tokens: 20e12, seqLen: 4096, globalBatch: 10000 },
      cluster: { chip: "nvidia-h20-96gb", count: 100000 },
    },
  ],
].map(([name, sc]) => {
  const t0 = performance.now();
  const r = sim.search({ ...sc, parallelism: "auto" });
  const wallS = (performance.now() - t0) / 1000;
  return r.ok
    ? {
        name,
        candidates: r.candidates,
        evaluated: r.evaluated,
        rejectedOOM: r.rejectedOOM,
        wallS,
        evalsPerS: r.evaluated / wallS,
        days: r.best.run.days,
        plan: r.best.plan,
      }
    : { name, error: r.errors[0].message, wallS };
});

// Match: both chips' envelopes over their grids of usable counts (one plan search per count and
// batch), the issue's two examples under each batch policy. The Match tab runs exactly this.
const matches = [
  ["4,608 GB200 vs Ascend 910C", "llama3-405b-gb200.json", "huawei-ascend-910c"],
  ["16,384 H100 vs H20", "llama3-405b-h100.json", "nvidia-h20-96gb"],
].flatMap(([name, file, chip]) =>
  ["keep", "grow", "round"].map((mode) => {
    const t0 = performance.now();
    const m = sim.match(example(file), { chip }, { batch: { mode } });
    const wallS = (performance.now() - t0) / 1000;
    return m.ok
      ? {
          name: `${name}, ${mode}`,
          wallS,
          counts: m.envelopes.target.counts.length + m.envelopes.reference.counts.length,
          ratio: m.ratios.time?.chipRatio ?? null,
        }
      : { name: `${name}, ${mode}`, wallS, error: m.errors[0].message };
  }),
);

// The pool over all cores against one thread, on the largest search.
const pool = await createPool();
const big = {
  model: "deepseek-v3",
  training: { tokens: 14.8e12, seqLen: 4096, globalBatch: 15360 },
  cluster: { chip: "nvidia-h800-sxm5-80gb", count: 2048 },
  parallelism: "auto",
};
await pool.search({ ...big, cluster: { ...big.cluster, count: 16 } }); // start the workers
let t0 = performance.now();
sim.search(big);
const oneS = (performance.now() - t0) / 1000;
t0 = performance.now();
await pool.search(big);
const poolS = (performance.now() - t0) / 1000;
pool.close();

const out = {
  node: process.version,
  pool: { workers: pool.size, oneThreadS: oneS, poolS, speedup: oneS / poolS },
  simulatePerS: simulate.calls / simulate.seconds,
  simulateUs: (1e6 * simulate.seconds) / simulate.calls,
  coreEvalsPerS: core.calls / core.seconds,
  coreEvalUs: (1e6 * core.seconds) / core.calls,
  searches,
  matches,
};
if (json) console.log(JSON.stringify(out, null, 1));
else {
  console.log(
    `one evaluation of the wasm core: ${out.coreEvalUs.toFixed(3)} us (${Math.round(out.coreEvalsPerS).toLocaleString("en-US")}/s, one core)`,
  );
  console.log(
    `simulate() through the public API (validation, 3 evaluations for the band, decode): ${out.simulateUs.toFixed(2)} us/call (${Math.round(out.simulatePerS).toLocaleString("en-US")}/s, one core)`,
  );
  console.log(
    `pool of ${out.pool.workers} workers on DeepSeek-V3 / 2048 H800: ${out.pool.poolS.toFixed(3)} s vs ${out.pool.oneThreadS.toFixed(3)} s on one thread (x${out.pool.speedup.toFixed(2)})`,
  );
  console.log(
    "\nsearch                          candidates  evaluated  OOM      wall s   evals/s    best days",
  );
  for (const s of searches) {
    if (s.error) {
      console.log(`${s.name.padEnd(32)}${s.error}`);
      continue;
    }
    console.log(
      `${s.name.padEnd(32)}${String(s.candidates).padStart(10)} ${String(s.evaluated).padStart(10)} ${String(s.rejectedOOM).padStart(6)} ${s.wallS.toFixed(3).padStart(10)} ${Math.round(s.evalsPerS).toLocaleString("en-US").padStart(9)} ${s.days.toFixed(1).padStart(11)}`,
    );
  }
  console.log("\nmatch (both envelopes)                 counts    wall s   ratio at equal time");
  for (const m of matches)
    console.log(
      `${m.name.padEnd(38)}${m.error ? ` ${m.error}` : `${String(m.counts).padStart(7)} ${m.wallS.toFixed(3).padStart(9)}   ${m.ratio === null ? "cannot match" : m.ratio.toFixed(2)}`}`,
    );
}
