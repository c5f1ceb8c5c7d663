// Memory per chip: weights, gradients, optimizer state, activations, reserved buffers.
import * as L from "./layout";
import { qkHeadDim, vHeadDim, mlpMatrices, dispatchedCopies } from "./shape";

// Bytes per parameter, bf16 weights with fp32 gradients (fp16 runs: fp16 gradients, the bytes the
// reduction moves) and fp32 Adam state (master, m, v): 2 + 4 + 12 = 18 (fp16: 16), sharded over the
// data-parallel group by ZeRO stage
// (Megatron-LM docs, "Distributed Optimizer" table; Rajbhandari et al. 2020, arXiv:1910.02054, Fig. 1).
const WEIGHT_BYTES: f64 = 2;
const OPTIMIZER_BYTES: f64 = 12;

@inline function get(i: StaticArray<f64>, slot: i32): f64 {
  return unchecked(i[slot]);
}

/**
 * Activation bytes of one layer for one microbatch, generalising Korthikanti et al. 2022
 * (arXiv:2205.05198, Sec. 4.1-4.2, eq. 1: sbh(34 + 5as/h) with TP/SP divisors) to GQA/MLA,
 * gated MLPs, any FFN width, MoE and context parallelism (s -> s/cp in `tok`). `modules`: the
 * L.RC_* bits recomputed on top of `recompute` (Megatron-Core docs, "--recompute-modules").
 */
export function layerActivationBytes(
  i: StaticArray<f64>, tok: f64, tp: f64, tsp: f64, fMoe: f64, recompute: f64, modules: i32,
): f64 {
  const h = get(i, L.M_HIDDEN), ffn = get(i, L.M_FFN), heads = get(i, L.M_HEADS);
  const kvHeads = get(i, L.M_KV_HEADS), d = get(i, L.M_HEAD_DIM), seq = get(i, L.T_SEQ);
  const kvRank = get(i, L.M_MLA_KV_RANK), qRank = get(i, L.M_MLA_Q_RANK), rope = get(i, L.M_MLA_ROPE_DIM);
  const qk = qkHeadDim(d, kvRank, rope), vd = vHeadDim(d, kvRank, get(i, L.M_MLA_V_DIM));
  const mats = mlpMatrices(get(i, L.M_GATED));
  const flash = get(i, L.P_FLASH) > 0;
  if (recompute >= 2) return 2 * tok * h / tsp; // full: the layer input only (Korthikanti Sec. 4.3)
  // Bytes of a GEMM input kept for the weight gradient: FP8 runs keep the FP8 copy, 1 byte
  // (Transformer Engine, pytorch/module/linear.py, _Linear.forward: saved_inputmat = inputmat when fp8).
  const gemmIn: f64 = get(i, L.T_FP8) > 0 ? 1 : 2;

  // A recomputed norm keeps only its input: its output, the next GEMM's input, is rebuilt. Only
  // MLA's attention norm and an MoE layer's pre-MLP norm have outputs of their own; the others are
  // fused into their GEMM (Transformer Engine LayerNormLinear), which keeps the output.
  const norms = (modules & L.RC_LAYERNORM) != 0;
  const attnNormOut: f64 = norms && kvRank > 0 ? 0 : gemmIn;
  // Two norms 4sbh, QKV input 2sbh, dropout mask after attention sbh (Korthikanti Sec. 4.1).
  let a = (5 + attnNormOut) * tok * h / tsp;
  // Q and K for QK^T, V for the weighted sum (2 B), and the output-projection input (a GEMM input);
  // recomputed MLA projections rebuild Q, K and V from the latents kept below (Q from h without a query rank).
  const upProj = kvRank > 0 && (modules & L.RC_MLA_UP_PROJ) != 0;
  const kDim = kvRank > 0 ? heads * qk : kvHeads * d;
  const vDim = kvRank > 0 ? heads * vd : kvHeads * d;
  a += (2 * (upProj ? 0 : heads * qk + kDim + vDim) + gemmIn * heads * vd) * tok / tp;
  if (kvRank > 0) a += 2 * tok * (kvRank + rope + qRank); // MLA latents, replicated across TP
  // Softmax output, dropout mask and output (5as^2b); gone with FlashAttention or selective recompute.
  if (!flash && recompute < 1) a += 5 * heads * seq * tok / tp;
  // MLP: input (a GEMM input) + dropout mask sbh, plus each hidden-width tensor kept for backward:
  // plain: activation input (2 B) and output; gated: gate and up (2 B each) and their product;
  // the last is the second GEMM's input.
  const hiddenTensors: f64 = (mats == 3 ? 4 : 2) + gemmIn;
  const dense = (1 + gemmIn) * tok * h / tsp + hiddenTensors * tok * ffn / tp;
  let moeMlp: f64 = 0;
  const experts = get(i, L.M_MOE_EXPERTS);
  if (experts > 0) {
    const topk = get(i, L.M_MOE_ACTIVE), shared = get(i, L.M_MOE_SHARED), effn = get(i, L.M_MOE_FFN);
    // Dispatched token copies (the routed experts' GEMM input; TP-gathered when experts are split
    // over TP, etp > 1), then their hidden tensors, plus shared experts.
    const imbalance = get(i, L.T_MOE_IMBALANCE);
    const copies = dispatchedCopies(tok, topk, imbalance, get(i, L.P_ETP), tsp);
    // A recomputed routed-expert activation keeps its input only, not the second GEMM's input.
    const actOut: f64 = (modules & L.RC_MOE_ACT) != 0 ? gemmIn : 0;
    moeMlp = (1 + (norms ? 0 : gemmIn)) * tok * h / tsp + gemmIn * copies * h +
      hiddenTensors * tok * (topk + shared) * effn / tp * imbalance - actOut * tok * topk * effn / tp * imbalance;
  }
  return a + (1 - fMoe) * dense + fMoe * moeMlp;
}

export function memoryPerChip(
  i: StaticArray<f64>, o: StaticArray<f64>,
  denseParams: f64, expertParams: f64, dpGroup: f64, edpGroup: f64,
  tok: f64, tsp: f64, micro: f64,
): void {
  const zero = get(i, L.P_ZERO), tp = get(i, L.P_TP), pp = get(i, L.P_PP), vpp = get(i, L.P_VPP);
  const layers = get(i, L.M_LAYERS), h = get(i, L.M_HIDDEN), vocab = get(i, L.M_VOCAB);
  const experts = get(i, L.M_MOE_EXPERTS);
  const fMoe = experts > 0 ? (layers - get(i, L.M_MOE_DENSE_LAYERS)) / layers : 0;

  let weights: f64 = 0, grads: f64 = 0, state: f64 = 0;
  for (let part = 0; part < 2; part++) {
    const p = part == 0 ? denseParams : expertParams;
    const g = part == 0 ? dpGroup : edpGroup;
    weights += p * WEIGHT_BYTES / (zero >= 3 ? g : 1);
    grads += p * get(i, L.P_GRAD_BYTES) / (zero >= 2 ? g : 1);
    state += p * OPTIMIZER_BYTES / (zero >= 1 ? g : 1);
  }
  // Optimizer offload keeps the fp32 master weights and Adam's m and v in host memory, beside the
  // gradients the chip sends down for the CPU's Adam step (ZeRO-Offload, Ren et al. 2021,
  // arXiv:2101.06840, Sec. 4.1, Fig. 2: fp32 parameters, momentum, variance and gradients on the CPU).
  const offloadOptimizer = get(i, L.P_OFFLOAD_OPTIMIZER) > 0;
  const optimizer = offloadOptimizer ? 0 : state;
  let host = offloadOptimizer ? state + state / OPTIMIZER_BYTES * get(i, L.P_GRAD_BYTES) : 0;
  const stageLayers = Math.ceil(layers / (pp * vpp)) * vpp; // slowest (fullest) stage
  // ZeRO-3 materialises the gathered weights of about two layers at a time (prefetch).
  if (zero >= 3) weights += 2 * (denseParams + expertParams) / stageLayers * WEIGHT_BYTES;

  const recompute = get(i, L.P_RECOMPUTE), modules = <i32>get(i, L.P_RECOMPUTE_MODULES);
  const perLayer = layerActivationBytes(i, tok, tp, tsp, fMoe, recompute, modules);
  // 1F1B keeps min(p, m) microbatches in flight on the first stage; interleaving adds
  // (1 + (p-1)/(p v)) (Korthikanti 2022, Sec. 4.2.3).
  const inFlight = Math.min(pp, micro);
  const interleave: f64 = vpp > 1 ? 1 + (pp - 1) / (pp * vpp) : 1;
  // Offloaded layers' saved activations wait in host memory from their forward to their backward,
  // for every microbatch in flight (Transformer Engine docs, "CPU Offloading"; Megatron-Core
  // cpu_offloading_num_layers).
  const offloaded = offloadedLayers(get(i, L.P_OFFLOAD_ACTIVATIONS), stageLayers);
  const kept = stageLayers - offloaded;
  host += perLayer * offloaded * inFlight * interleave;
  let first = perLayer * kept * inFlight * interleave + tok * h / tsp * inFlight; // + embedding dropout mask
  // Full recompute re-materialises one whole layer during its backward.
  if (recompute >= 2) first += layerActivationBytes(i, tok, tp, tsp, fMoe, 0, 0);
  // The last stage holds one microbatch plus fp32 logits for the loss, 4sbV/t (Korthikanti Sec. 4.3).
  const logits = 4 * tok * vocab / tp;
  const last = perLayer * kept + logits;
  const activations = pp == 1 ? first + logits : Math.max(first, last);
  const reserved = get(i, L.K_RESERVED_BYTES);
  const total = weights + grads + optimizer + activations + reserved;

  unchecked((o[L.O_MEM_WEIGHTS] = weights));
  unchecked((o[L.O_MEM_GRADS] = grads));
  unchecked((o[L.O_MEM_OPTIMIZER] = optimizer));
  unchecked((o[L.O_MEM_ACTIVATIONS] = activations));
  unchecked((o[L.O_MEM_RESERVED] = reserved));
  unchecked((o[L.O_MEM_TOTAL] = total));
  const hostFits = host <= get(i, L.S_HOST_MEM_BYTES);
  unchecked((o[L.O_MEM_HOST] = host));
  unchecked((o[L.O_HOST_FITS] = hostFits ? 1 : 0));
  unchecked((o[L.O_FITS] = total <= get(i, L.C_HBM_BYTES) && hostFits ? 1 : 0));
}

/**
 * Layers of a stage whose activations go to host memory: `share` of its layers, rounded down, and
 * never the last, whose backward starts as its forward ends (NeMo docs, "CPU Offloading":
 * cpu_offloading_num_layers from 0 to the number of layers minus one).
 */
export function offloadedLayers(share: f64, stageLayers: f64): f64 {
  return Math.max(0, Math.min(Math.floor(share * stageLayers), stageLayers - 1));
}
