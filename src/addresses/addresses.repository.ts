import type { Sql } from '../db';
import { type AddressJudgement, addressKeys, judgeAddress, REASONS, stateCode, VERDICTS } from './judge';
import { zip5 } from './standardize';

/** Children at one delivery point that make it "shared by many" (docs/addresses.md). */
export const SHARED_BY_MANY_CHILDREN = 4;

/** What an evidence update must look at again: addresses, and every address at their buildings and doors. */
export interface AddressPlaces {
  ids: number[];
  buildings: string[];
  deliveryPoints: string[];
}

function row(text: string, judgement: AddressJudgement) {
  const c = judgement.components;
  const keys = addressKeys(judgement);
  return {
    raw_text: text,
    components: c,
    delivery_line: judgement.standardized.delivery_line || null,
    last_line: judgement.standardized.last_line || null,
    state: stateCode(c) ?? null,
    zip_code: c.ZipCode ? zip5(c.ZipCode) : null,
    building_key: keys?.building ?? null,
    delivery_point: keys?.deliveryPoint ?? null,
    has_unit: Boolean(c.SubaddressIdentifier),
    own_reasons: judgement.reasons,
    verdict: judgement.verdict,
  };
}

const COLUMNS = `raw_text, components, delivery_line, last_line, state, zip_code, building_key, delivery_point, has_unit,
  own_reasons, reasons, verdict`;
const FROM_JSON = `select r.raw_text, r.components, r.delivery_line, r.last_line, r.state, r.zip_code, r.building_key,
    r.delivery_point, r.has_unit, r.own_reasons, r.own_reasons, r.verdict
  from jsonb_to_recordset($1::jsonb) as r(raw_text text, components jsonb, delivery_line text, last_line text,
    state text, zip_code text, building_key text, delivery_point text, has_unit boolean, own_reasons jsonb, verdict text)`;

/**
 * Judges the address texts a batch named that are not stored yet, stores them, and flags those that mail came
 * back from. Returns the places whose cross-record evidence must be looked at again once the children's state
 * is current (`applyRecordEvidence`).
 */
export async function storeAddresses(
  sql: Sql,
  named: readonly string[],
  returnedMail: readonly string[],
): Promise<AddressPlaces> {
  if (named.length === 0) return { ids: [], buildings: [], deliveryPoints: [] };
  const known = await sql.query<{ raw_text: string }>(
    'select raw_text from addresses where raw_text = any($1::text[])',
    [named],
  );
  const stored = new Set(known.map((r) => r.raw_text));
  const fresh = named.filter((text) => !stored.has(text)).map((text) => row(text, judgeAddress(text)));
  if (fresh.length > 0) {
    await sql.query(`insert into addresses (${COLUMNS}) ${FROM_JSON} on conflict (raw_text) do nothing`, [
      JSON.stringify(fresh),
    ]);
  }
  if (returnedMail.length > 0) {
    await sql.query(
      'update addresses set mail_returned = true where raw_text = any($1::text[]) and not mail_returned',
      [returnedMail],
    );
  }
  return placesOf(sql, 'raw_text = any($1::text[])', [named]);
}

/** The buildings and delivery points of the addresses the given children live at now. */
export function placesOfChildren(sql: Sql, childIds: number[]): Promise<AddressPlaces> {
  return placesOf(sql, 'id in (select address_id from child_state where child_id = any($1::bigint[]))', [
    childIds,
  ]);
}

/** The buildings and delivery points of the given addresses. */
export function placesOfAddresses(sql: Sql, addressIds: number[]): Promise<AddressPlaces> {
  return placesOf(sql, 'id = any($1::bigint[])', [addressIds]);
}

async function placesOf(sql: Sql, where: string, params: unknown[]): Promise<AddressPlaces> {
  const [places] = await sql.query<{
    ids: number[] | null;
    buildings: string[] | null;
    points: string[] | null;
  }>(
    `select array_agg(id) as ids,
            array_agg(distinct building_key) filter (where building_key is not null) as buildings,
            array_agg(distinct delivery_point) filter (where delivery_point is not null) as points
     from addresses where ${where}`,
    params,
  );
  return { ids: places?.ids ?? [], buildings: places?.buildings ?? [], deliveryPoints: places?.points ?? [] };
}

/**
 * Adds what other records show to each address at the given places (or at every place), sets its verdict
 * from all its reasons, and carries changed verdicts to the children living there. Set-based: one statement
 * for the addresses, one for the children. Every address it looks at comes off the ingest's list of addresses
 * awaiting their evidence, in the same statement (what it saw is what it judged): a settle's children judge most
 * of the places the stored chunks named, and the list's own pass then judges only the rest.
 */
export async function applyRecordEvidence(sql: Sql, places: AddressPlaces | null): Promise<number> {
  if (places && places.ids.length === 0) return 0; // every place comes from an address
  const changed = await sql.query<{ id: number }>(
    `with touched_ids as (
       select id from addresses where $1::text[] is null
       union select id from addresses where id = any($6::bigint[])
       union select id from addresses where building_key = any($1::text[])
       union select id from addresses where delivery_point = any($2::text[])
     ),
     touched as (select * from addresses where id in (select id from touched_ids)),
     judged_off_the_list as (delete from ingest_pending_addresses where address_id in (select id from touched_ids)),
     -- What the other records say, once per building or door, not once per address.
     buildings_with_units as (
       select distinct building_key from addresses
       where has_unit and building_key in (select building_key from touched)
     ),
     doors_with_returned_mail as (
       select distinct delivery_point from addresses
       where mail_returned and delivery_point in (select delivery_point from touched)
     ),
     children_per_door as (
       select p.delivery_point, count(distinct cs.child_id) as children
       from addresses p join child_state cs on cs.address_id = p.id
       where p.delivery_point in (select delivery_point from touched)
       group by p.delivery_point
     ),
     evidence as (
       select a.id, a.own_reasons
         || case when not a.has_unit and u.building_key is not null
                 then '[{"code": "units_at_same_address"}]'::jsonb else '[]'::jsonb end
         || case when a.mail_returned or m.delivery_point is not null
                 then '[{"code": "mail_returned"}]'::jsonb else '[]'::jsonb end
         || case when d.children >= $3
                 then jsonb_build_array(jsonb_build_object('code', 'shared_by_many',
                        'detail', d.children || ' children live at this address'))
                 else '[]'::jsonb end as reasons
       from touched a
         left join buildings_with_units u on u.building_key = a.building_key
         left join doors_with_returned_mail m on m.delivery_point = a.delivery_point
         left join children_per_door d on d.delivery_point = a.delivery_point
     ),
     judged as (
       select e.id, e.reasons,
         coalesce((select o.verdict from jsonb_array_elements(e.reasons) r
                   join unnest($4::text[]) with ordinality o(verdict, rank) on o.verdict = $5::jsonb ->> (r->>'code')
                   order by o.rank limit 1), 'deliverable_likely') as verdict
       from evidence e
     )
     update addresses a set reasons = j.reasons, verdict = j.verdict
     from judged j
     where a.id = j.id and (a.reasons is distinct from j.reasons or a.verdict is distinct from j.verdict)
     returning a.id`,
    [
      places?.buildings ?? null,
      places?.deliveryPoints ?? [],
      SHARED_BY_MANY_CHILDREN,
      VERDICTS,
      JSON.stringify(REASONS),
      places?.ids ?? [],
    ],
  );
  if (changed.length === 0) return 0;
  const ids = changed.map((r) => r.id);
  await sql.query(
    `update child_state cs set address_verdict = a.verdict from addresses a
     where a.id = cs.address_id and a.id = any($1::bigint[]) and cs.address_verdict is distinct from a.verdict`,
    [ids],
  );
  await sql.query(
    `update child_state cs set release_address_verdict = a.verdict from addresses a
     where a.id = cs.release_address_id and a.id = any($1::bigint[])
       and cs.release_address_verdict is distinct from a.verdict`,
    [ids],
  );
  return ids.length;
}

/**
 * Judges every stored address again with the current library (after an upgrade of the parser or its reference
 * data), keeping the mail-returned flags. Then `applyRecordEvidence(sql, null)` brings the reasons up to date.
 */
export async function rejudgeAllAddresses(sql: Sql, pageSize = 20_000): Promise<number> {
  let lastId = 0;
  let count = 0;
  for (;;) {
    const page = await sql.query<{ id: number; raw_text: string }>(
      'select id, raw_text from addresses where id > $1 order by id limit $2',
      [lastId, pageSize],
    );
    if (page.length === 0) return count;
    const rows = page.map((r) => ({ id: r.id, ...row(r.raw_text, judgeAddress(r.raw_text)) }));
    await sql.query(
      `update addresses a set components = r.components, delivery_line = r.delivery_line, last_line = r.last_line,
         state = r.state, zip_code = r.zip_code, building_key = r.building_key, delivery_point = r.delivery_point,
         has_unit = r.has_unit, own_reasons = r.own_reasons, reasons = r.own_reasons, verdict = r.verdict, judged_at = now()
       from jsonb_to_recordset($1::jsonb) as r(id bigint, components jsonb, delivery_line text, last_line text,
         state text, zip_code text, building_key text, delivery_point text, has_unit boolean, own_reasons jsonb,
         verdict text)
       where a.id = r.id`,
      [JSON.stringify(rows)],
    );
    count += page.length;
    lastId = page[page.length - 1]!.id;
  }
}
