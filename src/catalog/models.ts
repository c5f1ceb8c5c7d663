// Model presets. Each shape cites its paper or released config.
import type { ModelRecord } from "./types.js";

export const MODELS: readonly ModelRecord[] = [
  {
    id: "gpt3-175b", name: "GPT-3 175B", layers: 96, hidden: 12288, ffnHidden: 49152, heads: 96, kvHeads: 96,
    vocab: 51200, mlp: "gelu", tiedEmbeddings: true,
    source: "Brown et al. 2020, arXiv:2005.14165, Table 2.1 (vocab padded to 51200 as in Megatron-LM, Narayanan et al. 2021)",
  },
  {
    id: "llama2-70b", name: "Llama 2 70B", layers: 80, hidden: 8192, ffnHidden: 28672, heads: 64, kvHeads: 8,
    vocab: 32000, mlp: "swiglu",
    source: "Touvron et al. 2023, arXiv:2307.09288, Table 1; meta-llama/Llama-2-70b-hf config.json",
  },
  {
    id: "llama3-8b", name: "Llama 3 8B", layers: 32, hidden: 4096, ffnHidden: 14336, heads: 32, kvHeads: 8,
    vocab: 128256, mlp: "swiglu",
    source: "Llama 3 Herd of Models, arXiv:2407.21783, Table 3; meta-llama/Meta-Llama-3-8B config.json",
  },
  {
    id: "llama3-70b", name: "Llama 3 70B", layers: 80, hidden: 8192, ffnHidden: 28672, heads: 64, kvHeads: 8,
    vocab: 128256, mlp: "swiglu",
    source: "Llama 3 Herd of Models, arXiv:2407.21783, Table 3; meta-llama/Meta-Llama-3-70B config.json",
  },
  {
    id: "llama3-405b", name: "Llama 3.1 405B", layers: 126, hidden: 16384, ffnHidden: 53248, heads: 128, kvHeads: 8,
    vocab: 128256, mlp: "swiglu",
    source: "Llama 3 Herd of Models, arXiv:2407.21783, Table 3",
  },
  {
    id: "nemotron4-340b", name: "Nemotron-4 340B", layers: 96, hidden: 18432, ffnHidden: 73728, heads: 96, kvHeads: 8,
    vocab: 256000, mlp: "relu2",
    source: "Nemotron-4 340B Technical Report, arXiv:2406.11704, Table 1 (squared-ReLU MLP, 2 matrices)",
  },
  {
    id: "deepseek-v3", name: "DeepSeek-V3 671B (37B active)", layers: 61, hidden: 7168, ffnHidden: 18432, heads: 128,
    kvHeads: 128, headDim: 128, vocab: 129280, mlp: "swiglu",
    moe: { experts: 256, active: 8, shared: 1, expertFfnHidden: 2048, denseLayers: 3 },
    mla: { qLoraRank: 1536, kvLoraRank: 512, ropeHeadDim: 64, vHeadDim: 128 },
    source: "DeepSeek-V3 Technical Report, arXiv:2412.19437, Sec. 4.2; deepseek-ai/DeepSeek-V3 config.json (MTP module not modelled)",
  },
  {
    id: "1t-dense", name: "1T dense (hypothetical)", layers: 128, hidden: 25600, ffnHidden: 102400, heads: 160, kvHeads: 160,
    vocab: 51200, mlp: "gelu",
    source: "Shape of the 1T GPT model in Narayanan et al. 2021, arXiv:2104.04473, Table 1 (last row)",
  },
];
