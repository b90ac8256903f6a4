import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { PERSON_FIELD_CONFIG } from '../identity/person-config';
import { CsvWriter } from './writers';

/** The columns of a person-records file and the linkage configuration that fits them. */
export const PERSON_RECORD_COLUMNS = [
  'id',
  'source',
  'given',
  'surnames',
  'dob',
  'sex',
  'country',
  'a_number',
  'orr_id',
];

/** The system's linkage fields and thresholds (src/identity/person-config.ts), blocking chosen automatically. */
export const PERSON_LINK_CONFIG = PERSON_FIELD_CONFIG;

const read = (file: string) =>
  fs.existsSync(file)
    ? (parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[])
    : [];

const usDate = (text: string | undefined) => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text ?? '');
  return m ? `${m[3]}-${m[1]}-${m[2]}` : (text ?? '');
};

/**
 * The people a generated caseload's feeds describe, one row per identity-bearing record (ICE apprehensions
 * and NTAs, ORR releases, and each distinct respondent of the court events), with the truth: which child each
 * row is. A test bed for linkage on any tool; the system links the stored records the same way.
 */
export function writePersonRecords(caseload: string, out: string): { records: number } {
  fs.mkdirSync(out, { recursive: true });
  const truthOf = new Map(
    read(path.join(caseload, 'truth', 'records.csv')).map((row) => [
      `${row.source}|${row.source_key}`,
      row.child_id!,
    ]),
  );
  const records = new CsvWriter(path.join(out, 'records.csv'), PERSON_RECORD_COLUMNS);
  const truth = new CsvWriter(path.join(out, 'truth.csv'), ['id', 'entity']);
  let count = 0;
  const ids = new Set<string>();
  const emit = (source: string, key: string, row: Record<string, string>) => {
    const entity = truthOf.get(`${source}|${key}`);
    const id = `${source}:${key}`;
    if (entity === undefined || ids.has(id)) return; // a re-sent row is the same record
    ids.add(id);
    records.row({ id, source, ...row });
    truth.row({ id, entity });
    count++;
  };
  const feeds = path.join(caseload, 'feeds');
  for (const r of read(path.join(feeds, 'ice', 'ice_apprehensions_v1.csv'))) {
    emit('ice', r.EVENT_ID!, {
      given: r.FIRST_NAME ?? '',
      surnames: r.LAST_NAME ?? '',
      dob: usDate(r.DOB),
      sex: r.SEX ?? '',
      country: r.COUNTRY_OF_CITIZENSHIP ?? '',
      a_number: r.A_NUMBER ?? '',
      orr_id: '',
    });
  }
  for (const r of read(path.join(feeds, 'ice', 'ice_ntas_v1.csv'))) {
    emit('ice', r.NTA_ID!, {
      given: r.FIRST_NAME ?? '',
      surnames: r.LAST_NAME ?? '',
      dob: usDate(r.DOB),
      sex: '',
      country: '',
      a_number: r.A_NUMBER ?? '',
      orr_id: '',
    });
  }
  for (const file of fs.existsSync(path.join(feeds, 'orr')) ? fs.readdirSync(path.join(feeds, 'orr')) : []) {
    if (!file.startsWith('orr_releases')) continue;
    for (const r of read(path.join(feeds, 'orr', file))) {
      emit('orr', r.orr_case_id!, {
        given: r.child_first_name ?? '',
        surnames: r.child_last_name ?? '',
        dob: r.child_dob ?? '',
        sex: (r.child_gender ?? '').slice(0, 1),
        country: (r.country_of_origin ?? '').toUpperCase(),
        a_number: r.a_number ?? '',
        orr_id: r.orr_case_id ?? '',
      });
    }
  }
  // Court events repeat the respondent on every row: one person record per distinct respondent.
  const respondents = new Set<string>();
  for (const r of read(path.join(feeds, 'eoir', 'eoir_case_events_v1.csv'))) {
    const person = `${r.alien_number}|${r.respondent_last_name}|${r.respondent_first_name}`;
    if (respondents.has(person)) continue;
    respondents.add(person);
    emit('eoir', r.event_id!, {
      given: r.respondent_first_name ?? '',
      surnames: r.respondent_last_name ?? '',
      dob: '',
      sex: '',
      country: '',
      a_number: r.alien_number ?? '',
      orr_id: '',
    });
  }
  records.close();
  truth.close();
  return { records: count };
}
