// Serving stacks as a named input (serving.stack): each a small set of calibration constants fitted
// only on the published serving results of that stack (`npm run validate:serve -- --fit --write`
// writes src/calibration/serve-stacks.fit.ts), with the leave-one-source-out error of those results as the band
// a serving answer shows. A stack is a fact the user knows and chooses, never a per-record factor.
import type { ChipRecord } from "../catalog/types.js";
import { SERVING_STACK_FITS, type ServingStackFit } from "./serve-stacks.fit.js";

export type ServingStackId = "tensorrt-llm" | "vllm-rocm" | "deepseek-ep" | "unprofiled";

/** A calibration constant a serving stack may fit (src/calibration/calibration.ts), in order of weight. */
export type ServingStackSlot = "memoryEfficiency" | "matmulEfficiency";

export interface ServingStackPreset {
  id: ServingStackId;
  name: string;
  /** The constants its own results fit, most telling first (always fewer than its results). */
  fits: readonly ServingStackSlot[];
  /** Which published results are this stack's. */
  about: string;
}

export const SERVING_STACKS: Readonly<Record<ServingStackId, ServingStackPreset>> = {
  "tensorrt-llm": {
    id: "tensorrt-llm",
    name: "TensorRT-LLM (NVIDIA, in-flight batching, FP8)",
    fits: ["matmulEfficiency"],
    about: "NVIDIA's MLPerf Inference v4.1 and v5.0 closed Llama 2 70B entries",
  },
  "vllm-rocm": {
    id: "vllm-rocm",
    name: "vLLM on ROCm (AMD Instinct)",
    fits: ["matmulEfficiency"],
    about:
      "AMD's MLPerf Inference v4.1 and v5.0 Llama 2 70B entries (vLLM harness) and MangoBoost's v5.0 entry (LLMBoost, built from a vLLM image)",
  },
  "deepseek-ep": {
    id: "deepseek-ep",
    name: "DeepSeek's EP/DP inference system (H800)",
    fits: ["memoryEfficiency"],
    about: "DeepSeek's Day-6 inference-system overview (decode at EP144)",
  },
  unprofiled: {
    id: "unprofiled",
    name: "No serving stack profile (src/calibration/calibration.ts constants)",
    fits: [],
    about:
      "for chips with no published serving result of a named stack: the base constants, and the widest error any stack's results showed as the band",
  },
};

export const SERVING_STACK_IDS = Object.keys(SERVING_STACKS) as ServingStackId[];

/** The stack a chip's vendor usually serves with, where a profiled one exists. */
export function defaultServingStack(chip: Pick<ChipRecord, "vendor">): ServingStackId {
  const v = chip.vendor.toLowerCase();
  if (v === "nvidia") return "tensorrt-llm";
  if (v === "amd") return "vllm-rocm";
  return "unprofiled";
}

export interface ServingStackUse {
  id: ServingStackId;
  name: string;
  /** "scenario" when serving.stack named it, "chip default" when it is the vendor's usual stack. */
  chosen: "scenario" | "chip default";
  /** Stable code: "calibrated" when published results of this stack back its constants and band. */
  status: "calibrated" | "uncalibrated";
}

const fitted = (id: ServingStackId): ServingStackFit | undefined => SERVING_STACK_FITS.stacks[id];

/** The constants the stack's results fitted (src/calibration/calibration.ts keeps the rest). */
export const servingStackConstants = (
  id: ServingStackId,
): Partial<Record<ServingStackSlot, number>> => ({
  ...fitted(id)?.constants,
});

export function servingStackUse(
  id: ServingStackId,
  chosen: ServingStackUse["chosen"],
): ServingStackUse {
  const f = fitted(id);
  return {
    id,
    name: SERVING_STACKS[id].name,
    chosen,
    status: f && Object.keys(f.constants).length > 0 ? "calibrated" : "uncalibrated",
  };
}

/**
 * The throughput errors (predicted / published - 1) this stack's results showed cross-validated,
 * p10 and p90; a stack without results: the widest over every result.
 */
export function servingErrorRange(id: ServingStackId): {
  records: number;
  errorRange: [number, number];
} {
  const f = fitted(id);
  return f && f.n > 0
    ? { records: f.n, errorRange: [f.p10, f.p90] }
    : { records: 0, errorRange: [SERVING_STACK_FITS.widest.min, SERVING_STACK_FITS.widest.max] };
}
