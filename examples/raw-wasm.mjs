// The wasm core with nothing but the WebAssembly API: no facade, no bundler, no catalog.
// Run with `node examples/raw-wasm.mjs` after a build. ABI.md documents every slot written here;
// a runtime other than JavaScript does the same: instantiate, write f64 slots, call, read.
import { readFile } from "node:fs/promises";
import * as L from "chipscale/layout"; // slot indices (ABI.md lists them too)

// GPT-3 175B on 1,024 A100 (examples/gpt3-1024-a100.json), every figure in the catalog's units.
const figures = {
  model: { layers: 96, hidden: 12288, ffnHidden: 49152, heads: 96, kvHeads: 96, headDim: 128 },
  vocab: 51200,
  training: { tokens: 300e9, seqLen: 2048, globalBatch: 1536 },
  chip: { bf16Tflops: 312, hbmGB: 80, hbmTBps: 2.039, tdpW: 400, priceUSD: 15000 },
  system: {
    scaleUpDomain: 8,
    scaleUpGBps: 600, // bidirectional, as vendors quote it
    scaleOutGbps: 200, // one 200 Gbit/s NIC per GPU
    scaleUpLatencyUs: 2,
    scaleOutLatencyUs: 5,
    oversubscription: 1,
    hostWPerChip: 412.5,
  },
  count: 1024,
  plan: { tp: 8, pp: 8, dp: 16, microBatch: 1 },
  datacenter: { pue: 1.25, gridGCO2PerKWh: 367, usdPerKWh: 0.08, amortizationYears: 4 },
  reliability: { failuresPerChipHour: 2e-5, checkpointGBpsPerChip: 0.122, restartMinutes: 10 },
  calibration: {
    matmulEfficiency: 0.73,
    matmulHalfDim: 24,
    attentionEfficiency: 1,
    memoryEfficiency: 0.8,
    scaleUpEfficiency: 0.8,
    scaleOutEfficiency: 0.8,
    tpOverlap: 0,
    loadFactor: 0.75,
    reservedGB: 2,
    fp8Efficiency: 0.92,
    stepOverheadS: 0,
    commSmShare: 20 / 132,
    stragglerCv: 0.015,
  },
};

async function run(f = figures) {
  const bytes = await readFile(new URL("../build/chipscale.wasm", import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, {}); // the release build imports nothing
  const core = instance.exports;
  if (core.abiVersion() !== L.ABI_VERSION) throw new Error(`ABI ${core.abiVersion()}`);
  const i = new Float64Array(core.memory.buffer, core.inputPtr(), L.IN_SIZE);
  i.fill(0); // slots left 0: no MoE, no MLA, no FP8, no recompute modules
  const k = f.calibration;
  const slots = {
    [L.M_LAYERS]: f.model.layers,
    [L.M_HIDDEN]: f.model.hidden,
    [L.M_FFN]: f.model.ffnHidden,
    [L.M_HEADS]: f.model.heads,
    [L.M_KV_HEADS]: f.model.kvHeads,
    [L.M_HEAD_DIM]: f.model.headDim,
    [L.M_VOCAB]: f.vocab,
    [L.M_GATED]: 0, // GELU MLP
    [L.M_TIED]: 1, // GPT-3 ties its embeddings
    [L.T_TOKENS]: f.training.tokens,
    [L.T_SEQ]: f.training.seqLen,
    [L.T_GLOBAL_BATCH]: f.training.globalBatch,
    [L.T_MOE_IMBALANCE]: 1,
    [L.P_GRAD_BYTES]: 4, // bf16 training reduces fp32 gradients
    [L.C_PEAK_BF16]: f.chip.bf16Tflops * 1e12,
    [L.C_HBM_BYTES]: f.chip.hbmGB * 1e9,
    [L.C_HBM_BW]: f.chip.hbmTBps * 1e12,
    [L.C_TDP_W]: f.chip.tdpW,
    [L.C_PRICE_USD]: f.chip.priceUSD,
    [L.N_DOMAIN]: f.system.scaleUpDomain,
    [L.N_UP_BW]: (f.system.scaleUpGBps / 2) * 1e9, // per direction
    [L.N_UP_LAT]: f.system.scaleUpLatencyUs * 1e-6,
    [L.N_OUT_BW]: (f.system.scaleOutGbps / 8) * 1e9, // bits to bytes
    [L.N_OUT_LAT]: f.system.scaleOutLatencyUs * 1e-6,
    [L.N_OVERSUB]: f.system.oversubscription,
    [L.S_HOST_W]: f.system.hostWPerChip,
    [L.S_COUNT]: f.count,
    [L.P_TP]: f.plan.tp,
    [L.P_PP]: f.plan.pp,
    [L.P_DP]: f.plan.dp,
    [L.P_CP]: 1,
    [L.P_EP]: 1,
    [L.P_ETP]: f.plan.tp,
    [L.P_VPP]: 1,
    [L.P_MICRO_BATCH]: f.plan.microBatch,
    [L.P_RECOMPUTE]: 2, // full (0 none, 1 selective)
    [L.P_DP_OVERLAP]: 1,
    [L.D_PUE]: f.datacenter.pue,
    [L.D_GCO2_PER_KWH]: f.datacenter.gridGCO2PerKWh,
    [L.D_USD_PER_KWH]: f.datacenter.usdPerKWh,
    [L.D_AMORT_YEARS]: f.datacenter.amortizationYears,
    [L.R_FAIL_PER_CHIP_HOUR]: f.reliability.failuresPerChipHour,
    [L.R_CKPT_BW]: f.reliability.checkpointGBpsPerChip * 1e9,
    [L.R_RESTART_S]: f.reliability.restartMinutes * 60,
    [L.K_MATMUL_EFF]: k.matmulEfficiency,
    [L.K_MATMUL_HALF_DIM]: k.matmulHalfDim,
    [L.K_ATTN_EFF]: k.attentionEfficiency,
    [L.K_MEM_EFF]: k.memoryEfficiency,
    [L.K_UP_EFF]: k.scaleUpEfficiency,
    [L.K_OUT_EFF]: k.scaleOutEfficiency,
    [L.K_TP_OVERLAP]: k.tpOverlap,
    [L.K_LOAD_FACTOR]: k.loadFactor,
    [L.K_RESERVED_BYTES]: k.reservedGB * 1e9,
    [L.K_FP8_EFF]: k.fp8Efficiency,
    [L.K_STEP_OVERHEAD_S]: k.stepOverheadS,
    [L.K_COMM_SM_SHARE]: k.commSmShare,
    [L.K_STRAGGLER_CV]: k.stragglerCv,
  };
  for (const [slot, value] of Object.entries(slots)) i[Number(slot)] = value;
  core.simulate();
  const o = new Float64Array(core.memory.buffer, core.outputPtr(), L.OUT_SIZE);
  if (o[L.O_STATUS] !== L.ERR_NONE) throw new Error(`core status ${o[L.O_STATUS]} (ABI.md)`);
  return {
    stepS: o[L.O_STEP_S],
    days: o[L.O_TRAIN_S] / 86400,
    memoryGB: o[L.O_MEM_TOTAL] / 1e9,
    mfu: o[L.O_MFU],
    powerMW: o[L.O_FACILITY_POWER_W] / 1e6,
    energyMWh: o[L.O_ENERGY_J] / 3.6e9,
  };
}

// --json prints the figures beside the answer (test/abi.test.ts holds it to the facade's).
const result = await run();
console.log(process.argv.includes("--json") ? JSON.stringify({ figures, result }) : result);
