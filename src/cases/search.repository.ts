import { type AppAbility, type ChildColumns, scopeCondition } from '../auth/abilities';
import type { Sql } from '../db';
import { normalizeANumber } from '../feeds';
import { searchTerms } from './search-terms';

/** What a search text asks for: an A-number, an ORR case id, or words of a name, a sponsor's name or an address. */
export type ChildQuery =
  | { kind: 'a_number'; aNumber: string }
  | { kind: 'orr_id'; orrId: string }
  | { kind: 'text'; terms: string[] };

export const MAX_TERMS = 8;

export function parseChildQuery(text: string): ChildQuery | undefined {
  const aNumber = normalizeANumber(text);
  if (aNumber) return { kind: 'a_number', aNumber };
  const compact = text.replace(/[\s-]/g, '');
  if (/^[A-Za-z]{1,4}\d{4,12}$/.test(compact)) return { kind: 'orr_id', orrId: compact.toUpperCase() };
  const terms = searchTerms(text).slice(0, MAX_TERMS);
  return terms.length > 0 ? { kind: 'text', terms } : undefined;
}

export interface ChildHit {
  id: number;
  givenNames: string | null;
  surnames: string | null;
  aNumber: string | null;
  orrId: string | null;
  status: string | null;
  nextHearingAt: Date | null;
  fieldOfficeCode: string | null;
  protected1367: boolean;
  address: string | null;
  matched: 'a_number' | 'orr_id' | 'name' | 'sponsor' | 'address';
}

const COLUMNS: ChildColumns = { fieldOfficeCode: 's.field_office_code', protected1367: 's.protected_1367' };

/**
 * Children matching a query that the person may find, in id order after a cursor. The ability bounds the rows in
 * SQL: office-scoped roles only reach their office's children, and a child is found by its address or sponsor
 * only where the person could read that address or sponsor (so a § 1367 child's address never leads to it).
 */
export async function searchChildren(
  sql: Sql,
  ability: AppAbility,
  query: ChildQuery,
  after: number,
  limit: number,
): Promise<ChildHit[]> {
  const params: unknown[] = [after, limit];
  const inScope = scopeCondition(ability, 'case.search', COLUMNS, params);
  let match: string;
  let matched: string;
  if (query.kind === 'a_number') {
    params.push(query.aNumber);
    match = `s.a_number = $${params.length}`;
    matched = `'a_number'`;
  } else if (query.kind === 'orr_id') {
    params.push(query.orrId);
    match = `s.orr_id = $${params.length}`;
    matched = `'orr_id'`;
  } else {
    const termsOf = (prefix: string) => {
      params.push(query.terms.map((term) => `${prefix}${term}`));
      return `s.terms @> $${params.length}::text[]`;
    };
    const byName = termsOf('n:');
    const bySponsor = `(${termsOf('s:')} and ${scopeCondition(ability, 'case.read', COLUMNS, params, 'sponsor')})`;
    const byAddress = `(${termsOf('a:')} and ${scopeCondition(ability, 'case.read', COLUMNS, params, 'addresses')})`;
    match = `(${byName} or ${bySponsor} or ${byAddress})`;
    matched = `case when ${byName} then 'name' when ${bySponsor} then 'sponsor' else 'address' end`;
  }
  // The planner chooses from the terms' statistics: a rare name through the GIN index, a common surname by
  // walking child ids until the page is full (measured in bench/search.ts; forcing either way was slower). A word
  // the statistics do not list is taken for the rarest they do, so they are sampled finely (src/db/statistics.ts).
  return sql.query<ChildHit>(
    `with matches as (
       select s.child_id, s.field_office_code, s.protected_1367, ${matched} as matched
       from child_search s
       where s.child_id > $1 and ${inScope} and ${match})
     select m.child_id as id, c.given_names as "givenNames", c.surnames, c.a_number as "aNumber", c.orr_id as "orrId",
            cs.status, cs.next_hearing_at as "nextHearingAt", m.field_office_code as "fieldOfficeCode",
            m.protected_1367 as "protected1367", nullif(concat_ws(', ', a.delivery_line, a.last_line), '') as address,
            m.matched
     from (select * from matches order by child_id limit $2) m
       join children c on c.id = m.child_id
       join child_state cs on cs.child_id = m.child_id
       left join addresses a on a.id = cs.address_id
     order by m.child_id`,
    params,
  );
}
