// Memory soak: wasm linear memory and JS heap over many calls (npm run soak [-- --calls N --searches M]).
import { load } from "../build/src/index.js";
import { readFileSync } from "node:fs";

const arg = (name, def) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const calls = arg("calls", 1_000_000),
  searches = arg("searches", 1000);
const sim = await load();
const sc = JSON.parse(
  readFileSync(new URL("../examples/gpt3-1024-a100.json", import.meta.url), "utf8"),
);
const gc = globalThis.gc ?? (() => {});
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};

for (let k = 0; k < 1000; k++) sim.simulate(sc); // warm up
const h0 = heap(),
  w0 = sim.wasmMemoryBytes;
let t = performance.now();
for (let k = 0; k < calls; k++) sim.simulate(sc);
const simS = (performance.now() - t) / 1000;
const h1 = heap(),
  w1 = sim.wasmMemoryBytes;
const auto = { ...sc, parallelism: "auto" };
t = performance.now();
for (let k = 0; k < searches; k++) sim.search(auto, { top: 3 });
const searchS = (performance.now() - t) / 1000;
const h2 = heap(),
  w2 = sim.wasmMemoryBytes;
console.log(
  JSON.stringify(
    {
      gcExposed: Boolean(globalThis.gc),
      simulate: {
        calls,
        seconds: +simS.toFixed(2),
        wasmBytes: [w0, w1],
        heapMB: [+h0.toFixed(2), +h1.toFixed(2)],
      },
      search: {
        calls: searches,
        seconds: +searchS.toFixed(2),
        wasmBytes: [w1, w2],
        heapMB: [+h1.toFixed(2), +h2.toFixed(2)],
      },
    },
    null,
    1,
  ),
);
