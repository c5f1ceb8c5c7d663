// One training step of a plan on a cluster, then the run totals. Reads the input buffer,
// fills the output buffer; allocates nothing.
import * as L from "./layout";
import { allReduce, allGather, allReduceAcross, allGatherAcross, allReduceInSwitch, allReduceInFabric, allToAllSplit, sendRecv, inDomain, podShare, tierCrossings, tierLevels, torusSide, validTorusDims, upForGroup, upForPair, upForAllToAll } from "./collectives";
import { gemmTime, streamTime } from "./roofline";
import { attentionParams, attentionCoreFlops, qkHeadDim, vHeadDim, mlpMatrices, mlaDownParams, mlaUpParams, dispatchedCopies, nodeLimitedShare } from "./shape";
import { memoryPerChip, layerActivationBytes, offloadedLayers } from "./memory";
import { runTotals } from "./run";
import { stragglerTime } from "./stragglers";

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

// Stage results, passed from one stage to the next in module globals: the core allocates nothing
// (runtime "stub") and a wasm global costs what a local does. Each stage writes only its own.

// ---- read: the scenario's figures ----
let layers: f64 = 0, h: f64 = 0, ffn: f64 = 0, heads: f64 = 0, kvHeads: f64 = 0, d: f64 = 0;
let vocab: f64 = 0, gated: f64 = 0, tied: f64 = 0, experts: f64 = 0, topk: f64 = 0, shared: f64 = 0;
let effn: f64 = 0, qRank: f64 = 0, kvRank: f64 = 0, rope: f64 = 0, mlaV: f64 = 0;
let tokens: f64 = 0, seq: f64 = 0, batch: f64 = 0, fp8: bool = false;
let peak16: f64 = 0, peak8raw: f64 = 0, hbmBytes: f64 = 0, hbmBw: f64 = 0, domain: f64 = 0, count: f64 = 0;
let tp: f64 = 0, pp: f64 = 0, dp: f64 = 0, cp: f64 = 0, ep: f64 = 0, vpp: f64 = 0, mb: f64 = 0;
let zero: f64 = 0, recompute: f64 = 0, modules: i32 = 0, sp: bool = false, flash: bool = false;
let dpOverlap: bool = false, etp: f64 = 0, imbalance: f64 = 0, best: f64 = 0, halfDim: f64 = 0;
let attnEff: f64 = 0, memEff: f64 = 0, tpOverlap: f64 = 0, fp8Eff: f64 = 0, epOverlap: f64 = 0;
let moe: bool = false, micro: f64 = 0, tpPipelined: bool = false;
// ---- hardware as the plan sees it, and placement ----
let hbm: f64 = 0, peakMat: f64 = 0, bestMat: f64 = 0, elemMat: f64 = 0;
let upBw: f64 = 0, upLat: f64 = 0, links: f64 = 0, outBw: f64 = 0, outLat: f64 = 0;
let torusDims: f64 = 0, torusSideOf: f64 = 0;
let upReduce: bool = false, outReduce: bool = false;
let epSpan: f64 = 0, epReplicas: f64 = 0;
let tpUp: bool = false, cpUp: bool = false, epUp: bool = false, ppUp: bool = false, dpUp: bool = false;
// ---- shapes and parameters per chip ----
let qk: f64 = 0, vd: f64 = 0, mats: f64 = 0, fMoe: f64 = 0, stageLayers: f64 = 0, tok: f64 = 0, tsp: f64 = 0;
let attnP: f64 = 0, denseMlpP: f64 = 0, expertP: f64 = 0, normP: f64 = 0;
let denseChip: f64 = 0, expertChip: f64 = 0, dpGroup: f64 = 0, edpGroup: f64 = 0;
// ---- one layer on one chip ----
let attnMm: f64 = 0, denseMlpMm: f64 = 0;
let mlaUp: f64 = 0, core: f64 = 0, layerMm: f64 = 0, layerMem: f64 = 0, layerFwd: f64 = 0, layerTrain: f64 = 0;
let recomputeMm: f64 = 0, recomputeMem: f64 = 0, head: f64 = 0;
// ---- communication per layer per microbatch ----
let tpComm: f64 = 0, tpFwd: f64 = 0, headComm: f64 = 0, epComm: f64 = 0, epBeside: f64 = 0, cpComm: f64 = 0, ppComm: f64 = 0;
// ---- the pipeline ----
let stageCompute: f64 = 0, stageMm: f64 = 0, stageCore: f64 = 0, stageMem: f64 = 0, epShown: f64 = 0;
let stageComm: f64 = 0, perMicro: f64 = 0, bubble: f64 = 0, steady: f64 = 0;
// ---- data parallelism and the optimizer ----
let dpExposed: f64 = 0, optimizer: f64 = 0, dpPodShare: f64 = 1, dpLimitingTier: f64 = 0;
// what the tiers above the scale-out fabric add to the DP group being timed (crossTiers)
let tierRing: f64 = 0, tierTree: f64 = 0, tierClimb: f64 = 0;
// ---- offload to host memory ----
let actOffload: f64 = 0, cpuOptimizer: f64 = 0, optOffload: f64 = 0;
// ---- stragglers ----
let straggler: f64 = 0;

// `fittingOnly`: stop after memory when the plan does not fit (the search discards those plans).
export function simulate(i: StaticArray<f64>, o: StaticArray<f64>, fittingOnly: bool): void {
  for (let k = 0; k < L.OUT_SIZE; k++) unchecked((o[k] = 0));
  readScenario(i);
  const status = checkScenario(i);
  if (status != 0) { put(o, L.O_STATUS, status); return; }
  micro = batch / (dp * mb); // microbatches per replica per step
  if (vpp > 1 && micro % pp != 0) { put(o, L.O_STATUS, L.ERR_INTERLEAVE); return; }
  hardwareAndPlacement(i);
  shapesAndMemory(i, o);
  if (fittingOnly && unchecked(o[L.O_FITS]) <= 0) return;
  layerTimes(i);
  layerCommunication(i);
  pipeline(i);
  dataParallelAndOptimizer(i);
  stragglers(i);
  writeResults(i, o);
}

function readScenario(i: StaticArray<f64>): void {
  layers = get(i, L.M_LAYERS); h = get(i, L.M_HIDDEN); ffn = get(i, L.M_FFN);
  heads = get(i, L.M_HEADS); kvHeads = get(i, L.M_KV_HEADS); d = get(i, L.M_HEAD_DIM);
  vocab = get(i, L.M_VOCAB); gated = get(i, L.M_GATED); tied = get(i, L.M_TIED);
  experts = get(i, L.M_MOE_EXPERTS); topk = get(i, L.M_MOE_ACTIVE);
  shared = get(i, L.M_MOE_SHARED); effn = get(i, L.M_MOE_FFN);
  qRank = get(i, L.M_MLA_Q_RANK); kvRank = get(i, L.M_MLA_KV_RANK);
  rope = get(i, L.M_MLA_ROPE_DIM); mlaV = get(i, L.M_MLA_V_DIM);
  tokens = get(i, L.T_TOKENS); seq = get(i, L.T_SEQ); batch = get(i, L.T_GLOBAL_BATCH);
  fp8 = get(i, L.T_FP8) > 0;
  peak16 = get(i, L.C_PEAK_BF16); peak8raw = get(i, L.C_PEAK_FP8);
  hbmBytes = get(i, L.C_HBM_BYTES); hbmBw = get(i, L.C_HBM_BW);
  domain = get(i, L.N_DOMAIN); count = get(i, L.S_COUNT);
  tp = get(i, L.P_TP); pp = get(i, L.P_PP); dp = get(i, L.P_DP); cp = get(i, L.P_CP);
  ep = get(i, L.P_EP); vpp = get(i, L.P_VPP); mb = get(i, L.P_MICRO_BATCH);
  zero = get(i, L.P_ZERO); recompute = get(i, L.P_RECOMPUTE); modules = <i32>get(i, L.P_RECOMPUTE_MODULES);
  sp = get(i, L.P_SP) > 0; flash = get(i, L.P_FLASH) > 0; dpOverlap = get(i, L.P_DP_OVERLAP) > 0;
  etp = get(i, L.P_ETP); imbalance = get(i, L.T_MOE_IMBALANCE);
  best = get(i, L.K_MATMUL_EFF); halfDim = get(i, L.K_MATMUL_HALF_DIM);
  attnEff = get(i, L.K_ATTN_EFF); memEff = get(i, L.K_MEM_EFF);
  tpOverlap = get(i, L.K_TP_OVERLAP); fp8Eff = get(i, L.K_FP8_EFF); epOverlap = get(i, L.P_EP_OVERLAP);
  tpPipelined = get(i, L.P_TP_COMM_OVERLAP) > 0 && sp;
  moe = experts > 0;
}

// Slots of the tiers above the scale-out fabric, innermost first (layout.ts).
const TIER_CHIPS: StaticArray<i32> = [L.N_POD_CHIPS, L.N_TIER2_CHIPS, L.N_TIER3_CHIPS];
const TIER_OVERSUB: StaticArray<i32> = [L.N_POD_OVERSUB, L.N_TIER2_OVERSUB, L.N_TIER3_OVERSUB];
const TIER_LAT: StaticArray<i32> = [L.N_POD_LAT, L.N_TIER2_LAT, L.N_TIER3_LAT];

// Each tier: chips >= 0 (0: none), ratio >= 1 (0: as 1), latency >= 0.
function tiersValid(i: StaticArray<f64>): bool {
  for (let t = 0; t < TIER_CHIPS.length; t++) {
    const ratio = get(i, unchecked(TIER_OVERSUB[t]));
    if (!(get(i, unchecked(TIER_CHIPS[t])) >= 0 && (ratio >= 1 || ratio == 0) && get(i, unchecked(TIER_LAT[t])) >= 0)) return false;
  }
  return true;
}

// ---- check what the formulas divide by (the facade reports these with field names) ----
// Returns 0 when the scenario can be timed, else the status code of the first failed check.
function checkScenario(i: StaticArray<f64>): f64 {
  if (!(layers >= 1 && h >= 1 && ffn >= 0 && heads >= 1 && kvHeads >= 1 && d >= 1 && vocab >= 1 &&
        seq >= 1 && batch >= 1 && tokens > 0 && (!moe || (topk >= 1 && topk <= experts && effn >= 1)))) {
    return L.ERR_SHAPE;
  }
  if (!(peak16 > 0 && hbmBytes > 0 && hbmBw > 0 && domain >= 1 && get(i, L.N_UP_BW) > 0 &&
        get(i, L.N_OUT_BW) > 0 && get(i, L.N_OVERSUB) >= 1 && best > 0 && memEff > 0 && attnEff > 0 &&
        tiersValid(i) && validTorusDims(get(i, L.N_UP_TORUS_DIMS)))) {
    return L.ERR_HARDWARE;
  }
  if (!(tp >= 1 && pp >= 1 && dp >= 1 && cp >= 1 && tp * pp * dp * cp == count)) return L.ERR_PLAN_PRODUCT;
  if (!(divides(tp, heads) && divides(tp, kvHeads) || (kvRank > 0 && divides(tp, heads)))) return L.ERR_HEADS;
  if (!(vpp >= 1 && pp * vpp <= layers)) return L.ERR_LAYERS;
  if (vpp > 1 && pp == 1) return L.ERR_INTERLEAVE;
  if (!divides(cp, seq)) return L.ERR_SEQ;
  // Experts shard over all of a stage's ranks, not only its DP ranks: ep * etp divides tp * cp * dp
  // (Megatron-Core MoE parallel folding; Liu et al. 2025, arXiv:2504.14960, Sec. 3).
  if (!(ep >= 1 && (ep == 1 || (moe && divides(ep, experts) && divides(ep * etp, tp * cp * dp))) &&
        (etp == 1 || etp == tp) && (!moe || imbalance >= 1))) {
    return L.ERR_EXPERTS;
  }
  if (!(mb >= 1 && divides(dp * mb, batch))) return L.ERR_BATCH;
  return 0;
}

// ---- hardware as the plan sees it ----
function hardwareAndPlacement(i: StaticArray<f64>): void {
  hbm = hbmBw * memEff;
  peakMat = fp8 && peak8raw > 0 ? peak8raw : peak16;
  bestMat = fp8 ? best * fp8Eff : best;
  elemMat = fp8 ? 1 : 2;
  upBw = get(i, L.N_UP_BW) * get(i, L.K_UP_EFF); upLat = get(i, L.N_UP_LAT); links = get(i, L.N_UP_LINKS);
  outBw = get(i, L.N_OUT_BW) * get(i, L.K_OUT_EFF) / get(i, L.N_OVERSUB); outLat = get(i, L.N_OUT_LAT);
  upReduce = get(i, L.N_UP_REDUCE) > 0; outReduce = get(i, L.N_OUT_REDUCE) > 0;
  // A torus job's slice: the whole job within one domain (pod), else one domain per slice (multislice).
  torusDims = get(i, L.N_UP_TORUS_DIMS); torusSideOf = torusSide(Math.min(count, domain), torusDims);
  // Placement, innermost first: TP, CP, the DP replicas an EP group spans, PP, rest of DP. Expert
  // layers renumber a stage's ranks as expert-TP, EP, expert-DP (CP folds into them), so an EP group
  // is ep ranks at stride etp (Megatron-Core's expert rank generator; MoE parallel folding,
  // arXiv:2504.14960, Sec. 3).
  epSpan = ep * etp;
  epReplicas = Math.max(1, Math.ceil(epSpan / (tp * cp)));
  tpUp = inDomain(tp, domain);
  cpUp = inDomain(tp * cp, domain);
  epUp = inDomain(epSpan, domain);
  ppUp = inDomain(tp * cp * epReplicas * pp, domain);
  dpUp = inDomain(count, domain);
}

// ---- shapes; parameters per chip, and memory: a plan that does not fit need not be timed ----
function shapesAndMemory(i: StaticArray<f64>, o: StaticArray<f64>): void {
  qk = qkHeadDim(d, kvRank, rope); vd = vHeadDim(d, kvRank, mlaV);
  mats = mlpMatrices(gated);
  const moeLayers = moe ? layers - get(i, L.M_MOE_DENSE_LAYERS) : 0;
  fMoe = moeLayers / layers; // share of MoE layers; stages are taken as average
  // Uneven splits put ceil(L / (p v)) layers in each chunk of the slowest stage (Llama 3 ran
  // 126 layers on 16 stages; arXiv:2407.21783, Sec. 3.3.2).
  stageLayers = Math.ceil(layers / (pp * vpp)) * vpp;
  tok = mb * seq / cp; // tokens per chip per microbatch (shared by the TP group)
  tsp = sp ? tp : 1; // divisor of h-wide elementwise work and activations

  attnP = attentionParams(h, heads, kvHeads, d, qRank, kvRank, rope, vd);
  denseMlpP = mats * h * ffn;
  expertP = mats * h * effn;
  normP = 2 * h;
  // MLA's down-projections are replicated across TP, as the time model runs them.
  const mlaDown = mlaDownParams(h, qRank, kvRank, rope);
  denseChip = stageLayers * (mlaDown + (attnP - mlaDown + (1 - fMoe) * denseMlpP) / tp + normP +
    fMoe * (shared * expertP / tp + h * experts)) + vocab * h / tp * (pp == 1 && tied == 0 ? 2 : 1);
  expertChip = moe ? stageLayers * fMoe * experts * expertP / (ep * etp) : 0;
  dpGroup = dp * cp;
  // Expert data parallelism spans every rank holding the same expert shard: world / (pp ep etp)
  // (Megatron-Core parallel_state, expert data-parallel group); with etp = 1 the TP ranks hold
  // full copies of their experts and join it.
  edpGroup = dpGroup * tp / (ep * etp);
  memoryPerChip(i, o, denseChip, expertChip, dpGroup, edpGroup, tok, tsp, micro);
}

// ---- one layer forward on one chip: matmul time, attention core, memory-bound time ----
function layerTimes(i: StaticArray<f64>): void {
  let mm: f64 = 0;
  mlaUp = 0;
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
  core = coreFlops / (peak16 * best * attnEff) + scores;
  // Dense MLP (used by dense models and the leading dense layers of MoE models).
  const denseMlp = gemmTime(tok, (mats - 1) * ffn / tp, h, 1, peakMat, bestMat, halfDim, elemMat, hbm) +
    gemmTime(tok, h, ffn / tp, 1, peakMat, bestMat, halfDim, elemMat, hbm);
  attnMm = mm; // the projections a TP pair's gather feeds and its scatter follows
  denseMlpMm = denseMlp;
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
  layerMm = mm + (1 - fMoe) * denseMlp + fMoe * moeMlp;
  layerMem = elementwise + (1 - fMoe) * denseAct + fMoe * moeAct;
  layerFwd = layerMm + core + layerMem;
  // Backward runs two GEMMs per forward GEMM (data and weight gradients) and twice the
  // elementwise traffic (Narayanan et al. 2021, Sec. 3.2: backward = 2x forward).
  layerTrain = 3 * layerFwd;
  let recomputeFwd: f64 = 0;
  recomputeMm = 0;
  recomputeMem = 0;
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
  head = 3 * gemmTime(tok, vocab / tp, h, 1, peak16, best, halfDim, 2, hbm) +
    streamTime(tok * vocab / tp * LOGIT_BYTES_PER_ELEM, hbm);

}

// One pass's TP pairs of `one` each, pipelined beside GEMMs that run `win` times the forward's.
function pipelinedPass(one: f64, win: f64, moePairs: f64): f64 {
  return exposedBehind(one, win * attnMm, tp) + (1 - fMoe) * exposedBehind(one, win * denseMlpMm, tp) +
    fMoe * moePairs * one;
}

// ---- communication per layer per microbatch ----
function layerCommunication(i: StaticArray<f64>): void {
  const actBytes = tok * h * ACT_BYTES; // one h-wide activation of the microbatch
  tpComm = 0;
  tpFwd = 0;
  headComm = 0;
  if (tp > 1) {
    const bw = tpUp ? upGroup(tp, 1, tp) : outBw, lat = tpUp ? upLat : outLat;
    // 2 all-reduces forward, 2 backward, 2 more when the full forward is recomputed; with sequence
    // parallelism each becomes an all-gather + reduce-scatter of equal volume (Korthikanti 2022, Sec. 4.2.2).
    // An all-reduce inside a domain whose switches reduce takes the cheaper of NCCL's ring/tree and
    // the switch's (NCCL's NVLS algorithm); gathers and scatters move the same bytes either way.
    const reduced = tpUp && upReduce ? Math.min(allReduce(tp, actBytes, bw, lat), allReduceInSwitch(tp, actBytes, bw, lat)) : allReduce(tp, actBytes, bw, lat);
    const one = sp ? 2 * allGather(tp, actBytes, bw, lat) : reduced;
    // An MoE layer's MLP pair moves the dispatched tokens instead: with experts split over the TP group
    // (etp = tp) the all-to-all's output, k copies per token, is all-gathered over TP and the combine
    // reduce-scattered (Megatron-Core MoEAlltoAllTokenDispatcher: "num_global_tokens = S/TP*B*TP*EP");
    // with etp = 1 the experts see only their EP shard and only shared experts keep the TP pair.
    const moePairs = (etp > 1 ? topk * imbalance : 0) + (shared > 0 ? 1 : 0);
    const pairs = 1 + (1 - fMoe) + fMoe * moePairs; // attention + MLP, per pass
    if (tpPipelined) {
      // Each pair's gather and scatter split into tp chunks that run beside the chunks of the GEMMs
      // they feed and follow (ring exchange; Wang et al. 2023, ASPLOS, "Overlap Communication with
      // Dependent Computation via Decomposition", Sec. 4; Transformer Engine userbuffers): the first
      // chunk and what outlasts the GEMMs show. Backward GEMMs run twice the forward's (dgrad + wgrad);
      // an MoE layer's expert pairs stay exposed (the grouped GEMM does not pipeline).
      tpFwd = pipelinedPass(one, 1, moePairs) * (1 - tpOverlap);
      tpComm = tpFwd * (recompute >= 2 ? 2 : 1) + pipelinedPass(one, 2, moePairs) * (1 - tpOverlap);
    } else {
      tpFwd = pairs * one * (1 - tpOverlap);
      tpComm = (recompute >= 2 ? 3 : 2) * tpFwd;
    }
    // The vocabulary-parallel LM head on the last stage: its input gathered (SP) and its input
    // gradient reduced over TP, one pair per microbatch (Megatron-LM ColumnParallelLinear output layer).
    headComm = one * (1 - tpOverlap);
  }
  epComm = 0;
  epBeside = 0;
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
    const one = allToAllSplit(ep, epIn, tok / tsp * topk * h * ACT_BYTES * imbalance, upForAllToAll(epIn, etp, etp * epIn, upBw, links, torusDims, torusSideOf), outBw, upLat, outLat, outScale);
    const all = fMoe * (recompute >= 2 ? 6 : 4) * one;
    if (epOverlap > 0) epBeside = all; else epComm = all;
  }
  cpComm = 0;
  if (cp > 1) {
    const bw = cpUp ? upGroup(cp, tp, tp * cp) : outBw, lat = cpUp ? upLat : outLat;
    // Ring attention: cp-1 K/V block exchanges forward, K/V and their gradients backward, each
    // overlapped with the attention block it feeds (Liu et al. 2023, Ring Attention, Sec. 3).
    const kv = kvRank > 0 ? heads * (qk + vd) / tp : 2 * kvHeads * d / tp;
    const step = sendRecv(mb * (seq / cp) * kv * ACT_BYTES, bw, lat);
    const fwd = (cp - 1) * step, bwd = 2 * (cp - 1) * step;
    cpComm = Math.max(0, fwd - core) + Math.max(0, bwd - 2 * core);
  }
  ppComm = 0;
  if (pp > 1) {
    const bw = ppUp ? upForPair(upBw, links, torusDims) : outBw, lat = ppUp ? upLat : outLat;
    // One activation forward and one gradient backward per model chunk; scatter/gather over the
    // TP group sends 1/tp of it (Narayanan et al. 2021, Sec. 4.1).
    ppComm = 2 * vpp * sendRecv(actBytes / tp, bw, lat);
  }

}

// ---- one microbatch through the slowest stage, then the pipeline ----
function pipeline(i: StaticArray<f64>): void {
  const firstStage = stageLayers * layerTrain + (pp == 1 ? head : 0);
  const lastStage = stageLayers * layerTrain + head;
  stageCompute = Math.max(firstStage, lastStage);
  stageMm = stageLayers * (3 * layerMm + (recompute >= 2 ? layerMm : recomputeMm)) + head;
  stageCore = stageLayers * (3 * core + (recompute >= 1 ? core : 0));
  // The memory-bound rest of the slowest (last) stage's layers, summed from its parts rather than
  // taken as stageCompute - stageMm - stageCore, which rounding pushes below zero when GEMMs dwarf it.
  stageMem = stageLayers * (3 * layerMem + recomputeMem);
  // An all-to-all run beside compute (DualPipe) still holds a share s of the compute units while it
  // runs (DeepSeek-V3, arXiv:2412.19437, Sec. 3.2.2: 20 of the H800's 132 SMs drive IB and NVLink):
  // compute C beside all-to-all T takes max(T, C + s T).
  const beside = stageLayers * epBeside;
  epShown = beside > 0 ? Math.max(beside - stageCompute, get(i, L.K_COMM_SM_SHARE) * beside) : 0;
  stageComm = stageLayers * (tpComm + epComm + cpComm) + headComm + ppComm + epShown;
  actOffload = activationOffload(i);
  perMicro = stageCompute + stageComm + actOffload;
  // 1F1B with v interleaved chunks: bubble = (p-1)/v microbatch times (Narayanan 2021, Sec. 2.2.2).
  bubble = (pp - 1) / vpp * perMicro;
  steady = micro * perMicro;

}

// Activation offload, per microbatch on the slowest stage: each offloaded layer's saved activations go
// down during the forward of the layer after it and come back during the backward of the layer after
// it (one layer ahead; Transformer Engine docs, "CPU Offloading": asynchronous transfers hidden behind
// computation, "the faster the link, the more effectively transfer time can be hidden"); each
// direction shows what outlasts that layer's compute.
function activationOffload(i: StaticArray<f64>): f64 {
  const offloaded = offloadedLayers(get(i, L.P_OFFLOAD_ACTIVATIONS), stageLayers);
  if (offloaded <= 0) return 0;
  const move = layerActivationBytes(i, tok, tp, tsp, fMoe, recompute, modules) / get(i, L.S_HOST_LINK_BW);
  return offloaded * (Math.max(0, move - layerFwd) + Math.max(0, move - (layerTrain - layerFwd)));
}

// What of `comm` stays exposed behind `window` seconds of compute when it runs in `chunks` buckets
// that start as the compute produces them: the last bucket, and whatever exceeds the window.
@inline function exposedBehind(comm: f64, window: f64, chunks: f64): f64 {
  return Math.max(comm / chunks, comm - window);
}

// Scale-up rate of a group of g ranks, `lo` apart within `hi`, on this domain's topology (collectives.ts).
function upGroup(g: f64, lo: f64, hi: f64): f64 {
  return upForGroup(g, lo, hi, upBw, links, torusDims, torusSideOf);
}

// A data-parallel collective of `bytes` per rank issued as `ops` collectives of bytes / ops: an
// all-reduce, or an all-gather / reduce-scatter; in one domain, or across domains with k = inDom
// ranks in each (collectives.ts); `lo`: its nearest members' distance in ranks (torusAxes); `out`: a NIC's
// rate as this group sees it.
function dpCollective(reduce: bool, group: f64, inDom: f64, lo: f64, bytes: f64, bw: f64, ops: f64, out: f64): f64 {
  const one = bytes / ops;
  if (!reduce) return ops * (dpUp ? allGather(group, one, bw, upLat) : allGatherAcross(group, inDom, one, bw, upLat, outLat, tierRing));
  // All-reduce: NCCL's cheapest of ring, tree and, where the switches reduce, the in-network one.
  if (dpUp) return ops * (upReduce ? Math.min(allReduce(group, one, bw, upLat), allReduceInSwitch(group, one, bw, upLat)) : allReduce(group, one, bw, upLat));
  const software = allReduceAcross(group, inDom, one, bw, upLat, outLat, tierRing, tierTree);
  return ops * (outReduce ? Math.min(software, allReduceInFabric(inDom, one, upGroup(inDom, lo, Math.min(count, domain)), out, upLat, outLat, upReduce, tierClimb)) : software);
}

// A DP group's rings through `nodes` domains against the tiers above the scale-out fabric: sets the
// latency sums tierRing, tierTree, tierClimb for its collectives, lowers dpPodShare (naming the
// tier) where a tier's layer slows it, and returns the share of a NIC its rings keep: the least
// over tiers, as every ring crosses each tier's layer (podShare). DP is the outermost dimension, so
// with dp > 1 a group reaches every unit of every tier, count / chips of them on average (the last
// may be partial).
function crossTiers(i: StaticArray<f64>, nodes: f64): f64 {
  tierRing = 0; tierTree = 0; tierClimb = 0;
  let share: f64 = 1;
  for (let t = 0; t < TIER_CHIPS.length; t++) {
    const chips = get(i, unchecked(TIER_CHIPS[t]));
    const units = dp > 1 && chips > 0 ? count / chips : 1;
    if (units <= 1) continue; // one unit: no boundary to cross
    const lat = get(i, unchecked(TIER_LAT[t]));
    tierRing += tierCrossings(units, nodes) * lat;
    tierTree += tierLevels(units, nodes) * lat;
    if (Math.min(units, nodes) > 1) tierClimb += lat;
    const tierShare = podShare(units, nodes, get(i, unchecked(TIER_OVERSUB[t])));
    share = Math.min(share, tierShare);
    if (tierShare < dpPodShare) { dpPodShare = tierShare; dpLimitingTier = t + 1; }
  }
  return share;
}

// ---- data parallelism and the optimizer ----
function dataParallelAndOptimizer(i: StaticArray<f64>): void {
  // A data-parallel group that spans domains but has k members in each runs one ring/tree per NIC,
  // so its collectives move k NICs' worth per chip, capped by scale-up (NCCL: one channel per NIC,
  // bus bandwidth = NICs per node x NIC rate; Jeaugey, NCCL 2.4 trees, NVIDIA blog 2019). k: ranks
  // of one group in a domain = ranks with the same TP index and PP stage (placement above).
  const stagesIn = Math.max(1, Math.min(pp, Math.floor(domain / (tp * cp * epReplicas))));
  const perDomain = Math.max(1, Math.min(dpGroup, Math.floor(domain / (tp * stagesIn))));
  const perDomainE = Math.max(1, Math.floor(perDomain * tp / (ep * etp)));
  // Data-parallel traffic per step by the window it can hide in (ZeRO stages: Rajbhandari et al.
  // 2020, arXiv:1910.02054, Secs. 5 and 7): `reduceOnce`, the gradient all-reduce (stage 0) or
  // reduce-scatter (stage 1) of the last microbatch; `reducePerMicro`, the reduce-scatter stages 2-3
  // run in every microbatch's backward; `gatherAfterStep`, stages 1-2's all-gather of the updated
  // weights; `gatherPerPass`, stage 3's weight gather before each forward and each backward
  // (3 x params volume with the reduce-scatter, Sec. 7.2.2). Each is issued as several collectives,
  // one per bucket (`chunks`) or, under stage 3, one per layer (FSDP units: Zhao et
  // al. 2023, VLDB 16(12), Sec. 3.1), and every collective pays its own latency.
  // Gradients (and the updated weights) move in buckets that start as the backward fills them;
  // the last starts when the backward ends, so 1/buckets stays exposed (NeMo docs, Communication
  // Overlap: "exposes only one DP communication chunk"). Megatron-Core sizes a bucket at
  // max(40M, 1M x DP size) parameters so that large groups stay bandwidth-bound, and without overlap
  // issues one collective (megatron/core/distributed/distributed_data_parallel_config.py,
  // bucket_size); with interleaving only the first model chunk is bucketed, the others are one
  // bucket each, "overlapped with compute anyway" (distributed_data_parallel.py), so each of the v
  // chunks is a bucket.
  const bucketParams = Math.max(40e6, 1e6 * dpGroup);
  const chunks = !dpOverlap ? 1 : pp > 1 && vpp > 1 ? vpp :
    Math.max(1, Math.ceil((denseChip + expertChip) / bucketParams));
  dpPodShare = 1;
  dpLimitingTier = 0;
  let reduceOnce: f64 = 0, reducePerMicro: f64 = 0, gatherAfterStep: f64 = 0, gatherPerPass: f64 = 0;
  for (let part = 0; part < 2; part++) {
    const params = part == 0 ? denseChip : expertChip;
    const group = part == 0 ? dpGroup : edpGroup;
    const inDom = part == 0 ? perDomain : perDomainE;
    if (params <= 0 || group <= 1) continue;
    const share = dpUp ? 1 : crossTiers(i, group / inDom);
    const out = outBw * share;
    // DP is outermost, so a group reaches the end of the job's slice; its nearest members are tp
    // apart (CP, or DP replicas an EP group spans), else tp pp (placement above); an expert-DP
    // group's, ep etp (its stage's expert layout).
    const lo = part == 1 ? ep * etp : cp > 1 || epReplicas > 1 ? tp : tp * pp;
    const slice = Math.min(count, domain);
    const dpBw = dpUp ? upGroup(group, lo, slice) : Math.min(upGroup(inDom, lo, slice), out * inDom);
    const grads = params * get(i, L.P_GRAD_BYTES), weights = params * 2;
    const ops = zero >= 3 ? stageLayers : chunks;
    if (zero < 1) reduceOnce += dpCollective(true, group, inDom, lo, grads, dpBw, ops, out);
    else if (zero < 2) reduceOnce += dpCollective(false, group, inDom, lo, grads, dpBw, ops, out);
    else reducePerMicro += dpCollective(false, group, inDom, lo, grads, dpBw, ops, out);
    if (zero >= 1 && zero < 3) gatherAfterStep += dpCollective(false, group, inDom, lo, weights, dpBw, ops, out);
    if (zero >= 3) gatherPerPass += dpCollective(false, group, inDom, lo, weights, dpBw, ops, out);
  }
  // Each kind hides only behind the compute its schedule puts beside it (overlap that runs out):
  // a microbatch's backward (recompute included) on this stage for gradient reductions, whose
  // buckets fill as it runs (PyTorch DDP, Li et al. 2020, VLDB 13(12), Sec. 3.2.3); one forward for
  // the gather of updated weights, which the next step's first forward waits on bucket by bucket
  // (Megatron-Core --overlap-param-gather; NeMo docs, Communication Overlap); one forward, and one
  // backward, for stage 3's per-layer gathers, prefetched one layer ahead (FSDP, Zhao et al. 2023,
  // VLDB 16(12), Sec. 3.3 and 4.2: forward implicit prefetch, backward prefetch). Whatever exceeds
  // its window is exposed; pipeline stages other than the first finish early and wait for it anyway.
  // A pass lasts its compute and the TP communication it exposes; the NICs carry DP traffic all along.
  const fwdWindow = stageLayers * (layerFwd + tpFwd);
  const bwdWindow = stageLayers * (layerTrain - layerFwd + tpComm - tpFwd);
  // Stage 3 gathers layer by layer (FSDP units): the first layer's gather of each pass has nothing
  // to hide behind. Its gradient reduce-scatter shares the backward window with the backward's
  // gathers (one NIC serves both); without overlap it waits for the backward to end.
  const stage3 = gatherPerPass <= 0 ? 0 : micro * (exposedBehind(gatherPerPass, fwdWindow, stageLayers) +
    (dpOverlap
      ? exposedBehind(gatherPerPass + reducePerMicro, bwdWindow, stageLayers)
      : exposedBehind(gatherPerPass, bwdWindow, stageLayers) + reducePerMicro));
  const reducePerMicroAlone = gatherPerPass > 0 ? 0 : reducePerMicro; // stage 2
  dpExposed = stage3 + (dpOverlap
    ? exposedBehind(reduceOnce, bwdWindow, chunks) + micro * exposedBehind(reducePerMicroAlone, bwdWindow, chunks) +
      exposedBehind(gatherAfterStep, fwdWindow, chunks)
    : reduceOnce + micro * reducePerMicroAlone + gatherAfterStep);
  // The optimizer updates the shard this chip owns: all of it, or 1/group under ZeRO >= 1.
  const owned = zero >= 1 ? denseChip / dpGroup + expertChip / edpGroup : denseChip + expertChip;
  optimizer = streamTime(OPTIMIZER_BYTES_PER_PARAM * owned, hbm);
  cpuOptimizer = 0;
  optOffload = 0;
  if (get(i, L.P_OFFLOAD_OPTIMIZER) > 0) {
    // ZeRO-Offload (Ren et al. 2021, arXiv:2101.06840, Secs. 4.2-4.3): the gradients go down bucket by
    // bucket as the backward produces them (hidden like the reduction's buckets above), the CPU runs
    // Adam streaming the same bytes through host memory, and the updated bf16 weights come back up;
    // the step and the upload wait on each other and on nothing else, so both show (the paper's
    // one-step delayed update, Sec. 4.3.2, hides them but changes the update rule: not modelled).
    const link = get(i, L.S_HOST_LINK_BW);
    const down = owned * get(i, L.P_GRAD_BYTES) / link, up = owned * 2 / link;
    cpuOptimizer = streamTime(OPTIMIZER_BYTES_PER_PARAM * owned, get(i, L.S_HOST_MEM_BW));
    optOffload = (dpOverlap ? exposedBehind(down, bwdWindow, chunks) : down) + cpuOptimizer + up;
    optimizer = 0;
  }

}

// ---- stragglers: every rank meets every other at the step's gradient reduction and optimizer
// (Megatron's global gradient-norm all-reduce spans all ranks), so the step waits for the slowest ----
function stragglers(i: StaticArray<f64>): void {
  straggler = stragglerTime(get(i, L.K_STRAGGLER_CV), micro * stageCompute + optimizer + cpuOptimizer, count);
}

// ---- the step, its FLOPs (model vs hardware, whole cluster), parameters and breakdown ----
function writeResults(i: StaticArray<f64>, o: StaticArray<f64>): void {
  const stepS = steady + bubble + dpExposed + optimizer + optOffload + straggler + get(i, L.K_STEP_OVERHEAD_S);

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
  put(o, L.O_STRAGGLER_S, straggler);
  put(o, L.O_DP_POD_SHARE, dpPodShare);
  put(o, L.O_TORUS_SIDE, torusSideOf);
  put(o, L.O_TP_UP_SHARE, tp > 1 && tpUp ? upGroup(tp, 1, tp) / upBw : 1);
  put(o, L.O_DP_LIMITING_TIER, dpLimitingTier);
  put(o, L.O_OFFLOAD_S, micro * actOffload + optOffload);

  runTotals(i, o, stepS, layers * layerP + embedP);
}
