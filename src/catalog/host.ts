// The host tier of a catalog system, per chip: the chip-to-host link, host memory and its bandwidth,
// for offloading optimizer state and activations (parallelism.offloadOptimizer, offloadActivations).
// Only figures a source states; a system or figure not listed is unknown, and a scenario that
// offloads on it must give it (cluster.system.hostLinkGBps, hostMemoryGB, hostMemoryGBps).

export interface HostFigures {
  /** Chip-to-host link per chip, GB/s bidirectional (like scaleUpGBps). */
  hostLinkGBps?: number;
  /** Host memory per chip, GB. */
  hostMemoryGB?: number;
  /** Host memory bandwidth per chip, GB/s. */
  hostMemoryGBps?: number;
  /** Where each figure comes from. */
  source: string;
}

export const HOST_FIGURES: Readonly<Record<string, HostFigures>> = {
  "nvidia-dgx-h100": {
    hostLinkGBps: 128,
    hostMemoryGB: 256,
    source:
      'PCIe Gen5 x16 per GPU, 128 GB/s bidirectional (Transformer Engine docs, "CPU Offloading", https://nvidia.github.io/TransformerEngine/features/other_optimizations/cpu_offloading/cpu_offloading.html; MLPerf Inference v4.1 NVIDIA H200-SXM-141GBx8 system description: accelerator_host_interconnect "PCIe Gen5 x16", host_memory_capacity "2 TB" on 2x Xeon 8480C, the DGX H100/H200 host); 2 TB / 8 GPUs = 256 GB',
  },
  "nvidia-dgx-b200": {
    hostLinkGBps: 128,
    source:
      'PCIe Gen5 x16 per GPU, 128 GB/s bidirectional (MLPerf Inference v6.0 Nebius B200 system description: accelerator_host_interconnect "PCIe Gen5 x16"; Transformer Engine docs, "CPU Offloading")',
  },
  "nvidia-gb200-nvl72": {
    hostLinkGBps: 450,
    hostMemoryGB: 240,
    source:
      'one Grace per two B200 (chips.json, GB200 notes): its NVLink-C2C, 900 GB/s bidirectional, and its 480 GB LPDDR5X shared by both (Transformer Engine docs, "CPU Offloading", https://nvidia.github.io/TransformerEngine/features/other_optimizations/cpu_offloading/cpu_offloading.html): 450 GB/s and 240 GB per GPU',
  },
};
