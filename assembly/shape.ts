// Parameter and FLOP counts of a decoder-only transformer, per layer and per token.
// Forward FLOPs of a matmul = 2 * params touched (Kaplan et al. 2020, arXiv:2001.08361, Table 1);
// attention core = 2 * seq * (qk dim + v dim) per token, counted over the full (non-causal)
// square as in Narayanan et al. 2021 (arXiv:2104.04473, eq. 3) and PaLM (Chowdhery et al. 2022, App. B).

/** Query/key width per head: MLA adds the decoupled RoPE dims (DeepSeek-V2, arXiv:2405.04434, Sec. 2.1.3). */
@inline export function qkHeadDim(headDim: f64, mlaKvRank: f64, ropeDim: f64): f64 {
  return mlaKvRank > 0 ? headDim + ropeDim : headDim;
}

/** Value width per head. */
@inline export function vHeadDim(headDim: f64, mlaKvRank: f64, mlaVDim: f64): f64 {
  return mlaKvRank > 0 ? mlaVDim : headDim;
}

/** MLA's down-projections W_DQ (when queries are compressed), W_DKV and W_KR: replicated across TP. */
@inline export function mlaDownParams(h: f64, qRank: f64, kvRank: f64, rope: f64): f64 {
  return kvRank > 0 ? (qRank > 0 ? h * qRank : 0) + h * (kvRank + rope) : 0;
}

/**
 * MLA's projections to per-head Q, K and V: W_UQ (W_Q from h when queries are not compressed),
 * W_UK + W_UV; what Megatron-Core's `mla_up_proj` recompute module re-runs
 * (DeepSeek-V2 eqs. 12-17; DeepSeek-V3 Sec. 3.3.3).
 */
@inline export function mlaUpParams(h: f64, heads: f64, qk: f64, vd: f64, d: f64, qRank: f64, kvRank: f64): f64 {
  return kvRank > 0 ? (qRank > 0 ? qRank : h) * heads * qk + kvRank * heads * (d + vd) : 0;
}

/** Attention projection parameters of one layer (no biases, no norms). */
export function attentionParams(
  h: f64, heads: f64, kvHeads: f64, d: f64,
  qRank: f64, kvRank: f64, rope: f64, vDim: f64,
): f64 {
  if (kvRank > 0) {
    // MLA: W_DQ, W_UQ (or W_Q), W_DKV + W_KR, W_UK + W_UV, W_O (DeepSeek-V2 eqs. 9-19).
    return mlaDownParams(h, qRank, kvRank, rope) + mlaUpParams(h, heads, d + rope, vDim, d, qRank, kvRank) + heads * vDim * h;
  }
  // MHA/GQA/MQA: W_Q (h x a d), W_K and W_V (h x k d each), W_O (a d x h) (Ainslie et al. 2023, GQA).
  return h * (heads * d + 2 * kvHeads * d) + heads * d * h;
}

/**
 * Routed token copies one chip holds per microbatch, paced by the busiest expert: k per token,
 * TP-gathered when experts are split over TP (etp > 1), else the chip's sequence-parallel shard
 * (Megatron-Core MoEAlltoAllTokenDispatcher).
 */
@inline export function dispatchedCopies(tok: f64, topk: f64, imbalance: f64, etp: f64, tsp: f64): f64 {
  return tok * topk * imbalance / (etp > 1 ? 1 : tsp);
}

/** Forward attention-core FLOPs per token per layer: Q K^T plus softmax(.) V over `seq` keys. */
@inline export function attentionCoreFlops(seq: f64, heads: f64, qk: f64, v: f64): f64 {
  return 2 * seq * heads * qk + 2 * seq * heads * v;
}

/** Matrices in an MLP: 3 for gated (SwiGLU, Shazeer 2020, arXiv:2002.05202), 2 otherwise. */
@inline export function mlpMatrices(gated: f64): f64 {
  return gated > 0 ? 3 : 2;
}

/**
 * Share of a token's k routed copies that cross scale-out when routing is node-limited: a token goes
 * once to each of at most M target domains (no more than the `ep / epIn` domains its group spans)
 * and fans out inside them (DeepSeek-V3, arXiv:2412.19437, Secs. 2.1.2 and 3.2.2); 1 = no limit.
 */
@inline export function nodeLimitedShare(maxNodes: f64, ep: f64, epIn: f64, topk: f64): f64 {
  return maxNodes > 0 ? Math.min(Math.min(maxNodes, Math.ceil(ep / epIn)), topk) / topk : 1;
}
