export * from './normal';
export * from './classification';
export * from './forecast';
export * from './error-measures';
export * from './selection';
export * from './outliers';
export * from './demand-forecast';
export * from './lead-time';
export * from './policy';
export * from './risk';
export * from './priority';
export * from './recommendations';
export * from './network-engine';
export * from './incremental';
export * from './parallel';
export { runBacktest, DEFAULT_BACKTEST_OPTIONS } from './backtest/run-backtest';
export type { BacktestOptions, BacktestSummary } from './backtest/run-backtest';
export { loadDataset } from './backtest/dataset';
export { simulate } from './backtest/simulator';
export type {
  BacktestPolicy,
  PolicyView,
  Decision,
  RankingRow,
  SimulationResult,
  SimulationMetrics,
} from './backtest/simulator';
export { EnginePolicy, DEFAULT_ENGINE_POLICY } from './backtest/engine-policy';
export { StaticMinMaxPolicy } from './backtest/min-max-policy';
export * from './application';
