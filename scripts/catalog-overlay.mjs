// The project's additions to ../shared/reference/chips.json, applied by scripts/import-catalog.mjs:
// figures the reference leaves null, corrected where a vendor states a unit the reference did not
// convert, and chips the reference lacks. Every figure names its source; a figure no source gives is
// an estimate that says what it comes from and the range it may lie in (`range`, same unit), and
// the catalog marks it `confidence: "estimate"` so that results warn and widen their band.

const GIB = 1.073741824; // GB per GiB: Google states TPU HBM in GiB

/** Sources the overlay cites that the reference's chip entries do not carry. */
export const SOURCES = {
  gc_tpu_v4: {
    title: "Google Cloud TPU docs: TPU v4 (32 GiB HBM2, 1,200 GBps; 3D torus)",
    url: "https://cloud.google.com/tpu/docs/v4",
  },
  lockwood_tpuv4: {
    title:
      "Glenn K. Lockwood, TPUv4 notes after Jouppi et al. 2023: six ICI links (3D torus), 400 Gb/s per direction each",
    url: "https://glennklockwood.com/garden/processors/TPUv4",
  },
  gc_tpu_v5p_table: {
    title:
      "Google Cloud TPU v5p docs, spec table: FP8 459 TFLOPs, 95 GiB HBM, 1,200 GBps ICI, 50 Gbps DCN per chip",
    url: "https://docs.cloud.google.com/tpu/docs/v5p",
  },
  gc_tpu_v5e: {
    title:
      "Google Cloud TPU v5e docs, spec table: BF16 197 TFLOPs, Int8 393 TOPs, 16 GiB HBM at 819 GBps, 400 GBps bidirectional ICI (4 ports), 8 chips and 2 x 100 Gbps NICs per host, 256-chip 2D-torus pod",
    url: "https://docs.cloud.google.com/tpu/docs/v5e",
  },
  gc_tpu_v6e: {
    title: "Google Cloud TPU v6e (Trillium) docs, spec table",
    url: "https://docs.cloud.google.com/tpu/docs/v6e",
  },
  gc_tpu7x: {
    title:
      "Google Cloud TPU7x (Ironwood) docs: v5p / v6e / TPU7x table (BF16 2,307, FP8 4,614 TFLOPs, 192 GiB HBM; 9,216-chip pod)",
    url: "https://docs.cloud.google.com/tpu/docs/tpu7x",
  },
  hc2025_ironwood: {
    title:
      "Hot Chips 2025 Ironwood talk as reported: 192 GB HBM3E at 7.3 TB/s, 1.2 TB/s of chip I/O, 9,216 chips per pod",
    url: "https://mattfife.com/?p=15269",
  },
  gke_ironwood: {
    title: "Google Kubernetes Engine: Ironwood (TPU7x) overview (4 chips and 2 NICs per VM)",
    url: "https://docs.cloud.google.com/kubernetes-engine/docs/concepts/tpu-ironwood",
  },
  toms_h20_l20_l2: {
    title:
      "Tom's Hardware: H20, L20 and L2 specification table (L2: 24 GB GDDR6, 300 GB/s, 96.5 TF BF16, 193 TF FP8, PCIe 4.0 x16)",
    url: "https://www.tomshardware.com/pc-components/gpus/new-nvidia-ai-gpus-designed-to-get-around-us-export-bans-come-to-china-h20-l20-and-l2-to-fill-void-left-by-restricted-models",
  },
  taoguba_l20: {
    title:
      "Taoguba post on the H20/L20/L2 server designs: L20 pairs with a 200G network as the L40S does (HDR200 or 200G Ethernet)",
    url: "https://www.taoguba.com.cn/Article/2551318/blog/Article/5364790/1",
  },
  toms_mi355x: {
    title:
      "Tom's Hardware: AMD Instinct MI355X at 1,400 W, 288 GB HBM3E, 8 TB/s; scale-up world size of eight GPUs (ISC 2025)",
    url: "https://www.tomshardware.com/pc-components/gpus/amds-instinct-mi355x-accelerator-will-consume-1-400-watts",
  },
  isscc_mi355x: {
    title:
      "ISSCC 2026 MI355X paper as reported: 8 XCDs x 32 CUs, 8,192 FP8 FLOP per CU per clock, ~5 PFLOPS FP8",
    url: "https://www.world-today-news.com/?p=7253162",
  },
  hc2025_mi350: {
    title: "Wccftech on AMD's Hot Chips 2025 MI350 talk: MI355X 1,400 W TBP, 2.4 GHz max clock",
    url: "https://wccftech.com/amd-instinct-mi350-gpuai-hardware-powerhouse-3nm-3d-chiplet-cdna-4-185-billion-transistors-1400w-tbp-over-4000b-llm-support/",
  },
  hc2024_gaudi3: {
    title:
      "Kaplan (Intel), Hot Chips 2024: Gaudi 3 (BF16/FP8 matrix 1,835 TFLOPs, 128 GB HBM2e, 3.67 TB/s, 900 W air OAM, 24 x 200GbE RoCE)",
    url: "https://www.sgpjbg.com/baogao/465025.html",
  },
  habana_network: {
    title:
      "Intel Gaudi docs, Network Configuration: Gaudi 3 has 21 scale-up ports (3 to each of 7 peers in an HLS-3 box, 1,050 GB/s bidirectional) and 3 scale-out ports at 200 Gbps",
    url: "https://docs.habana.ai/en/latest/Management_and_Monitoring/Network_Configuration/index.html",
  },
  hume_mi355x: {
    title:
      "Hume Consulting, AMD MI355X analysis: Infinity Fabric/XGMI ~153 GB/s bidirectional per link",
    url: "https://humeconsulting.co/amd-mi355x-strong-node-level-inference-but-not-yet-rack-scale",
  },
  cloudmatrix_paper: {
    title:
      "Zuo et al., 'Serving Large Language Models on Huawei CloudMatrix384', arXiv 2506.12708 (910C: 2 dies x 376 TF BF16, 128 GB, 3.2 TB/s; UB 392 GB/s per direction per NPU; 400 Gbps RDMA)",
    url: "https://arxiv.org/abs/2506.12708",
  },
  cm384_die: {
    title:
      "CloudMatrix 384 analysis: ~289 PFLOPS BF16 over 384 x 910C, UB 196 GB/s per die-level NPU (of 392 GB/s per package)",
    url: "https://chinaresearchcollective.substack.com/p/huawei-ascend-cloudmatrix-384-supernode",
  },
  chipscale_estimate: {
    title:
      "chipscale estimate (scripts/catalog-overlay.mjs): no source gives this figure; its basis and range are stated with it",
    url: null,
  },
};

/**
 * Figures for chips already in chips.json. Each is `{ value, sources }` (a stated figure, with the
 * ids of the sources that give it) or `{ value, estimate: { basis, range } }`.
 */
export const FILLS = {
  "nvidia-h100-nvl-94gb": {
    scaleOutGbps: {
      value: 400,
      estimate: {
        basis:
          "as the catalog's H100 PCIe (same PCIe Gen5 x16 host link; one 400G NIC per GPU in NVIDIA's PCIe server designs)",
        range: [200, 400],
      },
    },
  },
  "nvidia-l20": { scaleOutGbps: { value: 200, sources: ["taoguba_l20"] } },
  "nvidia-l40s": { scaleOutGbps: { value: 200, sources: ["taoguba_l20"] } },
  "nvidia-b300-hgx": {
    // chips.json keeps 270 GB from a usable-capacity reading; NVIDIA states 2.3 TB per 8-GPU system.
    hbmGB: { value: 288, sources: ["nv_dgxb300_ds", "acecloud_b300"] },
  },
  "google-tpu-v4": {
    hbmGB: { value: round(32 * GIB), sources: ["gc_tpu_v4"] },
    // Six torus links x 400 Gb/s each way = 300 GB/s per direction = 600 GB/s bidirectional.
    scaleUpGBps: { value: 600, sources: ["lockwood_tpuv4", "tpu_v4_paper"] },
    scaleOutGbps: {
      value: 50,
      estimate: {
        basis:
          "TPU v5p's 50 Gbps data-centre network per chip (Google Cloud v5p docs); v4's is not published",
        range: [25, 100],
      },
    },
  },
  "google-tpu-v5p": {
    fp8Tflops: { value: 459, sources: ["gc_tpu_v5p_table"] },
    hbmGB: { value: round(95 * GIB), sources: ["gc_tpu_v5p_table"] },
    scaleOutGbps: { value: 50, sources: ["gc_tpu_v5p_table"] },
    tdpW: {
      value: 320,
      estimate: {
        basis:
          "not published; TPU v4's measured maximum of 192 W for 275 TFLOPs (Google Cloud v4 docs) scaled to v5p's 459 TFLOPs",
        range: [250, 450],
      },
    },
  },
  "huawei-ascend-910": {
    scaleUpGBps: {
      value: 90,
      estimate: {
        basis:
          "not in the sources used: three HCCS links at 30 GB/s each, as commonly reported for the first-generation 910 and unverified",
        range: [45, 180],
      },
    },
    scaleUpDomain: {
      value: 8,
      estimate: {
        basis: "8 NPUs per Atlas 800 (model 9000) training server, as the 910B's Atlas 800T A2",
        range: [4, 8],
      },
    },
    scaleOutGbps: {
      value: 100,
      estimate: {
        basis: "one 100G RoCE port per NPU, half the 910B's 200GE (one generation earlier)",
        range: [100, 200],
      },
    },
  },
  "huawei-ascend-950dt": {
    bf16Tflops: {
      value: 500,
      estimate: {
        basis:
          "half the announced 1 PFLOPS FP8, as on every chip in the catalog with both (Huawei gives no BF16 figure)",
        range: [400, 500],
      },
    },
    scaleOutGbps: {
      value: 400,
      estimate: {
        basis: "the 910C's 400 Gb/s RDMA plane per NPU (CloudMatrix 384 paper)",
        range: [200, 800],
      },
    },
    tdpW: {
      value: 600,
      estimate: {
        basis: "the Atlas 350 card (950PR die) is rated at most 600 W (chips.md Sec. 2.3)",
        range: [500, 900],
      },
    },
  },
  "baidu-kunlun-p800": placeholder("Kunlun P800"),
  "cambricon-mlu590": placeholder("MLU590"),
  "cambricon-mlu370-x8": {
    scaleOutGbps: pcie4Nic("MLU370-X8 card (PCIe Gen4 x16)"),
  },
  "cambricon-mlu290-m5": {
    bf16Tflops: {
      value: 256,
      estimate: {
        basis:
          "no FP16/BF16 figure: the MLU290 trains in INT16 fixed point, whose 256 TOPS (half its INT8 512) stand in for a 16-bit peak",
        range: [128, 256],
      },
    },
    scaleOutGbps: pcie4Nic("MLU290 OAM host (4 per 2U Xuansi 1000 node)"),
  },
  "biren-br100": {
    scaleOutGbps: {
      value: 200,
      estimate: {
        basis: "one 200G NIC per OAM, the 2022 norm for 8-OAM servers (DGX A100: 200G per GPU)",
        range: [100, 400],
      },
    },
  },
  "biren-br104": {
    scaleUpGBps: {
      value: 128,
      estimate: {
        basis:
          "a PCIe card without BLink bridges: PCIe Gen5 x16, 128 GB/s bidirectional, as the catalog's L20 uses its PCIe link",
        range: [64, 128],
      },
    },
    scaleUpDomain: {
      value: 1,
      estimate: {
        basis: "no scale-up fabric on the PCIe card (as the catalog's L20 and L40S)",
        range: [1, 1],
      },
    },
    scaleOutGbps: pcie4Nic("BR104 PCIe server"),
  },
  "mthreads-mtt-s4000": {
    scaleOutGbps: {
      value: 200,
      estimate: {
        basis: "one 200G NIC per card in an 8-card KUAE server (PCIe 5.0 host link); not published",
        range: [100, 400],
      },
    },
  },
  "mthreads-mtt-s5000": {
    bf16Tflops: {
      value: 500,
      estimate: {
        basis: "chips.json's own assumption: FP8 1,000 TFLOPS = 2 x BF16, as on every peer",
        range: [400, 500],
      },
    },
    scaleUpDomain: {
      value: 8,
      estimate: { basis: "8 cards per KUAE server, as the S4000's MCCX D800", range: [8, 8] },
    },
    scaleOutGbps: {
      value: 400,
      estimate: { basis: "one 400G NIC per card, as 2025 8-GPU servers", range: [200, 400] },
    },
    tdpW: {
      value: 600,
      estimate: {
        basis:
          "not published; an OAM part with 80 GB at 1.6 TB/s and 1 PFLOPS FP8 sits between the S4000 (450 W) and H100 (700 W)",
        range: [450, 800],
      },
    },
  },
  "metax-c500-oam": {
    bf16Tflops: {
      value: 280,
      estimate: {
        basis: "chips.json's own assumption: INT8 560 / 2 (= 2 x TF32 140)",
        range: [240, 300],
      },
    },
    ...metaxLink(),
  },
  "metax-c550": {
    bf16Tflops: {
      value: 280,
      estimate: {
        basis:
          "the C500's estimate (same 64 GB at 1.8 TB/s and 450 W); FlagPerf masks the C550's nominal",
        range: [240, 400],
      },
    },
    ...metaxLink(),
  },
  "hygon-dcu-k100": {
    bf16Tflops: {
      value: 100,
      estimate: {
        basis: "its FP16 100 TFLOPS: BF16 taken equal to FP16, as chips.md Sec. 0 does for Hygon",
        range: [50, 100],
      },
    },
    hbmTBps: {
      value: 0.896,
      estimate: { basis: "the K100 AI's 0.896 TB/s (same 64 GB generation)", range: [0.6, 0.9] },
    },
    ...hygonServer(300),
  },
  "hygon-dcu-k100-ai": hygonServer(350),
  "hygon-dcu-bw200": hygonServer(450),
  "iluvatar-bi-v150": {
    hbmGB: {
      value: 64,
      estimate: {
        basis: "64 GB HBM2e, as the 2023 domestic training parts it competes with (C500, K100)",
        range: [32, 64],
      },
    },
    hbmTBps: {
      value: 1.6,
      estimate: { basis: "four HBM2e stacks, as the Ascend 910B's 1.6 TB/s", range: [0.8, 1.8] },
    },
    scaleUpGBps: {
      value: 64,
      estimate: {
        basis: "a PCIe Gen4 x16 card without a published bridge: 64 GB/s bidirectional",
        range: [64, 128],
      },
    },
    scaleUpDomain: {
      value: 8,
      estimate: { basis: "8 cards per server over a PCIe switch", range: [1, 8] },
    },
    scaleOutGbps: pcie4Nic("BI-V150 server (PCIe Gen4 x16)"),
  },
  "alibaba-thead-ppu-810e": {
    bf16Tflops: {
      value: 148,
      estimate: {
        basis:
          "CCTV's table sets the PPU against the H20 (matching its specifications at 400 W): the H20's 148 TFLOPS",
        range: [120, 300],
      },
    },
    hbmTBps: {
      value: 1.6,
      estimate: { basis: "96 GB of HBM2e, as the 910B's four-stack 1.6 TB/s", range: [1.2, 2.4] },
    },
    scaleUpDomain: {
      value: 8,
      estimate: { basis: "8 accelerators per server, as every peer in the catalog", range: [8, 8] },
    },
    scaleOutGbps: {
      value: 400,
      estimate: { basis: "one 400G NIC per accelerator, as HGX H20", range: [200, 400] },
    },
  },
};

/** Chips the reference does not list, each figure with its source. */
export const NEW_CHIPS = [
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
  {
    ...blank("nvidia-l2", "NVIDIA", "L2 PCIe 24GB", 2024, "secondary (reseller listing)"),
    bf16Tflops: 96.5,
    fp16Tflops: 96.5,
    fp8Tflops: 193,
    int8Tops: 193,
    hbmGB: 24,
    hbmType: "GDDR6",
    hbmTBps: 0.3,
    scaleUpGBps: 64,
    scaleUpDomain: 1,
    scaleUpTech: "none (PCIe Gen4 x16)",
    processNode: "TSMC 4N",
    notes: "China-market Ada part beside the H20 and L20.",
    sources: [source("toms_h20_l20_l2", ["perf", "mem", "scaleup"])],
    estimated: {
      scaleOutGbps: {
        value: 200,
        basis: "the L20's 200G network (same PCIe Gen4 inference server design)",
        range: [100, 200],
      },
      tdpW: {
        value: 120,
        basis: "not in the listing; between the L4 (72 W) and the L20 (275 W), scaled by peak",
        range: [72, 275],
      },
    },
  },
  {
    ...blank("amd-mi355x", "AMD", "Instinct MI355X OAM 288GB", 2025, "vendor + secondary"),
    // 256 CUs x 8,192 FLOP/clk x 2.4 GHz = 5,033 TFLOPS FP8 (ISSCC 2026; Hot Chips 2025 clock).
    fp8Tflops: 5033,
    // CDNA matrix cores run BF16 at half the FP8 rate (CDNA 3: 1,307 vs 2,615).
    bf16Tflops: 2516,
    fp16Tflops: 2516,
    hbmGB: 288,
    hbmType: "HBM3E",
    hbmTBps: 8,
    scaleUpDomain: 8,
    scaleUpTech: "Infinity Fabric (7 links, fully-connected 8-OAM)",
    tdpW: 1400,
    processNode: "TSMC N3P (XCD) + N6 (IOD)",
    sources: [
      source("toms_mi355x", ["mem", "tdp_w", "scaleup"]),
      source("isscc_mi355x", ["perf"]),
      source("hc2025_mi350", ["perf", "tdp_w"]),
      source("hume_mi355x", []),
    ],
    estimated: {
      scaleUpGBps: {
        value: 1075,
        basis:
          "7 Infinity Fabric links as the MI300X's fully connected 8-OAM board, at CDNA 4's ~153 GB/s per link (Hume Consulting) instead of 128",
        range: [896, 1075],
      },
      scaleOutGbps: {
        value: 400,
        basis: "one 400G NIC per GPU, as the MI300X platform (Azure ND MI300X v5)",
        range: [400, 400],
      },
    },
  },
  {
    ...blank("google-tpu-v5e", "Google", "TPU v5e", 2023, "vendor"),
    bf16Tflops: 197,
    int8Tops: 393,
    hbmGB: round(16 * GIB),
    hbmType: "HBM2",
    hbmTBps: 0.819,
    scaleUpGBps: 400,
    scaleUpDomain: 256,
    scaleUpTech: "ICI 2D torus (4 ports per chip)",
    scaleOutGbps: 25,
    notes:
      "HBM 16 GiB (17.18 GB) as the spec table states it (other page versions say 16 GB). Data-centre network: 2 x 100 Gbps NICs per 8-chip host = 25 Gbps per chip. No FP8.",
    sources: [source("gc_tpu_v5e", ["perf", "mem", "scaleup", "scaleout"])],
    estimated: {
      tdpW: {
        value: 200,
        basis:
          "not published; TPU v4's measured 192 W at 275 TFLOPs (Jouppi et al. 2023), for a smaller single-TensorCore chip at 197 TFLOPs",
        range: [120, 300],
      },
    },
  },
  {
    ...blank("google-tpu-v6e", "Google", "TPU v6e (Trillium)", 2024, "vendor"),
    bf16Tflops: 918,
    fp8Tflops: 918,
    int8Tops: 1836,
    hbmGB: round(32 * GIB),
    hbmType: "HBM",
    hbmTBps: 1.638,
    scaleUpGBps: 800,
    scaleUpDomain: 256,
    scaleUpTech: "ICI 2D torus (4 ports per chip)",
    notes:
      "HBM 32 GiB (34.36 GB): Google's TPU7x comparison table states v6e's 32 in GiB, as it does v5p's 95 (the v6e page says 32 GB). 8 chips per host.",
    sources: [source("gc_tpu_v6e", ["perf", "mem", "scaleup"]), source("gc_tpu7x", ["perf"])],
    estimated: {
      scaleOutGbps: {
        value: 50,
        basis: "TPU v5p's 50 Gbps data-centre network per chip (Google Cloud v5p docs)",
        range: [25, 100],
      },
      tdpW: {
        value: 380,
        basis:
          "not published; TPU v4's measured 192 W at 275 TFLOPs scaled to 918 TFLOPs, less Google's 67% perf-per-watt gain of v6e",
        range: [250, 650],
      },
    },
  },
  {
    ...blank("google-tpu7x", "Google", "TPU7x (Ironwood)", 2025, "vendor"),
    bf16Tflops: 2307,
    fp8Tflops: 4614,
    hbmGB: round(192 * GIB),
    hbmType: "HBM3E",
    hbmTBps: 7.3,
    scaleUpGBps: 1200,
    scaleUpDomain: 9216,
    scaleUpTech: "ICI 3D torus with optical circuit switches",
    notes: "Two compute dies per chip; HBM 192 GiB as Google states it (206.2 GB).",
    sources: [
      source("gc_tpu7x", ["perf", "mem", "scaleup"]),
      source("hc2025_ironwood", ["mem", "scaleup"]),
    ],
    estimated: {
      scaleOutGbps: {
        value: 100,
        basis:
          "2 NICs per 4-chip VM (GKE Ironwood docs) at an assumed 200 Gb/s each; the NIC speed is not stated",
        range: [50, 200],
      },
      tdpW: {
        value: 600,
        basis:
          "not published; Google's 2x perf per watt over Trillium applied to the v6e estimate, up to a B200-class 1,000 W package",
        range: [480, 1000],
      },
    },
  },
  {
    ...blank("intel-gaudi3", "Intel", "Gaudi 3 OAM (HL-325L)", 2024, "vendor"),
    bf16Tflops: 1835,
    fp8Tflops: 1835,
    hbmGB: 128,
    hbmType: "HBM2e",
    hbmTBps: 3.67,
    scaleUpDomain: 8,
    scaleUpTech: "24 x 200GbE RoCE on die; 8-card server all-to-all, 3 links per peer (full mesh)",
    // 21 scale-up ports x 200 Gb/s = 525 GB/s each way; 3 scale-out ports x 200 Gb/s.
    scaleUpGBps: 1050,
    scaleOutGbps: 600,
    tdpW: 900,
    processNode: "TSMC N5",
    notes: "Two compute dies; 900 W air-cooled OAM (1,200 W liquid).",
    sources: [
      source("hc2024_gaudi3", ["perf", "mem", "tdp_w"]),
      source("habana_network", ["scaleup", "scaleout"]),
    ],
  },
  {
    ...blank(
      "huawei-ascend-910c-die",
      "Huawei",
      "Ascend 910C, one of its two dies (a logical NPU)",
      2025,
      "secondary",
    ),
    bf16Tflops: 376,
    fp16Tflops: 376,
    hbmGB: 64,
    hbmType: "HBM2e",
    hbmTBps: 1.6,
    // UB: 392 GB/s per direction per package (CloudMatrix paper) = 196 per die, 392 bidirectional.
    scaleUpGBps: 392,
    scaleUpDomain: 768,
    scaleUpTech:
      "UnifiedBus via L1/L2 UB switches; the package's two dies also share an on-package link",
    scaleOutGbps: 200,
    processNode: "SMIC N+2 and/or TSMC N7",
    dieAreaEstimate: true,
    notes:
      "Huawei's scheduler exposes each 910C as two NPUs (one per die). CloudMatrix 384 = 768 of these on UB. The two dies of a package also talk over an on-package link faster than UB; chipscale's two-level network charges UB for every pair in the domain, so TP 2 inside a package is modelled conservatively. Scale-out: the package's 400 Gb/s RDMA plane shared by its two dies.",
    sources: [
      source("cloudmatrix_paper", ["perf", "mem", "scaleup", "scaleout"]),
      source("cm384_die", ["perf", "scaleup"]),
    ],
    estimated: {
      dieAreaMm2: {
        value: 665.61,
        basis:
          "the 910B's Virtuvian B die measured from a die shot (chips.md Sec. 2.2), as chips.json takes the 910C's dies to be 910B-class (disputed)",
        range: [600, 700],
      },
      tdpW: {
        value: 350,
        basis:
          "one 910B-class die: the 910B's 350-400 W (chips.md Sec. 2.3); the package TDP is unpublished",
        range: [300, 400],
      },
    },
  },
];

function round(x) {
  return Math.round(x * 100) / 100;
}

function blank(id, vendor, name, year, confidence) {
  return {
    id,
    vendor,
    name,
    year,
    status: "shipping",
    confidence,
    bf16Tflops: null,
    fp16Tflops: null,
    fp8Tflops: null,
    fp4Tflops: null,
    int8Tops: null,
    int4Tops: null,
    hbmGB: null,
    hbmType: null,
    hbmTBps: null,
    scaleUpGBps: null,
    scaleUpDomain: null,
    scaleUpTech: null,
    scaleOutGbps: null,
    ioGBps: null,
    tdpW: null,
    dieAreaMm2: null,
    dieAreaEstimate: false,
    processNode: null,
    priceUSD: null,
    notes: null,
    conflicts: [],
  };
}

function source(id, supports) {
  return { id, title: SOURCES[id].title, url: SOURCES[id].url, supports };
}

function pcie4Nic(what) {
  return {
    value: 100,
    estimate: {
      basis: `one 100G NIC per ${what}: the PCIe-server norm of its year; not published`,
      range: [50, 200],
    },
  };
}

function metaxLink() {
  return {
    scaleUpGBps: {
      value: 448,
      estimate: {
        basis:
          "MetaXLink between 8 OAMs, taken at the 910B's 7-link full mesh scale (392-448 GB/s); not published",
        range: [200, 448],
      },
    },
    scaleUpDomain: {
      value: 8,
      estimate: { basis: "8 OAMs per server (OAM/UBB form factor)", range: [8, 8] },
    },
    scaleOutGbps: {
      value: 200,
      estimate: { basis: "one 200G NIC per OAM, as the 910B's Atlas 800T A2", range: [100, 400] },
    },
  };
}

function hygonServer(tdp) {
  return {
    scaleUpGBps: {
      value: 64,
      estimate: {
        basis:
          "PCIe Gen4 x16 between cards (the DCU line descends from AMD MI-series PCIe cards); no xGMI figure published",
        range: [64, 184],
      },
    },
    scaleUpDomain: {
      value: 8,
      estimate: { basis: "8 cards per server over a PCIe switch", range: [4, 8] },
    },
    scaleOutGbps: pcie4Nic("DCU server"),
    tdpW: {
      value: tdp,
      estimate: {
        basis: "not published; set by its peak beside PCIe peers (MI100 300 W, 910B 400 W)",
        range: [tdp * 0.75, tdp * 1.25],
      },
    },
  };
}

/** A chip with no credible published figure at all (chips.md Sec. 7): every figure a wide placeholder. */
function placeholder(name) {
  const basis = `${name}: no credible published figure (chips.md Sec. 7); placeholder at the class of the domestic training chip it is deployed beside, the Ascend 910B`;
  const est = (value, lo, hi) => ({ value, estimate: { basis, range: [lo, hi] } });
  return {
    bf16Tflops: est(320, 160, 480),
    fp16Tflops: est(320, 160, 480),
    hbmGB: est(64, 32, 96),
    hbmTBps: est(1.6, 0.8, 2.4),
    scaleUpGBps: est(392, 200, 600),
    scaleUpDomain: est(8, 8, 64),
    scaleOutGbps: est(200, 100, 400),
    tdpW: est(400, 300, 600),
  };
}

// Systems whose scale-up switches reduce in the network (issue 15, in-network reduction), with the
// source that says so. Other NVSwitch boards (HGX H800, H20) likely carry the same switch, but no
// source here says so; a scenario can turn it on (cluster.system.scaleUpReduction).
const NVLS_H100 =
  'NVLink SHARP (NVLS) in the third-generation NVSwitch: "hardware acceleration for collective operations with multicast and NVIDIA SHARP in-network reductions" (NVIDIA developer blog, "Upgrading Multi-GPU Interconnectivity with the Third-Generation NVIDIA NVSwitch", 2022, https://developer.nvidia.com/blog/upgrading-multi-gpu-interconnectivity-with-the-third-generation-nvidia-nvswitch/)';
const NVLS_NVL5 =
  'NVLink SHARP in the fifth-generation NVLink Switch: "NVIDIA Scalable Hierarchical Aggregation and Reduction Protocol (SHARP) in-network reductions and multicast acceleration" (NVIDIA NVLink and NVLink Switch page, https://www.nvidia.com/en-us/data-center/nvlink/)';
export const SCALE_UP_REDUCTION = {
  "nvidia-dgx-h100": NVLS_H100,
  "nvidia-dgx-b200": NVLS_NVL5,
  "nvidia-gb200-nvl72": NVLS_NVL5,
  "nvidia-gb300-nvl72": NVLS_NVL5,
};
