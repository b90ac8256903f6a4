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
  figureDefinition,
  type ListedChild,
  listChildrenBehind,
  type MonthlyCounts,
  monthlyTrends,
  type NationalReport,
  nationalReport,
  type OfficeWorkload,
  officeWorkload,
} from './reports.repository';
