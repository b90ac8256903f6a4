import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { NationalReport } from './reports.repository';

/** One child of a generated caseload's ground truth (`truth/children.csv`, docs/feeds.md); '' = never happened. */
export type TruthChild = Record<string, string>;

export function readTruthChildren(caseloadDir: string): TruthChild[] {
  return parse(fs.readFileSync(path.join(caseloadDir, 'truth', 'children.csv'), 'utf8'), {
    columns: true,
  }) as TruthChild[];
}

const happened = (value: string | undefined) => value !== undefined && value !== '';

/**
 * Each national figure as the generator's truth defines it — what the agencies' records say when read
 * perfectly, which is what the report should count. Two figures count only what a record can reveal: a
 * runaway known from a tip alone is not counted until a person confirms whose tip it is, and a case is
 * closed by a court ruling or by the child's 18th birthday (as in the report's definition).
 */
export const TRUTH_FIGURES = {
  transferred: (child) => happened(child.transferred_at),
  released: (child) => happened(child.released_at),
  no_nta: (child) =>
    !happened(child.nta_issued_at) && (happened(child.released_at) || happened(child.transferred_at)),
  nta_not_filed: (child) => happened(child.nta_issued_at) && !happened(child.nta_filed_at),
  failed_to_appear: (child) => Number(child.failed_to_appear) > 0,
  address_defects: (child) => happened(child.address_defect) && child.address_defect !== 'none',
  runaways: (child) => child.runaway_reported_by === 'orr',
  whereabouts_unknown: (child) =>
    happened(child.released_at) &&
    child.whereabouts === 'unknown' &&
    !happened(child.case_outcome) &&
    !happened(child.aged_out_at),
} satisfies Partial<Record<keyof NationalReport, (child: TruthChild) => boolean>>;
export type TruthFigure = keyof typeof TRUTH_FIGURES;

export interface FigureAgainstTruth {
  figure: TruthFigure;
  truth: number;
  reported: number;
  /** (reported − truth) / truth; 0 when both are 0. */
  error: number;
}

/** The report's national figures next to the truth's, with their relative error. */
export function compareWithTruth(report: NationalReport, children: TruthChild[]): FigureAgainstTruth[] {
  return (Object.entries(TRUTH_FIGURES) as [TruthFigure, (child: TruthChild) => boolean][]).map(
    ([figure, holds]) => {
      const truth = children.filter(holds).length;
      const reported = report[figure];
      return { figure, truth, reported, error: truth === 0 ? reported : (reported - truth) / truth };
    },
  );
}
