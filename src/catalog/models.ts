// Model presets. Each shape cites its paper or released config.
import type { ModelRecord } from "./types.js";

export const MODELS: readonly ModelRecord[] = [
  {
    id: "gpt3-175b", name: "GPT-3 175B", layers: 96, hidden: 12288, ffnHidden: 49152, heads: 96, kvHeads: 96,
    vocab: 51200, mlp: "gelu", tiedEmbeddings: true,
    source: "Brown et al. 2020, arXiv:2005.14165, Table 2.1 (vocab padded to 51200 as in Megatron-LM, Narayanan et al. 2021)",
    training: { tokens: 300e9, seqLen: 2048, globalBatch: 1536, source: "Brown et al. 2020, arXiv:2005.14165, Table 2.1 (3.2M-token batch); 300B tokens, Sec. 2.2" },
  },
  {
    id: "opt-175b", name: "OPT-175B", layers: 96, hidden: 12288, ffnHidden: 49152, heads: 96, kvHeads: 96,
    vocab: 50272, mlp: "relu", tiedEmbeddings: true,
    source: "Zhang et al. 2022, arXiv:2205.01068, Table 1; facebook/opt config (ReLU MLP, tied embeddings)",
  },
  {
    id: "bloom-176b", name: "BLOOM 176B", layers: 70, hidden: 14336, ffnHidden: 57344, heads: 112, kvHeads: 112,
    vocab: 250880, mlp: "gelu", tiedEmbeddings: true,
    source: "BigScience 2022, arXiv:2211.05100, Table 3; bigscience/bloom config.json",
    training: { tokens: 366e9, seqLen: 2048, globalBatch: 2048, source: "BigScience 2022, arXiv:2211.05100, Sec. 3.4.1-3.4.2 (published-runs.json bloom_176b)" },
  },
  {
    id: "llama2-7b", name: "Llama 2 7B", layers: 32, hidden: 4096, ffnHidden: 11008, heads: 32, kvHeads: 32,
    vocab: 32000, mlp: "swiglu",
    source: "Touvron et al. 2023, arXiv:2307.09288, Table 1; meta-llama/Llama-2-7b-hf config.json",
    training: { tokens: 2e12, seqLen: 4096, globalBatch: 1024, source: "Touvron et al. 2023, arXiv:2307.09288, Table 1 and Sec. 2.2 (4M-token batch)" },
  },
  {
    id: "llama2-13b", name: "Llama 2 13B", layers: 40, hidden: 5120, ffnHidden: 13824, heads: 40, kvHeads: 40,
    vocab: 32000, mlp: "swiglu",
    source: "Touvron et al. 2023, arXiv:2307.09288, Table 1; meta-llama/Llama-2-13b-hf config.json",
    training: { tokens: 2e12, seqLen: 4096, globalBatch: 1024, source: "Touvron et al. 2023, arXiv:2307.09288, Table 1 and Sec. 2.2 (4M-token batch)" },
  },
  {
    id: "llama2-70b", name: "Llama 2 70B", layers: 80, hidden: 8192, ffnHidden: 28672, heads: 64, kvHeads: 8,
    vocab: 32000, mlp: "swiglu",
    source: "Touvron et al. 2023, arXiv:2307.09288, Table 1; meta-llama/Llama-2-70b-hf config.json",
    training: { tokens: 2e12, seqLen: 4096, globalBatch: 1024, source: "Touvron et al. 2023, arXiv:2307.09288, Table 1 and Sec. 2.2 (4M-token batch)" },
  },
  {
    id: "llama3-8b", name: "Llama 3 / 3.1 8B", layers: 32, hidden: 4096, ffnHidden: 14336, heads: 32, kvHeads: 8,
    vocab: 128256, mlp: "swiglu",
    source: "Llama 3 Herd of Models, arXiv:2407.21783, Table 3; meta-llama/Meta-Llama-3-8B config.json",
    training: { tokens: 15e12, seqLen: 8192, globalBatch: null, source: "Llama 3.1 MODEL_CARD.md, Hardware and Software / Training Data (~15T tokens); 8K context (arXiv:2407.21783, Sec. 3.4); batch unpublished" },
  },
  {
    id: "llama3-70b", name: "Llama 3 / 3.1 70B", layers: 80, hidden: 8192, ffnHidden: 28672, heads: 64, kvHeads: 8,
    vocab: 128256, mlp: "swiglu",
    source: "Llama 3 Herd of Models, arXiv:2407.21783, Table 3; meta-llama/Meta-Llama-3-70B config.json",
    training: { tokens: 15e12, seqLen: 8192, globalBatch: null, source: "Llama 3.1 MODEL_CARD.md, Hardware and Software / Training Data (~15T tokens); 8K context (arXiv:2407.21783, Sec. 3.4); batch unpublished" },
  },
  {
    id: "llama3-405b", name: "Llama 3.1 405B", layers: 126, hidden: 16384, ffnHidden: 53248, heads: 128, kvHeads: 8,
    vocab: 128256, mlp: "swiglu",
    source: "Llama 3 Herd of Models, arXiv:2407.21783, Table 3",
    training: { tokens: 15.6e12, seqLen: 8192, globalBatch: 2048, source: "Llama 3 Herd of Models, arXiv:2407.21783, Sec. 3.4.1 (15.6T tokens; 16M-token batch at 8,192 tokens)" },
  },
  {
    id: "nemotron4-15b", name: "Nemotron-4 15B", layers: 32, hidden: 6144, ffnHidden: 24576, heads: 48, kvHeads: 8,
    vocab: 256000, mlp: "relu2",
    source: "Parmar et al. 2024, arXiv:2402.16819, Table 1 (squared-ReLU MLP)",
  },
  {
    id: "nemotron4-340b", name: "Nemotron-4 340B", layers: 96, hidden: 18432, ffnHidden: 73728, heads: 96, kvHeads: 8,
    vocab: 256000, mlp: "relu2",
    source: "Nemotron-4 340B Technical Report, arXiv:2406.11704, Table 1 (squared-ReLU MLP, 2 matrices)",
  },
  {
    id: "mixtral-8x7b", name: "Mixtral 8x7B (13B active)", layers: 32, hidden: 4096, ffnHidden: 14336, heads: 32, kvHeads: 8,
    vocab: 32000, mlp: "swiglu",
    moe: { experts: 8, active: 2, shared: 0, expertFfnHidden: 14336, denseLayers: 0 },
    source: "Jiang et al. 2024, arXiv:2401.04088, Table 1; mistralai/Mixtral-8x7B-v0.1 config.json",
  },
  {
    id: "mixtral-8x22b", name: "Mixtral 8x22B (39B active)", layers: 56, hidden: 6144, ffnHidden: 16384, heads: 48, kvHeads: 8,
    vocab: 32768, mlp: "swiglu",
    moe: { experts: 8, active: 2, shared: 0, expertFfnHidden: 16384, denseLayers: 0 },
    source: "mistralai/Mixtral-8x22B-v0.1 config.json (Mistral AI, Apr 2024)",
  },
  {
    id: "deepseek-v2", name: "DeepSeek-V2 236B (21B active)", layers: 60, hidden: 5120, ffnHidden: 12288, heads: 128,
    kvHeads: 128, headDim: 128, vocab: 102400, mlp: "swiglu",
    moe: { experts: 160, active: 6, shared: 2, expertFfnHidden: 1536, denseLayers: 1 },
    mla: { qLoraRank: 1536, kvLoraRank: 512, ropeHeadDim: 64, vHeadDim: 128 },
    source: "DeepSeek-V2, arXiv:2405.04434, Sec. 3.1.2; deepseek-ai/DeepSeek-V2 config.json",
    training: { tokens: 8.1e12, seqLen: 4096, globalBatch: 9216, source: "DeepSeek-V2, arXiv:2405.04434, Sec. 3.1.3 (8.1T tokens, batch 9,216 at 4K)" },
  },
  {
    id: "deepseek-v3", name: "DeepSeek-V3 671B (37B active)", layers: 61, hidden: 7168, ffnHidden: 18432, heads: 128,
    kvHeads: 128, headDim: 128, vocab: 129280, mlp: "swiglu",
    moe: { experts: 256, active: 8, shared: 1, expertFfnHidden: 2048, denseLayers: 3, maxNodes: 4 },
    mla: { qLoraRank: 1536, kvLoraRank: 512, ropeHeadDim: 64, vHeadDim: 128 },
    source: "DeepSeek-V3 Technical Report, arXiv:2412.19437, Sec. 4.2 (node-limited routing, at most 4 nodes per token: Sec. 2.1.2); deepseek-ai/DeepSeek-V3 config.json (MTP module not modelled)",
    training: { tokens: 14.8e12, seqLen: 4096, globalBatch: 15360, source: "DeepSeek-V3, arXiv:2412.19437, Sec. 4.2 (14.8T tokens, batch 15,360 at 4K)" },
  },
  {
    id: "qwen2.5-7b", name: "Qwen2.5 7B", layers: 28, hidden: 3584, ffnHidden: 18944, heads: 28, kvHeads: 4,
    vocab: 152064, mlp: "swiglu",
    source: "Qwen2.5 Technical Report, arXiv:2412.15115, Table 1; Qwen/Qwen2.5-7B config.json",
  },
  {
    id: "qwen2.5-72b", name: "Qwen2.5 72B", layers: 80, hidden: 8192, ffnHidden: 29568, heads: 64, kvHeads: 8,
    vocab: 152064, mlp: "swiglu",
    source: "Qwen2.5 Technical Report, arXiv:2412.15115, Table 1; Qwen/Qwen2.5-72B config.json",
  },
  {
    id: "qwen3-32b", name: "Qwen3 32B", layers: 64, hidden: 5120, ffnHidden: 25600, heads: 64, kvHeads: 8, headDim: 128,
    vocab: 151936, mlp: "swiglu",
    source: "Qwen3 Technical Report, arXiv:2505.09388, Table 1; Qwen/Qwen3-32B config.json",
  },
  {
    id: "qwen3-30b-a3b", name: "Qwen3 30B-A3B", layers: 48, hidden: 2048, ffnHidden: 6144, heads: 32, kvHeads: 4, headDim: 128,
    vocab: 151936, mlp: "swiglu",
    moe: { experts: 128, active: 8, shared: 0, expertFfnHidden: 768, denseLayers: 0 },
    source: "Qwen3 Technical Report, arXiv:2505.09388, Table 2; Qwen/Qwen3-30B-A3B config.json",
  },
  {
    id: "qwen3-235b-a22b", name: "Qwen3 235B-A22B", layers: 94, hidden: 4096, ffnHidden: 12288, heads: 64, kvHeads: 4, headDim: 128,
    vocab: 151936, mlp: "swiglu",
    moe: { experts: 128, active: 8, shared: 0, expertFfnHidden: 1536, denseLayers: 0 },
    source: "Qwen3 Technical Report, arXiv:2505.09388, Table 2; Qwen/Qwen3-235B-A22B config.json",
  },
  {
    id: "1t-dense", name: "1T dense (hypothetical)", layers: 128, hidden: 25600, ffnHidden: 102400, heads: 160, kvHeads: 160,
    vocab: 51200, mlp: "gelu",
    source: "Shape of the 1T GPT model in Narayanan et al. 2021, arXiv:2104.04473, Table 1 (last row)",
    training: { tokens: 450e9, seqLen: 2048, globalBatch: 3072, source: "Narayanan et al. 2021, arXiv:2104.04473, Sec. 5.1 (the 1T projection: 450B tokens, batch 3,072)" },
  },
];
