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

/** Special keys that reach Object.prototype when code looks them up with `in` or `[]`. */
export const specialKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
);

/** Objects that fight back: getters and Proxy traps that throw, BigInt, Symbol, special keys. */
export const hostileValue = fc.oneof(
  fc
    .constantFrom(
      "getter",
      "proxy-keys",
      "proxy-get",
      "proxy-proto",
      "bigint",
      "symbol",
      "symbol-key",
      "function",
    )
    .map((kind) => hostile(kind)),
  fc.tuple(specialKey, junk).map(([k, v]) => {
    const o = {};
    Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
    return o;
  }),
);

function hostile(kind) {
  const boom = () => {
    throw new Error("hostile");
  };
  switch (kind) {
    case "getter":
      return Object.defineProperty({}, "layers", { get: boom, enumerable: true });
    case "proxy-keys":
      return new Proxy({}, { ownKeys: boom });
    case "proxy-get":
      return new Proxy({ a: 1, tokens: 1 }, { get: boom });
    case "proxy-proto":
      return new Proxy({}, { getPrototypeOf: boom });
    case "bigint":
      return 8n;
    case "symbol":
      return Symbol("s");
    case "symbol-key":
      return { [Symbol("k")]: 1, tp: 1 };
    default:
      return () => 1;
  }
}

/** A valid base scenario with 1-3 fields replaced by hostile values (the whole scenario may be one too). */
export const hostileScenario = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...PATHS), hostileValue), { minLength: 1, maxLength: 3 })
      .map((edits) => {
        const s = structuredClone(base);
        for (const [path, value] of edits) {
          try {
            set(s, path, value);
          } catch {
            // a hostile value placed earlier refuses the write (a getter, a Proxy): it stays as it is
          }
        }
        return s;
      }),
  },
  { weight: 1, arbitrary: hostileValue },
  {
    weight: 1,
    arbitrary: fc.constant(null).map(() => {
      let n = 0;
      // Answers differently on each read: only a snapshot taken once gives one answer.
      return {
        ...structuredClone(base),
        get training() {
          return n++ === 0 ? base.training : { tokens: -1 };
        },
      };
    }),
  },
);

/** MoE at the extremes: experts up to 720,720 (many divisors), huge batches and counts, long sequences. */
export const extremeMoe = fc
  .record({
    layers: fc.constantFrom(1, 2, 61, 1000, 100000),
    hidden: fc.constantFrom(64, 1024, 7168, 16384),
    experts: fc.constantFrom(1, 2, 8, 64, 256, 5040, 720720),
    active: fc.integer({ min: 1, max: 16 }),
    shared: fc.integer({ min: 0, max: 2 }),
    seqLog: fc.integer({ min: 0, max: 17 }),
    batch: fc.constantFrom(1, 7, 256, 5040, 735134400),
    count: fc.constantFrom(1, 8, 5040, 65536, 735134400),
    auto: fc.boolean(),
  })
  .map((v) => ({
    model: {
      name: "moe",
      layers: v.layers,
      hidden: v.hidden,
      ffnHidden: 4 * v.hidden,
      heads: Math.max(1, v.hidden / 128),
      kvHeads: Math.max(1, v.hidden / 1024),
      vocab: 32000,
      mlp: "swiglu",
      moe: {
        experts: v.experts,
        active: Math.min(v.active, v.experts),
        shared: v.shared,
        expertFfnHidden: v.hidden,
        denseLayers: 0,
      },
    },
    training: { tokens: 1e12, seqLen: 2 ** v.seqLog, globalBatch: v.batch },
    cluster: { chip: "nvidia-h100-sxm5-80gb", count: v.count },
    parallelism: v.auto ? "auto" : { tp: 1, pp: 1, dp: v.count, ep: 1 },
  }));

/**
 * Options for search-like calls. `callback` is a name the harness turns into a function (it needs
 * the simulator): none, a no-op, one that re-enters the simulator, one that throws.
 */
export const searchOptions = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 7, "x", []).map((raw) => ({ raw })) },
  { weight: 1, arbitrary: hostileValue.map((raw) => ({ raw })) },
  {
    weight: 6,
    arbitrary: fc
      .record(
        {
          top: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 20 }) }, junk),
          exhaustive: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, junk),
          // Every budget is bounded or named: small plan counts, short times, junk in each field
          // (junk numbers that are valid stay small: 1, 2, 2^31 is refused), or junk for the whole.
          budget: fc.oneof(
            fc.record({ plans: fc.integer({ min: 1, max: 5000 }) }),
            fc.record({ ms: fc.double({ min: 1, max: 200, noNaN: true }) }),
            fc.record({ plans: junk }),
            fc.record({ ms: junk }),
            fc.constantFrom(null, 0, "x", [], true),
          ),
          calibration: fc.oneof(
            {
              weight: 4,
              arbitrary: fc.record(
                {
                  matmulEfficiency: fc.double({ min: 0, max: 1.5, noNaN: true }),
                  matmulHalfDim: fc.oneof(
                    fc.double({ min: 0, max: 70000, noNaN: true }),
                    fc.constant(1e9),
                  ),
                  loadFactor: fc.oneof(
                    fc.double({ min: 0, max: 1, noNaN: true }),
                    fc.constant(5e-324),
                  ),
                  memoryEfficiency: fc.double({ min: 0.005, max: 1, noNaN: true }),
                },
                { requiredKeys: [] },
              ),
            },
            junk,
          ),
          callback: fc.constantFrom("none", "noop", "reenter", "throw"),
        },
        { requiredKeys: [] },
      )
      .map((record) => ({ record })),
  },
);

/** Sweep options: known and special axes, values with NaN, Infinity, BigInt, objects and strings. */
export const sweepOptions = fc.record({
  axis: fc.oneof(
    fc.constantFrom("count", "tokens", "chip", "precision", "tdpW", "pue"),
    specialKey,
    junk,
  ),
  values: fc.oneof(
    fc.array(
      fc.oneof(fc.constantFrom(8, 64, 1e12, "bf16", "nvidia-h20-96gb", NaN, Infinity, 8n), junk),
      { minLength: 0, maxLength: 4 },
    ),
    junk,
  ),
  by: fc.option(
    fc.record({
      axis: fc.oneof(fc.constantFrom("chip", "count"), specialKey),
      values: fc.array(fc.constantFrom(8, 16, "nvidia-h100-sxm5-80gb", 8n), { maxLength: 3 }),
    }),
    { nil: undefined },
  ),
  budget: fc.constant({ plans: 20000 }),
});

const near = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Physical sense of one simulation result: "" when it holds, else what broke. */
function physical(r, path) {
  const { run, step, throughput, uncertainty } = r;
  if (!(run.steps >= 1)) return `${path}.run.steps ${run.steps} < 1 (a run is at least one step)`;
  if (!near(run.days * 86400, run.steps * step.timeS)) return `${path}.run.days != steps x step`;
  if (!(run.powerMW > 0))
    return `${path}.run.powerMW ${run.powerMW} (a chip with a TDP draws power)`;
  if (!(run.energyMWh > 0)) return `${path}.run.energyMWh ${run.energyMWh}`;
  const [lo, hi] = uncertainty.days;
  if (!(lo <= run.days * (1 + 1e-12) && hi >= run.days * (1 - 1e-12)))
    return `${path}: days ${run.days} outside its band [${lo}, ${hi}]`;
  // step >= compute / peak: no plan beats the chips' peak.
  if (!(throughput.mfu <= 1 + 1e-9 && throughput.hfu <= 1 + 1e-9))
    return `${path}: mfu ${throughput.mfu} / hfu ${throughput.hfu} above 1 (step shorter than FLOPs / peak)`;
  for (const k of [
    "timeS",
    "computeS",
    "bubbleS",
    "exposedCommS",
    "matmulS",
    "memoryBoundS",
    "optimizerS",
  ])
    if (!(step[k] >= 0)) return `${path}.step.${k} = ${step[k]} is negative`;
  if (!(step.timeS > 0)) return `${path}.step.timeS is not positive`;
  return "";
}

/**
 * The contract: a result of finite numbers that makes physical sense and serialises to JSON, or
 * {ok:false, errors:[{path, code, data, message}, ...]} (non-empty).
 */
export function violation(r) {
  if (r === null || typeof r !== "object") return `not an object: ${String(r)}`;
  try {
    JSON.stringify(r);
  } catch (e) {
    return `not serialisable: ${e.message}`;
  }
  if (r.ok === false) {
    if (!Array.isArray(r.errors) || r.errors.length === 0) return "ok:false without errors";
    for (const e of r.errors)
      if (
        typeof e.path !== "string" ||
        typeof e.message !== "string" ||
        e.message === "" ||
        typeof e.code !== "string" ||
        e.code === "" ||
        e.data === null ||
        typeof e.data !== "object"
      )
        return `bad error entry ${JSON.stringify(e)}`;
    return null;
  }
  if (r.ok !== true) return "ok is neither true nor false";
  const bad = [];
  const walk = (v, path) => {
    if (typeof v === "number" && !Number.isFinite(v)) bad.push(`non-finite at ${path}`);
    else if (v && typeof v === "object") {
      if (v.run && v.step && v.uncertainty && typeof v.run.steps === "number") {
        const p = physical(v, path || "result");
        if (p) bad.push(p);
      }
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    }
  };
  walk(r, "");
  return bad.length ? bad.slice(0, 3).join("; ") : null;
}
