import type { Sql } from '../db';
import { AppError } from '../shared/errors';
import { type LinkSummary, relink } from './relink';

export const REVIEW_DECISIONS = ['same', 'different'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface ReviewPairSide {
  identityId: number;
  recordId: number;
  childId: number;
  source: string;
  kind: string;
  sourceKey: string;
  given: string | null;
  surnames: string | null;
  dob: string | null;
  sex: string | null;
  country: string | null;
  aNumber: string | null;
  orrId: string | null;
}

export interface ReviewPair {
  id: number;
  status: 'pending' | ReviewDecision;
  matchProbability: number;
  matchWeight: number;
  evidence: { fields?: { field: string; level: string; weight: number }[] };
  decidedBy: string | null;
  decidedAt: string | null;
  left: ReviewPairSide;
  right: ReviewPairSide;
}

const SIDE = (alias: string, record: string) => `json_build_object(
  'identityId', ${alias}.id, 'recordId', ${record}.id, 'childId', ${alias}.child_id, 'source', ${record}.source,
  'kind', ${record}.kind, 'sourceKey', ${record}.source_key, 'given', ${alias}.given, 'surnames', ${alias}.surnames,
  'dob', ${alias}.dob, 'sex', ${alias}.sex, 'country', ${alias}.country, 'aNumber', ${alias}.a_number, 'orrId', ${alias}.orr_id)`;

const PAIR_COLUMNS = `r.id, r.status, r.match_probability as "matchProbability", r.match_weight as "matchWeight", r.evidence,
  r.decided_by as "decidedBy", r.decided_at as "decidedAt", ${SIDE('li', 'ls')} as left, ${SIDE('ri', 'rs')} as right`;
const PAIR_FROM = `review_pairs r
  join person_identities li on li.id = r.left_identity_id join source_records ls on ls.id = r.left_record_id
  join person_identities ri on ri.id = r.right_identity_id join source_records rs on rs.id = r.right_record_id`;

/**
 * Pairs waiting for a person (or decided), oldest first. Cursor: the last pair's id. `scope` bounds them to
 * pairs touching a child the person may act on: it turns the child_state columns into a SQL condition.
 */
export async function listReviewPairs(
  sql: Sql,
  options: {
    status: 'pending' | ReviewDecision;
    after?: number;
    limit: number;
    scope?: (columns: { fieldOfficeCode: string; protected1367: string }, params: unknown[]) => string;
  },
): Promise<ReviewPair[]> {
  const params: unknown[] = [options.status, options.after ?? null, options.limit];
  const scope = options.scope
    ? `exists (select 1 from child_state cs where cs.child_id in (li.child_id, ri.child_id)
                 and ${options.scope({ fieldOfficeCode: 'cs.field_office_code', protected1367: 'cs.protected_1367' }, params)})`
    : 'true';
  return sql.query<ReviewPair>(
    `select ${PAIR_COLUMNS} from ${PAIR_FROM}
     where r.status = $1 and ($2::bigint is null or r.id > $2) and ${scope}
     order by r.id limit $3`,
    params,
  );
}

/** The scope attributes of a pair's two children (those that still have a state). */
export async function childrenOfPair(
  sql: Sql,
  pair: ReviewPair,
): Promise<{ fieldOfficeCode: string | null; protected1367: boolean }[]> {
  return sql.query(
    `select field_office_code as "fieldOfficeCode", protected_1367 as "protected1367" from child_state
     where child_id in ($1, $2)`,
    [pair.left.childId, pair.right.childId],
  );
}

export async function readReviewPair(sql: Sql, id: number): Promise<ReviewPair | undefined> {
  const [pair] = await sql.query<ReviewPair>(`select ${PAIR_COLUMNS} from ${PAIR_FROM} where r.id = $1`, [
    id,
  ]);
  return pair;
}

/**
 * Records a person's decision and applies it at once: the two children are resolved again with it (same:
 * one child; different: never one child). Every later run keeps it.
 */
export async function decideReviewPair(
  sql: Sql,
  id: number,
  decision: ReviewDecision,
  decidedBy: string,
): Promise<{ pair: ReviewPair; relinked: LinkSummary }> {
  const [decided] = await sql.query<{ left_identity_id: number; right_identity_id: number }>(
    `update review_pairs set status = $2, decided_by = $3, decided_at = now() where id = $1
     returning left_identity_id, right_identity_id`,
    [id, decision, decidedBy],
  );
  if (!decided) throw new AppError('not_found', `No review pair ${id}.`);
  const children = await sql.query<{ child_id: number }>(
    'select distinct child_id from person_identities where id in ($1, $2)',
    [decided.left_identity_id, decided.right_identity_id],
  );
  const relinked = await relink(
    sql,
    children.map((row) => Number(row.child_id)),
  );
  return { pair: (await readReviewPair(sql, id))!, relinked };
}
