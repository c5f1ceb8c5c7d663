// The pool under load (issue 20): N concurrent searches on a 2-worker pool; prints the process's
// threads and RSS before, at peak (sampled every 50 ms) and after, and the wall time.
//   node bench/pool-load.mjs [--calls 200] [--workers 2]
import { readFileSync } from "node:fs";
import { createPool } from "../build/src/index.js";

const arg = (name, def) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const calls = arg("calls", 200);
const workers = arg("workers", 2);
// The probe's scenario (issue 20): llama3-8b on 64 H100, the plan searched.
const s = {
  model: "llama3-8b",
  training: { tokens: 1e12, seqLen: 4096, globalBatch: 256 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
  parallelism: "auto",
};
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]);
const rssMB = () => Math.round(process.memoryUsage().rss / 1e6);
const before = { threads: threads(), rssMB: rssMB() };
const pool = await createPool(workers);
let peak = { threads: before.threads, rssMB: before.rssMB };
const sampler = setInterval(() => {
  peak = { threads: Math.max(peak.threads, threads()), rssMB: Math.max(peak.rssMB, rssMB()) };
}, 50);
const t0 = performance.now();
const results = await Promise.all(Array.from({ length: calls }, () => pool.search(s)));
const wallS = (performance.now() - t0) / 1000;
clearInterval(sampler);
const after = { threads: threads(), rssMB: rssMB() };
pool.close();
console.log(
  JSON.stringify(
    {
      calls,
      workers,
      ok: results.filter((r) => r.ok).length,
      wallS: +wallS.toFixed(1),
      threads: { before: before.threads, peak: peak.threads, after: after.threads },
      rssMB: { before: before.rssMB, peak: peak.rssMB, after: after.rssMB },
    },
    null,
    1,
  ),
);
