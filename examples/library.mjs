// The library from Node: run with `node examples/library.mjs` after `npm install`.
import { load } from "chipscale";

const sim = await load(); // Node reads the .wasm from disk; browsers and bundlers fetch it
const r = sim.simulate({
  model: "llama3-70b",
  training: { tokens: 15e12, seqLen: 8192, globalBatch: 1024, precision: "bf16" },
  cluster: { chip: "nvidia-h20-96gb", count: 8192 },
  parallelism: "auto",
});
if (!r.ok) throw new Error(JSON.stringify(r.errors));
const { tp, pp, dp, zero, recompute } = r.plan;
console.log({ tp, pp, dp, zero, recompute });
console.log(
  `${r.run.days.toFixed(1)} days (band ${r.uncertainty.days.map((d) => d.toFixed(1)).join("-")}), ${r.run.energyMWh.toFixed(0)} MWh, MFU ${(100 * r.throughput.mfu).toFixed(1)}%`,
);
