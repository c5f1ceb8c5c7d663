// The public simulator: validate, encode, run the core, decode.
import { instantiateCore, type Core, type WasmSource } from "./core.js";
import { resolve, type FullPlan, type Resolved, type Scenario } from "./scenario.js";
import { encode, decode, defaultCalibration, statusIssue, allFinite, type Calibration, type Failure, type SimulateResult } from "./wire.js";
import { candidatePlans } from "./search.js";
import * as L from "../assembly/layout.js";

export interface SimulateOptions {
  /** Replace calibration constants (fitting, sensitivity, uncertainty bands). */
  calibration?: Partial<Calibration>;
}

export interface SearchOptions extends SimulateOptions {
  /** How many of the best plans to return. Default 5. */
  top?: number;
}

export interface RankedPlan {
  plan: FullPlan;
  stepS: number;
  memoryGB: number;
  fits: boolean;
  mfu: number;
}

export interface SearchResult {
  ok: true;
  best: SimulateResult;
  top: RankedPlan[];
  candidates: number;
  evaluated: number;
  rejectedOOM: number;
  elapsedMs: number;
}

export class Simulator {
  constructor(private readonly core: Core) {}

  /** Bytes of the core's linear memory; constant across calls. */
  get wasmMemoryBytes(): number {
    return this.core.memoryBytes;
  }

  simulate(scenario: Scenario | unknown, options: SimulateOptions = {}): SimulateResult | Failure {
    const r = resolve(scenario);
    if (!r.ok) return { ok: false, errors: r.errors, warnings: r.warnings };
    const cal = { ...defaultCalibration(), ...options.calibration };
    if (r.value.plan === "auto") {
      const s = this.searchResolved(r.value, cal, 1);
      return s.ok ? s.best : s;
    }
    return this.evaluate(r.value, r.value.plan, cal);
  }

  search(scenario: Scenario | unknown, options: SearchOptions = {}): SearchResult | Failure {
    const r = resolve(scenario);
    if (!r.ok) return { ok: false, errors: r.errors, warnings: r.warnings };
    const cal = { ...defaultCalibration(), ...options.calibration };
    return this.searchResolved(r.value, cal, options.top ?? 5);
  }

  private evaluate(r: Resolved, plan: FullPlan, cal: Calibration): SimulateResult | Failure {
    encode(r, plan, cal, this.core.input);
    const out = this.core.run();
    const status = out[L.O_STATUS];
    if (status !== L.ERR_NONE) return { ok: false, errors: [statusIssue(status)], warnings: r.warnings };
    const result = decode(out, r, plan);
    if (!allFinite(result))
      return { ok: false, errors: [{ path: "", message: "the scenario overflows the model's arithmetic (a value is too large); reduce it" }], warnings: r.warnings };
    return result;
  }

  private searchResolved(r: Resolved, cal: Calibration, top: number): SearchResult | Failure {
    const t0 = performance.now();
    const ranked: RankedPlan[] = [];
    let candidates = 0, oom = 0;
    const input = this.core.input;
    for (const plan of candidatePlans(r)) {
      candidates++;
      encode(r, plan, cal, input);
      const o = this.core.run();
      if (o[L.O_STATUS] !== L.ERR_NONE || !Number.isFinite(o[L.O_STEP_S])) continue;
      const fits = o[L.O_FITS] > 0;
      if (!fits) oom++;
      ranked.push({ plan, stepS: o[L.O_STEP_S], memoryGB: o[L.O_MEM_TOTAL] / 1e9, fits, mfu: o[L.O_MFU] });
    }
    // Fastest first; among equal times the simpler plan (lower ZeRO stage, then less memory).
    const fitting = ranked.filter((p) => p.fits).sort((a, b) =>
      Math.abs(a.stepS - b.stepS) > 1e-9 * a.stepS ? a.stepS - b.stepS : a.plan.zero - b.plan.zero || a.memoryGB - b.memoryGB);
    if (fitting.length === 0) {
      return {
        ok: false,
        errors: [{
          path: "parallelism",
          message: candidates === 0
            ? "no plan divides this model, batch and chip count (check cluster.count and training.globalBatch)"
            : `none of ${candidates} plans fits in ${r.chip.hbmGB} GB per chip; add chips or pick a chip with more memory`,
        }],
        warnings: r.warnings,
      };
    }
    const best = this.evaluate(r, fitting[0].plan, cal);
    if (!best.ok) return best;
    return {
      ok: true,
      best,
      top: fitting.slice(0, top),
      candidates,
      evaluated: ranked.length,
      rejectedOOM: oom,
      elapsedMs: performance.now() - t0,
    };
  }
}

/** Loads the wasm core (Node: from disk; browsers and bundlers: fetched next to this module). */
export async function load(options: { wasm?: WasmSource } = {}): Promise<Simulator> {
  return new Simulator(await instantiateCore(options.wasm));
}
