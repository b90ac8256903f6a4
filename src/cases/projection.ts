import type { Sql } from '../db';
import { childTerms } from './search-terms';

/**
 * `column` among the children given as `$1` (or every child, for null). Written per call rather than as
 * `$1 is null or column in (…)`: the planner took that for half the table and, for the 1,612 children of a day's
 * deliveries at 600,000 children, read all 4.3 million events (10 s instead of a fraction of one).
 */
const among = (childIds: number[] | null, column: string) =>
  childIds === null ? '$1::bigint[] is null' : `${column} = any($1::bigint[])`;

/** The time `refreshChildState` judges whereabouts and aging out as of: its `asOf` (`$2`), or now. */
const JUDGED_AT = 'coalesce($2::timestamptz, now())';

/** A phone number's last ten digits, however it was written: the key sponsors are known by. */
const PHONE_KEY = (phone: string) => `right(regexp_replace(coalesce(${phone}, ''), '[^0-9]', '', 'g'), 10)`;

/**
 * Recomputes the current picture of the given children (or of every child) from their events: status, key
 * dates, hearings, contact, runaway and § 1367 flags, the current and release addresses with their verdicts
 * (judged at ingest, src/addresses), and the field office covering where the child lives now.
 * The same statement serves the incremental update after a batch and `whereabouts rebuild`, so they agree.
 * Whereabouts and whether the child has turned 18 are as of `asOf` here (default now; whereabouts under the default
 * windows); the monitoring sweep re-evaluates both as of its own time under the policy in force. `asOf` is for a
 * replay of history, whose sweeps run as of the day replayed: judged as of today instead, a first sweep would
 * re-judge four children in ten. `sponsorsStored`: the caller stored the children's sponsors already
 * (`storeSponsors`, committed).
 */
export async function refreshChildState(
  sql: Sql,
  childIds: number[] | null,
  options: { sponsorsStored?: boolean; asOf?: Date } = {},
): Promise<number> {
  if (!options.sponsorsStored) await storeSponsors(sql, childIds);
  const rows = await sql.query(
    `with facts as (
       select c.id as child_id, c.dob,
         min(e.occurred_at) filter (where e.type = 'transferred_to_orr') as transferred_at,
         max(e.occurred_at) filter (where e.type = 'released_to_sponsor') as released_at,
         min(e.occurred_at) filter (where e.type = 'nta_issued') as nta_issued_at,
         min(e.occurred_at) filter (where e.type = 'nta_served') as nta_served_at,
         min(e.occurred_at) filter (where e.type = 'nta_filed') as nta_filed_at,
         max(e.occurred_at) filter (where e.type in ('hearing_attended', 'failed_to_appear')) as last_hearing_held_at,
         max(((e.data->>'hearing_date') || 'T00:00:00Z')::timestamptz) filter (where e.type = 'hearing_scheduled') as latest_scheduled_at,
         count(*) filter (where e.type = 'failed_to_appear')::int as failed_to_appear_count,
         max(e.occurred_at) filter (where e.type = 'failed_to_appear') as last_failed_to_appear_at,
         max(e.occurred_at) filter (where e.type = 'hearing_attended') as last_hearing_attended_at,
         coalesce(bool_or(e.type = 'attorney_of_record' or (e.type = 'hearing_attended' and e.data->>'attorney_present' = 'true')), false) as has_attorney,
         max(e.occurred_at) filter (where e.type = 'safety_call') as last_safety_call_at,
         (array_agg(e.data->>'outcome' order by e.occurred_at desc, e.id desc) filter (where e.type = 'safety_call'))[1] as last_safety_call_outcome,
         -- A confirmed contact: the child was seen or spoken to, or an officer confirmed the child lives there.
         max(e.occurred_at) filter (where e.type in ('hearing_attended', 'contact_verified', 'address_confirmed')
                                    or (e.type = 'safety_call' and e.data->>'outcome' in ('reached', 'concerns'))
                                    or (e.type = 'welfare_check' and e.data->>'result' in ('seen_safe', 'concerns'))
                                    or (e.type = 'locate_attempt' and e.data->>'result' = 'located')) as last_verified_contact_at,
         max(e.occurred_at) filter (where e.type = 'runaway_reported') as runaway_reported_at,
         coalesce(bool_or(e.type = 'protection_reported'), false) as protected_1367,
         (array_agg(e.type order by e.occurred_at desc, e.id desc) filter (where e.type in
           ('relief_granted', 'case_closed', 'in_absentia_order', 'removed')))[1] as outcome,
         (array_agg(e.data order by e.occurred_at desc, e.id desc) filter (where e.type = 'released_to_sponsor'))[1] as release,
         -- Where the child lives now: the latest address a release or an address change named.
         (array_agg(e.data->>'address' order by e.occurred_at desc, e.id desc)
            filter (where e.type in ('released_to_sponsor', 'address_changed') and e.data->>'address' is not null))[1] as current_address
       from children c left join events e on e.child_id = c.id
       where ${among(childIds, 'c.id')}
       group by c.id
     )
     insert into child_state (child_id, status, transferred_at, released_at, nta_issued_at, nta_served_at, nta_filed_at,
       next_hearing_at, failed_to_appear_count, last_failed_to_appear_at, last_hearing_attended_at, has_attorney,
       last_safety_call_at, last_safety_call_outcome, last_verified_contact_at, whereabouts, runaway, runaway_reported_at,
       protected_1367, field_office_code, address_id, address_verdict, release_address_id, release_address_verdict, aged_out,
       dob, sponsor_id, updated_at)
     select f.child_id,
       coalesce(f.outcome,
         case when f.last_hearing_held_at is not null then 'in_proceedings'
              when f.latest_scheduled_at is not null then 'hearing_scheduled'
              when f.nta_filed_at is not null then 'nta_filed'
              when f.nta_issued_at is not null then 'nta_issued'
              when f.released_at is not null then 'released'
              when f.transferred_at is not null then 'in_orr_care'
              else 'unknown' end),
       f.transferred_at, f.released_at, f.nta_issued_at, f.nta_served_at, f.nta_filed_at,
       case when f.latest_scheduled_at > coalesce(f.last_hearing_held_at, '-infinity'::timestamptz) then f.latest_scheduled_at end,
       f.failed_to_appear_count, f.last_failed_to_appear_at, f.last_hearing_attended_at, f.has_attorney,
       f.last_safety_call_at, f.last_safety_call_outcome, f.last_verified_contact_at,
       case when f.runaway_reported_at >= coalesce(f.last_verified_contact_at, '-infinity'::timestamptz) then 'unknown'
            when f.last_verified_contact_at >= ${JUDGED_AT} - interval '90 days' then 'verified'
            when f.last_verified_contact_at >= ${JUDGED_AT} - interval '180 days' then 'unverified'
            else 'unknown' end,
       coalesce(f.runaway_reported_at >= coalesce(f.last_verified_contact_at, '-infinity'::timestamptz), false),
       f.runaway_reported_at, f.protected_1367,
       (select fa.office_code from field_office_areas fa
        where fa.state = coalesce(ca.state, f.release->>'state')
          and (fa.zip3 = '*' or fa.zip3 = left(coalesce(ca.zip_code, f.release->>'zip'), 3))
        order by fa.zip3 = '*' limit 1),
       ca.id, ca.verdict, ra.id, ra.verdict,
       coalesce(f.dob + interval '18 years' <= ${JUDGED_AT}, false),
       f.dob, sp.id, now()
     from facts f
       left join addresses ca on ca.raw_text = f.current_address
       left join addresses ra on ra.raw_text = f.release->>'address'
       left join sponsors sp on sp.phone_key = ${PHONE_KEY("f.release->>'phone'")}
     on conflict (child_id) do update set
       status = excluded.status, transferred_at = excluded.transferred_at, released_at = excluded.released_at,
       nta_issued_at = excluded.nta_issued_at, nta_served_at = excluded.nta_served_at, nta_filed_at = excluded.nta_filed_at,
       next_hearing_at = excluded.next_hearing_at, failed_to_appear_count = excluded.failed_to_appear_count,
       last_failed_to_appear_at = excluded.last_failed_to_appear_at, last_hearing_attended_at = excluded.last_hearing_attended_at,
       has_attorney = excluded.has_attorney, last_safety_call_at = excluded.last_safety_call_at,
       last_safety_call_outcome = excluded.last_safety_call_outcome, last_verified_contact_at = excluded.last_verified_contact_at,
       whereabouts = excluded.whereabouts, runaway = excluded.runaway, runaway_reported_at = excluded.runaway_reported_at,
       protected_1367 = excluded.protected_1367, field_office_code = excluded.field_office_code,
       address_id = excluded.address_id, address_verdict = excluded.address_verdict,
       release_address_id = excluded.release_address_id, release_address_verdict = excluded.release_address_verdict,
       aged_out = excluded.aged_out, dob = excluded.dob, sponsor_id = excluded.sponsor_id, updated_at = excluded.updated_at
     returning child_id`,
    [childIds, options.asOf?.toISOString() ?? null],
  );
  await refreshChildSearch(sql, childIds);
  return rows.length;
}

/**
 * The sponsors the children's (or every child's) release forms name, known by their phone numbers; the first form's
 * words are kept. Sponsors are never deleted, so a key stored once stays: a bulk settle stores them all before its
 * slices run side by side, so that neither waits for the other's uncommitted sponsors.
 */
export async function storeSponsors(sql: Sql, childIds: number[] | null): Promise<void> {
  await sql.query(
    `insert into sponsors (phone_key, name, relationship, category, phone)
     select distinct on (key) key, e.data->>'sponsor_name', e.data->>'relationship', (e.data->>'category')::smallint,
            e.data->>'phone'
     from events e cross join lateral (select ${PHONE_KEY("e.data->>'phone'")} as key) k
     where e.type = 'released_to_sponsor' and ${among(childIds, 'e.child_id')}
       and length(key) = 10 and coalesce(e.data->>'sponsor_name', '') <> ''
     order by key, e.occurred_at, e.id
     on conflict (phone_key) do nothing`,
    [childIds],
  );
}

/**
 * Recomputes what the given children (or every child) can be found by: identifiers, and the terms of their
 * names, their sponsor's name and their addresses (src/cases/search-terms.ts), with the scope columns the
 * search filters on. Run with the projection so the two never disagree. Children whose inputs did not change
 * (most of a batch that brings a hearing or a safety call) are skipped; the others are read in one query, cut
 * into terms here (a per-row regular expression in SQL was ten times slower) and written in batches.
 */
export async function refreshChildSearch(sql: Sql, childIds: number[] | null): Promise<void> {
  const changed = await sql.query<{
    id: number;
    aNumber: string | null;
    orrId: string | null;
    names: string;
    sponsor: string;
    addresses: string;
    fieldOfficeCode: string | null;
    protected1367: boolean;
    inputs: string;
  }>(
    `with sponsor as (
       select distinct on (e.child_id) e.child_id, e.data->>'sponsor_name' as name
       from events e
       where e.type = 'released_to_sponsor' and ${among(childIds, 'e.child_id')}
       order by e.child_id, e.occurred_at desc, e.id desc
     ), source as (
       select c.id, c.given_names, c.surnames, c.a_number, upper(c.orr_id) as orr_id, sponsor.name as sponsor_name,
              cs.address_id, cs.release_address_id, cs.field_office_code, cs.protected_1367,
              md5(concat_ws('|', c.given_names, c.surnames, c.a_number, c.orr_id, sponsor.name, cs.address_id,
                            cs.release_address_id, cs.field_office_code, cs.protected_1367)) as inputs
       from children c
         join child_state cs on cs.child_id = c.id
         left join sponsor on sponsor.child_id = c.id
       where ${among(childIds, 'c.id')})
     select s.id, s.a_number as "aNumber", s.orr_id as "orrId", concat_ws(' ', s.given_names, s.surnames) as names,
            coalesce(s.sponsor_name, '') as sponsor,
            -- the release address is usually the current one: its words are taken once
            concat_ws(' ', ca.raw_text, ca.delivery_line, ca.last_line,
                      case when ra.id is distinct from ca.id then concat_ws(' ', ra.raw_text, ra.delivery_line, ra.last_line) end)
              as addresses,
            s.field_office_code as "fieldOfficeCode", s.protected_1367 as "protected1367", s.inputs
     from source s
       left join child_search existing on existing.child_id = s.id
       left join addresses ca on ca.id = s.address_id
       left join addresses ra on ra.id = s.release_address_id
     where existing.inputs is distinct from s.inputs`,
    [childIds],
  );
  for (let start = 0; start < changed.length; start += 20_000) {
    const rows = changed.slice(start, start + 20_000);
    await sql.query(
      `insert into child_search (child_id, a_number, orr_id, terms, field_office_code, protected_1367, inputs)
       select child_id, a_number, orr_id, string_to_array(terms, ' '), field_office_code, protected_1367, inputs
       from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[])
         as u(child_id, a_number, orr_id, terms, field_office_code, protected_1367, inputs)
       on conflict (child_id) do update set
         a_number = excluded.a_number, orr_id = excluded.orr_id, terms = excluded.terms,
         field_office_code = excluded.field_office_code, protected_1367 = excluded.protected_1367,
         inputs = excluded.inputs`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.aNumber),
        rows.map((row) => row.orrId),
        rows.map((row) => childTerms(row).join(' ')),
        rows.map((row) => row.fieldOfficeCode),
        rows.map((row) => row.protected1367),
        rows.map((row) => row.inputs),
      ],
    );
  }
}
