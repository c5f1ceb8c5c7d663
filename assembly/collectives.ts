// Collective communication costs, alpha-beta model: time = latency terms + bytes / bandwidth.
// `bytes` is the full buffer size per rank; `bw` is per-chip, per-direction bytes/s.

// Ring all-reduce: 2(n-1)/n * bytes / bw + 2(n-1) * alpha
// (Thakur, Rabenseifner & Gropp 2005, IJHPCA 19(1), Sec. 4.4; NCCL "bus bandwidth" factor 2(n-1)/n).
// Double binary tree: 2 * bytes / bw + 2 log2(n) * alpha (Sanders, Speck & Traeff 2009; NCCL 2.4 trees).
// NCCL picks the faster of the two per message size; so do we.
export function allReduce(n: f64, bytes: f64, bw: f64, alpha: f64): f64 {
  if (n <= 1) return 0;
  const ring = (((2 * (n - 1)) / n) * bytes) / bw + 2 * (n - 1) * alpha;
  const tree = (2 * bytes) / bw + 2 * Math.log2(n) * alpha;
  return Math.min(ring, tree);
}

// Ring all-gather or reduce-scatter of a `bytes` buffer: (n-1)/n * bytes / bw + (n-1) * alpha
// (Thakur et al. 2005, Sec. 4.1; NCCL bus bandwidth factor (n-1)/n).
export function allGather(n: f64, bytes: f64, bw: f64, alpha: f64): f64 {
  if (n <= 1) return 0;
  return (((n - 1) / n) * bytes) / bw + (n - 1) * alpha;
}

// Collectives over a group of n ranks, k in each scale-up domain, that spans domains (n > k): NCCL
// rings through each domain's k ranks over scale-up and crosses domains nodes - 1 times, so of a
// ring's hops only the crossing ones pay the scale-out latency; its tree runs a chain inside each
// domain and a double binary tree of depth log2(nodes) across them (NCCL src/graph/tuning.cc:
// ring latency (nsteps - nInterSteps) intraLat + nInterSteps interLat, nInterSteps = 2(nNodes-1)
// for all-reduce and nNodes-1 for all-gather / reduce-scatter; tree all-reduce latency
// 2((nRanks/nNodes - 1) intraLat + log2(nNodes) interLat)). Bandwidth terms as above.
// `tierRing` and `tierTree`: what the tiers above the fabric add to one ring pass and one tree
// climb, sum over tiers of their crossing hops x latency (tierCrossings, tierLevels below).
export function allReduceAcross(
  n: f64,
  k: f64,
  bytes: f64,
  bw: f64,
  upLat: f64,
  outLat: f64,
  tierRing: f64,
  tierTree: f64,
): f64 {
  if (n <= 1) return 0;
  const nodes = Math.max(1, n / Math.max(1, Math.min(k, n)));
  const ring =
    (((2 * (n - 1)) / n) * bytes) / bw +
    2 * (n - nodes) * upLat +
    2 * (nodes - 1) * outLat +
    2 * tierRing;
  const tree =
    (2 * bytes) / bw + 2 * ((n / nodes - 1) * upLat + Math.log2(nodes) * outLat + tierTree);
  return Math.min(ring, tree);
}

// All-gather or reduce-scatter of the same group: ring only (NCCL runs these as rings; its tree
// serves all-reduce alone), n - 1 hops of which nodes - 1 cross domains (tuning.cc, as above).
export function allGatherAcross(
  n: f64,
  k: f64,
  bytes: f64,
  bw: f64,
  upLat: f64,
  outLat: f64,
  tierRing: f64,
): f64 {
  if (n <= 1) return 0;
  const nodes = Math.max(1, n / Math.max(1, Math.min(k, n)));
  return (((n - 1) / n) * bytes) / bw + (n - nodes) * upLat + (nodes - 1) * outLat + tierRing;
}

// Hops of one ring pass that cross the boundaries between a tier's `units`, for a ring through
// `nodes` domains: it leaves each unit once (as it leaves each domain once, tuning.cc's nInterSteps
// with units for nodes), and cannot cross more often than it has domains.
export function tierCrossings(units: f64, nodes: f64): f64 {
  return Math.max(0, Math.min(units, nodes) - 1);
}

// Levels of the double binary tree across domains that join a tier's units: the tree over `nodes`
// domains has depth log2(nodes) (tuning.cc, as above), of which log2(units) join whole units.
export function tierLevels(units: f64, nodes: f64): f64 {
  return Math.log2(Math.max(1, Math.min(units, nodes)));
}

// All-reduce that the switches compute (NVLink SHARP in NVSwitch 3 and later; InfiniBand SHARP):
// each rank sends its buffer into the switch once and receives the reduced buffer once, so it puts
// `bytes` on the wire instead of the ring's 2(n-1)/n x bytes, in one round trip (NVIDIA, "Upgrading
// Multi-GPU Interconnectivity with the Third-Generation NVIDIA NVSwitch", developer blog 2022: SHARP
// in-network reductions; nvidia.com NVLink page: "2X increase in all-reduce throughput").
export function allReduceInSwitch(n: f64, bytes: f64, bw: f64, alpha: f64): f64 {
  if (n <= 1) return 0;
  return bytes / bw + 2 * alpha;
}

// The same across domains with the scale-out switches reducing (NCCL's CollNet with the SHARP
// plugin): reduce-scatter inside each domain, each of its k ranks all-reduces 1/k of the buffer
// through the fabric once each way, all-gather inside the domain; the phases pipeline, so the
// slower paces it. Inside the domain the switch may reduce too (`upReduce`). The reduction climbs
// through every tier above the fabric and back once: `tierClimb`, the sum of their latencies.
export function allReduceInFabric(
  k: f64,
  bytes: f64,
  upBw: f64,
  outBw: f64,
  upLat: f64,
  outLat: f64,
  upReduce: bool,
  tierClimb: f64,
): f64 {
  const inside = k <= 1 ? 0 : upReduce ? bytes / upBw : (((2 * (k - 1)) / k) * bytes) / upBw;
  const across = bytes / (k * outBw);
  return Math.max(inside, across) + 2 * (k - 1) * upLat + 2 * (outLat + tierClimb);
}

// Pairwise all-to-all where each rank holds `bytes` and keeps 1/n of it:
// (n-1)/n * bytes / bw + (n-1) * alpha (Thakur et al. 2005, Sec. 4.6; NCCL alltoall bus factor).
export function allToAll(n: f64, bytes: f64, bw: f64, alpha: f64): f64 {
  if (n <= 1) return 0;
  return (((n - 1) / n) * bytes) / bw + (n - 1) * alpha;
}

// All-to-all over n ranks, k of them in each scale-up domain: of each rank's buffer, (k-1)/n goes
// over scale-up and (n-k)/n over scale-out, concurrently (DeepSeek-V3, arXiv:2412.19437,
// Sec. 3.2.2: IB and NVLink traffic of the dispatch overlap); k = n is the single-domain case.
// `outScale` < 1 when fewer copies cross domains than the buffer holds (node-limited routing).
export function allToAllSplit(
  n: f64,
  k: f64,
  bytes: f64,
  upBw: f64,
  outBw: f64,
  upLat: f64,
  outLat: f64,
  outScale: f64,
): f64 {
  if (n <= 1) return 0;
  if (k >= n) return allToAll(n, bytes, upBw, upLat);
  const inside = (((k - 1) / n) * bytes) / upBw + (k - 1) * upLat;
  const outside = (((n - k) / n) * bytes * outScale) / outBw + (n - k) * outLat;
  return Math.max(inside, outside);
}

// Share of its NIC rate a ring (or tree) keeps where it crosses the oversubscribed layer above pods.
// Every ring of a data-parallel group leaves each pod it passes once, so a pod's uplinks, its chips'
// NIC rate / `oversub`, carry one hop per ring; a ring with m domain-level members in a pod shares
// them with the pod's other rings, one per m NICs: the hop gets min(1, m / oversub) of a NIC
// (rail-optimised Clos, Llama 3, arXiv:2407.21783, Sec. 3.3.1: 3,072-GPU pods at full bisection,
// 1:7 above; NCCL rings cross each node boundary once, src/graph/tuning.cc). Any tier above the
// fabric the same way: its units for pods, its ratio of their chips' NIC rate to their uplinks.
export function podShare(pods: f64, ringMembers: f64, oversub: f64): f64 {
  if (pods <= 1 || oversub <= 1) return 1;
  return Math.min(1, Math.max(1, ringMembers / pods) / oversub);
}

// One point-to-point send: alpha + bytes / bw (Hockney 1994).
export function sendRecv(bytes: f64, bw: f64, alpha: f64): f64 {
  return alpha + bytes / bw;
}

// A group of `span` consecutive ranks stays in one scale-up domain when it is no larger than the
// domain and tiles it exactly; otherwise some member talks over scale-out and paces the ring.
export function inDomain(span: f64, domain: f64): bool {
  return span <= domain && domain % span == 0;
}

// Scale-up bandwidth a chip puts into a collective among g chips of its domain. A switch gives it
// its full rate whatever g; a switchless full mesh has one link per peer, so g chips talking
// directly (HCCL/RCCL mesh algorithms) use g-1 of the chip's `links` links.
export function upFor(g: f64, upBw: f64, links: f64): f64 {
  return links > 0 ? (upBw * Math.min(Math.max(g - 1, 1), links)) / links : upBw;
}

// ---- Torus scale-up domains (TPU ICI: a 3D torus on v4, v5p and TPU7x, 2D on v5e and v6e; Jouppi et
// al. 2023, "TPU v4: An Optically Reconfigurable Supercomputer", ISCA, arXiv:2304.01433, Sec. 2: 4,096
// chips in a 3D torus through optical circuit switches). A chip has two links per axis, one each way
// round that axis' ring (with wraparound), so `upBw`, its per-direction rate, is 2D links' worth.
// Ranks fill the torus axis by axis and a job's slice is taken as a cube (square in 2D) of `side`.

// A torus has 1 to 3 dimensions; 0 is a switched (or full-mesh) domain.
export function validTorusDims(dims: f64): bool {
  return dims == 0 || dims == 1 || dims == 2 || dims == 3;
}

// Side of a `dims`-dimensional cubic slice of `chips` chips, snapped to the integer it rounds to.
export function torusSide(chips: f64, dims: f64): f64 {
  if (dims <= 0) return 0;
  const side = Math.pow(chips, 1 / dims),
    near = Math.round(side);
  return Math.abs(side - near) < 1e-9 * near ? near : side;
}

// Axes a group spans when ranks fill the torus axis by axis: its nearest members `lo` ranks apart,
// all of them within `hi` consecutive ranks (TP: 1 and tp; CP: tp and tp cp); axes
// floor(log_side lo) to ceil(log_side hi) - 1, so ceil(log_side hi) - floor(log_side lo), at least
// one and at most `dims`. A slice under two chips a side has no axis to choose: all of them.
export function torusAxes(lo: f64, hi: f64, side: f64, dims: f64): f64 {
  if (side < 2) return dims;
  let below: f64 = 0,
    span = side;
  while (span <= lo * (1 + 1e-12) && below < dims) {
    below++;
    span *= side;
  }
  let top: f64 = 0;
  span = 1;
  while (span < hi * (1 - 1e-12) && top < dims) {
    top++;
    span *= side;
  }
  return Math.max(1, Math.min(dims, top - below));
}

// Per-direction rate a collective among g ranks (spread as torusAxes says) gets. Switched or full
// mesh: upFor. Torus: a bidirectional ring with wraparound per spanned axis, the axes' rings in
// parallel, so 2 links per axis, axes/dims of the chip's rate (Austin et al. 2025, "How to Scale
// Your Model", Part 3 "Sharded Matrices", "A Deeper Dive into TPU Communication Primitives": an
// AllGather over one axis takes V / W_ici with bidirectional rings, over several V / (W_ici x axes)).
export function upForGroup(
  g: f64,
  lo: f64,
  hi: f64,
  upBw: f64,
  links: f64,
  dims: f64,
  side: f64,
): f64 {
  return dims > 0 ? (upBw * torusAxes(lo, hi, side, dims)) / dims : upFor(g, upBw, links);
}

// A point-to-point send (pipeline stages) on a torus goes over one of the chip's 2D links.
export function upForPair(upBw: f64, links: f64, dims: f64): f64 {
  return dims > 0 ? upBw / (2 * dims) : upFor(2, upBw, links);
}

// Rate at which allToAll (above) reproduces an all-to-all among g torus ranks: bisection-limited.
// Derivation: the group spans `axes` axes, its longest side L = min(g, side). Each rank holds B
// bytes and sends B/g to every rank. A cut across the longest axis halves the group: g/2 ranks send
// B/2 each across it, gB/4 bytes per direction, over 2 links (wraparound) per ring of that axis, g/L
// rings, each link at r = upBw / (2 dims) per direction: T_bisect = (gB/4) / (2 (g/L) r) = L B / (8 r)
// = L dims B / (4 upBw). Each rank injects (g-1)/g B over the 2 x axes links of its group: T_inject =
// (g-1)/g B dims / (axes upBw). T = max of the two (for a k x k x k cube: 2k^2 bisection links,
// T = k dims B / (4 upBw); a ring of g matches "How to Scale Your Model", Part 3, AllToAll on a
// bidirectional ring: V / (4 W_ici) with V = gB and W_ici = 2r). Returned as the rate
// (g-1)/g B / T so that allToAll and allToAllSplit take it unchanged.
export function upForAllToAll(
  g: f64,
  lo: f64,
  hi: f64,
  upBw: f64,
  links: f64,
  dims: f64,
  side: f64,
): f64 {
  if (dims <= 0 || g <= 1) return upFor(g, upBw, links);
  const axes = torusAxes(lo, hi, side, dims);
  const share = (g - 1) / g;
  return (share * upBw) / (dims * Math.max(share / axes, Math.min(g, side) / 4));
}

// All-to-all with every message posted at once over RDMA, no forwarding through the scale-up
// domain: one latency and (n-1)/n of the buffer through the NIC (DeepEP's low-latency kernels for
// inference decoding, "pure RDMA"; github.com/deepseek-ai/DeepEP, README).
export function allToAllDirect(n: f64, bytes: f64, bw: f64, alpha: f64): f64 {
  if (n <= 1) return 0;
  return alpha + (((n - 1) / n) * bytes) / bw;
}
