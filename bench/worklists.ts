// How fast the web app's worklists answer over a national caseload: the addresses needing action (first page
// nationwide, first page of one office, the next page by cursor) and the places shared by many children.
// Usage: npm run bench:worklists [-- --children 600000 --runs 3 --engine both|pglite|postgres]
import { parseArgs } from 'node:util';
import { defineAbilityFor } from '../src/auth/abilities';
import { loadSharingRules, versionInForce } from '../src/auth/sharing-rules';
import { prepareDatabase } from '../src/bootstrap';
import { listAddressesToFix } from '../src/cases/address-worklist.repository';
import { type Database, openDatabase } from '../src/db';
import { loadFieldOffices } from '../src/monitoring';
import { childrenAtPlaces, crowdedPlaces } from '../src/monitoring/places.repository';
import { machine, medianMilliseconds, onEngines, printTable, timed } from './lib';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '600000' },
    runs: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'both' },
  },
});
const CHILDREN = Number(values.children);
const RUNS = Number(values.runs);
const OFFICES = `array['ATL','BAL','BOS','BUF','CHI','DAL','DEN','DET','ELP','HLG','HOU','LOS','MIA','NOL','NYC','NEW',
                       'PHI','PHO','SLC','SNA','SND','SFR','SEA','SPM','WAS']`;

/**
 * Children with a current address from a pool of doors (about one in five doors' verdicts defective, a few doors
 * crowded), a sponsor from a pool known by phone (some shared by several children) and the release event naming
 * it, a hearing for two in five, and an open alert for one in three.
 */
async function seed(db: Database): Promise<void> {
  const doors = Math.max(1000, Math.floor(CHILDREN / 2));
  const phones = Math.max(500, Math.floor(CHILDREN / 1.5));
  await db.exec(`
    select setseed(0.42);
    insert into addresses (raw_text, delivery_line, last_line, delivery_point, verdict, reasons)
      select 'door ' || g, g || ' MAIN ST', 'HOUSTON TX 77002', g || ' MAIN ST|77002',
             v.verdict, case when v.verdict = 'deliverable_likely' then '[]'::jsonb
                             else jsonb_build_array(jsonb_build_object('code', 'po_box')) end
      from generate_series(1, ${doors}) g
      cross join lateral (select (array['deliverable_likely','deliverable_likely','deliverable_likely','deliverable_likely',
                                        'missing_unit','po_box'])[1 + (random() * 5)::int] || left(g::text, 0) as verdict) v;
    insert into sponsors (name, phone, phone_key)
      select 'Sponsor ' || g, '713' || lpad(g::text, 7, '0'), '713' || lpad(g::text, 7, '0')
      from generate_series(1, ${phones}) g;
    insert into children (given_names, surnames, a_number)
      select 'Child', 'Number ' || g, lpad(g::text, 9, '2') from generate_series(1, ${CHILDREN}) g;
    insert into child_state (child_id, status, released_at, next_hearing_at, field_office_code, address_id, address_verdict,
                             sponsor_id)
      select c.id, 'released', timestamptz '2023-01-01' + (random() * 700) * interval '1 day',
             case when random() < 0.4 then timestamptz '2026-12-01' + (random() * 300) * interval '1 day' end,
             (${OFFICES})[1 + (random() * 24)::int], a.id, a.verdict, d.sponsor
      from children c
      cross join lateral (select 1 + (random() * ${doors - 1})::int + c.id * 0 as door,
                                 1 + (random() * ${phones - 1})::int + c.id * 0 as sponsor) d
      join addresses a on a.id = d.door;
    insert into events (child_id, type, occurred_at, data)
      select cs.child_id, 'released_to_sponsor', cs.released_at,
             jsonb_build_object('sponsor_name', sp.name, 'phone', sp.phone)
      from child_state cs join sponsors sp on sp.id = cs.sponsor_id;
    insert into alerts (rule, child_id, severity)
      select 'no_recent_contact', child_id, 'medium' from child_state where random() < 0.33;
    analyze;`);
}

async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(engine === 'pglite' ? { engine } : { engine, url: url!, maxConnections: 2 });
  await prepareDatabase(db);
  await loadFieldOffices(db);
  const seeded = await timed(() => seed(db));
  const sharing = versionInForce(loadSharingRules(), new Date());
  const national = defineAbilityFor({ roles: ['orr_case_manager'], fieldOfficeCode: null }, sharing);
  const houston = defineAbilityFor({ roles: ['field_office_supervisor'], fieldOfficeCode: 'HOU' }, sharing);
  const firstPage = await listAddressesToFix(db, national, { limit: 51 });
  const last = firstPage[49]!;
  const after = {
    hearingKey: last.nextHearingAt ?? 'infinity',
    openAlerts: last.openAlerts,
    childId: last.childId,
  };
  const places = await crowdedPlaces(db, national, 4, undefined, 26);
  const work: Record<string, () => Promise<unknown>> = {
    'addresses, national page 1': () => listAddressesToFix(db, national, { limit: 51 }),
    'addresses, national page 2': () => listAddressesToFix(db, national, { after, limit: 51 }),
    'addresses, HOU page 1': () => listAddressesToFix(db, houston, { limit: 51 }),
    'places, national page 1': () => crowdedPlaces(db, national, 4, undefined, 26),
    'places, HOU page 1': () => crowdedPlaces(db, houston, 4, undefined, 26),
    'children at 25 places': () =>
      childrenAtPlaces(
        db,
        places.flatMap((place) => place.childIds),
      ),
  };
  const row = { engine, 'seed s': seeded.seconds.toFixed(1), ...(await medianMilliseconds(work, RUNS)) };
  await db.close();
  return row;
}

const rows = await onEngines(values.engine, measure);
printTable(
  `Worklist queries over ${CHILDREN.toLocaleString('en-US')} children, median of ${RUNS} runs (${machine()})`,
  rows,
);
