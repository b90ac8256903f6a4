import type { BlockingRule } from '../linkage/blocking';
import type { LinkConfig } from '../linkage/config';

/** The fields a person is compared on, in the order of every identity's values. */
export const PERSON_FIELDS = ['given', 'surnames', 'dob', 'sex', 'country', 'a_number', 'orr_id'] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];
export type RawPerson = Partial<Record<PersonField, unknown>>;

/**
 * How the agency feeds' people are linked (docs/linkage.md): each field's comparator, and the lines for an
 * automatic link (0.99: records without an A-number that share a birth date, a country and one surname are
 * common enough among these children that 0.95 links some wrongly) and for a person's review.
 */
export const PERSON_FIELD_CONFIG = {
  id: 'id',
  fields: [
    { column: 'given', type: 'name' },
    { column: 'surnames', type: 'surname' },
    { column: 'dob', type: 'date' },
    { column: 'sex', type: 'exact' },
    { column: 'country', type: 'exact' },
    { column: 'a_number', type: 'identifier', unique: true },
    { column: 'orr_id', type: 'exact', unique: true },
  ],
  thresholds: { link: 0.99, review: 0.5 },
} as const satisfies LinkConfig;

/**
 * Blocking for the system: chosen, not automatic, because an incremental batch looks its candidates up by
 * these keys in the store. Every rule's blocks stay small as the store grows (docs/decisions/0010, 0019):
 * names with the birth year and the month, or the day (one mistyped field), or month and day in either order
 * (swapped); names with the month and day (a mistyped year), or with either half of the A-number (one wrong
 * digit leaves a half intact; court records carry no birth date); the birth date with the given name's sound
 * (surnames dropped or swapped), or with both initials (a misspelt given name); and names alone only for
 * records that have neither a birth date nor an A-number. Wider blocks grow with the square of the caseload:
 * names alone made 175 million pairs for 1.5 million records, names with the year and the birth date with the
 * given name's initial 14 million of the 15 million for 1 million records.
 */
const NAMES = ['phonetic:given', 'phonetic:surnames'];
export const PERSON_BLOCKING: BlockingRule[] = [
  ['a_number'],
  ['orr_id'],
  [...NAMES, 'year:dob', 'month:dob'],
  [...NAMES, 'year:dob', 'day:dob'],
  [...NAMES, 'year:dob', 'dayset:dob'],
  [...NAMES, 'monthday:dob'],
  ['dob', 'phonetic:given'],
  ['dob', 'initial:given', 'initial:surnames'],
  [...NAMES, 'head:a_number'],
  [...NAMES, 'tail:a_number'],
  [...NAMES, 'missing:dob', 'missing:a_number'],
];

/**
 * The rules the system blocked by before they were narrowed (names alone for everyone): its prior is stated
 * against the pairs these would make, so the thresholds keep the meaning they were set with (engine.ts,
 * `priorRules`).
 */
export const PERSON_PRIOR_BLOCKING: BlockingRule[] = [
  ['a_number'],
  ['orr_id'],
  ['phonetic:given', 'phonetic:surnames'],
  ['dob', 'initial:given'],
];

export const PERSON_LINK_CONFIG: LinkConfig = { ...PERSON_FIELD_CONFIG, blocking: PERSON_BLOCKING };

type Payload = Record<string, unknown>;

/**
 * The person each feed's row describes, in the linkage fields. Rows that name no one (tips) have none; rows
 * that carry only an identifier (post-release events, returned mail) link by it alone.
 */
export const PERSON_OF_KIND: Record<string, (p: Payload) => RawPerson> = {
  ice_apprehensions: (p) => ({
    given: p.FIRST_NAME,
    surnames: p.LAST_NAME,
    dob: p.DOB,
    sex: p.SEX,
    country: p.COUNTRY_OF_CITIZENSHIP,
    a_number: p.A_NUMBER,
  }),
  ice_ntas: (p) => ({ given: p.FIRST_NAME, surnames: p.LAST_NAME, dob: p.DOB, a_number: p.A_NUMBER }),
  orr_releases: (p) => ({
    given: p.child_first_name,
    surnames: p.child_last_name,
    dob: p.child_dob,
    sex: typeof p.child_gender === 'string' ? p.child_gender.slice(0, 1) : undefined,
    country: p.country_of_origin,
    a_number: p.a_number,
    orr_id: p.orr_case_id,
  }),
  orr_post_release: (p) => ({ orr_id: p.orr_case_id }),
  eoir_case_events: (p) => ({
    given: p.respondent_first_name,
    surnames: p.respondent_last_name,
    a_number: p.alien_number,
  }),
  mail_returns: (p) => ({ a_number: p.a_number, orr_id: p.orr_case_id }),
};
