// Public API: re-exports only.
export { load, Simulator } from "./simulator.js";
export { createPool, Pool } from "./pool.js";
export type { RunOptions } from "./pool.js";
export type { SimulateOptions, SearchOptions, SearchResult, RankedPlan } from "./engine/planner.js";
export type { FeasibleResult, ConstraintCheck } from "./analyses/answers.js";
export type {
  MatchResult,
  MatchSide,
  MatchOptions,
  BatchPolicy,
  BatchMode,
  BatchUsed,
  Envelope,
  RatioReading,
  RatioBasis,
  MatchNote,
  MatchNoteCode,
  CannotMatchSuggestion,
} from "./analyses/match.js";
export type { NearbyResult, NearbyPoint, NearbyNote, NearbyCode } from "./analyses/nearby.js";
export type { SweepOptions, SweepResult, SweepColumns, SweepAxis } from "./analyses/sweep.js";
export type { LimitsResult, LimitsOptions, Lever } from "./analyses/sensitivity.js";
export type {
  FrontierOptions,
  FrontierResult,
  FrontierChip,
  FrontierPoint,
  FrontierRealChip,
  FrontierBound,
  Held,
} from "./analyses/frontier.js";
export { FRONTIER_BOUNDS } from "./analyses/frontier.js";
export { CHIP_FIGURES, hypotheticalChip } from "./contract/chip-figures.js";
export type { ChipFigure, ChipFigures } from "./contract/chip-figures.js";
export type {
  Scenario,
  Plan,
  FullPlan,
  Precision,
  Recompute,
  RecomputeModule,
  ChipOverride,
  SystemOverride,
  TierOverride,
  Constraints,
  MatchTarget,
  Parsed,
} from "./contract/scenario.js";
export {
  parseScenario,
  recomputeText,
  offloadText,
  RECOMPUTE_MODULES,
  RECOMPUTE_MODULE_WORDS,
} from "./contract/scenario.js";
export type { SimulateResult, Failure, Calibration, Limiter } from "./contract/result.js";
export type { Backing } from "./engine/wire.js";
export { SERVING, parseServeScenario } from "./engine/serve.js";
export { SERVING_STACKS, SERVING_STACK_IDS } from "./calibration/serve-stacks.js";
export type {
  ServingStackId,
  ServingStackPreset,
  ServingStackUse,
} from "./calibration/serve-stacks.js";
export { COMPARE_CHIPS } from "./analyses/serve-compare.js";
export type {
  ServeCompareResult,
  ServeCompareOptions,
  CompareRow,
  CompareFigure,
  CompareLimiter,
} from "./analyses/serve-compare.js";
export type {
  ServeScenario,
  ServeResult,
  ServePlan,
  ServePhase,
  ServeLimiter,
  ServePrecision,
} from "./engine/serve.js";
export { factText } from "./contract/facts.js";
export { countsAtOrBelow, countsAbove, COUNT_FLOOR } from "./engine/counts.js";
export type {
  Issue,
  IssueCode,
  IssueData,
  Warning,
  WarningCode,
  WarningData,
  Suggestion,
  SuggestionCode,
  SuggestionData,
  CountOption,
  RangeData,
} from "./contract/facts.js";
export {
  chips,
  systems,
  models,
  findChip,
  shortChipName,
  findSystem,
  findModel,
  conflictFigure,
} from "./catalog/index.js";
export type {
  ChipRecord,
  SystemRecord,
  ModelRecord,
  ModelShape,
  PublishedTraining,
  Source,
  Conflict,
} from "./catalog/types.js";
export { CALIBRATION, DEFAULTS } from "./calibration/calibration.js";
export { allInPower, NETWORK_W_PER_CHIP } from "./catalog/power-basis.js";
export type { AllInPower, PowerBasisKind } from "./catalog/power-basis.js";
export { compareSystems } from "./catalog/compare-systems.js";
export type {
  SystemComparison,
  SystemRatioRow,
  SystemMetric,
  PublishedRatio,
} from "./catalog/compare-systems.js";
export { STACKS, STACK_IDS, chipClass, defaultStack } from "./calibration/stacks.js";
export type { StackId, StackPreset, StackUse, EarnedBand } from "./calibration/stacks.js";
export {
  tpp,
  performanceDensity,
  classify,
  exportClass,
  exportClassEstimated,
  estimatedMetrics,
  thresholds,
  metrics,
  allowedBy,
  EXPORT_RULES,
} from "./catalog/export-control.js";
export type { ExportRule, Classification, Clause, Metric } from "./catalog/export-control.js";
