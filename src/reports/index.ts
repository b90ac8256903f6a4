// Reports: the national oversight figures and data-quality scorecard, each traceable to its children.
export { FIGURES, type FigureId, QUALITY_CHECKS, type QualityCheckId } from './figures';
export { childrenBehind, type NationalReport, nationalReport } from './reports.repository';
