// Catalog record shapes. Human units at this edge; field names carry them.
// `null` means unknown: never read as zero.

export interface Source {
  id: string;
  title: string;
  url: string | null; // null for stated assumptions
  supports?: string[];
}

export interface Conflict {
  field: string;
  values: { value: unknown; source: string }[];
  resolution: string;
}

export interface ChipRecord {
  id: string;
  vendor: string;
  name: string;
  year: number | null;
  status: string | null;
  /** Free text for people, e.g. "secondary (TechPowerUp/Reuters)". */
  confidence: string;
  /** How the figures are sourced, for programs: the vendor's own documents, secondary reports
   *  only, a launch announcement, unknown, or the user (a custom chip). */
  sourcing: "vendor" | "secondary" | "announcement" | "unknown" | "user";
  bf16Tflops: number | null; // dense
  fp16Tflops: number | null;
  fp8Tflops: number | null;
  fp4Tflops: number | null;
  int8Tops: number | null;
  int4Tops: number | null;
  hbmGB: number | null; // 1e9 bytes
  hbmType: string | null;
  hbmTBps: number | null;
  /** Scale-up bandwidth per chip, GB/s, bidirectional aggregate (NVIDIA's convention). */
  scaleUpGBps: number | null;
  scaleUpDomain: number | null;
  scaleUpTech: string | null;
  /** Scale-out NIC per chip, Gb/s (bits), one direction. */
  scaleOutGbps: number | null;
  /** Aggregate bidirectional chip I/O (scale-up + PCIe) as counted by the Oct 2022 rule, GB/s. */
  ioGBps: number | null;
  tdpW: number | null;
  dieAreaMm2: number | null;
  dieAreaEstimate: boolean;
  processNode: string | null;
  priceUSD: number | null;
  notes: string | null;
  conflicts: Conflict[];
  sources: Source[];
  /** Source ids behind each numeric field. */
  fieldSources: Record<string, string[]>;
  /** Figures no source gives, estimated by the project (scripts/catalog-overlay.mjs): what from, and their range. */
  estimates: Record<string, FigureEstimate>;
}

/** A catalog figure that is an estimate: what it comes from and the range it may lie in (same unit). */
export interface FigureEstimate {
  confidence: "estimate";
  basis: string;
  range: [number, number];
}

export interface SystemRecord {
  id: string;
  name: string;
  chip: string;
  chips: number;
  scaleUpDomain: number | null;
  scaleUpGBps: number | null; // per chip, bidirectional
  powerKW: number | null; // whole system at max load
  scaleUp: string | null;
  scaleOut: string | null;
  powerNote: string | null;
  pue: string | null;
  price: string | null;
  notes: string | null;
  /**
   * The scale-up switches reduce in the network (NVLink SHARP, NVLS): what, and its source. Absent
   * or null: they do not (or no source says they do).
   */
  scaleUpReduction?: string | null;
  sources: Source[];
}

export interface MoeShape {
  experts: number;
  active: number;
  shared: number;
  expertFfnHidden: number;
  denseLayers: number;
  /** Node-limited routing: a token's routed experts lie in at most this many scale-up domains (absent: no limit). */
  maxNodes?: number;
}

export interface MlaShape {
  qLoraRank: number; // 0 = queries not compressed
  kvLoraRank: number;
  ropeHeadDim: number;
  vHeadDim: number;
}

export interface ModelShape {
  name: string;
  layers: number;
  hidden: number;
  ffnHidden: number;
  heads: number;
  kvHeads: number;
  headDim?: number; // default hidden / heads
  vocab: number;
  /** gelu, relu and relu2 (squared ReLU) are plain two-matrix MLPs; swiglu is gated (three). */
  mlp: "gelu" | "relu" | "relu2" | "swiglu";
  tiedEmbeddings?: boolean;
  moe?: MoeShape;
  mla?: MlaShape;
}

export interface ModelRecord extends ModelShape {
  id: string;
  source: string; // citation with locator
  /** How the model was trained, where published: a scenario's starting point for this preset. */
  training?: PublishedTraining;
}

export interface PublishedTraining {
  tokens: number;
  seqLen: number;
  /** Sequences per step; null where unpublished. */
  globalBatch: number | null;
  source: string;
}
