// Public API: re-exports only.
export { load, Simulator } from "./simulator.js";
export { createPool, Pool } from "./pool.js";
export type { RunOptions } from "./pool.js";
export type { SimulateOptions, SearchOptions, SearchResult, RankedPlan } from "./planner.js";
export type { FeasibleResult, ConstraintCheck } from "./answers.js";
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
} from "./match.js";
export type { NearbyResult, NearbyPoint, NearbyNote, NearbyCode } from "./nearby.js";
export type { SweepOptions, SweepResult, SweepColumns, SweepAxis } from "./sweep.js";
export type { LimitsResult, LimitsOptions, Lever } from "./sensitivity.js";
export type {
  FrontierOptions,
  FrontierResult,
  FrontierChip,
  FrontierPoint,
  FrontierRealChip,
  FrontierBound,
  Held,
} from "./frontier.js";
export { FRONTIER_BOUNDS } from "./frontier.js";
export { CHIP_FIGURES, hypotheticalChip } from "./chip-figures.js";
export type { ChipFigure, ChipFigures } from "./chip-figures.js";
export type {
  Scenario,
  Plan,
  FullPlan,
  Precision,
  Recompute,
  RecomputeModule,
  ChipOverride,
  SystemOverride,
  Constraints,
  MatchTarget,
  Parsed,
} from "./scenario.js";
export {
  parseScenario,
  recomputeText,
  RECOMPUTE_MODULES,
  RECOMPUTE_MODULE_WORDS,
} from "./scenario.js";
export type { SimulateResult, Failure, Calibration, Limiter } from "./wire.js";
export { SERVING, parseServeScenario } from "./serve.js";
export { SERVING_STACKS, SERVING_STACK_IDS } from "./serve-stacks.js";
export type { ServingStackId, ServingStackPreset, ServingStackUse } from "./serve-stacks.js";
export { COMPARE_CHIPS } from "./serve-compare.js";
export type {
  ServeCompareResult,
  ServeCompareOptions,
  CompareRow,
  CompareFigure,
  CompareLimiter,
} from "./serve-compare.js";
export type {
  ServeScenario,
  ServeResult,
  ServePlan,
  ServePhase,
  ServeLimiter,
  ServePrecision,
} from "./serve.js";
export { factText } from "./facts.js";
export { countsAtOrBelow, countsAbove, COUNT_FLOOR } from "./counts.js";
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
} from "./facts.js";
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
export { CALIBRATION, DEFAULTS } from "./calibration.js";
export { allInPower, NETWORK_W_PER_CHIP } from "./catalog/power-basis.js";
export type { AllInPower, PowerBasisKind } from "./catalog/power-basis.js";
export { compareSystems } from "./catalog/compare-systems.js";
export type {
  SystemComparison,
  SystemRatioRow,
  SystemMetric,
  PublishedRatio,
} from "./catalog/compare-systems.js";
export { STACKS, STACK_IDS, chipClass, defaultStack } from "./stacks.js";
export type { StackId, StackPreset, StackUse, EarnedBand } from "./stacks.js";
export {
  tpp,
  performanceDensity,
  classify,
  exportClass,
  thresholds,
  metrics,
  allowedBy,
  EXPORT_RULES,
} from "./catalog/export-control.js";
export type { ExportRule, Classification, Clause, Metric } from "./catalog/export-control.js";
