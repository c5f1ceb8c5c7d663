// Serving one model: prefill (compute-bound) and decode (HBM-bound: weights and KV cache read per
// step), per operator on the roofline, on an instance of pp stages of max(tp, ep) chips; then the
// largest batch whose KV cache fits, throughput, power and cost. Reads the main input buffer (model,
// chip, network, datacenter, calibration slots) and the serving buffer; allocates nothing.
// The cost model follows Pope et al. 2022, "Efficiently Scaling Transformer Inference"
// (arXiv:2211.05102), Sec. 2-3: decode time = weight and KV bytes / bandwidth when memory-bound,
// 2 FLOPs per parameter per token / peak when compute-bound, plus the collectives of the layout.
// Speculative decoding and multi-token prediction are off.
import * as L from "./layout";
import { allReduce, allToAll, allToAllSplit, allToAllDirect, sendRecv, inDomain, torusSide, validTorusDims, upForGroup, upForPair, upForAllToAll } from "./collectives";
import { weightGemmTime, opTime, resetSeen, flopsSeen, bytesSeen } from "./roofline";
import { attentionParams, attentionCoreFlops, qkHeadDim, vHeadDim, mlpMatrices, mlaDownParams, nodeLimitedShare } from "./shape";
import { facilityWatts, usdPerSecond } from "./run";

const ACT_BYTES: f64 = 2; // BF16 activations
// Embedding and LM head stay BF16 in quantized checkpoints (NVIDIA TensorRT Model Optimizer's
// default FP8/INT4 configs disable "*lm_head*"; AWQ, Lin et al. 2024, quantizes linear layers only).
const HEAD_BYTES: f64 = 2;

@inline function get(i: StaticArray<f64>, slot: i32): f64 {
  return unchecked(i[slot]);
}
@inline function put(o: StaticArray<f64>, slot: i32, v: f64): void {
  unchecked((o[slot] = v));
}
@inline function divides(a: f64, b: f64): bool {
  return a >= 1 && b % a == 0;
}

// The call's model, hardware and layout, set once by serve() (module state, so no allocation).
let h: f64 = 0, ffn: f64 = 0, heads: f64 = 0, kvHeads: f64 = 0, d: f64 = 0, vocab: f64 = 0;
let experts: f64 = 0, topk: f64 = 0, shared: f64 = 0, effn: f64 = 0, fMoe: f64 = 0, mats: f64 = 0;
let qRank: f64 = 0, kvRank: f64 = 0, rope: f64 = 0, qk: f64 = 0, vd: f64 = 0, maxNodes: f64 = 0;
let tp: f64 = 1, pp: f64 = 1, ep: f64 = 1, etp: f64 = 1, stageLayers: f64 = 1, kvChip: f64 = 0;
let wB: f64 = 2, kvB: f64 = 2, peakMat: f64 = 0, bestMat: f64 = 0, halfDim: f64 = 0;
let peakAttn: f64 = 0, hbm: f64 = 0, domain: f64 = 1, upBw: f64 = 0, upLat: f64 = 0;
let outBw: f64 = 0, outLat: f64 = 0, links: f64 = 0, stageChips: f64 = 1, fp8Dispatch: bool = false;
let torusDims: f64 = 0, torusSideOf: f64 = 0;
// FLOPs, HBM bytes and communication time of the last stage() call, per chip.
let stageFlops: f64 = 0, stageBytes: f64 = 0, stageComm: f64 = 0;

/** A GEMM of `m` tokens by a k x n weight stored at the serving precision, `count` times. */
@inline function gemm(m: f64, n: f64, k: f64, count: f64): f64 {
  return weightGemmTime(m, n, k, count, peakMat, bestMat, halfDim, wB, ACT_BYTES, hbm);
}

/**
 * KV-cache elements per token per layer on one chip: MLA caches the compressed latent and the
 * decoupled RoPE key, d_c + d_h^R, whole on every TP rank (DeepSeek-V2, arXiv:2405.04434, Sec. 2.1.2,
 * Table 1); GQA caches K and V of its kv heads, 2 n_kv d, split over TP (Ainslie et al. 2023).
 */
@inline function kvElemsPerChip(): f64 {
  return kvRank > 0 ? kvRank + rope : 2 * kvHeads * d / tp;
}

/** Attention of one layer: projections, the core over `keys` keys, output projection. */
function attention(b: f64, keys: f64, decode: bool): f64 {
  const hq = heads / tp;
  let t: f64 = 0;
  let core: f64 = 0;
  if (kvRank > 0) {
    // MLA: down-projections replicated across TP, head-sharded up-projections (DeepSeek-V2 eqs. 9-19).
    if (qRank > 0) t += gemm(b, qRank, h, 1);
    t += gemm(b, hq * qk, qRank > 0 ? qRank : h, 1);
    t += gemm(b, kvRank + rope, h, 1);
    if (decode) {
      // Decode absorbs W_UK into the query and W_UV after the core, attending over the cached latent
      // itself (DeepSeek-V2, Sec. 2.1.2; FlashMLA): per head, q_nope x W_UK and latent x W_UV.
      t += gemm(b, kvRank, d, hq) + gemm(b, vd, kvRank, hq);
      core = attentionCoreFlops(keys, hq, kvRank + rope, kvRank);
    } else {
      // Prefill expands K and V from the latent and runs ordinary attention.
      t += gemm(b, hq * (d + vd), kvRank, 1);
      core = attentionCoreFlops(keys, hq, qk, vd);
    }
  } else {
    t += gemm(b, (heads + 2 * kvHeads) * d / tp, h, 1);
    core = attentionCoreFlops(keys, hq, d, d);
  }
  // Decode reads every cached key and value of its sequences once (FlashDecoding); prefill writes
  // the new tokens' entries and keeps the rest on-chip (FlashAttention, Dao et al. 2022).
  const kvBytes = decode ? b * keys * kvElemsPerChip() * kvB : b * kvElemsPerChip() * kvB;
  t += opTime(b * core, kvBytes, peakAttn, hbm);
  return t + gemm(b, h, hq * vd, 1);
}

/** Dense MLP of one layer for `b` tokens: gate and up (or one input matrix), then down, split over TP. */
@inline function denseMlp(b: f64, width: f64): f64 {
  return gemm(b, (mats - 1) * width / tp, h, 1) + gemm(b, h, width / tp, 1);
}

/**
 * MoE MLP of one layer on one chip: `b` tokens of its attention group through the router and the
 * shared experts; `tokens` tokens of the whole stage routed k ways over ep ranks, each chip holding
 * experts/ep experts split etp ways. Only experts that receive a token are read: with k of E chosen
 * per token, an expert is idle for all `tokens` with probability (1 - k/E)^tokens (uniform routing;
 * the occupancy problem, Feller 1968, Vol. 1, Sec. II.11).
 */
function moeMlp(b: f64, tokens: f64): f64 {
  const local = experts / ep;
  const active = local * (1 - Math.pow(1 - topk / experts, tokens));
  const copies = tokens * topk / ep; // balanced over the EP group
  let t = weightGemmTime(b, experts, h, 1, peakMat, bestMat, halfDim, HEAD_BYTES, ACT_BYTES, hbm);
  if (active > 0) {
    const m = copies / active;
    t += gemm(m, (mats - 1) * effn / etp, h, active) + gemm(m, h, effn / etp, active);
  }
  if (shared > 0) t += denseMlp(b, shared * effn);
  return t;
}

/** One expert all-to-all (dispatch or combine) of `bytes` per chip. */
function expertExchange(bytes: f64, decode: bool): f64 {
  if (inDomain(stageChips, domain)) return allToAll(ep, bytes, upForAllToAll(ep, etp, etp * ep, upBw, links, torusDims, torusSideOf), upLat);
  if (decode) return allToAllDirect(ep, bytes, outBw, outLat);
  const epIn = Math.max(1, Math.min(ep, Math.floor(domain / etp)));
  return allToAllSplit(ep, epIn, bytes, upForAllToAll(epIn, etp, etp * epIn, upBw, links, torusDims, torusSideOf), outBw, upLat, outLat, nodeLimitedShare(maxNodes, ep, epIn, topk));
}

/**
 * One pass through the fullest pipeline stage on one chip: `b` tokens per attention group (`seqs`
 * sequences of them reach the LM head), `tokens` tokens through the stage's experts, each query over
 * `keys` keys. Sets stageFlops, stageBytes (compute ops) and stageComm.
 */
function stage(b: f64, seqs: f64, tokens: f64, keys: f64, decode: bool): f64 {
  resetSeen();
  const attn = attention(b, keys, decode);
  const fa = flopsSeen, ba = bytesSeen;
  resetSeen();
  const dense = fMoe < 1 ? denseMlp(b, ffn) : 0;
  const fd = flopsSeen, bd = bytesSeen;
  resetSeen();
  const moe = fMoe > 0 ? moeMlp(b, tokens) : 0;
  const fm = flopsSeen, bm = bytesSeen;
  resetSeen();
  // The LM head of the last stage (the fullest stage holds it when the layers split evenly).
  const head = weightGemmTime(seqs, vocab / tp, h, 1, peakMat, bestMat, halfDim, HEAD_BYTES, ACT_BYTES, hbm);
  stageFlops = stageLayers * (fa + (1 - fMoe) * fd + fMoe * fm) + flopsSeen;
  stageBytes = stageLayers * (ba + (1 - fMoe) * bd + fMoe * bm) + bytesSeen;

  // Per layer: two TP all-reduces of the tokens' h-wide activations, after attention and after the
  // MLP (Shoeybi et al. 2019, Megatron-LM, arXiv:1909.08053, Sec. 3).
  let comm: f64 = 0;
  if (tp > 1) {
    const up = inDomain(tp, domain);
    comm += 2 * allReduce(tp, b * h * ACT_BYTES, up ? upForGroup(tp, 1, tp, upBw, links, torusDims, torusSideOf) : outBw, up ? upLat : outLat);
  }
  // MoE layers: dispatch and combine all-to-all of each chip's share of the tokens, k copies each
  // (GShard, Lepikhin et al. 2021, Sec. 3.2; DeepSeek-V3, arXiv:2412.19437, Sec. 3.2.2), dispatched
  // in FP8 when the matmuls are, combined in BF16 (DeepEP README: "FP8 dispatching, BF16 combining").
  // An EP group inside one scale-up domain exchanges over it; across domains, prefill forwards
  // through the domain with node-limited routing (DeepEP normal kernels, as training does) and
  // decode sends every copy straight over RDMA (DeepEP low-latency kernels).
  if (fMoe > 0 && ep > 1) {
    const copies = b / tp * topk * h;
    comm += fMoe * (expertExchange(copies * (fp8Dispatch ? 1 : ACT_BYTES), decode) + expertExchange(copies * ACT_BYTES, decode));
  }
  stageComm = stageLayers * comm;
  // The next stage gets the activations, 1/tp from each TP rank (Narayanan et al. 2021, Sec. 4.1).
  if (pp > 1) {
    const up = inDomain(stageChips * 2, domain);
    stageComm += sendRecv(b * h * ACT_BYTES / tp, up ? upForPair(upBw, links, torusDims) : outBw, up ? upLat : outLat);
  }
  return stageLayers * (attn + (1 - fMoe) * dense + fMoe * moe) + head + stageComm;
}

export function serve(i: StaticArray<f64>, s: StaticArray<f64>, o: StaticArray<f64>): void {
  for (let k = 0; k < L.SO_OUT_SIZE; k++) unchecked((o[k] = 0));
  const layers = get(i, L.M_LAYERS);
  h = get(i, L.M_HIDDEN); ffn = get(i, L.M_FFN); heads = get(i, L.M_HEADS);
  kvHeads = get(i, L.M_KV_HEADS); d = get(i, L.M_HEAD_DIM); vocab = get(i, L.M_VOCAB);
  experts = get(i, L.M_MOE_EXPERTS); topk = get(i, L.M_MOE_ACTIVE);
  shared = get(i, L.M_MOE_SHARED); effn = get(i, L.M_MOE_FFN); maxNodes = get(i, L.M_MOE_MAX_NODES);
  qRank = get(i, L.M_MLA_Q_RANK); kvRank = get(i, L.M_MLA_KV_RANK); rope = get(i, L.M_MLA_ROPE_DIM);
  qk = qkHeadDim(d, kvRank, rope); vd = vHeadDim(d, kvRank, get(i, L.M_MLA_V_DIM));
  mats = mlpMatrices(get(i, L.M_GATED));
  const moe = experts > 0;
  const input = get(s, L.SV_INPUT), output = get(s, L.SV_OUTPUT), batchIn = get(s, L.SV_BATCH);
  tp = get(s, L.SV_TP); pp = get(s, L.SV_PP); ep = get(s, L.SV_EP);
  wB = get(s, L.SV_WEIGHT_BYTES); kvB = get(s, L.SV_KV_BYTES);
  const count = get(i, L.S_COUNT), hbmBytes = get(i, L.C_HBM_BYTES), hbmBw = get(i, L.C_HBM_BW);
  const peak16 = get(i, L.C_PEAK_BF16), peak8 = get(i, L.C_PEAK_FP8);
  const best = get(i, L.K_MATMUL_EFF), memEff = get(i, L.K_MEM_EFF), attnEff = get(i, L.K_ATTN_EFF);
  const fraction = get(s, L.SV_MEM_FRACTION);

  // ---- check what the formulas divide by (the facade reports these with field names) ----
  if (!(layers >= 1 && h >= 1 && ffn >= 0 && heads >= 1 && kvHeads >= 1 && d >= 1 && vocab >= 1 &&
        (!moe || (topk >= 1 && topk <= experts && effn >= 1)) && input >= 1 && output >= 1 &&
        wB > 0 && kvB > 0)) {
    put(o, L.SO_STATUS, L.ERR_SHAPE); return;
  }
  if (!(peak16 > 0 && hbmBytes > 0 && hbmBw > 0 && get(i, L.N_DOMAIN) >= 1 && get(i, L.N_UP_BW) > 0 &&
        get(i, L.N_OUT_BW) > 0 && get(i, L.N_OVERSUB) >= 1 && best > 0 && memEff > 0 && attnEff > 0 &&
        fraction > 0 && fraction <= 1 && validTorusDims(get(i, L.N_UP_TORUS_DIMS)))) {
    put(o, L.SO_STATUS, L.ERR_HARDWARE); return;
  }
  if (!(divides(tp, heads) && (kvRank > 0 || divides(tp, kvHeads)))) { put(o, L.SO_STATUS, L.ERR_HEADS); return; }
  if (!(pp >= 1 && pp <= layers && pp == Math.floor(pp))) { put(o, L.SO_STATUS, L.ERR_LAYERS); return; }
  // Experts fold over the stage's ranks: ep and tp nest, so a stage is max(tp, ep) chips and experts
  // split etp = stage / ep ways (MoE parallel folding, Liu et al. 2025, arXiv:2504.14960, Sec. 3).
  if (!(ep >= 1 && (ep == 1 || (moe && divides(ep, experts) && (ep % tp == 0 || tp % ep == 0))))) {
    put(o, L.SO_STATUS, L.ERR_EXPERTS); return;
  }
  stageChips = Math.max(tp, ep);
  const instanceChips = stageChips * pp;
  if (!(count >= 1 && count % instanceChips == 0)) { put(o, L.SO_STATUS, L.ERR_PLAN_PRODUCT); return; }
  if (!(batchIn >= 0 && batchIn == Math.floor(batchIn))) { put(o, L.SO_STATUS, L.ERR_BATCH); return; }

  // ---- hardware as the layout sees it ----
  const fp8 = get(s, L.SV_FP8) > 0 && peak8 > 0;
  peakMat = fp8 ? peak8 : peak16;
  fp8Dispatch = get(s, L.SV_FP8) > 0;
  bestMat = fp8 ? best * get(i, L.K_FP8_EFF) : best;
  halfDim = get(i, L.K_MATMUL_HALF_DIM);
  peakAttn = peak16 * best * attnEff;
  hbm = hbmBw * memEff;
  domain = get(i, L.N_DOMAIN); links = get(i, L.N_UP_LINKS);
  // The serving job's torus slice, as training takes it (simulate.ts).
  torusDims = get(i, L.N_UP_TORUS_DIMS); torusSideOf = torusSide(Math.min(count, domain), torusDims);
  upBw = get(i, L.N_UP_BW) * get(i, L.K_UP_EFF); upLat = get(i, L.N_UP_LAT);
  outBw = get(i, L.N_OUT_BW) * get(i, L.K_OUT_EFF) / get(i, L.N_OVERSUB); outLat = get(i, L.N_OUT_LAT);
  etp = stageChips / ep;
  fMoe = moe ? (layers - get(i, L.M_MOE_DENSE_LAYERS)) / layers : 0;
  stageLayers = Math.ceil(layers / pp);
  const groups = stageChips / tp; // attention data-parallel groups of a stage, each with its own requests

  // ---- memory per chip: weights of the fullest stage, then as many requests' KV caches as fit ----
  const attnP = attentionParams(h, heads, kvHeads, d, qRank, kvRank, rope, vd);
  const mlaDown = mlaDownParams(h, qRank, kvRank, rope);
  const expertP = mats * h * effn;
  const layerChip = mlaDown + (attnP - mlaDown) / tp + 2 * h + (1 - fMoe) * mats * h * ffn / tp +
    fMoe * (experts / ep * expertP / etp + shared * expertP / tp + h * experts);
  const embedChip = vocab * h / tp * (pp == 1 && get(i, L.M_TIED) == 0 ? 2 : 1);
  const weights = stageLayers * layerChip * wB + embedChip * HEAD_BYTES;
  kvChip = stageLayers * kvElemsPerChip() * kvB; // per token of a request the chip serves
  const capacity = hbmBytes * fraction;
  const kvPerRequest = kvChip * (input + output); // a request's cache at its full context
  const maxBatch = weights < capacity ? Math.floor((capacity - weights) / kvPerRequest) * groups : 0;
  const batch = batchIn > 0 ? batchIn : Math.max(maxBatch, 1);
  const kv = kvPerRequest * batch / groups;
  const total = weights + kv;
  const fits = maxBatch >= 1 && total <= capacity;

  // ---- prefill: the batch's prompts in pp microbatches through the pipeline, forward only. Serving
  // schedules per iteration, so the next microbatch enters a stage as soon as it frees and the
  // pipeline never drains: p stage passes per p microbatches, no GPipe bubble (Orca, Yu et al.
  // 2022, OSDI, Sec. 4.3). Causal attention averages s/2 keys per query (FlashAttention-2, Dao
  // 2023, Sec. 3.1.1). ----
  const micro = batch / pp;
  const prefillStage = stage(micro * input / groups, micro / groups, micro * input, input / 2, false);
  const prefillS = pp * prefillStage;
  put(o, L.SO_PREFILL_COMPUTE_S, pp * stageFlops / peakMat);
  put(o, L.SO_PREFILL_MEM_S, pp * stageBytes / hbm);
  put(o, L.SO_PREFILL_COMM_S, pp * stageComm);
  // Time to first token: one prompt alone on its instance, through every stage in turn.
  const ttft = pp * stage(input, 1, input, input / 2, false);

  // ---- decode: one token for every request; the pp microbatches keep every stage busy, so a
  // request advances once per pp stage passes, at the average context of its generation ----
  const tpot = pp * stage(micro / groups, micro / groups, micro, input + output / 2, true);
  put(o, L.SO_DECODE_COMPUTE_S, pp * stageFlops / peakMat);
  put(o, L.SO_DECODE_MEM_S, pp * stageBytes / hbm);
  put(o, L.SO_DECODE_COMM_S, pp * stageComm);

  const e2e = batch * output / (prefillS + output * tpot) / instanceChips;
  const facilityW = facilityWatts(i, count);
  put(o, L.SO_STAGE_CHIPS, stageChips);
  put(o, L.SO_INSTANCE_CHIPS, instanceChips);
  put(o, L.SO_INSTANCES, count / instanceChips);
  put(o, L.SO_MAX_BATCH, maxBatch);
  put(o, L.SO_BATCH, batch);
  put(o, L.SO_WEIGHTS, weights);
  put(o, L.SO_KV, kv);
  put(o, L.SO_MEM_TOTAL, total);
  put(o, L.SO_FITS, fits ? 1 : 0);
  put(o, L.SO_CAPACITY, capacity);
  put(o, L.SO_KV_PER_TOKEN, layers * (kvRank > 0 ? kvRank + rope : 2 * kvHeads * d) * kvB);
  put(o, L.SO_PREFILL_S, prefillS);
  put(o, L.SO_PREFILL_TOK, batch * input / prefillS / instanceChips);
  put(o, L.SO_TTFT_S, ttft);
  put(o, L.SO_TPOT_S, tpot);
  put(o, L.SO_DECODE_TOK, batch / tpot / instanceChips);
  put(o, L.SO_E2E_TOK, e2e);
  put(o, L.SO_FACILITY_W, facilityW);
  put(o, L.SO_TOKENS_PER_J, facilityW > 0 ? e2e * count / facilityW : 0);
  put(o, L.SO_USD_PER_MTOK, usdPerSecond(i, count, facilityW) / (e2e * count) * 1e6);
}
