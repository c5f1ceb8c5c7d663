// The only place the UI reaches the library: the page calls this worker through comlink,
// the worker calls chipscale (which owns the wasm). Keeps the page responsive during searches.
import { expose } from "comlink";
import { load, chips, models, type Simulator, type SimulateResult, type Failure } from "chipscale";

export interface ChipOption {
  id: string;
  vendor: string;
  name: string;
  bf16Tflops: number | null;
  fp8Tflops: number | null;
  hbmGB: number | null;
  hbmTBps: number | null;
  tdpW: number | null;
}

export interface ModelOption {
  id: string;
  name: string;
  moe: boolean;
}

export interface Catalog {
  chips: ChipOption[];
  models: ModelOption[];
}

export interface Computed {
  result: SimulateResult | Failure;
  elapsedMs: number;
}

let simulator: Promise<Simulator> | undefined;

const api = {
  /** The pickers' lists: only the fields the page shows. */
  catalog(): Catalog {
    return {
      chips: chips.map((c) => ({
        id: c.id, vendor: c.vendor, name: c.name,
        bf16Tflops: c.bf16Tflops, fp8Tflops: c.fp8Tflops, hbmGB: c.hbmGB, hbmTBps: c.hbmTBps, tdpW: c.tdpW,
      })),
      models: models.map((m) => ({ id: m.id, name: m.name, moe: m.moe !== undefined })),
    };
  },

  /** One scenario, as typed by the user; validation errors come back as `{ ok: false }`, never thrown. */
  async simulate(scenario: unknown): Promise<Computed> {
    simulator ??= load();
    const sim = await simulator;
    const t0 = performance.now();
    let result: SimulateResult | Failure;
    try {
      result = sim.simulate(scenario);
    } catch (e) {
      result = { ok: false, errors: [{ path: "", message: `internal error: ${e instanceof Error ? e.message : String(e)}` }], warnings: [] };
    }
    return { result, elapsedMs: performance.now() - t0 };
  },
};

export type WorkerApi = typeof api;

expose(api);
