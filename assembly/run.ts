// Run totals: steps, wall time, power, energy, CO2, cost, and goodput under failures.
import * as L from "./layout";

@inline function get(i: StaticArray<f64>, slot: i32): f64 {
  return unchecked(i[slot]);
}

const SECONDS_PER_YEAR: f64 = 365.25 * 86400;
// A checkpoint holds bf16 weights plus fp32 master weights and Adam m, v: 2 + 12 bytes/param
// (Megatron-LM distributed checkpoint contents; Rajbhandari et al. 2020, Sec. 3).
const CHECKPOINT_BYTES_PER_PARAM: f64 = 14;

/** Facility power of `count` chips at the training load: chip draw plus host share, times PUE. */
export function facilityWatts(i: StaticArray<f64>, count: f64): f64 {
  // Average draw = max power x load factor, for the chip and its share of host, network and fans
  // (chips.md Sec. 5: E = N x TDP x server multiplier x load factor x PUE x hours).
  const load = get(i, L.K_LOAD_FACTOR);
  // Facility power = IT power x PUE (The Green Grid, White Paper 49, 2012).
  return count * (get(i, L.C_TDP_W) * load + get(i, L.S_HOST_W) * load) * get(i, L.D_PUE);
}

/** Dollars per second of `count` chips drawing `facilityW`. */
export function usdPerSecond(i: StaticArray<f64>, count: f64, facilityW: f64): f64 {
  const rate = get(i, L.D_USD_PER_CHIP_HOUR);
  // Rental: chip-hours x price. Owned: straight-line capex over the amortisation period + electricity.
  return rate > 0
    ? count * rate / 3600
    : get(i, L.C_PRICE_USD) * count / (get(i, L.D_AMORT_YEARS) * SECONDS_PER_YEAR) + facilityW / 3.6e6 * get(i, L.D_USD_PER_KWH);
}

export function runTotals(i: StaticArray<f64>, o: StaticArray<f64>, stepS: f64, params: f64): void {
  const count = get(i, L.S_COUNT);
  // steps = tokens / (global batch x sequence length); fewer tokens than one batch still run a step.
  const steps = Math.max(1, get(i, L.T_TOKENS) / (get(i, L.T_GLOBAL_BATCH) * get(i, L.T_SEQ)));
  const trainS = steps * stepS;
  const chipW = get(i, L.C_TDP_W) * get(i, L.K_LOAD_FACTOR);
  const facilityW = facilityWatts(i, count);
  const energyJ = facilityW * trainS;
  const kwh = energyJ / 3.6e6;
  const co2Kg = kwh * get(i, L.D_GCO2_PER_KWH) / 1000;
  const cost = usdPerSecond(i, count, facilityW) * trainS;

  // Goodput: cluster MTBF M = 1 / (chips x per-chip interruption rate); checkpoint write time
  // delta; Young's optimal interval tau = sqrt(2 delta M) (Young 1974, CACM 17(9), eq. 3);
  // lost fraction = delta/tau (writing) + (tau/2 + restart)/M (rework and restart per failure)
  // (Daly 2006, FGCS 22(3), Sec. 3).
  const failPerS = get(i, L.R_FAIL_PER_CHIP_HOUR) * count / 3600;
  const delta = params * CHECKPOINT_BYTES_PER_PARAM / (count * get(i, L.R_CKPT_BW));
  let goodput: f64 = 1, tau: f64 = 0, mtbf: f64 = 0;
  if (failPerS > 0) {
    mtbf = 1 / failPerS;
    tau = Math.sqrt(2 * delta * mtbf);
    const lost = (tau > 0 ? delta / tau : 0) + (tau / 2 + get(i, L.R_RESTART_S)) / mtbf;
    goodput = Math.max(0, 1 - lost);
  }

  unchecked((o[L.O_STEPS] = steps));
  unchecked((o[L.O_TRAIN_S] = trainS));
  unchecked((o[L.O_CHIP_POWER_W] = chipW));
  unchecked((o[L.O_FACILITY_POWER_W] = facilityW));
  unchecked((o[L.O_ENERGY_J] = energyJ));
  unchecked((o[L.O_CO2_KG] = co2Kg));
  unchecked((o[L.O_COST_USD] = cost));
  unchecked((o[L.O_GOODPUT] = goodput));
  unchecked((o[L.O_EFFECTIVE_S] = goodput > 0 ? trainS / goodput : -1));
  unchecked((o[L.O_CKPT_INTERVAL_S] = tau));
  unchecked((o[L.O_MTBF_S] = mtbf));
  unchecked((o[L.O_CKPT_WRITE_S] = delta));
}
