// Software stacks as a named input (training.stack): each a small set of calibration constants
// fitted only on the published runs of that stack (bench/validate.mjs --fit-stacks writes
// src/calibration/stacks.fit.ts), and the cross-validated error of those runs per chip class, which is the
// band a result shows. Never a per-record factor: a stack is a fact the user knows and chooses.
import type { ChipRecord } from "../catalog/types.js";
import { STACK_FITS, type StackBand } from "./stacks.fit.js";

export type StackId =
  | "megatron-core"
  | "megatron-lm"
  | "megatron-deepspeed"
  | "deepspeed-zero3"
  | "pytorch-fsdp"
  | "maxtext"
  | "mindspeed";

/** A calibration constant a stack may fit (src/calibration/calibration.ts). */
export type StackSlot =
  "matmulEfficiency" | "attentionEfficiency" | "fp8Efficiency" | "scaleOutEfficiency";
/** A constant of a stack's kernels that its runs on every chip class fit together. */
export type StackWideSlot = "groupedGemmHalfTokens";

export interface StackPreset {
  id: StackId;
  name: string;
  /**
   * The constants its own runs fit, per chip class, in order of weight: a class with few runs fits
   * fewer (always fewer constants than runs); every other constant and class keeps src/calibration/calibration.ts.
   */
  fits: readonly StackSlot[];
  /** Constants of its kernels, fitted on its runs of every chip class (MoE runs: the grouped GEMM). */
  fitsAcrossChips?: readonly StackWideSlot[];
  /** Which published runs are this stack's, and why these constants. */
  about: string;
  /** Its recipes pipeline TP collectives with their GEMMs (the plan default and what the search runs). */
  tpCommOverlap: boolean;
}

export const STACKS: Readonly<Record<StackId, StackPreset>> = {
  "megatron-core": {
    id: "megatron-core",
    name: "Megatron-Core (NVIDIA NeMo / Megatron-Bridge, 2024+)",
    fits: ["matmulEfficiency", "fp8Efficiency"],
    fitsAcrossChips: ["groupedGemmHalfTokens"],
    // NeMo's GPT-3 175B recipe: "ub_tp_comm_overlap: True" (NeMo-Framework-Launcher,
    // launcher_scripts/conf/training/gpt3/175b.yaml), as its Llama and Nemotron performance recipes.
    tpCommOverlap: true,
    about:
      "NeMo 24.07, Megatron-Bridge 26.02 and DGX Cloud benchmark tables (dense and MoE, BF16 and FP8, Transformer Engine, FlashAttention); its MoE runs on Hopper and Blackwell fit one grouped-GEMM half-point together",
  },
  "megatron-lm": {
    tpCommOverlap: false,
    id: "megatron-lm",
    name: "Megatron-LM 2021-23 (no FlashAttention)",
    fits: ["matmulEfficiency", "attentionEfficiency"],
    about:
      "Narayanan 2021 Tables 1-2 (PTD-P) and Korthikanti 2022 Table 5: the GEMM and attention-core efficiencies before FlashAttention",
  },
  "megatron-deepspeed": {
    tpCommOverlap: false,
    id: "megatron-deepspeed",
    name: "Megatron-DeepSpeed (2021-23)",
    fits: ["matmulEfficiency"],
    about:
      "MT-NLG 530B and BLOOM 176B: Megatron's TP inside DeepSpeed's pipeline engine and ZeRO-1",
  },
  "deepspeed-zero3": {
    tpCommOverlap: false,
    id: "deepspeed-zero3",
    name: "DeepSpeed ZeRO-3 (2021)",
    fits: ["scaleOutEfficiency"],
    about:
      "Narayanan 2021 Table 2's ZeRO-3 rows: their step plateaus while compute halves, so the gathers' bus efficiency across nodes is the stack's constant",
  },
  "pytorch-fsdp": {
    tpCommOverlap: false,
    id: "pytorch-fsdp",
    name: "PyTorch FSDP (LLM Foundry, 2023)",
    fits: ["matmulEfficiency", "scaleOutEfficiency", "fp8Efficiency"],
    about: "LLM Foundry's throughput tables (MPT on A100 and H100, BF16 and FP8)",
  },
  maxtext: {
    tpCommOverlap: false,
    id: "maxtext",
    name: "JAX / MaxText (TPU and GPU)",
    fits: ["matmulEfficiency", "scaleOutEfficiency", "fp8Efficiency"],
    about: "MaxText's TPU v5p tables and its DGX Cloud H100 benchmark",
  },
  mindspeed: {
    tpCommOverlap: false,
    id: "mindspeed",
    name: "MindSpeed / CANN on Ascend",
    fits: [],
    about:
      "Huawei's Megatron port for Ascend (gitee.com/ascend/MindSpeed, formerly AscendSpeed); no grade-A published run (AscendSpeed's Llama 2 70B row is grade C), so it runs on src/calibration/calibration.ts's constants and says it is uncalibrated",
  },
};

export const STACK_IDS = Object.keys(STACKS) as StackId[];

/** The chip class a band is earned on: the same architecture generation and vendor. */
export function chipClass(chip: Pick<ChipRecord, "id" | "vendor">): string {
  const id = chip.id.toLowerCase(),
    vendor = chip.vendor.toLowerCase();
  if (vendor === "nvidia") {
    if (/a100|a800/.test(id)) return "nvidia-ampere";
    if (/h100|h800|h200|h20\b|h20-/.test(id)) return "nvidia-hopper";
    if (/b200|b300|gb200|gb300/.test(id)) return "nvidia-blackwell";
    return "nvidia-other";
  }
  if (vendor === "google") return "google-tpu";
  if (vendor === "huawei") return "huawei-ascend";
  if (vendor === "amd") return "amd-instinct";
  if (vendor.includes("intel")) return "intel-gaudi";
  return vendor.replace(/[^a-z0-9]+/g, "-");
}

/**
 * Each vendor's usual training stack: NVIDIA's NeMo/Megatron-Core; Google's MaxText
 * (github.com/AI-Hypercomputer/maxtext); Huawei's MindSpeed (gitee.com/ascend/MindSpeed);
 * Intel Gaudi's Megatron-DeepSpeed fork (github.com/HabanaAI/Megatron-DeepSpeed); AMD's ROCm
 * Megatron-LM (rocm.docs.amd.com, "Training a model with Megatron-LM"); other vendors' ports of
 * Megatron-Core, uncalibrated on their chips.
 */
export function defaultStack(chip: Pick<ChipRecord, "vendor">): StackId {
  const v = chip.vendor.toLowerCase();
  if (v === "google") return "maxtext";
  if (v === "huawei") return "mindspeed";
  if (v.includes("intel")) return "megatron-deepspeed";
  return "megatron-core";
}

/** The constants a stack runs on a chip class, where its runs fitted them (the rest: src/calibration/calibration.ts). */
export function stackConstants(
  id: StackId,
  cls: string,
): Partial<Record<StackSlot | StackWideSlot, number>> {
  return { ...STACK_FITS.stacks[id]?.constants, ...fitted(id, cls)?.constants };
}

export interface StackUse {
  id: StackId;
  name: string;
  /** "scenario" when training.stack named it, "chip default" when it is the chip vendor's usual stack. */
  chosen: "scenario" | "chip default";
  chipClass: string;
  /** Stable code: "calibrated" when published runs of this stack on this chip class back the band. */
  status: "calibrated" | "uncalibrated";
}

/** What backs a result's band: the runs of its stack on its chip class, or (uncalibrated) all of them. */
export interface EarnedBand {
  /** Grade-A published runs of the stack on the chip class (0: uncalibrated). */
  records: number;
  /**
   * Their cross-validated step-time error (predicted / published - 1), p10 and p90; uncalibrated:
   * the widest, the min and max over every grade-A run.
   */
  errorRange: [number, number];
  /**
   * Held-out published runs of the stack on the chip class (bench/validation/held-out.json): never
   * fitted and never part of the band, their step-time errors (min, max) as a check; null: none.
   */
  heldOut: { records: number; errorRange: [number, number] } | null;
}

function fitted(id: StackId, cls: string): StackBand | undefined {
  return STACK_FITS.stacks[id]?.byChipClass[cls];
}

/** A stack's fit per chip class (constants, runs, cross-validated p10/p90); empty: no published run. */
export const stackFit = (id: StackId): Readonly<Record<string, StackBand>> =>
  STACK_FITS.stacks[id]?.byChipClass ?? {};

export function stackUse(id: StackId, chosen: StackUse["chosen"], cls: string): StackUse {
  return {
    id,
    name: STACKS[id].name,
    chosen,
    chipClass: cls,
    status: fitted(id, cls) ? "calibrated" : "uncalibrated",
  };
}

export function earnedBand(id: StackId, cls: string): EarnedBand {
  const b = fitted(id, cls);
  const h = STACK_FITS.heldOut[id]?.[cls];
  const heldOut = h ? { records: h.n, errorRange: [h.min, h.max] as [number, number] } : null;
  return b
    ? { records: b.n, errorRange: [b.p10, b.p90], heldOut }
    : { records: 0, errorRange: [STACK_FITS.widest.min, STACK_FITS.widest.max], heldOut };
}
