// Regenerates src/catalog/chips.data.ts and systems.data.ts from the team's reference files
// (../shared/reference/chips.json, systems.json), keeping every figure's sources.
// Run: node scripts/import-catalog.mjs [path/to/reference]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const ref = process.argv[2] ?? join(root, "..", "shared", "reference");
const chips = JSON.parse(readFileSync(join(ref, "chips.json"), "utf8"));
const systems = JSON.parse(readFileSync(join(ref, "systems.json"), "utf8"));

// Which source "supports" tag backs which catalog field.
const GROUPS = {
  perf: ["bf16Tflops", "fp16Tflops", "fp8Tflops", "fp4Tflops", "int8Tops", "int4Tops"],
  mem: ["hbmGB", "hbmTBps"],
  scaleup: ["scaleUpGBps", "scaleUpDomain", "ioGBps"],
  scaleout: ["scaleOutGbps"],
  tdp_w: ["tdpW"],
  die: ["dieAreaMm2", "processNode"],
  price: ["priceUSD"],
};

// Chips the published runs need that the reference file does not list, from vendor datasheets.
const extra = [
  {
    id: "nvidia-a100-sxm4-40gb",
    vendor: "NVIDIA",
    name: "A100 SXM4 40GB",
    year: 2020,
    status: "shipping",
    confidence: "vendor",
    bf16Tflops: 312,
    fp16Tflops: 312,
    fp8Tflops: null,
    fp4Tflops: null,
    int8Tops: 624,
    int4Tops: 1248,
    hbmGB: 40,
    hbmType: "HBM2",
    hbmTBps: 1.555,
    scaleUpGBps: 600,
    scaleUpDomain: 8,
    scaleUpTech: "NVLink 3 + NVSwitch",
    scaleOutGbps: 200,
    ioGBps: 664,
    tdpW: 400,
    dieAreaMm2: 826,
    dieAreaEstimate: false,
    processNode: "TSMC N7",
    priceUSD: null,
    notes: "Same GA100 die as the 80 GB part; DGX A100 320GB nodes: 8x ConnectX-6 HDR 200 Gb/s.",
    conflicts: [],
    sources: [
      {
        id: "nv_a100_ds",
        title: "NVIDIA A100 Tensor Core GPU datasheet (40GB SXM column)",
        url: "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
        supports: ["perf", "mem", "scaleup", "tdp_w", "die", "scaleout"],
      },
    ],
  },
  {
    id: "nvidia-v100-sxm2-32gb",
    vendor: "NVIDIA",
    name: "V100 SXM2 32GB",
    year: 2018,
    status: "end-of-life",
    confidence: "vendor",
    bf16Tflops: null,
    fp16Tflops: 125,
    fp8Tflops: null,
    fp4Tflops: null,
    int8Tops: null,
    int4Tops: null,
    hbmGB: 32,
    hbmType: "HBM2",
    hbmTBps: 0.9,
    scaleUpGBps: 300,
    scaleUpDomain: 8,
    scaleUpTech: "NVLink 2 (hybrid cube mesh)",
    scaleOutGbps: 50,
    ioGBps: null,
    tdpW: 300,
    dieAreaMm2: 815,
    dieAreaEstimate: false,
    processNode: "TSMC 12FFN",
    priceUSD: null,
    notes:
      "No BF16: FP16 tensor-core peak 125 TFLOPS is used for 16-bit training. DGX-1V: 4x EDR 100 Gb/s for 8 GPUs = 50 Gb/s per GPU.",
    conflicts: [],
    sources: [
      {
        id: "nv_v100_ds",
        title: "NVIDIA Tesla V100 datasheet (SXM2 column)",
        url: "https://images.nvidia.com/content/technologies/volta/pdf/volta-v100-datasheet-update-us-1165301-r5.pdf",
        supports: ["perf", "mem", "scaleup", "tdp_w", "die"],
      },
      {
        id: "nv_dgx1_ds",
        title: "NVIDIA DGX-1 with Tesla V100 datasheet (4x InfiniBand EDR 100 Gb/s per 8 GPUs)",
        url: "https://images.nvidia.com/content/pdf/dgx1-v100-system-architecture-whitepaper.pdf",
        supports: ["scaleout"],
      },
    ],
  },
];

// The widely quoted H20 press claim, recorded on every entry it misstates (chips.md Sec. 1), so a
// user who looks up either chip finds the correction.
const PRESS =
  "press quote: 'the H20's memory bandwidth is only 4.0 TB/s, lower than the H100's 4.8 TB/s ... H100 80GB HBM3e ... NVLink reduced from 900GB/s to 400GB/s' (chips.md Sec. 1)";
const EXTRA_CONFLICTS = {
  "nvidia-h100-sxm5-80gb": [
    {
      field: "hbmTBps",
      values: [
        { value: 3.35, source: "nv_h100_ds" },
        { value: 4.8, source: PRESS },
      ],
      resolution:
        "H100 SXM5 is 3.35 TB/s HBM3 (datasheet); 4.8 TB/s HBM3e is the H200. The H20 has ~19% more bandwidth than the H100 SXM, not less.",
    },
    {
      field: "hbmType",
      values: [
        { value: "HBM3", source: "nv_h100_ds" },
        { value: "HBM3e", source: PRESS },
      ],
      resolution: "H100 SXM carries 80 GB HBM3; HBM3e first shipped on the H200 (141 GB).",
    },
  ],
  "nvidia-h20-96gb": [
    {
      field: "scaleUpGBps",
      values: [
        { value: 900, source: "h20_smbom" },
        { value: 400, source: PRESS },
      ],
      resolution:
        "The H20 keeps the full 900 GB/s NVLink; 400 GB/s was the A800/H800 cut for the Oct 2022 rule's 600 GB/s I/O test.",
    },
  ],
};

function fieldSources(sources) {
  const out = {};
  for (const [group, fields] of Object.entries(GROUPS)) {
    const ids = sources.filter((s) => (s.supports ?? []).includes(group)).map((s) => s.id);
    for (const f of fields) out[f] = ids;
  }
  return out;
}

const converted = chips.map((c) => ({
  id: c.id,
  vendor: c.vendor,
  name: `${c.name} ${c.variant ?? ""}`.trim(),
  year: c.year,
  status: c.status,
  confidence: c.confidence,
  bf16Tflops: c.bf16_dense_tflops,
  fp16Tflops: c.fp16_dense_tflops,
  fp8Tflops: c.fp8_dense_tflops,
  fp4Tflops: c.fp4_dense_tflops,
  int8Tops: c.int8_dense_tops,
  int4Tops: c.int4_dense_tops,
  hbmGB: c.mem_gb,
  hbmType: c.mem_type,
  hbmTBps: c.mem_bw_tbs,
  scaleUpGBps: c.scaleup_bw_gbs_bidir,
  scaleUpDomain: c.scaleup_domain,
  scaleUpTech: c.scaleup_tech,
  scaleOutGbps: c.scaleout_nic_gbps,
  ioGBps: c.oct2022_io_bw_gbs ?? null,
  tdpW: c.tdp_w,
  dieAreaMm2: c.die_area_mm2,
  dieAreaEstimate: c.pd_is_estimate === true,
  processNode: c.process_node,
  priceUSD: c.price_usd,
  notes:
    [c.scaleup_note, c.scaleout_note, c.die_area_note, c.price_note, c.notes]
      .filter(Boolean)
      .join(" | ") || null,
  conflicts: [...(c.conflicts ?? []), ...(EXTRA_CONFLICTS[c.id] ?? [])],
  sources: c.sources.map((s) => ({
    id: s.id,
    title: s.title,
    url: s.url,
    supports: s.supports ?? [],
  })),
}));
const all = [...converted, ...extra].map((c) => ({ ...c, fieldSources: fieldSources(c.sources) }));

// Systems the published runs and the pods need that systems.json does not list.
const extraSystems = [
  {
    id: "nvidia-dgx-a100",
    name: "NVIDIA DGX A100 (HGX A100 8-GPU)",
    chip: "nvidia-a100-sxm4-80gb",
    chips: 8,
    scaleUpDomain: 8,
    scaleUpGBps: 600,
    powerKW: 6.5,
    scaleUp: "6x NVSwitch (2nd gen); 600 GB/s/GPU bidir",
    scaleOut: "8x ConnectX-6 HDR 200 Gb/s (one per GPU) + storage NICs",
    powerNote: "6.5 kW max system power",
    pue: null,
    price: null,
    notes: "Selene (Narayanan 2021, Korthikanti 2022) is built from DGX A100 nodes.",
    sources: [
      {
        id: "nv_dgxa100_ds",
        title: "NVIDIA DGX A100 datasheet (6.5 kW max, 8x 200 Gb/s HDR)",
        url: "https://images.nvidia.com/aem-dam/Solutions/Data-Center/nvidia-dgx-a100-datasheet.pdf",
      },
    ],
  },
  {
    id: "google-tpu-v4-pod",
    name: "Google TPU v4 pod",
    chip: "google-tpu-v4",
    chips: 4096,
    scaleUpDomain: 4096,
    scaleUpGBps: null,
    powerKW: null,
    scaleUp:
      "ICI 3D torus with optical circuit switches; per-chip ICI bandwidth not restated in chips.json",
    scaleOut: "data-centre network between pods",
    powerNote: null,
    pue: "Google fleet ~1.10 (chips.md Sec. 5.1)",
    price: null,
    notes:
      "Give cluster.system.scaleUpGBps to simulate: the catalog has no sourced per-chip ICI figure.",
    sources: [
      {
        id: "tpu_v4_paper",
        title: "Jouppi et al. 2023, TPU v4 (ISCA), via chips.json google-tpu-v4",
        url: "https://arxiv.org/abs/2304.01433",
      },
    ],
  },
  {
    id: "google-tpu-v5p-pod",
    name: "Google TPU v5p pod",
    chip: "google-tpu-v5p",
    chips: 8960,
    scaleUpDomain: 8960,
    scaleUpGBps: 1200,
    powerKW: null,
    scaleUp: "ICI 3D torus; 1,200 GB/s bidirectional per chip",
    scaleOut: "data-centre network between pods",
    powerNote: null,
    pue: "Google fleet ~1.10 (chips.md Sec. 5.1)",
    price: null,
    notes: null,
    sources: [
      {
        id: "gc_tpu_v5p",
        title: "Google Cloud TPU v5p documentation, via chips.json google-tpu-v5p",
        url: "https://cloud.google.com/tpu/docs/v5p",
      },
    ],
  },
];

const sys = systems
  .map((s) => ({
    id: s.id,
    name: s.name,
    chip: s.chip_id,
    chips: s.chips,
    scaleUpDomain: s.scaleup_domain ?? null,
    scaleUpGBps: s.scaleup_bw_per_chip_gbs_bidir ?? null,
    powerKW: s.power_kw ?? null,
    scaleUp: s.scaleup ?? null,
    scaleOut: s.scaleout ?? null,
    powerNote: s.power_note ?? null,
    pue: s.pue ?? null,
    price: s.price ?? null,
    notes: s.notes ?? null,
    sources: (s.sources ?? []).map((x) => ({ id: x.id, title: x.title, url: x.url })),
  }))
  .concat(extraSystems);

const header = (what, from) =>
  `// GENERATED by scripts/import-catalog.mjs from ../shared/reference/${from}: edit the reference, then rerun.\n` +
  `// Every figure keeps the source ids of the reference record (${what}).\n`;
writeFileSync(
  join(root, "src/catalog/chips.data.ts"),
  header("fieldSources maps each field to them", "chips.json") +
    `import type { ChipRecord } from "./types.js";\n\nexport const CHIP_RECORDS: readonly ChipRecord[] = ${JSON.stringify(all, null, 1)};\n`,
);
writeFileSync(
  join(root, "src/catalog/systems.data.ts"),
  header("sources", "systems.json") +
    `import type { SystemRecord } from "./types.js";\n\nexport const SYSTEM_RECORDS: readonly SystemRecord[] = ${JSON.stringify(sys, null, 1)};\n`,
);
console.log(`${all.length} chips, ${sys.length} systems`);
