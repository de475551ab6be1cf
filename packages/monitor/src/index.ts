export type {
  Alert,
  AlertOptions,
  AlertSeverity,
  Alerts,
  BreakerOpenAlert,
  HealthFailingAlert,
  RegressionAlert,
  SloBreachAlert,
  SlowStartAlert,
  StartAtRiskAlert,
  StartFailedAlert,
} from './alerts.js';
export { createAlerts } from './alerts.js';
export type { AnalyzeOptions, Bottleneck, StartupAnalysis } from './analyze.js';
export { analyze } from './analyze.js';
export type { BlockingMonitor, BlockingOptions, BlockingReport, LoopBlock } from './blocking.js';
export { monitorBlocking } from './blocking.js';
export type { CliIo } from './cli.js';
export { defaultHistoryFile, runCli } from './cli.js';
export type { CompareOptions, VariantComparison, VariantSummary } from './compare.js';
export { compareVariants, comparisonText } from './compare.js';
export { svgComparison } from './compare-chart.js';
export type { StartupEventSource } from './event-source.js';
export { formatMs, formatPercent } from './format.js';
export type { Grade, GradeLabel, GradeResult, GradeThresholds } from './grade.js';
export { checkGradeThresholds, grade, loopbackGrades, originGrades, startGrade } from './grade.js';
export type {
  BaselineSummary,
  HealthCheckEntry,
  HealthPayload,
  HealthPayloadOptions,
  ServiceSummary,
  StartupSummary,
} from './health-payload.js';
export { healthContentType, healthPayload } from './health-payload.js';
export type { HistoryEntry, HistoryStore, HistoryWarning, StartPrediction } from './history-store.js';
export { isHistoryEntry } from './history-store.js';
export type { JsonlHistory, JsonlHistoryOptions } from './jsonl-history.js';
export { jsonlHistory } from './jsonl-history.js';
export type { LiveProgress, LiveProgressOptions, LiveProgressSource, ProgressStream } from './live.js';
export { liveProgress } from './live.js';
export type { MannWhitneyResult } from './mann-whitney.js';
export { mannWhitneyU } from './mann-whitney.js';
export type { Monitor, MonitoredApp, MonitorOptions } from './monitor.js';
export { createMonitor } from './monitor.js';
export type { TraceOptions } from './otel.js';
export { traceStartup } from './otel.js';
export type { PluginBreakdown, StepTiming } from './plugin-breakdown.js';
export type { SegmentKind, TimelineSegment } from './plugin-timeline.js';
export { pluginTimeline } from './plugin-timeline.js';
export type { PoolAdviceOptions, PoolSample, PoolUse } from './pool-advice.js';
export { poolAdvice, poolHistoryAdvice, poolSamples } from './pool-advice.js';
export type { PredictionAccuracy, PredictOptions, StartEstimate, StartPredictor } from './predict.js';
export { predictionAccuracy, startPredictor } from './predict.js';
export type { MetricsInput, PrometheusOptions } from './prometheus.js';
export { breakerStateValue, prometheusContentType, prometheusMetrics } from './prometheus.js';
export type { Recommendation, RecommendationCode, RecommendOptions, Severity } from './recommend.js';
export { recommend } from './recommend.js';
export type { RedisHistoryOptions, RedisListClient } from './redis-history.js';
export { redisHistory } from './redis-history.js';
export type { ResponseTimeSummary, ResponseTimeWindow } from './response-times.js';
export { responseTimes } from './response-times.js';
export type { SloObjective, SloOptions, SloReport, SloWindow } from './slo.js';
export { sloText, startupSlo } from './slo.js';
export type { SqlClient, SqlHistoryOptions } from './sql-history.js';
export { sqlHistory } from './sql-history.js';
export type { StartSummaryOptions } from './start-summary.js';
export { startSummary } from './start-summary.js';
export { svgWaterfall } from './svg.js';
export type { ColorSupportOptions } from './terminal-color.js';
export { supportsColor } from './terminal-color.js';
export type { PluginTrend, TrendOptions, TrendPoint, TrendResult } from './trend.js';
export { trend } from './trend.js';
export type { TrendChartOptions } from './trend-chart.js';
export { trendChart } from './trend-chart.js';
export type { WaterfallOptions } from './waterfall.js';
export { waterfall, waterfallGlyphs } from './waterfall.js';
