// One training step of a plan on a cluster, then the run totals. Reads the input buffer,
// fills the output buffer; allocates nothing.
import * as L from "./layout";
import { allReduce, allGather, allToAllSplit, sendRecv, inDomain, upFor } from "./collectives";
import { gemmTime, streamTime } from "./roofline";
import { attentionParams, attentionCoreFlops, qkHeadDim, vHeadDim, mlpMatrices, mlaDownParams, mlaUpParams, dispatchedCopies, nodeLimitedShare } from "./shape";
import { memoryPerChip } from "./memory";
import { runTotals } from "./run";

@inline function get(i: StaticArray<f64>, slot: i32): f64 {
  return unchecked(i[slot]);
}
@inline function put(o: StaticArray<f64>, slot: i32, v: f64): void {
  unchecked((o[slot] = v));
}
@inline function divides(a: f64, b: f64): bool {
  return a >= 1 && b % a == 0;
}

// Mixed-precision optimizer traffic per parameter per step: read fp32 master, m, v, grad (16 B),
// write master, m, v (12 B), write bf16 weights (2 B), read bf16 (2 B)
// (Adam, Kingma & Ba 2015, Alg. 1; mixed precision, Micikevicius et al. 2018, Sec. 3.1).
const OPTIMIZER_BYTES_PER_PARAM: f64 = 32;
// Elementwise passes over an h-wide activation per layer forward: 2 norms (read+write) and
// 2 residual adds (2 reads + 1 write) = 10 (operator list of Korthikanti et al. 2022, Fig. 2).
const NORM_PASSES: f64 = 2; // one norm: read and write
const ELEMENTWISE_PASSES: f64 = 2 * NORM_PASSES + 6;
// Cross-entropy over fp32 logits: write, read for softmax, read for the loss (3 passes x 4 B).
const LOGIT_BYTES_PER_ELEM: f64 = 12;
const ACT_BYTES: f64 = 2; // bf16 activations
const SOFTMAX_BYTES_PER_SCORE: f64 = 11;

// `fittingOnly`: stop after memory when the plan does not fit (the search discards those plans).
export function simulate(i: StaticArray<f64>, o: StaticArray<f64>, fittingOnly: bool): void {
  for (let k = 0; k < L.OUT_SIZE; k++) unchecked((o[k] = 0));

  // ---- read ----
  const layers = get(i, L.M_LAYERS), h = get(i, L.M_HIDDEN), ffn = get(i, L.M_FFN);
  const heads = get(i, L.M_HEADS), kvHeads = get(i, L.M_KV_HEADS), d = get(i, L.M_HEAD_DIM);
  const vocab = get(i, L.M_VOCAB), gated = get(i, L.M_GATED), tied = get(i, L.M_TIED);
  const experts = get(i, L.M_MOE_EXPERTS), topk = get(i, L.M_MOE_ACTIVE);
  const shared = get(i, L.M_MOE_SHARED), effn = get(i, L.M_MOE_FFN);
  const qRank = get(i, L.M_MLA_Q_RANK), kvRank = get(i, L.M_MLA_KV_RANK);
  const rope = get(i, L.M_MLA_ROPE_DIM), mlaV = get(i, L.M_MLA_V_DIM);
  const tokens = get(i, L.T_TOKENS), seq = get(i, L.T_SEQ), batch = get(i, L.T_GLOBAL_BATCH);
  const fp8 = get(i, L.T_FP8) > 0;
  const peak16 = get(i, L.C_PEAK_BF16), peak8raw = get(i, L.C_PEAK_FP8);
  const hbmBytes = get(i, L.C_HBM_BYTES), hbmBw = get(i, L.C_HBM_BW);
  const domain = get(i, L.N_DOMAIN), count = get(i, L.S_COUNT);
  const tp = get(i, L.P_TP), pp = get(i, L.P_PP), dp = get(i, L.P_DP), cp = get(i, L.P_CP);
  const ep = get(i, L.P_EP), vpp = get(i, L.P_VPP), mb = get(i, L.P_MICRO_BATCH);
  const zero = get(i, L.P_ZERO), recompute = get(i, L.P_RECOMPUTE), modules = <i32>get(i, L.P_RECOMPUTE_MODULES);
  const sp = get(i, L.P_SP) > 0, flash = get(i, L.P_FLASH) > 0, dpOverlap = get(i, L.P_DP_OVERLAP) > 0;
  const etp = get(i, L.P_ETP), imbalance = get(i, L.T_MOE_IMBALANCE);
  const best = get(i, L.K_MATMUL_EFF), halfDim = get(i, L.K_MATMUL_HALF_DIM);
  const attnEff = get(i, L.K_ATTN_EFF), memEff = get(i, L.K_MEM_EFF);
  const tpOverlap = get(i, L.K_TP_OVERLAP), fp8Eff = get(i, L.K_FP8_EFF), epOverlap = get(i, L.P_EP_OVERLAP);

  // ---- check what the formulas divide by (the facade reports these with field names) ----
  const moe = experts > 0;
  if (!(layers >= 1 && h >= 1 && ffn >= 0 && heads >= 1 && kvHeads >= 1 && d >= 1 && vocab >= 1 &&
        seq >= 1 && batch >= 1 && tokens > 0 && (!moe || (topk >= 1 && topk <= experts && effn >= 1)))) {
    put(o, L.O_STATUS, L.ERR_SHAPE); return;
  }
  if (!(peak16 > 0 && hbmBytes > 0 && hbmBw > 0 && domain >= 1 && get(i, L.N_UP_BW) > 0 &&
        get(i, L.N_OUT_BW) > 0 && get(i, L.N_OVERSUB) >= 1 && best > 0 && memEff > 0 && attnEff > 0)) {
    put(o, L.O_STATUS, L.ERR_HARDWARE); return;
  }
  if (!(tp >= 1 && pp >= 1 && dp >= 1 && cp >= 1 && tp * pp * dp * cp == count)) {
    put(o, L.O_STATUS, L.ERR_PLAN_PRODUCT); return;
  }
  if (!(divides(tp, heads) && divides(tp, kvHeads) || (kvRank > 0 && divides(tp, heads)))) {
    put(o, L.O_STATUS, L.ERR_HEADS); return;
  }
  if (!(vpp >= 1 && pp * vpp <= layers)) { put(o, L.O_STATUS, L.ERR_LAYERS); return; }
  if (vpp > 1 && pp == 1) { put(o, L.O_STATUS, L.ERR_INTERLEAVE); return; }
  if (!divides(cp, seq)) { put(o, L.O_STATUS, L.ERR_SEQ); return; }
  // Experts shard over all of a stage's ranks, not only its DP ranks: ep * etp divides tp * cp * dp
  // (Megatron-Core MoE parallel folding; Liu et al. 2025, arXiv:2504.14960, Sec. 3).
  if (!(ep >= 1 && (ep == 1 || (moe && divides(ep, experts) && divides(ep * etp, tp * cp * dp))) &&
        (etp == 1 || etp == tp) && (!moe || imbalance >= 1))) {
    put(o, L.O_STATUS, L.ERR_EXPERTS); return;
  }
  if (!(mb >= 1 && divides(dp * mb, batch))) { put(o, L.O_STATUS, L.ERR_BATCH); return; }
  const micro = batch / (dp * mb); // microbatches per replica per step
  if (vpp > 1 && micro % pp != 0) { put(o, L.O_STATUS, L.ERR_INTERLEAVE); return; }

  // ---- hardware as the plan sees it ----
  const hbm = hbmBw * memEff;
  const peakMat = fp8 && peak8raw > 0 ? peak8raw : peak16;
  const bestMat = fp8 ? best * fp8Eff : best;
  const elemMat: f64 = fp8 ? 1 : 2;
  const upBw = get(i, L.N_UP_BW) * get(i, L.K_UP_EFF), upLat = get(i, L.N_UP_LAT), links = get(i, L.N_UP_LINKS);
  const outBw = get(i, L.N_OUT_BW) * get(i, L.K_OUT_EFF) / get(i, L.N_OVERSUB), outLat = get(i, L.N_OUT_LAT);
  // Placement, innermost first: TP, CP, the DP replicas an EP group spans, PP, rest of DP. Expert
  // layers renumber a stage's ranks as expert-TP, EP, expert-DP (CP folds into them), so an EP group
  // is ep ranks at stride etp (Megatron-Core's expert rank generator; MoE parallel folding,
  // arXiv:2504.14960, Sec. 3).
  const epSpan = ep * etp;
  const epReplicas = Math.max(1, Math.ceil(epSpan / (tp * cp)));
  const tpUp = inDomain(tp, domain);
  const cpUp = inDomain(tp * cp, domain);
  const epUp = inDomain(epSpan, domain);
  const ppUp = inDomain(tp * cp * epReplicas * pp, domain);
  const dpUp = inDomain(count, domain);

  // ---- shapes ----
  const qk = qkHeadDim(d, kvRank, rope), vd = vHeadDim(d, kvRank, mlaV);
  const mats = mlpMatrices(gated);
  const moeLayers = moe ? layers - get(i, L.M_MOE_DENSE_LAYERS) : 0;
  const fMoe = moeLayers / layers; // share of MoE layers; stages are taken as average
  // Uneven splits put ceil(L / (p v)) layers in each chunk of the slowest stage (Llama 3 ran
  // 126 layers on 16 stages; arXiv:2407.21783, Sec. 3.3.2).
  const stageLayers = Math.ceil(layers / (pp * vpp)) * vpp;
  const tok = mb * seq / cp; // tokens per chip per microbatch (shared by the TP group)
  const tsp = sp ? tp : 1; // divisor of h-wide elementwise work and activations

  // ---- parameters per chip, and memory: a plan that does not fit need not be timed ----
  const attnP = attentionParams(h, heads, kvHeads, d, qRank, kvRank, rope, vd);
  const denseMlpP = mats * h * ffn;
  const expertP = mats * h * effn;
  const normP = 2 * h;
  // MLA's down-projections are replicated across TP, as the time model runs them.
  const mlaDown = mlaDownParams(h, qRank, kvRank, rope);
  const denseChip = stageLayers * (mlaDown + (attnP - mlaDown + (1 - fMoe) * denseMlpP) / tp + normP +
    fMoe * (shared * expertP / tp + h * experts)) + vocab * h / tp * (pp == 1 && tied == 0 ? 2 : 1);
  const expertChip = moe ? stageLayers * fMoe * experts * expertP / (ep * etp) : 0;
  const dpGroup = dp * cp;
  // Expert data parallelism spans every rank holding the same expert shard: world / (pp ep etp)
  // (Megatron-Core parallel_state, expert data-parallel group); with etp = 1 the TP ranks hold
  // full copies of their experts and join it.
  const edpGroup = dpGroup * tp / (ep * etp);
  memoryPerChip(i, o, denseChip, expertChip, dpGroup, edpGroup, tok, tsp, micro);
  if (fittingOnly && unchecked(o[L.O_FITS]) <= 0) return;

  // ---- one layer forward on one chip: matmul time, attention core, memory-bound time ----
  let mm: f64 = 0, mlaUp: f64 = 0;
  if (kvRank > 0) {
    // MLA: down-projections replicated across TP, up- and output projections sharded by heads;
    // uncompressed queries come straight from h (W_Q, re-run with the up-projections).
    if (qRank > 0) mm += gemmTime(tok, qRank, h, 1, peakMat, bestMat, halfDim, elemMat, hbm);
    mlaUp += gemmTime(tok, heads * qk / tp, qRank > 0 ? qRank : h, 1, peakMat, bestMat, halfDim, elemMat, hbm);
    mm += gemmTime(tok, kvRank + rope, h, 1, peakMat, bestMat, halfDim, elemMat, hbm);
    mlaUp += gemmTime(tok, heads * (d + vd) / tp, kvRank, 1, peakMat, bestMat, halfDim, elemMat, hbm);
    mm += mlaUp;
  } else {
    mm += gemmTime(tok, (heads + 2 * kvHeads) * d / tp, h, 1, peakMat, bestMat, halfDim, elemMat, hbm);
  }
  mm += gemmTime(tok, h, heads * vd / tp, 1, peakMat, bestMat, halfDim, elemMat, hbm);
  // Attention core in bf16 (FlashAttention keeps the softmax on-chip; Dao et al. 2022).
  const coreFlops = tok * attentionCoreFlops(seq, heads, qk, vd) / tp;
  // Without FlashAttention the scores round-trip HBM: the QK^T output written (2 B), softmax read
  // and written (4 B), dropout read, written and its mask (5 B) per score element
  // (tensors of Korthikanti et al. 2022, Sec. 4.1: 2as^2b + 2as^2b + as^2b).
  const scores = flash ? 0 : streamTime(SOFTMAX_BYTES_PER_SCORE * heads / tp * seq * tok, hbm);
  const core = coreFlops / (peak16 * best * attnEff) + scores;
  // Dense MLP (used by dense models and the leading dense layers of MoE models).
  const denseMlp = gemmTime(tok, (mats - 1) * ffn / tp, h, 1, peakMat, bestMat, halfDim, elemMat, hbm) +
    gemmTime(tok, h, ffn / tp, 1, peakMat, bestMat, halfDim, elemMat, hbm);
  const denseAct = streamTime((mats) * tok * ffn / tp * ACT_BYTES, hbm); // read (mats-1) F, write F
  // MoE MLP: router, routed experts (balanced: tokens * top-k spread over E/ep local experts), shared.
  let moeMlp: f64 = 0, moeAct: f64 = 0, routedAct: f64 = 0;
  if (moe) {
    const local = experts / ep;
    // Tokens per local expert: tok * k routed over the EP group, paced by the busiest expert
    // (capacity factor, Lepikhin et al. 2021, GShard, Sec. 2.2; Fedus et al. 2022, Switch, Sec. 2.2).
    // Expert weights split etp ways; the TP group's tokens are split tp/etp ways (work is conserved).
    const perExpert = tok * topk * ep / experts * imbalance * etp / tp;
    // The routed experts run as one grouped GEMM whose per-expert M is perExpert: few rows per expert
    // fill few output tiles per weight tile loaded, so it loses efficiency as M falls (grouped kernels
    // tuned for large M lose most at 512-1,024 tokens per expert: sglang PR #11432). Occupancy law
    // of roofline.ts's form, m / (m + m0), on M alone; m0 fitted on a stack's MoE runs (src/stacks.ts).
    const groupedMat = bestMat * perExpert / (perExpert + get(i, L.K_GROUPED_HALF_TOKENS));
    moeMlp = gemmTime(tok, experts, h, 1, peak16, best, halfDim, 2, hbm) +
      gemmTime(perExpert, (mats - 1) * effn / etp, h, local, peakMat, groupedMat, halfDim, elemMat, hbm) +
      gemmTime(perExpert, h, effn / etp, local, peakMat, groupedMat, halfDim, elemMat, hbm);
    if (shared > 0) {
      moeMlp += gemmTime(tok, (mats - 1) * shared * effn / tp, h, 1, peakMat, bestMat, halfDim, elemMat, hbm) +
        gemmTime(tok, h, shared * effn / tp, 1, peakMat, bestMat, halfDim, elemMat, hbm);
    }
    // Token permutation before the experts and the weighted unpermutation after them: gather tok*k
    // rows (read + write), then read them back and write the combined h-wide output
    // (Megatron-Core MoE token dispatcher: permute / unpermute, docs "MoE" Sec. Token Dispatcher).
    // With experts split over TP (etp > 1) every TP rank permutes the TP-gathered copies.
    const copies = dispatchedCopies(tok, topk, imbalance, etp, tsp);
    routedAct = streamTime(mats * tok * topk * imbalance * effn / tp * ACT_BYTES, hbm);
    moeAct = routedAct + streamTime(mats * tok * shared * effn / tp * ACT_BYTES, hbm) +
      streamTime((3 * copies + tok / tsp) * h * ACT_BYTES, hbm);
  }
  const elementwise = streamTime(ELEMENTWISE_PASSES * tok * h / tsp * ACT_BYTES, hbm);
  const layerMm = mm + (1 - fMoe) * denseMlp + fMoe * moeMlp;
  const layerMem = elementwise + (1 - fMoe) * denseAct + fMoe * moeAct;
  const layerFwd = layerMm + core + layerMem;
  // Backward runs two GEMMs per forward GEMM (data and weight gradients) and twice the
  // elementwise traffic (Narayanan et al. 2021, Sec. 3.2: backward = 2x forward).
  let layerTrain = 3 * layerFwd;
  let recomputeFwd: f64 = 0, recomputeMm: f64 = 0, recomputeMem: f64 = 0;
  if (recompute >= 2) {
    recomputeFwd = layerFwd; // full: one more forward (Chen et al. 2016)
    recomputeMem = layerMem;
  }
  else {
    if (recompute >= 1) recomputeFwd = core; // selective: attention core only (Korthikanti 2022, Sec. 5)
    // Modules re-run in the backward what their dropped outputs came from (Megatron-Core
    // --recompute-modules; DeepSeek-V3, arXiv:2412.19437, Sec. 3.3.3: RMSNorm and MLA up-projections).
    // Only norms that are not fused into the next GEMM keep an output of their own: MLA's attention
    // norm and an MoE layer's pre-MLP norm (Megatron-Core: "layernorm" recomputes non-IdentityOp norms;
    // Transformer Engine's LayerNormLinear fuses the others).
    if ((modules & L.RC_LAYERNORM) != 0) recomputeMem += streamTime(NORM_PASSES * ((kvRank > 0 ? 1 : 0) + fMoe) * tok * h / tsp * ACT_BYTES, hbm);
    if ((modules & L.RC_MLA_UP_PROJ) != 0) recomputeMm = mlaUp;
    if ((modules & L.RC_MOE_ACT) != 0) recomputeMem += fMoe * routedAct;
    recomputeFwd += recomputeMem + recomputeMm;
  }
  layerTrain += recomputeFwd;

  // LM head GEMM on the last stage (bf16) plus cross-entropy over fp32 logits.
  const head = 3 * gemmTime(tok, vocab / tp, h, 1, peak16, best, halfDim, 2, hbm) +
    streamTime(tok * vocab / tp * LOGIT_BYTES_PER_ELEM, hbm);

  // ---- communication per layer per microbatch ----
  const actBytes = tok * h * ACT_BYTES; // one h-wide activation of the microbatch
  let tpComm: f64 = 0, headComm: f64 = 0;
  if (tp > 1) {
    const bw = tpUp ? upFor(tp, upBw, links) : outBw, lat = tpUp ? upLat : outLat;
    // 2 all-reduces forward, 2 backward, 2 more when the full forward is recomputed; with sequence
    // parallelism each becomes an all-gather + reduce-scatter of equal volume (Korthikanti 2022, Sec. 4.2.2).
    const one = sp ? 2 * allGather(tp, actBytes, bw, lat) : allReduce(tp, actBytes, bw, lat);
    // An MoE layer's MLP pair moves the dispatched tokens instead: with experts split over the TP group
    // (etp = tp) the all-to-all's output, k copies per token, is all-gathered over TP and the combine
    // reduce-scattered (Megatron-Core MoEAlltoAllTokenDispatcher: "num_global_tokens = S/TP*B*TP*EP");
    // with etp = 1 the experts see only their EP shard and only shared experts keep the TP pair.
    const moePairs = (etp > 1 ? topk * imbalance : 0) + (shared > 0 ? 1 : 0);
    const pairs = 1 + (1 - fMoe) + fMoe * moePairs; // attention + MLP, per pass
    tpComm = (recompute >= 2 ? 3 : 2) * pairs * one * (1 - tpOverlap);
    // The vocabulary-parallel LM head on the last stage: its input gathered (SP) and its input
    // gradient reduced over TP, one pair per microbatch (Megatron-LM ColumnParallelLinear output layer).
    headComm = one * (1 - tpOverlap);
  }
  let epComm: f64 = 0, epBeside: f64 = 0;
  if (moe && ep > 1) {
    // EP ranks sharing a domain: the group's ranks sit at stride etp (placement above).
    const epIn = epUp ? ep : Math.max(1, Math.min(ep, Math.floor(domain / etp)));
    // Dispatch + combine forward and backward (+ forward again under full recompute)
    // (Lepikhin et al. 2021, GShard, Sec. 3.2; DeepSeek-V3, arXiv:2412.19437, Sec. 3.2.2).
    // Node-limited routing sends a token over scale-out once per target domain, at most M (and no more
    // than the domains the group spans) of its k copies, and fans it out inside the domain
    // (DeepSeek-V3, arXiv:2412.19437, Secs. 2.1.2 and 3.2.2).
    const maxNodes = get(i, L.M_MOE_MAX_NODES);
    const outScale = nodeLimitedShare(maxNodes, ep, epIn, topk);
    const one = allToAllSplit(ep, epIn, tok / tsp * topk * h * ACT_BYTES * imbalance, upFor(epIn, upBw, links), outBw, upLat, outLat, outScale);
    const all = fMoe * (recompute >= 2 ? 6 : 4) * one;
    if (epOverlap > 0) epBeside = all; else epComm = all;
  }
  let cpComm: f64 = 0;
  if (cp > 1) {
    const bw = cpUp ? upFor(cp, upBw, links) : outBw, lat = cpUp ? upLat : outLat;
    // Ring attention: cp-1 K/V block exchanges forward, K/V and their gradients backward, each
    // overlapped with the attention block it feeds (Liu et al. 2023, Ring Attention, Sec. 3).
    const kv = kvRank > 0 ? heads * (qk + vd) / tp : 2 * kvHeads * d / tp;
    const step = sendRecv(mb * (seq / cp) * kv * ACT_BYTES, bw, lat);
    const fwd = (cp - 1) * step, bwd = 2 * (cp - 1) * step;
    cpComm = Math.max(0, fwd - core) + Math.max(0, bwd - 2 * core);
  }
  let ppComm: f64 = 0;
  if (pp > 1) {
    const bw = ppUp ? upFor(2, upBw, links) : outBw, lat = ppUp ? upLat : outLat;
    // One activation forward and one gradient backward per model chunk; scatter/gather over the
    // TP group sends 1/tp of it (Narayanan et al. 2021, Sec. 4.1).
    ppComm = 2 * vpp * sendRecv(actBytes / tp, bw, lat);
  }

  // ---- one microbatch through the slowest stage, then the pipeline ----
  const firstStage = stageLayers * layerTrain + (pp == 1 ? head : 0);
  const lastStage = stageLayers * layerTrain + head;
  const stageCompute = Math.max(firstStage, lastStage);
  const stageMm = stageLayers * (3 * layerMm + (recompute >= 2 ? layerMm : recomputeMm)) + head;
  const stageCore = stageLayers * (3 * core + (recompute >= 1 ? core : 0));
  // The memory-bound rest of the slowest (last) stage's layers, summed from its parts rather than
  // taken as stageCompute - stageMm - stageCore, which rounding pushes below zero when GEMMs dwarf it.
  const stageMem = stageLayers * (3 * layerMem + recomputeMem);
  // An all-to-all run beside compute (DualPipe) still holds a share s of the compute units while it
  // runs (DeepSeek-V3, arXiv:2412.19437, Sec. 3.2.2: 20 of the H800's 132 SMs drive IB and NVLink):
  // compute C beside all-to-all T takes max(T, C + s T).
  const beside = stageLayers * epBeside;
  const epShown = beside > 0 ? Math.max(beside - stageCompute, get(i, L.K_COMM_SM_SHARE) * beside) : 0;
  const stageComm = stageLayers * (tpComm + epComm + cpComm) + headComm + ppComm + epShown;
  const perMicro = stageCompute + stageComm;
  // 1F1B with v interleaved chunks: bubble = (p-1)/v microbatch times (Narayanan 2021, Sec. 2.2.2).
  const bubble = (pp - 1) / vpp * perMicro;
  const steady = micro * perMicro;

  // ---- data parallelism and the optimizer ----
  // A data-parallel group that spans domains but has k members in each runs one ring/tree per NIC,
  // so its collectives move k NICs' worth per chip, capped by scale-up (NCCL: one channel per NIC,
  // bus bandwidth = NICs per node x NIC rate; Jeaugey, NCCL 2.4 trees, NVIDIA blog 2019). k: ranks
  // of one group in a domain = ranks with the same TP index and PP stage (placement above).
  const stagesIn = Math.max(1, Math.min(pp, Math.floor(domain / (tp * cp * epReplicas))));
  const perDomain = Math.max(1, Math.min(dpGroup, Math.floor(domain / (tp * stagesIn))));
  const perDomainE = Math.max(1, Math.floor(perDomain * tp / (ep * etp)));
  const dpLat = dpUp ? upLat : outLat;
  let dpComm: f64 = 0;
  let gatherComm: f64 = 0;
  for (let part = 0; part < 2; part++) {
    const params = part == 0 ? denseChip : expertChip;
    const group = part == 0 ? dpGroup : edpGroup;
    const inDom = part == 0 ? perDomain : perDomainE;
    const dpBw = dpUp ? upFor(group, upBw, links) : Math.min(upFor(inDom, upBw, links), outBw * inDom);
    if (params <= 0 || group <= 1) continue;
    const grads = params * get(i, L.P_GRAD_BYTES), weights = params * 2;
    // ZeRO stage traffic (Rajbhandari et al. 2020, arXiv:1910.02054, Sec. 5 and 7): stage 0
    // all-reduces gradients once per step; stage 1 reduce-scatters them once and all-gathers the
    // updated weights; stages 2-3 keep only a gradient shard, so every microbatch's gradients are
    // reduce-scattered as they are produced; stage 3 also gathers weights for the forward and
    // backward of every microbatch.
    if (zero < 1) dpComm += allReduce(group, grads, dpBw, dpLat);
    // Stage 3 has no post-step weight gather: the next forward gathers (3 x params volume, Sec. 7.2.2).
    else dpComm += allGather(group, grads, dpBw, dpLat) + (zero < 3 ? allGather(group, weights, dpBw, dpLat) : 0);
    // The earlier microbatches' scatters and gathers run behind the compute that follows them.
    if (zero >= 2) gatherComm += (micro - 1) * allGather(group, grads, dpBw, dpLat);
    if (zero >= 3) gatherComm += 2 * micro * allGather(group, weights, dpBw, dpLat);
  }
  // Data-parallel traffic hides behind compute in one window, so no compute second is counted twice:
  // gradient reduction behind the last microbatch's backward (PyTorch DDP, Li et al. 2020,
  // VLDB 13(12), Sec. 3.2.3); ZeRO-3 gathers prefetch behind all compute (FSDP, Zhao et al. 2023,
  // VLDB 16(12), Sec. 3.3). Without overlap the gradient reduction waits for the backward to end.
  const allCompute = micro * stageCompute;
  const lastBackward = stageLayers * 2 * layerFwd;
  // The reduction is bucketed by layer, or by model chunk under PP, and the last bucket starts when
  // the backward ends: 1/chunks of it stays exposed (NeMo docs, Communication Overlap: "exposes only
  // one DP communication chunk"; "with pipeline parallelism ... layers per virtual pipeline stage").
  // Without interleaving the one chunk is bucketed by layer (Megatron-Core DDP: bucketing is off
  // only for model chunks after the first, "overlapped with compute anyway").
  const chunks = pp > 1 && vpp > 1 ? vpp : stageLayers;
  // The last bucket waits for the backward to end whatever else the step overlaps (ZeRO-2/3 too).
  const tail = Math.max(dpComm / chunks, dpComm - lastBackward);
  const dpExposed = dpOverlap
    ? Math.max(tail, dpComm + gatherComm - allCompute)
    : dpComm + Math.max(0, gatherComm - allCompute);
  // The optimizer updates the shard this chip owns: all of it, or 1/group under ZeRO >= 1.
  const owned = zero >= 1 ? denseChip / dpGroup + expertChip / edpGroup : denseChip + expertChip;
  const optimizer = streamTime(OPTIMIZER_BYTES_PER_PARAM * owned, hbm);

  const stepS = steady + bubble + dpExposed + optimizer + get(i, L.K_STEP_OVERHEAD_S);

  // ---- FLOPs of the whole step (model vs hardware), whole cluster ----
  const attnCoreTok = attentionCoreFlops(seq, heads, qk, vd);
  const moeTok = moe ? 2 * (topk + shared) * expertP + 2 * h * experts : 0;
  const layerTok = 2 * attnP + attnCoreTok + (1 - fMoe) * 2 * denseMlpP + fMoe * moeTok;
  const fwdTok = layers * layerTok + 2 * h * vocab;
  const stepTokens = batch * seq;
  const modelFlops = 3 * fwdTok * stepTokens;
  const upTok = (modules & L.RC_MLA_UP_PROJ) != 0 ? 2 * mlaUpParams(h, heads, qk, vd, d, qRank, kvRank) : 0;
  const recomputeTok = recompute >= 2 ? layers * layerTok : layers * ((recompute >= 1 ? attnCoreTok : 0) + upTok);
  const hwFlops = modelFlops + recomputeTok * stepTokens;
  // MFU/HFU against the peak of the training precision: FP8 runs against the FP8 peak (the
  // convention of NVIDIA's DGX Cloud benchmark tables, published-runs.json dgxc_*_fp8).
  const peakAll = stepS * count * peakMat;

  // ---- parameters ----
  const embedP = vocab * h * (tied > 0 ? 1 : 2);
  const layerP = attnP + normP + (1 - fMoe) * denseMlpP + fMoe * ((experts + shared) * expertP + h * experts);
  const activeLayerP = attnP + normP + (1 - fMoe) * denseMlpP + fMoe * ((topk + shared) * expertP + h * experts);
  put(o, L.O_PARAMS, layers * layerP + embedP);
  put(o, L.O_ACTIVE_PARAMS, layers * activeLayerP + embedP);

  put(o, L.O_MODEL_FLOPS, modelFlops);
  put(o, L.O_HW_FLOPS, hwFlops);
  put(o, L.O_MICROBATCHES, micro);
  put(o, L.O_STEP_S, stepS);
  const computeS = micro * stageCompute + optimizer;
  put(o, L.O_COMPUTE_S, computeS);
  put(o, L.O_BUBBLE_S, bubble);
  put(o, L.O_TP_COMM_S, micro * (stageLayers * tpComm + headComm));
  put(o, L.O_EP_COMM_S, micro * (stageLayers * epComm + epShown));
  put(o, L.O_CP_COMM_S, micro * stageLayers * cpComm);
  put(o, L.O_PP_COMM_S, micro * ppComm);
  put(o, L.O_DP_COMM_S, dpExposed);
  put(o, L.O_EXPOSED_COMM_S, micro * stageComm + dpExposed);
  put(o, L.O_MATMUL_S, micro * (stageMm + stageCore));
  put(o, L.O_MEMBOUND_S, micro * stageMem);
  put(o, L.O_OPTIMIZER_S, optimizer);
  put(o, L.O_TOKENS_PER_S, stepTokens / stepS);
  put(o, L.O_MFU, modelFlops / peakAll);
  put(o, L.O_HFU, hwFlops / peakAll);
  put(o, L.O_TP_UP, tpUp ? 1 : 0);
  put(o, L.O_DP_UP, dpUp ? 1 : 0);
  put(o, L.O_STAGE_FWD_BWD_S, perMicro);

  runTotals(i, o, stepS, layers * layerP + embedP);
}
