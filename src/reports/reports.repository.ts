import type { Sql } from '../db';
import { AppError } from '../shared/errors';
import {
  FIGURES,
  type FigureDefinition,
  type FigureId,
  QUALITY_CHECKS,
  type QualityCheckId,
} from './figures';

export interface NationalReport {
  asOf: string;
  transferred: number;
  released: number;
  no_nta: number;
  nta_not_filed: number;
  failed_to_appear: number;
  address_defects: number;
  runaways: number;
  whereabouts_unknown: number;
  /** Share of children who failed to appear that had a locate attempt afterwards (0–1). */
  locate_attempt_share: number;
  by_field_office: Record<string, Record<FigureId | 'locate_attempt_share', number>>;
  data_quality: Record<string, Record<QualityCheckId, number>>;
}

const UNASSIGNED = 'unassigned';

function countsQuery(definitions: Record<string, FigureDefinition>): string {
  const columns = Object.entries(definitions).map(
    ([id, figure]) => `count(*) filter (where ${figure.condition})::int as "${id}"`,
  );
  return `select coalesce(cs.field_office_code, '${UNASSIGNED}') as office, ${columns.join(', ')}
          from child_state cs join children ch on ch.id = cs.child_id
          where $1::timestamptz is not null
          group by 1 order by 1`;
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Number((part / whole).toFixed(4)));

/** The national figures and the data-quality scorecard, per field office and in total, in one pass each. */
export async function nationalReport(sql: Sql, asOf = new Date()): Promise<NationalReport> {
  const at = asOf.toISOString();
  const figureRows = await sql.query<Record<string, number | string>>(countsQuery(FIGURES), [at]);
  const qualityRows = await sql.query<Record<string, number | string>>(countsQuery(QUALITY_CHECKS), [at]);

  const figureIds = Object.keys(FIGURES) as FigureId[];
  const byOffice: NationalReport['by_field_office'] = {};
  const total = Object.fromEntries(figureIds.map((id) => [id, 0])) as Record<FigureId, number>;
  for (const row of figureRows) {
    const office = String(row.office);
    const counts = Object.fromEntries(figureIds.map((id) => [id, Number(row[id])])) as Record<
      FigureId,
      number
    >;
    byOffice[office] = {
      ...counts,
      locate_attempt_share: share(counts.locate_attempted_after_fta, counts.failed_to_appear),
    };
    for (const id of figureIds) total[id] += counts[id];
  }
  const qualityIds = Object.keys(QUALITY_CHECKS) as QualityCheckId[];
  const dataQuality: NationalReport['data_quality'] = {};
  for (const row of qualityRows) {
    dataQuality[String(row.office)] = Object.fromEntries(
      qualityIds.map((id) => [id, Number(row[id])]),
    ) as Record<QualityCheckId, number>;
  }
  return {
    asOf: at,
    transferred: total.transferred,
    released: total.released,
    no_nta: total.no_nta,
    nta_not_filed: total.nta_not_filed,
    failed_to_appear: total.failed_to_appear,
    address_defects: total.address_defects,
    runaways: total.runaways,
    whereabouts_unknown: total.whereabouts_unknown,
    locate_attempt_share: share(total.locate_attempted_after_fta, total.failed_to_appear),
    by_field_office: byOffice,
    data_quality: dataQuality,
  };
}

/** The children behind one figure or quality check (optionally in one office): the figure's drill-down. */
export async function childrenBehind(
  sql: Sql,
  figure: FigureId | QualityCheckId,
  options: { asOf?: Date; office?: string; limit?: number } = {},
): Promise<number[]> {
  const definition =
    (FIGURES as Record<string, FigureDefinition>)[figure] ??
    (QUALITY_CHECKS as Record<string, FigureDefinition>)[figure];
  if (!definition) {
    const known = [...Object.keys(FIGURES), ...Object.keys(QUALITY_CHECKS)].join(', ');
    throw new AppError('input_invalid', `There is no figure "${figure}". Figures: ${known}.`);
  }
  const rows = await sql.query<{ child_id: number }>(
    `select cs.child_id from child_state cs join children ch on ch.id = cs.child_id
     where $1::timestamptz is not null and (${definition.condition})
       and ($2::text is null or coalesce(cs.field_office_code, '${UNASSIGNED}') = $2)
     order by cs.child_id limit $3`,
    [(options.asOf ?? new Date()).toISOString(), options.office ?? null, options.limit ?? 1_000_000],
  );
  return rows.map((row) => row.child_id);
}
