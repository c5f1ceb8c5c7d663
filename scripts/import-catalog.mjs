// Regenerates src/catalog/chips.data.ts and systems.data.ts from the team's reference files
// (../shared/reference/chips.json, systems.json), keeping every figure's sources.
// Run: node scripts/import-catalog.mjs [path/to/reference]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { FILLS, NEW_CHIPS, SCALE_UP_REDUCTION, SOURCES } from "./catalog-overlay.mjs";

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
const known = new Set(converted.map((c) => c.id));
for (const id of Object.keys(FILLS))
  if (!known.has(id)) throw new Error(`catalog-overlay.mjs fills unknown chip ${id}`);

/** A figure the overlay gives: its value, the sources behind it, and an estimate's basis and range. */
function applyFigure(chip, field, fig) {
  chip[field] = fig.value;
  if (fig.estimate) {
    chip.estimates[field] = { confidence: "estimate", ...fig.estimate };
    chip.fieldSources[field] = ["chipscale_estimate"];
  } else chip.fieldSources[field] = fig.sources;
  for (const id of fig.estimate ? ["chipscale_estimate"] : fig.sources)
    if (!chip.sources.some((s) => s.id === id))
      chip.sources.push({ id, title: SOURCES[id].title, url: SOURCES[id].url, supports: [] });
}

/** The catalog's free-text confidence as a level a program can read (the text stays for people). */
function sourcing(confidence) {
  if (/vendor/.test(confidence)) return "vendor"; // "vendor", "vendor + secondary", "vendor page + press"
  if (/^secondary/.test(confidence)) return "secondary";
  if (confidence === "announcement") return "announcement";
  return "unknown";
}

const all = [...converted, ...NEW_CHIPS].map(({ estimated = {}, ...c }) => {
  const chip = {
    ...c,
    sourcing: sourcing(c.confidence),
    sources: [...c.sources],
    fieldSources: fieldSources(c.sources),
    estimates: {},
  };
  for (const [field, fig] of Object.entries(FILLS[c.id] ?? {})) applyFigure(chip, field, fig);
  for (const [field, { value, ...estimate }] of Object.entries(estimated))
    applyFigure(chip, field, { value, estimate });
  return chip;
});

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
    scaleUpGBps: 600,
    powerKW: null,
    scaleUp:
      "ICI 3D torus with optical circuit switches; six links x 400 Gb/s each way = 600 GB/s bidirectional per chip",
    scaleOut: "data-centre network between pods",
    powerNote: null,
    pue: "Google fleet ~1.10 (chips.md Sec. 5.1)",
    price: null,
    notes: null,
    sources: [
      {
        id: "tpu_v4_paper",
        title: "Jouppi et al. 2023, TPU v4 (ISCA), via chips.json google-tpu-v4",
        url: "https://arxiv.org/abs/2304.01433",
      },
      {
        id: "lockwood_tpuv4",
        title: SOURCES.lockwood_tpuv4.title,
        url: SOURCES.lockwood_tpuv4.url,
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
  {
    id: "google-tpu-v5e-pod",
    name: "Google TPU v5e pod",
    chip: "google-tpu-v5e",
    chips: 256,
    scaleUpDomain: 256,
    scaleUpGBps: 400,
    powerKW: null,
    scaleUp: "ICI 2D torus; 400 GB/s bidirectional per chip",
    scaleOut: "data-centre network between pods (2 x 100 Gbps per 8-chip host)",
    powerNote: null,
    pue: "Google fleet ~1.10 (chips.md Sec. 5.1)",
    price: null,
    notes: null,
    sources: [{ id: "gc_tpu_v5e", title: SOURCES.gc_tpu_v5e.title, url: SOURCES.gc_tpu_v5e.url }],
  },
  {
    id: "google-tpu-v6e-pod",
    name: "Google TPU v6e (Trillium) pod",
    chip: "google-tpu-v6e",
    chips: 256,
    scaleUpDomain: 256,
    scaleUpGBps: 800,
    powerKW: null,
    scaleUp: "ICI 2D torus; 800 GB/s bidirectional per chip",
    scaleOut: "data-centre network between pods",
    powerNote: null,
    pue: "Google fleet ~1.10 (chips.md Sec. 5.1)",
    price: null,
    notes: null,
    sources: [{ id: "gc_tpu_v6e", title: SOURCES.gc_tpu_v6e.title, url: SOURCES.gc_tpu_v6e.url }],
  },
  {
    id: "google-tpu7x-pod",
    name: "Google TPU7x (Ironwood) pod",
    chip: "google-tpu7x",
    chips: 9216,
    scaleUpDomain: 9216,
    scaleUpGBps: 1200,
    powerKW: null,
    scaleUp: "ICI 3D torus with optical circuit switches; 1.2 TB/s of I/O per chip",
    scaleOut: "data-centre network between pods",
    powerNote: null,
    pue: "Google fleet ~1.10 (chips.md Sec. 5.1)",
    price: null,
    notes: null,
    sources: [
      { id: "gc_tpu7x", title: SOURCES.gc_tpu7x.title, url: SOURCES.gc_tpu7x.url },
      {
        id: "hc2025_ironwood",
        title: SOURCES.hc2025_ironwood.title,
        url: SOURCES.hc2025_ironwood.url,
      },
    ],
  },
  {
    id: "huawei-cloudmatrix-384-dies",
    name: "Huawei CloudMatrix 384 seen as its 768 dies (logical NPUs)",
    chip: "huawei-ascend-910c-die",
    chips: 768,
    scaleUpDomain: 768,
    scaleUpGBps: 392,
    powerKW: 559,
    scaleUp:
      "UnifiedBus: 392 GB/s per direction per 910C package, 196 per die; the two dies of a package also share an on-package link (not modelled apart)",
    scaleOut: "400 Gb/s RDMA plane per package, 200 per die",
    powerNote: "~559 kW all-in (SemiAnalysis), as huawei-cloudmatrix-384",
    pue: null,
    price: null,
    notes: "The same system as huawei-cloudmatrix-384, counted in dies: plan TP and EP per die.",
    sources: [
      {
        id: "cloudmatrix_paper",
        title:
          "Zuo et al., 'Serving Large Language Models on Huawei CloudMatrix384', arXiv 2506.12708",
        url: "https://arxiv.org/abs/2506.12708",
      },
      { id: "cm384_die", title: SOURCES.cm384_die.title, url: SOURCES.cm384_die.url },
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
  .concat(extraSystems)
  .map(({ sources, ...s }) => ({
    ...s,
    ...(SCALE_UP_REDUCTION[s.id] ? { scaleUpReduction: SCALE_UP_REDUCTION[s.id] } : {}),
    sources,
  }));

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
