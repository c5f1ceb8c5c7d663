// What limits a run: the elasticity of training time to each hardware figure, ranked.
import { resolve } from "../contract/scenario.js";
import type { Failure, SimulateResult } from "../contract/result.js";
import type { Planner } from "../engine/planner.js";
import { copyScenario } from "../contract/clone.js";
import type { BudgetOptions } from "../contract/budget.js";

export interface Lever {
  parameter:
    | "peakFlops"
    | "hbmBandwidth"
    | "hbmCapacity"
    | "scaleUpBandwidth"
    | "scaleOutBandwidth"
    | "domainSize";
  /** Fraction of training time saved by `change` (negative: it costs time). */
  saves: number;
  /** d ln(time) / d ln(parameter), from a finite step. */
  elasticity: number;
  change: string;
  replanned: boolean; // under an auto plan, capacity and domain size change which plans exist: the plan is searched again
  words: string;
}

export interface LimitsResult {
  ok: true;
  days: number;
  plan: SimulateResult["plan"];
  levers: Lever[];
  summary: string;
}

type Json = Record<string, unknown>;
const STEP = 0.1; // +10%

export interface LimitsOptions {
  /**
   * Search the plan again where the hardware changes which plans exist (capacity, domain size).
   * Default: when the scenario's plan is "auto". A caller that passes the plan an auto search chose
   * (to spare a second search) says true.
   */
  replan?: boolean;
  /** The most work of all its searches together; see SimulateOptions.budget. */
  budget?: BudgetOptions;
}

export function limits(
  planner: Planner,
  scenario: unknown,
  options: LimitsOptions = {},
): LimitsResult | Failure {
  const copied = copyScenario(scenario as Json);
  if (!copied.ok) return copied;
  const res = resolve(scenario);
  if (!res.ok) return { ok: false, errors: res.errors, warnings: res.warnings };
  const r = res.value;
  const budget = { budget: options.budget };
  const base = planner.simulate(scenario, budget);
  if (!base.ok) return base;
  const s = copied.value;
  const cluster = (s.cluster ?? {}) as Json;
  const chipObj: Json =
    typeof cluster.chip === "string" ? { id: cluster.chip } : { ...(cluster.chip as Json) };
  const sysObj: Json =
    typeof cluster.system === "string"
      ? { id: cluster.system }
      : {
          ...((cluster.system as Json) ?? {}),
          ...(r.system.id && !cluster.system ? { id: r.system.id } : {}),
        };

  const run = (chip: Json, system: Json, replan: boolean): SimulateResult | null => {
    const t: Json = {
      ...s,
      cluster: { ...cluster, chip, system },
      parallelism: replan ? "auto" : base.plan,
    };
    const out = planner.simulate(t, budget);
    return out.ok ? out : null;
  };
  const chip = r.chip,
    sys = r.system;
  const replan = options.replan ?? r.plan === "auto";
  const up = (x: number) => x * (1 + STEP);
  type Case = [Lever["parameter"], string, Json, Json, boolean];
  const capacity: Case = [
    "hbmCapacity",
    "10% more HBM capacity",
    { ...chipObj, hbmGB: up(chip.hbmGB ?? 0) },
    sysObj,
    true,
  ];
  const cases: Case[] = [
    [
      "peakFlops",
      "10% more peak FLOP/s",
      {
        ...chipObj,
        bf16Tflops: up(chip.bf16Tflops ?? 0),
        ...(chip.fp8Tflops ? { fp8Tflops: up(chip.fp8Tflops) } : {}),
        ...(chip.fp16Tflops ? { fp16Tflops: up(chip.fp16Tflops) } : {}),
      },
      sysObj,
      false,
    ],
    [
      "hbmBandwidth",
      "10% more HBM bandwidth",
      { ...chipObj, hbmTBps: up(chip.hbmTBps ?? 0) },
      sysObj,
      false,
    ],
    [
      "scaleUpBandwidth",
      "a 10% faster scale-up link",
      chipObj,
      { ...sysObj, scaleUpGBps: up(sys.scaleUpGBps) },
      false,
    ],
    [
      "scaleOutBandwidth",
      "a 10% faster NIC",
      chipObj,
      { ...sysObj, scaleOutGbps: up(sys.scaleOutGbps) },
      false,
    ],
    [
      "domainSize",
      "a scale-up domain twice as large",
      chipObj,
      { ...sysObj, scaleUpDomain: sys.scaleUpDomain * 2 },
      replan,
    ],
    // Capacity moves time only by letting the search pick another plan: a given plan's time stays.
    ...(replan ? [capacity] : []),
  ];
  // An auto plan is searched again where the hardware changes which plans exist, and compared with
  // the search on today's hardware; a given plan is kept and judged on the new hardware.
  const auto = replan ? run(chipObj, sysObj, true) : base;
  const levers: Lever[] = [];
  for (const [parameter, change, c, y, searched] of cases) {
    const out = run(c, y, searched);
    const ref = searched ? auto : base;
    if (!out || !ref) continue;
    const t0 = ref.step.timeS;
    const saves = 1 - out.step.timeS / t0;
    const factor = parameter === "domainSize" ? 2 : 1 + STEP;
    const elasticity = Math.log(out.step.timeS / t0) / Math.log(factor);
    const pct = Math.abs(saves * 100);
    const what = searched ? `${change} (plan searched again)` : change;
    const words =
      pct < 0.5
        ? `${what} saves nothing`
        : saves > 0
          ? `${what} saves ${pct.toFixed(pct < 10 ? 1 : 0)}% of the time`
          : `${what} costs ${pct.toFixed(1)}% more time`;
    levers.push({ parameter, saves, elasticity, change, replanned: searched, words });
  }
  levers.sort((a, b) => b.saves - a.saves);
  const top = levers.filter((l) => l.saves >= 0.005);
  const idle = levers.filter((l) => l.saves < 0.005).map((l) => l.parameter);
  const summary =
    top.length === 0
      ? "no single hardware figure moves this run by more than 0.5%"
      : `limited by ${top[0].parameter}: ${top
          .slice(0, 2)
          .map((l) => l.words)
          .join(
            "; ",
          )}${idle.length ? `; ${idle.join(", ")} ${idle.length === 1 ? "barely matters" : "barely matter"}` : ""}`;
  return { ok: true, days: base.run.days, plan: base.plan, levers, summary };
}
