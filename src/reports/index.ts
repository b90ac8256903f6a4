// Reports: the national oversight figures and data-quality scorecard, each traceable to its children.

export { FIGURES, type FigureId, QUALITY_CHECKS, type QualityCheckId } from './figures';
export {
  compareWithTruth,
  type FigureAgainstTruth,
  readTruthChildren,
  TRUTH_FIGURES,
  type TruthChild,
} from './ground-truth';
export {
  childrenBehind,
  figureByState,
  figureByStateFromRows,
  figureDefinition,
  type ListedChild,
  listChildrenBehind,
  type MonthlyCounts,
  monthlyTrends,
  monthlyTrendsFromRows,
  type NationalReport,
  nationalReport,
  nationalReportFromRows,
  type OfficeWorkload,
  officeWorkload,
  officeWorkloadFromRows,
} from './reports.repository';
export { installReportSummaries, rebuildReportSummaries } from './summaries';
