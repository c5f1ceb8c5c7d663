// Hostile scenarios for the fuzz harness (bench/fuzz.mjs) and the short fuzz in npm test.
import fc from "fast-check";

/** Values that break naive code: zeros, signs, huge, non-finite, wrong types, junk. */
export const junk = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    -1,
    -0,
    0.5,
    2 ** 31,
    2 ** 53,
    1e300,
    -1e300,
    5e-324,
    NaN,
    Infinity,
    -Infinity,
  ),
  fc.constantFrom(
    "",
    "8",
    "auto",
    "nvidia-h100-sxm5-80gb",
    "<script>alert(1)</script>",
    "__proto__",
    "x".repeat(10_000),
  ),
  fc.constantFrom(null, true, false, [], {}, [1, 2], { a: { b: { c: [null] } } }),
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.anything({ maxDepth: 3 }),
);

const base = {
  model: "llama3-8b",
  training: { tokens: 1e12, seqLen: 4096, globalBatch: 256, precision: "bf16" },
  cluster: { chip: "nvidia-h100-sxm5-80gb", count: 64 },
  parallelism: { tp: 8, pp: 1, dp: 8 },
};

const PATHS = [
  ["model"],
  ["model", "layers"],
  ["model", "hidden"],
  ["model", "heads"],
  ["model", "kvHeads"],
  ["model", "vocab"],
  ["model", "ffnHidden"],
  ["model", "moe"],
  ["model", "moe", "experts"],
  ["model", "mla"],
  ["model", "mlp"],
  ["training"],
  ["training", "tokens"],
  ["training", "seqLen"],
  ["training", "globalBatch"],
  ["training", "precision"],
  ["cluster"],
  ["cluster", "chip"],
  ["cluster", "count"],
  ["cluster", "system"],
  ["cluster", "chip", "hbmTBps"],
  ["cluster", "system", "scaleUpDomain"],
  ["parallelism"],
  ["parallelism", "tp"],
  ["parallelism", "pp"],
  ["parallelism", "dp"],
  ["parallelism", "microBatch"],
  ["parallelism", "zero"],
  ["parallelism", "recompute"],
  ["parallelism", "recomputeModules"],
  ["parallelism", "vpp"],
  ["parallelism", "ep"],
  ["parallelism", "cp"],
  ["datacenter"],
  ["datacenter", "pue"],
  ["reliability", "failuresPerChipHour"],
  ["constraints", "deadlineDays"],
  ["extra"],
  ["model", "extra"],
];

function set(obj, path, value) {
  let o = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof o[key] !== "object" || o[key] === null || Array.isArray(o[key]))
      o[key] = typeof o[key] === "string" && key === "model" ? { name: "m" } : {};
    if (key === "chip" && typeof o[key] === "object" && !o[key].id)
      o[key].id = "nvidia-h100-sxm5-80gb";
    o = o[key];
  }
  o[path[path.length - 1]] = value;
}

/** A valid base scenario with 1-4 fields replaced by junk. */
export const mutatedScenario = fc
  .array(fc.tuple(fc.constantFrom(...PATHS), junk), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const s = structuredClone(base);
    for (const [path, value] of edits) set(s, path, value);
    return s;
  });

/** Absurd but well-typed scales: giant models, tiny batches, millions of chips. */
export const extremeScenario = fc
  .record({
    layers: fc.integer({ min: 1, max: 2000 }),
    hiddenLog: fc.integer({ min: 4, max: 18 }),
    headsLog: fc.integer({ min: 0, max: 8 }),
    vocab: fc.integer({ min: 1, max: 1_000_000 }),
    tokens: fc.double({ min: 1, max: 1e18, noNaN: true }),
    seqLog: fc.integer({ min: 0, max: 20 }),
    batch: fc.integer({ min: 1, max: 1_000_000 }),
    countLog: fc.integer({ min: 0, max: 23 }),
    chip: fc.constantFrom(
      "nvidia-h100-sxm5-80gb",
      "nvidia-h20-96gb",
      "huawei-ascend-910c",
      "google-tpu-v5p",
      "nvidia-gb200-per-gpu",
      "nvidia-v100-sxm2-32gb",
    ),
    auto: fc.boolean(),
  })
  .map((v) => ({
    model: {
      name: "x",
      layers: v.layers,
      hidden: 2 ** v.hiddenLog,
      ffnHidden: 4 * 2 ** v.hiddenLog,
      heads: 2 ** Math.min(v.headsLog, v.hiddenLog),
      kvHeads: 1,
      vocab: v.vocab,
      mlp: "swiglu",
    },
    training: { tokens: v.tokens, seqLen: 2 ** v.seqLog, globalBatch: v.batch },
    cluster: { chip: v.chip, count: 2 ** v.countLog },
    parallelism: v.auto ? "auto" : { tp: 1, pp: 1, dp: 2 ** v.countLog },
  }));

/** Any JSON at all, as a pasted file might hold. */
export const anyJson = fc.jsonValue({ maxDepth: 4 });

/** The contract: a result of finite numbers, or {ok:false, errors:[{path, message}, ...]} (non-empty). */
export function violation(r) {
  if (r === null || typeof r !== "object") return `not an object: ${String(r)}`;
  if (r.ok === false) {
    if (!Array.isArray(r.errors) || r.errors.length === 0) return "ok:false without errors";
    for (const e of r.errors)
      if (typeof e.path !== "string" || typeof e.message !== "string" || e.message === "")
        return `bad error entry ${JSON.stringify(e)}`;
    return null;
  }
  if (r.ok !== true) return "ok is neither true nor false";
  const bad = [];
  const walk = (v, path) => {
    if (typeof v === "number" && !Number.isFinite(v)) bad.push(path);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(r, "");
  return bad.length ? `non-finite at ${bad.slice(0, 3).join(", ")}` : null;
}
