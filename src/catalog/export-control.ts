// US export-control metrics, computed from the catalog, and the rule thresholds as data.
import type { ChipRecord } from "./types.js";

/** The term TPP takes: the max over precisions of dense TOPS x bit length, and the rate it comes from. */
function tppTerm(chip: ChipRecord): { value: number; field: keyof ChipRecord } | null {
  const terms = [
    ["bf16Tflops", 16],
    ["fp16Tflops", 16],
    ["fp8Tflops", 8],
    ["fp4Tflops", 4],
    ["int8Tops", 8],
    ["int4Tops", 4],
  ] as const;
  let best: { value: number; field: keyof ChipRecord } | null = null;
  for (const [field, bits] of terms) {
    const rate = chip[field];
    if (rate !== null && rate * bits > (best?.value ?? 0)) best = { value: rate * bits, field };
  }
  return best;
}

/** TPP = dense TOPS x bit length, max over precisions (ECCN 3A090 Technical Note; 88 FR 73458). */
export function tpp(chip: ChipRecord): number | null {
  return tppTerm(chip)?.value ?? null;
}

/** Performance density = TPP / applicable die area in mm^2 (88 FR 73458, 3A090 Technical Note 3). */
export function performanceDensity(chip: ChipRecord): number | null {
  const t = tpp(chip);
  return t !== null && chip.dieAreaMm2 ? t / chip.dieAreaMm2 : null;
}

export type Metric = "tpp" | "pd" | "io" | "dram";
/** One clause: every bound must hold. `Min` is inclusive, `Below` exclusive. */
export type Clause = Partial<Record<`${Metric}Min` | `${Metric}Below`, number>>;

export interface ExportRule {
  id: string;
  name: string;
  instrument: string;
  effective: string;
  url: string;
  /** Classes tried in order; the first whose clauses match (any of them) applies. */
  classes: { name: string; anyOf: Clause[] }[];
  otherwise: string;
  /**
   * The class a chip may ship in without a licence (or, for a review policy, the zone it reviews
   * case by case): what the frontier stays within. "not applicable" under a gated rule is as free.
   */
  allowed: string;
  /** Evaluated only for chips that a previous rule places in a class other than its `otherwise`. */
  onlyIfControlledBy?: string;
  /** A rule that names products instead of thresholds: these catalog ids fall in `classes[0]`. */
  products?: readonly string[];
}

// Thresholds as published; add a rule by appending to this table (chips.md Sec. 4.2).
export const EXPORT_RULES: readonly ExportRule[] = [
  {
    id: "oct2022",
    name: "3A090 (Oct 2022)",
    instrument: "87 FR 62186",
    effective: "2022-10-21",
    url: "https://www.federalregister.gov/documents/2022/10/13/2022-21658/implementation-of-additional-export-controls-certain-advanced-computing-and-semiconductor",
    classes: [{ name: "controlled", anyOf: [{ tppMin: 4800, ioMin: 600 }] }],
    otherwise: "not controlled",
    allowed: "not controlled",
  },
  {
    id: "oct2023",
    name: "ECCN 3A090 (Oct 2023)",
    instrument: "88 FR 73458",
    effective: "2023-11-17",
    url: "https://www.federalregister.gov/documents/2023/10/25/2023-23055/implementation-of-additional-export-controls-certain-advanced-computing-items-supercomputer-and",
    classes: [
      { name: "3A090.a", anyOf: [{ tppMin: 4800 }, { tppMin: 1600, pdMin: 5.92 }] },
      {
        name: "3A090.b",
        anyOf: [
          { tppMin: 2400, tppBelow: 4800, pdMin: 1.6, pdBelow: 5.92 },
          { tppMin: 1600, pdMin: 3.2, pdBelow: 5.92 },
        ],
      },
    ],
    otherwise: "not controlled",
    allowed: "not controlled",
  },
  {
    id: "jan2026",
    name: "case-by-case licence review (Jan 2026)",
    instrument: "91 FR 1684",
    effective: "2026-01-15",
    url: "https://www.federalregister.gov/documents/2026/01/15/2026-00789/revision-to-license-review-policy-for-advanced-computing-commodities",
    classes: [{ name: "case-by-case zone", anyOf: [{ tppBelow: 21000, dramBelow: 6500 }] }],
    otherwise: "outside zone (presumption of denial)",
    allowed: "case-by-case zone",
    onlyIfControlledBy: "oct2023",
  },
  {
    // Not a threshold change: BIS closed the H20 gap with a product-specific "is-informed" letter
    // (chips.md Sec. 4.2; licences reported granted from Jul 2025, no Federal Register text).
    id: "apr2025-h20",
    name: "H20 is-informed letter (Apr 2025)",
    instrument: "NVIDIA Form 8-K, 15 Apr 2025",
    effective: "2025-04-09",
    url: "https://www.sec.gov/Archives/edgar/data/1045810/000104581025000082/nvda-20250409.htm",
    classes: [{ name: "licence required", anyOf: [] }],
    otherwise: "not named",
    allowed: "not named",
    products: ["nvidia-h20-96gb"],
  },
];

export interface Classification {
  rule: string;
  name: string;
  class: string; // a class name, the rule's `otherwise`, "unknown", or "not applicable"
  reason: string;
  /** The class rests on a metric computed from an estimated figure (estimatedMetrics): shown "~3A090.a". */
  estimate: boolean;
}

/** Every bound a rule's clauses place on each metric, ascending, without repeats. */
export function thresholds(rule: ExportRule): Record<Metric, number[]> {
  const out: Record<Metric, number[]> = { tpp: [], pd: [], io: [], dram: [] };
  for (const cls of rule.classes)
    for (const clause of cls.anyOf)
      for (const [key, bound] of Object.entries(clause) as [string, number][])
        out[key.replace(/Min$|Below$/, "") as Metric].push(bound);
  for (const m of Object.keys(out) as Metric[]) out[m] = [...new Set(out[m])].sort((a, b) => a - b);
  return out;
}

/** Whether a classification is one the rule lets ship (its `allowed` class, or a gated rule that does not apply). */
export function allowedBy(rule: ExportRule, c: Classification): boolean {
  return c.class === rule.allowed || c.class === "not applicable";
}

/** The metrics the rules read, for a chip: TPP, performance density, chip I/O (GB/s), DRAM bandwidth (GB/s). */
export function metrics(chip: ChipRecord): Record<Metric, number | null> {
  return {
    tpp: tpp(chip),
    pd: performanceDensity(chip),
    io: chip.ioGBps ?? chip.scaleUpGBps,
    dram: chip.hbmTBps === null ? null : chip.hbmTBps * 1000,
  };
}

/**
 * Which metrics rest on a figure no source gives (chip.estimates): TPP on an estimated rate (the
 * one the max takes), PD on that or an estimated die area, chip I/O on an estimated link, DRAM on
 * an estimated HBM bandwidth. Shown "~5,120" as the figures are.
 */
export function estimatedMetrics(chip: ChipRecord): Record<Metric, boolean> {
  const est = (f: keyof ChipRecord) => Object.hasOwn(chip.estimates, f);
  const t = tppTerm(chip);
  const tppEstimate = t !== null && est(t.field);
  return {
    tpp: tppEstimate,
    pd: tppEstimate || chip.dieAreaEstimate,
    io: chip.ioGBps !== null ? est("ioGBps") : est("scaleUpGBps"),
    dram: est("hbmTBps"),
  };
}

type Outcome =
  | { holds: true }
  | { holds: false; miss: string; metric: Metric }
  | { holds: "unknown"; metric: Metric };
const fmt = (x: number) => String(Number(x.toFixed(2)));

/** Whether a clause holds; if not, the first bound it misses and by how much. */
function test(clause: Clause, m: Record<Metric, number | null>): Outcome {
  let missing: Metric | null = null;
  for (const [key, bound] of Object.entries(clause) as [string, number][]) {
    const metric = key.replace(/Min$|Below$/, "") as Metric;
    const v = m[metric];
    if (v === null) {
      missing ??= metric;
      continue;
    }
    const min = key.endsWith("Min");
    if (min ? v < bound : v >= bound)
      return { holds: false, miss: `${metric} ${fmt(v)} ${min ? "<" : ">="} ${bound}`, metric };
  }
  return missing ? { holds: "unknown", metric: missing } : { holds: true };
}

const describeClause = (c: Clause) =>
  Object.entries(c)
    .map(([k, v]) => `${k.replace(/Min$/, " >=").replace(/Below$/, " <")} ${v}`)
    .join(" and ");

/** The class the metrics fall in; `estimate` when a metric that decides it (the clause that holds, or each bound missed) is estimated. */
function classifyWith(
  rule: ExportRule,
  m: Record<Metric, number | null>,
  estimated: Record<Metric, boolean>,
): Omit<Classification, "rule" | "name"> {
  const misses: string[] = [];
  let missedEstimate = false;
  for (const cls of rule.classes) {
    let undecided: Metric | null = null;
    for (const [k, clause] of cls.anyOf.entries()) {
      const r = test(clause, m);
      if (r.holds === true)
        return {
          class: cls.name,
          reason: describeClause(clause),
          estimate: Object.keys(clause).some(
            (key) => estimated[key.replace(/Min$|Below$/, "") as Metric],
          ),
        };
      if (r.holds === "unknown") undecided ??= r.metric;
      else {
        misses.push(`${cls.name}${cls.anyOf.length > 1 ? ` clause ${k + 1}` : ""}: ${r.miss}`);
        missedEstimate ||= estimated[r.metric];
      }
    }
    if (undecided)
      return {
        class: "unknown",
        reason: `${cls.name} depends on ${undecided}, which is unknown`,
        estimate: false,
      };
  }
  return { class: rule.otherwise, reason: `misses ${misses.join("; ")}`, estimate: missedEstimate };
}

export function classify(
  chip: ChipRecord,
  rules: readonly ExportRule[] = EXPORT_RULES,
): Classification[] {
  const m = metrics(chip);
  const estimated = estimatedMetrics(chip);
  const out: Classification[] = [];
  for (const rule of rules) {
    const gate = rule.onlyIfControlledBy
      ? out.find((c) => c.rule === rule.onlyIfControlledBy)
      : undefined;
    const gateRule = rules.find((r) => r.id === rule.onlyIfControlledBy);
    if (gate && gateRule && (gate.class === gateRule.otherwise || gate.class === "unknown")) {
      out.push({
        rule: rule.id,
        name: rule.name,
        class: "not applicable",
        reason: `not controlled under ${gateRule.name}`,
        estimate: gate.estimate,
      });
      continue;
    }
    if (rule.products) {
      const named = rule.products.includes(chip.id);
      out.push({
        rule: rule.id,
        name: rule.name,
        class: named ? rule.classes[0].name : rule.otherwise,
        reason: named ? `${chip.id} is named (${rule.instrument})` : "this product is not named",
        estimate: false,
      });
      continue;
    }
    let verdict = classifyWith(rule, m, estimated);
    // With an unknown die area, say which areas lead where: PD = TPP / area.
    if (verdict.class === "unknown" && m.pd === null && m.tpp !== null) {
      const cuts = [
        ...new Set(
          rule.classes
            .flatMap((c) => c.anyOf.flatMap((k) => [k.pdMin, k.pdBelow]))
            .filter((x): x is number => x !== undefined),
        ),
      ].sort((a, b) => b - a);
      const spans: { cls: string; area: number }[] = [];
      for (const pd of [...cuts, 0]) {
        const cls = classifyWith(rule, { ...m, pd: pd === 0 ? 1e-9 : pd }, estimated).class;
        const area = pd === 0 ? Infinity : Math.round(m.tpp / pd);
        const last = spans[spans.length - 1];
        if (last?.cls === cls) last.area = area;
        else spans.push({ cls, area });
      }
      const text = spans.map(
        (s) => `${s.cls} if die area ${s.area === Infinity ? "is larger" : `<= ${s.area} mm2`}`,
      );
      verdict = {
        class: "unknown",
        reason: `die area unknown: ${text.join("; ")}`,
        estimate: false,
      };
    }
    out.push({ rule: rule.id, name: rule.name, ...verdict });
  }
  return out;
}

/**
 * The headline class: the latest TPP/PD rule (ECCN 3A090, Oct 2023), and any product-specific
 * licence requirement that names the chip ("not controlled; licence required (...)" for the H20).
 */
export function exportClass(chip: ChipRecord): string {
  const all = classify(chip);
  const named = EXPORT_RULES.filter(
    (r) => r.products && all.find((c) => c.rule === r.id)?.class !== r.otherwise,
  );
  const base = all.find((c) => c.rule === "oct2023")?.class ?? "unknown";
  return named.length
    ? `${base}; ${named.map((r) => `${r.classes[0].name}: ${r.name}`).join("; ")}`
    : base;
}

/** Whether the headline class (exportClass) rests on an estimated figure: shown "~3A090.a". */
export function exportClassEstimated(chip: ChipRecord): boolean {
  return classify(chip).find((c) => c.rule === "oct2023")?.estimate ?? false;
}
