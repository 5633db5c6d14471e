// Strategies and KPIs: strategies the council agreed, their priorities and KPIs, each quarter's figures judged
// red, amber or green by the council's rule, with directions of travel; KPI values as CSV.
export {
  exportKpiValues,
  importKpiValues,
  KPI_CSV_COLUMNS,
  KpiCsvError,
  type CsvProblem,
  type KpiImportSummary,
} from "./kpi-csv.js";
export {
  addKpiEditor,
  enterableKpiIds,
  listKpiEditors,
  removeKpiEditor,
  type AccountEnterer,
  type KpiEditor,
  type KpiEnterer,
} from "./kpi-editors.js";
export { type KpiValueView, type KpiView } from "./kpi-views.js";
export { getKpi, setKpiValue, type KpiDetail, type KpiValueInput } from "./kpis.js";
export {
  createStrategy,
  getStrategy,
  listStrategies,
  type AgreedBy,
  type StrategyDetail,
  type StrategySummary,
} from "./strategies.js";
export {
  addKpi,
  addKpiSchema,
  addPriority,
  kpiChangesSchema,
  newPrioritySchema,
  priorityChangesSchema,
  removeKpi,
  removePriority,
  strategyChangesSchema,
  updateKpi,
  updatePriority,
  updateStrategy,
} from "./strategy-edits.js";
export { councilIdForStrategies, ragRuleFor, setRagRule } from "./strategy-council.js";
export { checkNewStrategy, newKpiSchema, newStrategySchema, type NewStrategy } from "./strategy-input.js";
export { renderQuarterlyPdf } from "./quarterly-pdf.js";
export {
  coversQuarter,
  quarterlyReport,
  reportedQuarters,
  strategyQuarters,
  type QuarterlyKpi,
  type QuarterlyReport,
  type TrendFigure,
} from "./quarterly-report.js";
