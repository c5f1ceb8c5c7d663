// Work budgets: the time of searches that reach the default budget, and the plans real answers
// score (what the defaults in src/contract/budget.ts are sized by). Prints one JSON object.
//   node bench/budget.mjs
import { readFileSync } from "node:fs";
import { load } from "../build/src/index.js";
import {
  WorkBudget,
  DEFAULT_PLAN_BUDGET,
  DEFAULT_ANSWER_BUDGET,
} from "../build/src/contract/budget.js";

const sim = await load();
const example = (name) => ({
  ...JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), "utf8")),
  parallelism: "auto",
});
// The probe's search that ran 221.6 s (947,901,360 plans) before there was a budget (issue 20).
const moe = (experts, count) => ({
  model: {
    name: "x",
    layers: 100000,
    hidden: 16384,
    ffnHidden: 65536,
    heads: 128,
    kvHeads: 8,
    vocab: 128000,
    mlp: "swiglu",
    moe: { experts, active: 8, shared: 0, expertFfnHidden: 2048, denseLayers: 0 },
  },
  training: { tokens: 1e12, seqLen: 65536, globalBatch: 735134400 },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count },
  parallelism: "auto",
});

const timed = (f) => {
  const t = performance.now();
  const r = f();
  return { r, ms: Math.round(performance.now() - t) };
};
const searches = {};
for (const [name, s] of [
  ["probe MoE, 735,134,400 H100", moe(720720, 735134400)],
  ["MoE 720,720 experts, 65,536 H100", moe(720720, 65536)],
  ["deepseek-v3-h800", example("deepseek-v3-h800")],
  ["llama3-405b-h100", example("llama3-405b-h100")],
]) {
  const { r, ms } = timed(() => sim.search(s));
  searches[name] = {
    ms,
    ok: r.ok,
    evaluated: r.ok ? r.evaluated : undefined,
    stoppedEarly: r.ok ? r.stoppedEarly : r.errors[0].code,
  };
}
const answers = {};
for (const name of ["deepseek-v3-h800", "llama3-405b-h100", "gpt3-1024-a100"]) {
  const budget = new WorkBudget(1e9);
  const { r, ms } = timed(() => sim.match(example(name), { chip: "nvidia-h20-96gb" }, { budget }));
  answers[`match ${name} with nvidia-h20-96gb`] = { ms, ok: r.ok, plans: budget.spent };
}
console.log(
  JSON.stringify(
    {
      defaults: { search: DEFAULT_PLAN_BUDGET, answers: DEFAULT_ANSWER_BUDGET },
      searches,
      answers,
    },
    null,
    1,
  ),
);
