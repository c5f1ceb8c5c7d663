// Wire layout between the TypeScript facade and the core: slot indices into the two
// preallocated f64 buffers. Plain TypeScript (no AssemblyScript types) so that both
// asc and tsc compile it; the facade imports it, the core never imports the facade.

/** Bump when a slot moves or changes meaning; the facade refuses a mismatched core. */
export const ABI_VERSION = 18;

// ---- input slots (SI units) ----
// model shape
export const M_LAYERS = 0; // transformer layers
export const M_HIDDEN = 1; // model width d
export const M_FFN = 2; // dense MLP hidden size
export const M_HEADS = 3; // attention (query) heads
export const M_KV_HEADS = 4; // key/value heads (GQA/MQA; = heads for MHA)
export const M_HEAD_DIM = 5; // per-head query/key width (MLA: the "nope" part)
export const M_VOCAB = 6; // vocabulary size
export const M_GATED = 7; // 1 = SwiGLU-style gated MLP (3 matrices), 0 = plain (2)
export const M_TIED = 8; // 1 = LM head shares the embedding matrix
export const M_MOE_EXPERTS = 9; // 0 = dense model
export const M_MOE_ACTIVE = 10; // routed experts per token (top-k)
export const M_MOE_SHARED = 11; // always-on shared experts
export const M_MOE_FFN = 12; // hidden size of one expert
export const M_MOE_DENSE_LAYERS = 13; // leading layers with a dense MLP
export const M_MLA_Q_RANK = 14; // MLA query low-rank (0 = no query compression)
export const M_MLA_KV_RANK = 15; // MLA KV low-rank; > 0 selects MLA attention
export const M_MLA_ROPE_DIM = 16; // decoupled RoPE dim per head
export const M_MLA_V_DIM = 17; // value head dim (qk "nope" dim is M_HEAD_DIM)
// training
export const T_TOKENS = 18; // training tokens in the whole run
export const T_SEQ = 19; // sequence length, tokens
export const T_GLOBAL_BATCH = 20; // sequences
export const T_FP8 = 21; // 1 = FP8 matmuls
// chip
export const C_PEAK_BF16 = 22; // FLOP/s dense
export const C_PEAK_FP8 = 23; // FLOP/s dense (0 = none: FP8 runs at the BF16 peak)
export const C_HBM_BYTES = 24; // HBM capacity per chip, bytes
export const C_HBM_BW = 25; // bytes/s
export const C_TDP_W = 26; // chip board power, W
export const C_PRICE_USD = 27; // purchase price per chip, USD (0 = unknown: cost is electricity only)
// network (per chip, per direction)
export const N_DOMAIN = 28; // chips in one scale-up domain
export const N_UP_BW = 29; // bytes/s
export const N_UP_LAT = 30; // s
export const N_OUT_BW = 31; // bytes/s
export const N_OUT_LAT = 32; // s
export const N_OVERSUB = 33; // scale-out oversubscription ratio (>= 1)
// system
export const S_HOST_W = 34; // host, network and cooling-fan power per chip, W
export const S_COUNT = 35; // chips in the cluster
// plan
export const P_TP = 36; // tensor-parallel size
export const P_PP = 37; // pipeline-parallel size
export const P_DP = 38; // data-parallel size
export const P_CP = 39; // context-parallel size
export const P_EP = 40; // expert-parallel size (1 for a dense model)
export const P_VPP = 41; // virtual pipeline chunks per stage (1 = no interleaving)
export const P_MICRO_BATCH = 42; // sequences per microbatch
export const P_ZERO = 43; // ZeRO stage 0-3 (optimizer, + gradients, + weights sharded over DP)
export const P_RECOMPUTE = 44; // 0 none, 1 selective, 2 full
export const P_SP = 45; // 1 = sequence parallelism (with tp > 1)
export const P_FLASH = 46; // 1 = fused flash attention (no s^2 activations)
export const P_DP_OVERLAP = 47; // 1 = gradient reduction overlapped with backward
// datacenter and operations
export const D_PUE = 48; // power usage effectiveness (>= 1)
export const D_GCO2_PER_KWH = 49;
export const D_USD_PER_KWH = 50; // electricity price, USD/kWh
export const D_USD_PER_CHIP_HOUR = 51; // 0 = use capex amortisation + power
export const D_AMORT_YEARS = 52; // capex amortisation period, years
export const R_FAIL_PER_CHIP_HOUR = 53; // interruptions per chip-hour (0 = no failures)
export const R_CKPT_BW = 54; // checkpoint write bytes/s per chip
export const R_RESTART_S = 55; // restart time after an interruption, s
// calibration (see src/calibration.ts for values and sources)
export const K_MATMUL_EFF = 56; // best-case fraction of peak for a large GEMM
export const K_MATMUL_HALF_DIM = 57; // dimension at which a GEMM side halves efficiency
export const K_ATTN_EFF = 58; // attention-core matmul efficiency relative to K_MATMUL_EFF
export const K_MEM_EFF = 59; // achievable fraction of HBM bandwidth
export const K_UP_EFF = 60; // achievable fraction of scale-up bandwidth
export const K_OUT_EFF = 61; // achievable fraction of scale-out bandwidth
export const K_TP_OVERLAP = 62; // fraction of TP communication hidden by compute
export const K_LOAD_FACTOR = 63; // average draw during training, fraction of max power
export const K_RESERVED_BYTES = 64; // per-chip memory held by runtime, comm buffers
export const K_FP8_EFF = 65; // FP8 GEMM efficiency relative to BF16
export const K_STEP_OVERHEAD_S = 66; // fixed per-step host/launch overhead
export const P_GRAD_BYTES = 67; // bytes per gradient element in the data-parallel reduction
export const P_ETP = 68; // expert tensor parallelism: 1 or tp
export const T_MOE_IMBALANCE = 69; // busiest expert's load / mean load (>= 1)
export const P_EP_OVERLAP = 70; // 1 = expert-parallel all-to-all beside compute (DualPipe), holding K_COMM_SM_SHARE of it
// Point-to-point scale-up links per chip when the domain is a full mesh without a switch (0: switched)
export const N_UP_LINKS = 71;
// Modules recomputed on top of P_RECOMPUTE (Megatron-Core --recompute-modules), a bit each:
export const P_RECOMPUTE_MODULES = 72;
export const RC_LAYERNORM = 1; // norms not fused into a GEMM (MLA's, MoE layers' MLP norm): outputs not kept
export const RC_MLA_UP_PROJ = 2; // MLA's Q, K, V projections: rebuilt from the kept latents (or h for Q)
export const RC_MOE_ACT = 4; // routed experts' activation: its output (the second GEMM's input) not kept
export const K_COMM_SM_SHARE = 73; // share of compute units an overlapped all-to-all holds while it runs
// Node-limited routing: a token's routed experts lie in at most this many scale-up domains (0: no limit)
export const M_MOE_MAX_NODES = 74;
// Tokens per local expert at which the routed experts' grouped GEMM runs at half its dense efficiency (0: no loss)
export const K_GROUPED_HALF_TOKENS = 75;
// Per-rank compute time's coefficient of variation: the step waits for the slowest synchronising rank
export const K_STRAGGLER_CV = 76;
// The switches reduce in the network (1) or not (0): an all-reduce then moves its buffer once each way
export const N_UP_REDUCE = 77; // 1 = the scale-up switches reduce (NVLink SHARP, NVLS)
export const N_OUT_REDUCE = 78; // 1 = the scale-out fabric reduces (InfiniBand SHARP)
// Tiers above the scale-out fabric, innermost first: units of a tier's chips with full bisection
// inside, joined by a layer that carries their NIC rate / its oversubscription, with its own latency.
// Tier 1 is the pod tier (slots 79, 80 and 88); a tier of 0 chips is none (one unit, the whole cluster).
export const N_POD_CHIPS = 79; // tier 1: chips per pod (0: one pod, the whole cluster)
export const N_POD_OVERSUB = 80; // tier 1: oversubscription of the layer joining pods (>= 1; 0: none, as 1)
// 1 = TP collectives pipelined with the GEMMs they feed and follow, in tp chunks (Transformer Engine
// userbuffers, Megatron-Core --tp-comm-overlap; needs sequence parallelism): dense layers only
export const P_TP_COMM_OVERLAP = 81;
// A second memory tier: state moved to host memory over the chip-to-host link (0 everywhere: none)
export const P_OFFLOAD_OPTIMIZER = 82; // 1 = fp32 master weights and Adam state in host memory, Adam on the CPU (ZeRO-Offload)
export const P_OFFLOAD_ACTIVATIONS = 83; // share (0-1) of a stage's layers whose saved activations wait in host memory
export const S_HOST_LINK_BW = 84; // chip-to-host link, bytes/s per direction
export const S_HOST_MEM_BYTES = 85; // host memory per chip, bytes
export const S_HOST_MEM_BW = 86; // host memory bandwidth per chip, bytes/s (the CPU's Adam step streams it)
export const N_POD_LAT = 88; // tier 1: latency a hop between pods adds to the scale-out latency, s
export const N_TIER2_CHIPS = 89; // tier 2: chips per unit, more than tier 1's (0: no tier 2)
export const N_TIER2_OVERSUB = 90; // tier 2: its units' NIC rate / their uplinks (>= 1; 0: as 1)
export const N_TIER2_LAT = 91; // tier 2: added latency of a hop between its units, s
export const N_TIER3_CHIPS = 92; // tier 3: chips per unit, more than tier 2's (0: no tier 3)
export const N_TIER3_OVERSUB = 93; // tier 3: its units' NIC rate / their uplinks (>= 1; 0: as 1)
export const N_TIER3_LAT = 94; // tier 3: added latency of a hop between its units, s
// Scale-up torus dimensions: 0 switched (or full mesh), 2 or 3 a 2D/3D torus (TPU ICI), 1 a ring
export const N_UP_TORUS_DIMS = 96;
export const IN_SIZE = 97; // input slots

// ---- output slots ----
export const O_STATUS = 0; // 0 = ok, otherwise an ERR_* code
export const O_PARAMS = 1; // parameters (all experts)
export const O_ACTIVE_PARAMS = 2; // parameters a token passes through
export const O_MODEL_FLOPS = 3; // per step, whole cluster
export const O_HW_FLOPS = 4; // per step, with recompute
export const O_MICROBATCHES = 5; // per replica per step
export const O_STEP_S = 6; // one optimizer step, s
export const O_COMPUTE_S = 7; // matmul + memory-bound + optimizer time on the critical path
export const O_BUBBLE_S = 8; // pipeline bubble per step, s
export const O_EXPOSED_COMM_S = 9; // communication not hidden by compute, s per step
export const O_TP_COMM_S = 10; // exposed, per step
export const O_PP_COMM_S = 11; // exposed, per step
export const O_DP_COMM_S = 12; // exposed, per step
export const O_EP_COMM_S = 13; // exposed, per step
export const O_CP_COMM_S = 14; // exposed, per step
export const O_MATMUL_S = 15; // part of compute
export const O_MEMBOUND_S = 16; // part of compute
export const O_OPTIMIZER_S = 17; // part of compute
export const O_TOKENS_PER_S = 18; // whole cluster
export const O_MFU = 19; // model FLOP utilisation, fraction of the training precision's peak
export const O_HFU = 20; // hardware FLOP utilisation (recompute counted)
export const O_MEM_WEIGHTS = 21; // bytes per chip
export const O_MEM_GRADS = 22; // bytes per chip
export const O_MEM_OPTIMIZER = 23; // bytes per chip
export const O_MEM_ACTIVATIONS = 24; // bytes per chip
export const O_MEM_RESERVED = 25; // bytes per chip
export const O_MEM_TOTAL = 26; // bytes per chip
export const O_FITS = 27; // 1 = the plan fits HBM, 0 = it does not
export const O_STEPS = 28; // optimizer steps in the run (tokens / (batch x seqLen))
export const O_TRAIN_S = 29; // failure-free wall time, s
export const O_CHIP_POWER_W = 30; // average chip draw
export const O_FACILITY_POWER_W = 31; // whole cluster incl. host and PUE
export const O_ENERGY_J = 32; // facility energy over the failure-free run
export const O_CO2_KG = 33; // kg CO2 over the failure-free run
export const O_COST_USD = 34; // rental, or capex amortisation + electricity
export const O_GOODPUT = 35; // fraction of wall time doing useful steps under failures (0 = never finishes)
export const O_EFFECTIVE_S = 36; // wall time including failures and checkpoints, s; -1 = never finishes
export const O_CKPT_INTERVAL_S = 37; // Young-Daly optimum
export const O_MTBF_S = 38; // cluster mean time between interruptions
export const O_CKPT_WRITE_S = 39; // one checkpoint write, s
export const O_TP_UP = 40; // 1 when the TP group fits the scale-up domain
export const O_DP_UP = 41; // 1 when the DP group fits the scale-up domain
export const O_STAGE_FWD_BWD_S = 42; // one microbatch through the slowest stage
export const O_STRAGGLER_S = 43; // waiting for the slowest of the synchronising ranks, s per step
export const O_DP_POD_SHARE = 44; // share of its NIC rate a data-parallel ring keeps between pods (1: no pod crossed)
export const O_OFFLOAD_S = 45; // offload transfers and the CPU's optimizer step not hidden by compute, s per step
export const O_MEM_HOST = 46; // host-memory bytes per chip (offloaded optimizer state, gradients, activations)
export const O_HOST_FITS = 47; // 1 = the host bytes fit the host memory (O_FITS needs both tiers)
export const O_DP_LIMITING_TIER = 48; // tier (1-3) whose layer sets O_DP_POD_SHARE; 0 when the share is 1
export const O_TORUS_SIDE = 50; // side of the job's torus slice, chips (0: no torus)
export const O_TP_UP_SHARE = 51; // share of the chip's scale-up rate a TP collective uses (1: switched)
export const OUT_SIZE = 52; // output slots

// ---- status codes (O_STATUS) ----
export const ERR_NONE = 0; // ok
export const ERR_SHAPE = 1; // model shape not positive / inconsistent
export const ERR_PLAN_PRODUCT = 2; // tp*pp*dp*cp != chip count
export const ERR_BATCH = 3; // global batch not divisible into dp * microBatch
export const ERR_LAYERS = 4; // more pipeline chunks (pp * vpp) than layers
export const ERR_HEADS = 5; // tp does not divide heads / kv heads
export const ERR_EXPERTS = 6; // ep does not divide experts, or ep*etp does not divide tp*cp*dp
export const ERR_SEQ = 7; // cp does not divide seqLen
export const ERR_HARDWARE = 8; // a hardware figure not positive
export const ERR_INTERLEAVE = 9; // vpp > 1 needs microbatches divisible by pp

// ---- serving: its own input and output buffers (assembly/serve.ts). The serving entry point reads
// the model, chip, network, datacenter and calibration slots above from the main input buffer, and
// these from the serving input buffer. ----
export const SV_WEIGHT_BYTES = 0; // bytes per weight: 2 BF16, 1 FP8, 0.5 INT4
export const SV_KV_BYTES = 1; // bytes per KV-cache element
export const SV_FP8 = 2; // 1 = matmuls on the FP8 peak (W8A8); 0 = BF16 peak (BF16, weight-only INT4)
export const SV_INPUT = 3; // prompt tokens per request
export const SV_OUTPUT = 4; // generated tokens per request
export const SV_BATCH = 5; // concurrent requests per model instance; 0 = the most that fit
export const SV_TP = 6; // tensor parallelism of attention (and of dense MLPs)
export const SV_PP = 7; // pipeline stages
export const SV_EP = 8; // expert parallelism (MoE); a stage spans max(tp, ep) chips
export const SV_MEM_FRACTION = 9; // share of HBM the server may use for weights and KV cache
export const SV_IN_SIZE = 10;

export const SO_STATUS = 0; // 0 = ok, otherwise an ERR_* code
export const SO_STAGE_CHIPS = 1; // chips of one pipeline stage: max(tp, ep)
export const SO_INSTANCE_CHIPS = 2; // chips holding one copy of the model
export const SO_INSTANCES = 3;
export const SO_MAX_BATCH = 4; // most concurrent requests per instance whose KV cache fits
export const SO_BATCH = 5; // the batch timed
export const SO_WEIGHTS = 6; // bytes per chip (fullest stage)
export const SO_KV = 7; // KV-cache bytes per chip at the batch, full context
export const SO_MEM_TOTAL = 8; // bytes per chip
export const SO_FITS = 9;
export const SO_KV_PER_TOKEN = 10; // KV-cache bytes per token, whole model
export const SO_PREFILL_S = 11; // the whole batch's prompts
export const SO_PREFILL_TOK = 12; // prompt tokens per s per chip
export const SO_TTFT_S = 13; // one prompt prefilled alone on its instance
export const SO_TPOT_S = 14; // one decode step at the average context
export const SO_DECODE_TOK = 15; // generated tokens per s per chip while decoding
export const SO_E2E_TOK = 16; // generated tokens per s per chip, prefill included
export const SO_DECODE_MEM_S = 17; // per decode step: HBM bytes / achievable bandwidth
export const SO_DECODE_COMPUTE_S = 18; // per decode step: FLOPs / achievable peak
export const SO_DECODE_COMM_S = 19; // per decode step: TP, EP and PP communication
export const SO_PREFILL_MEM_S = 20;
export const SO_PREFILL_COMPUTE_S = 21;
export const SO_PREFILL_COMM_S = 22;
export const SO_FACILITY_W = 23; // whole cluster
export const SO_TOKENS_PER_J = 24; // generated tokens per facility joule
export const SO_USD_PER_MTOK = 25; // per million generated tokens
export const SO_CAPACITY = 26; // bytes per chip the server may use
export const SO_OUT_SIZE = 27;
