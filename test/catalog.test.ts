// The catalog: sourced figures, stable ids, export-control metrics computed and hand-checked.
import { describe, it, expect } from "vitest";
import {
  chips,
  systems,
  models,
  tpp,
  performanceDensity,
  classify,
  exportClass,
  exportClassEstimated,
  estimatedMetrics,
  findChip,
  hypotheticalChip,
  EXPORT_RULES,
} from "chipscale";
import { simulator, untyped } from "./helpers.js";

const NUMERIC = [
  "bf16Tflops",
  "fp16Tflops",
  "fp8Tflops",
  "fp4Tflops",
  "int8Tops",
  "int4Tops",
  "hbmGB",
  "hbmTBps",
  "scaleUpGBps",
  "scaleUpDomain",
  "scaleOutGbps",
  "ioGBps",
  "tdpW",
  "dieAreaMm2",
  "priceUSD",
] as const;

function chip(id: string) {
  const c = findChip(id);
  if (!c) throw new Error(`no chip ${id}`);
  return c;
}

describe("catalog", () => {
  it("every known numeric chip figure names at least one source, and every source id resolves", () => {
    const missing: string[] = [];
    for (const c of chips) {
      const ids = new Set(c.sources.map((s) => s.id));
      for (const f of NUMERIC) {
        if (c[f] === null) continue;
        const src = c.fieldSources[f] ?? [];
        if (src.length === 0) missing.push(`${c.id}.${f}`);
        for (const s of src) expect(ids.has(s), `${c.id}.${f} cites ${s}`).toBe(true);
      }
    }
    expect(missing).toEqual([]);
  });

  it("each chip's sourcing level is typed data that agrees with its confidence text", () => {
    const levels = Object.fromEntries(chips.map((c) => [c.id, c.sourcing]));
    expect(levels["nvidia-h100-sxm5-80gb"]).toBe("vendor");
    expect(levels["nvidia-h20-96gb"]).toBe("secondary"); // no public NVIDIA datasheet
    expect(new Set(chips.map((c) => c.sourcing))).toEqual(
      new Set(["vendor", "secondary", "announcement", "unknown"]),
    );
    for (const c of chips)
      expect(c.sourcing === "vendor", `${c.id}: ${c.confidence}`).toBe(
        c.confidence.includes("vendor"),
      );
  });

  it("unknown figures are null, never zero", () => {
    for (const c of chips) for (const f of NUMERIC) expect(c[f], `${c.id}.${f}`).not.toBe(0);
  });

  it("ids are unique and the published ones stay stable", () => {
    for (const list of [chips, systems, models]) {
      const ids = list.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const ids = chips.map((c) => c.id);
    for (const id of [
      "nvidia-a100-sxm4-40gb",
      "nvidia-a100-sxm4-80gb",
      "nvidia-h100-sxm5-80gb",
      "nvidia-h800-sxm5-80gb",
      "nvidia-h20-96gb",
      "nvidia-h200-sxm-141gb",
      "nvidia-b200-hgx",
      "nvidia-gb200-per-gpu",
      "nvidia-gb300-per-gpu",
      "google-tpu-v4",
      "google-tpu-v5p",
      "huawei-ascend-910b",
      "huawei-ascend-910c",
      "amd-mi300x",
      "nvidia-v100-sxm2-32gb",
    ])
      expect(ids).toContain(id);
    expect(chips.length).toBe(46);
    for (const s of systems) expect(findChip(s.chip), `${s.id} -> ${s.chip}`).toBeDefined();
  });

  it("TPP, performance density and class match hand-checked values", () => {
    // TPP = dense TFLOPS x bits: H100 989.5 x 16; H20 148 x 16; A800 312 x 16; 910B 320 x 16.
    const cases = [
      ["nvidia-h100-sxm5-80gb", 15832, 15832 / 814, "controlled", "3A090.a"],
      ["nvidia-h20-96gb", 2368, 2368 / 814, "not controlled", "not controlled"],
      ["nvidia-a800-sxm4-80gb", 4992, 4992 / 826, "not controlled", "3A090.a"],
      ["huawei-ascend-910b", 5120, 5120 / 665.61, "not controlled", "3A090.a"],
    ] as const;
    for (const [id, t, pd, c2022, c2023] of cases) {
      const c = chip(id);
      expect(tpp(c)).toBe(t);
      expect(performanceDensity(c)).toBeCloseTo(pd, 10);
      const cls = classify(c);
      expect(cls.find((x) => x.rule === "oct2022")?.class).toBe(c2022);
      expect(cls.find((x) => x.rule === "oct2023")?.class).toBe(c2023);
    }
  });

  it("shows the H20 just under the lines it was designed for", () => {
    const reason = classify(chip("nvidia-h20-96gb")).find((x) => x.rule === "oct2023")!.reason;
    expect(reason).toContain("tpp 2368 < 2400");
    expect(reason).toContain("pd 2.91 < 3.2");
    expect(classify(chip("nvidia-a800-sxm4-80gb"))[0].reason).toContain("io 464 < 600");
  });

  it("an unknown die area gives the area ranges per class instead of a guess", () => {
    const c = classify(chip("google-tpu-v4")).find((x) => x.rule === "oct2023")!;
    expect(c.class).toBe("unknown");
    expect(c.reason).toBe(
      "die area unknown: 3A090.a if die area <= 743 mm2; 3A090.b if die area <= 2750 mm2; not controlled if die area is larger",
    );
  });

  it("TPP and the classes it decides are estimates where the figures behind them are", () => {
    // Kunlun P800: TPP 5,120 from the estimated BF16 320 TFLOPS decides 3A090.a; chip I/O (the
    // estimated 392 GB/s link) keeps it out of the Oct 2022 rule.
    const p800 = chip("baidu-kunlun-p800");
    expect(estimatedMetrics(p800)).toEqual({ tpp: true, pd: true, io: true, dram: true });
    const cls = classify(p800);
    expect(cls.map((c) => [c.rule, c.class, c.estimate])).toEqual([
      ["oct2022", "not controlled", true],
      ["oct2023", "3A090.a", true],
      ["jan2026", "case-by-case zone", true],
      ["apr2025-h20", "not named", false],
    ]);
    expect(exportClassEstimated(p800)).toBe(true);
    expect(exportClassEstimated(chip("cambricon-mlu590"))).toBe(true);
    // B200's die area is an estimate: its PD is, but TPP 36,000 alone decides 3A090.a.
    const b200 = chip("nvidia-b200-hgx");
    expect(estimatedMetrics(b200)).toEqual({ tpp: false, pd: true, io: false, dram: false });
    expect(exportClassEstimated(b200)).toBe(false);
    // A figure the user gives is no estimate: the TPP it decides is exact.
    const given = hypotheticalChip(p800, { bf16Tflops: 400 });
    expect(tpp(given)).toBe(6400);
    expect(estimatedMetrics(given).tpp).toBe(false);
    expect(exportClassEstimated(given)).toBe(false);
    // A chip with no estimated figure has no estimated metric or class.
    for (const c of chips)
      if (Object.keys(c.estimates).length === 0 && !c.dieAreaEstimate) {
        expect(Object.values(estimatedMetrics(c))).toEqual([false, false, false, false]);
        expect(classify(c).some((x) => x.estimate)).toBe(false);
      }
  });

  it("rules are data: a new threshold row classifies without code changes", () => {
    const strict = [
      ...EXPORT_RULES,
      {
        id: "test",
        name: "test rule",
        instrument: "-",
        effective: "2030-01-01",
        url: "-",
        classes: [{ name: "caught", anyOf: [{ tppMin: 2000 }] }],
        otherwise: "free",
        allowed: "free",
      },
    ];
    expect(classify(chip("nvidia-h20-96gb"), strict).at(-1)?.class).toBe("caught");
    expect(classify(chip("nvidia-l20"), strict).at(-1)?.class).toBe("free");
  });

  it("records the corrected press claim on both the H20 and the H100", () => {
    const h20 = JSON.stringify(chip("nvidia-h20-96gb").conflicts);
    expect(h20).toContain("900 GB/s NVLink");
    expect(JSON.stringify(chip("nvidia-h100-sxm5-80gb").conflicts)).toContain("3.35 TB/s");
    expect(chip("nvidia-h20-96gb").hbmTBps).toBe(4.0);
    expect(chip("nvidia-h100-sxm5-80gb").hbmTBps).toBe(3.35);
  });

  it("headline class for every chip is a known class or unknown; only the H20 adds a product licence", () => {
    for (const c of chips) {
      if (c.id === "nvidia-h20-96gb") continue;
      expect(["3A090.a", "3A090.b", "not controlled", "unknown"]).toContain(exportClass(c));
    }
    expect(exportClass(chip("nvidia-h20-96gb"))).toBe(
      "not controlled; licence required: H20 is-informed letter (Apr 2025)",
    );
    const h100 = classify(chip("nvidia-h100-sxm5-80gb")).find((c) => c.rule === "apr2025-h20")!;
    expect(h100.class).toBe("not named");
  });
});

describe("model presets' published training", () => {
  it("each is sourced and sane, and the Llama 3.1 405B batch is the paper's 16M tokens", async () => {
    const withTraining = models.filter((m) => m.training);
    expect(withTraining.map((m) => m.id)).toEqual([
      "gpt3-175b",
      "bloom-176b",
      "llama2-7b",
      "llama2-13b",
      "llama2-70b",
      "llama3-8b",
      "llama3-70b",
      "llama3-405b",
      "deepseek-v2",
      "deepseek-v3",
      "1t-dense",
    ]);
    for (const m of withTraining) {
      const t = m.training!;
      expect(t.source.length, m.id).toBeGreaterThan(20);
      expect(t.tokens, m.id).toBeGreaterThanOrEqual(1e11);
      expect([2048, 4096, 8192]).toContain(t.seqLen);
      if (t.globalBatch !== null) expect(Number.isInteger(t.globalBatch)).toBe(true);
    }
    const l = models.find((m) => m.id === "llama3-405b")!.training!;
    expect(l.globalBatch! * l.seqLen).toBe(16 * 1024 * 1024);
  });
});

describe("scenario overrides of catalog figures", () => {
  const base = {
    model: "llama3-8b",
    training: { tokens: 1e12, seqLen: 8192, globalBatch: 512 },
    parallelism: { tp: 8, pp: 1, dp: 8 },
  };

  it("a chip override changes the answer and is validated like everything else", async () => {
    const sim = await simulator();
    const plain = sim.simulate({ ...base, cluster: { chip: "nvidia-h20-96gb", count: 64 } });
    const faster = sim.simulate({
      ...base,
      cluster: { chip: { id: "nvidia-h20-96gb", bf16Tflops: 989.5 }, count: 64 },
    });
    expect(plain.ok && faster.ok && faster.step.timeS < plain.step.timeS).toBe(true);
    const bad = sim.simulate(
      untyped({
        ...base,
        cluster: { chip: { id: "nvidia-h20-96gb", hbmTBps: -4, tdpW: "400" }, count: 64 },
      }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.map((e) => e.path).sort()).toEqual([
        "cluster.chip.hbmTBps",
        "cluster.chip.tdpW",
      ]);
  });

  it("an override replaces a catalog estimate: the run no longer says it", async () => {
    const sim = await simulator();
    const est = sim.simulate({ ...base, cluster: { chip: "google-tpu-v5p", count: 64 } });
    const given = sim.simulate({
      ...base,
      cluster: { chip: { id: "google-tpu-v5p", tdpW: 400 }, count: 64 },
    });
    expect(est.ok && est.estimatedFigures.map((e) => e.path)).toEqual(["cluster.chip.tdpW"]);
    expect(given.ok && given.estimatedFigures).toEqual([]);
  });

  it("a custom chip without an id needs its figures", async () => {
    const sim = await simulator();
    const r = sim.simulate({ ...base, cluster: { chip: { name: "mine" }, count: 64 } });
    expect(r.ok).toBe(false);
    if (!r.ok)
      for (const f of ["bf16Tflops", "hbmGB", "hbmTBps"])
        expect(r.errors.map((e) => e.path)).toContain(`cluster.chip.${f}`);
  });
});
