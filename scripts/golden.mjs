// Golden results for a behaviour-preserving refactor of the core: prints every example scenario's
// full result, the 50 best plans of an exhaustive search per example, and the validation report.
// Run before and after a change and diff the two outputs (`node scripts/golden.mjs > before.txt`);
// numbers print with JSON's shortest round-trip form, so equal text means bit-equal doubles.
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { load } from "../build/src/index.js";

const sim = await load();
const dir = new URL("../examples/", import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && !f.startsWith("serve-"))
  .sort();
for (const name of names) {
  const scenario = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
  console.log(`## ${name} simulate`);
  console.log(JSON.stringify(sim.simulate(scenario)));
  console.log(`## ${name} search`);
  const searched = sim.search({ ...scenario, parallelism: "auto" }, { top: 50, exhaustive: true });
  // elapsedMs is the search's own timing, the one field that differs between equal runs
  console.log(JSON.stringify(searched, (key, value) => (key === "elapsedMs" ? undefined : value)));
}
const validate = new URL("../bench/validate.mjs", import.meta.url).pathname;
console.log("## validate");
console.log(execFileSync("node", [validate], { encoding: "utf8" }));
console.log("## validate --fit-stacks");
console.log(execFileSync("node", [validate, "--fit-stacks"], { encoding: "utf8" }));
