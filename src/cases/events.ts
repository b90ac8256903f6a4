import type { Sql } from '../db';

const DAY = (field: string) => `((p->>'${field}') || 'T00:00:00Z')::timestamptz`;

/**
 * Each feed row, read as the typed facts it states about a child (DESIGN.md event types), with the row it came
 * from. One SELECT per feed kind; all rows of a batch are mapped in one statement.
 */
const EVENT_MAPPINGS = `
  select id, child_id, 'apprehended' as type, ${DAY('APPREHENSION_DATE')} as at,
         jsonb_build_object('sector', p->>'BORDER_SECTOR') as data from r where kind = 'ice_apprehensions'
  union all select id, child_id, 'transferred_to_orr', ${DAY('TRANSFER_TO_ORR_DATE')}, '{}' from r where kind = 'ice_apprehensions'
  union all select id, child_id, 'nta_issued', ${DAY('ISSUED_DATE')}, jsonb_build_object('office', p->>'ISSUING_OFFICE') from r where kind = 'ice_ntas'
  union all select id, child_id, 'nta_served', ${DAY('SERVED_DATE')}, '{}' from r where kind = 'ice_ntas'
  union all select id, child_id, 'nta_filed', ${DAY('FILED_DATE')}, '{}' from r where kind = 'ice_ntas'
  union all select id, child_id, 'transferred_to_orr', ${DAY('admission_date')}, jsonb_build_object('facility', p->>'facility_name')
    from r where kind = 'orr_releases'
  union all select id, child_id, 'released_to_sponsor', ${DAY('release_date')},
         jsonb_build_object('sponsor_name', p->>'sponsor_name', 'relationship', p->>'sponsor_relationship',
           'category', (p->>'sponsor_category')::int, 'phone', p->>'sponsor_phone',
           -- The free-text address as typed; when it is blank but the split fields hold a street, those.
           'address', case when coalesce(btrim(p->>'sponsor_address'), '') = '' and coalesce(p->>'sponsor_street', '') <> ''
                           then concat_ws(', ', concat_ws(' Apt ', p->>'sponsor_street', p->>'sponsor_apt'), p->>'sponsor_city',
                                          concat_ws(' ', p->>'sponsor_state', p->>'sponsor_zip'))
                           else coalesce(p->>'sponsor_address', '') end,
           'street', p->>'sponsor_street', 'apt', p->>'sponsor_apt', 'city', p->>'sponsor_city',
           'state', upper(p->>'sponsor_state'), 'zip', p->>'sponsor_zip')
    from r where kind = 'orr_releases'
  union all select id, child_id,
         case p->>'event_type' when 'safety_call' then 'safety_call' when 'runaway' then 'runaway_reported'
           when 'significant_incident' then 'significant_incident' when 'address_change' then 'address_changed'
           when 'legal_service_report' then 'protection_reported' end,
         ${DAY('event_date')},
         jsonb_strip_nulls(jsonb_build_object('outcome', p->>'call_outcome', 'summary', p->>'summary',
           'address', p->>'new_address', 'protection_type', p->>'protection_type', 'reported_by', p->>'reported_by'))
    from r where kind = 'orr_post_release'
  union all select id, child_id,
         case p->>'event_code' when 'HEARING_SCHEDULED' then 'hearing_scheduled' when 'HEARING_ATTENDED' then 'hearing_attended'
           when 'FAILED_TO_APPEAR' then 'failed_to_appear' when 'IN_ABSENTIA_ORDER' then 'in_absentia_order'
           when 'CONTINUED' then 'hearing_continued' when 'VENUE_CHANGED' then 'venue_changed'
           when 'RELIEF_GRANTED' then 'relief_granted' when 'CASE_CLOSED' then 'case_closed'
           when 'ADDRESS_CHANGED' then 'address_changed' when 'ATTORNEY_OF_RECORD' then 'attorney_of_record'
           when 'NOTICE_RETURNED' then 'notice_returned' end,
         case when p->>'event_code' in ('HEARING_ATTENDED', 'FAILED_TO_APPEAR') and p ? 'hearing_date'
              then ${DAY('hearing_date')} else ${DAY('event_date')} end,
         jsonb_strip_nulls(jsonb_build_object('court', p->>'base_city_code', 'hearing_date', p->>'hearing_date',
           'new_court', p->>'new_base_city_code', 'address', p->>'address_of_record', 'attorney_present', p->'attorney_present'))
    from r where kind = 'eoir_case_events'
  union all select id, child_id, 'mail_returned', ${DAY('returned_date')},
         jsonb_build_object('mail_type', p->>'mail_type', 'reason', p->>'return_reason',
           'address', concat_ws(', ', p->>'address_line', p->>'city', concat_ws(' ', p->>'state', p->>'zip')))
    from r where kind = 'mail_returns'`;

/** What a batch's events said: how many, and the address texts they named (for the address library). */
export interface RecordedEvents {
  count: number;
  addresses: string[];
  returnedMailAddresses: string[];
}

/**
 * Writes the events of newly stored, linked records. A record that is a new version of an earlier one
 * replaces that version's events, so a corrected row never counts twice.
 */
export async function recordEvents(
  sql: Sql,
  records: readonly { id: number; version: number }[],
): Promise<RecordedEvents> {
  if (records.length === 0) return { count: 0, addresses: [], returnedMailAddresses: [] };
  const recordIds = records.map((record) => record.id);
  // Most records are first versions: the statement that removes earlier versions' events runs only for the rest.
  const corrections = records.filter((record) => record.version > 1).map((record) => record.id);
  if (corrections.length > 0)
    await sql.query(
      `delete from events e using source_records newer, source_records older
       where newer.id in (select unnest($1::bigint[]))
         and older.source = newer.source and older.kind = newer.kind and older.source_key = newer.source_key
         and older.version < newer.version and e.source_record_id = older.id`,
      [corrections],
    );
  const [recorded] = await sql.query<{
    count: number;
    addresses: string[] | null;
    returned: string[] | null;
  }>(
    `with r as (
       select s.id, s.kind, s.payload as p, l.child_id
       from source_records s join identity_links l on l.source_record_id = s.id
       where s.id in (select unnest($1::bigint[]))
         -- only the latest version of a key speaks (an original and its correction may arrive together)
         and not exists (select 1 from source_records later where later.source = s.source and later.kind = s.kind
                           and later.source_key = s.source_key and later.version > s.version)
     ), inserted as (
       insert into events (child_id, type, occurred_at, source_record_id, data)
       select child_id, type, at, id, data from (${EVENT_MAPPINGS}) mapped
       where type is not null and at is not null
       returning type, data->>'address' as address)
     select count(*)::int as count,
       array_agg(distinct address) filter (where address is not null) as addresses,
       array_agg(distinct address) filter (where type = 'mail_returned' and address is not null) as returned
     from inserted`,
    [recordIds],
  );
  return {
    count: recorded?.count ?? 0,
    addresses: recorded?.addresses ?? [],
    returnedMailAddresses: recorded?.returned ?? [],
  };
}
