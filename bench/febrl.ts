// A record-linkage data set made the way the FEBRL generator (Christen, "Probabilistic data generation for
// deduplication and data linkage", 2005) makes its public benchmark sets: original person records, then up to a
// few duplicates of each, every duplicate carrying typing, spelling and missing-value errors. The names and
// addresses are faker's Australian lists (as FEBRL's own were Australian), not the caseload generator's
// Latin American ones, so linkage is measured on data it was not tuned on.
import { base, en, en_AU, Faker } from '@faker-js/faker';

export const FEBRL_COLUMNS = [
  'rec_id',
  'given_name',
  'surname',
  'street_number',
  'address_1',
  'suburb',
  'postcode',
  'state',
  'date_of_birth',
  'soc_sec_id',
] as const;
type Column = (typeof FEBRL_COLUMNS)[number];
export type FebrlRecord = Record<Column, string>;

/** How the generic CLI links these records (`whereabouts linkage run --config`): blocking chosen from the data. */
export const FEBRL_LINK_CONFIG = {
  id: 'rec_id',
  fields: [
    { column: 'given_name', type: 'name' },
    { column: 'surname', type: 'name' },
    { column: 'street_number', type: 'exact' },
    { column: 'address_1', type: 'text' },
    { column: 'suburb', type: 'text' },
    { column: 'postcode', type: 'postcode' },
    { column: 'state', type: 'exact' },
    { column: 'date_of_birth', type: 'date', format: 'YYYYMMDD' },
    { column: 'soc_sec_id', type: 'identifier' },
  ],
} as const;

/** Keys next to each other on a QWERTY keyboard: FEBRL's typing errors substitute a neighbour. */
// biome-ignore format: a table
const NEIGHBOURS: Record<string, string> = {
  a: 'qwsz', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wsdr', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko',
  j: 'huikmn', k: 'jiolm', l: 'kop', m: 'njk', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz',
  t: 'rfgy', u: 'yhji', v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx', 0: '9', 1: '2', 2: '13', 3: '24',
  4: '35', 5: '46', 6: '57', 7: '68', 8: '79', 9: '80',
};

/** Spelling variants FEBRL's phonetic errors draw from (a sound written another way). */
// biome-ignore format: a table
const PHONETIC: [RegExp, string][] = [
  [/ph/, 'f'], [/f/, 'ph'], [/ck/, 'k'], [/c(?=[aou])/, 'k'], [/k/, 'c'], [/ie/, 'y'], [/y$/, 'ie'],
  [/ll/, 'l'], [/tt/, 't'], [/ss/, 's'], [/mm/, 'm'], [/ou/, 'ow'], [/ei/, 'ie'], [/th/, 't'],
];

/**
 * `originals` people and `duplicates` copies of them with errors (each original has at most `maxPerOriginal`
 * copies, drawn as FEBRL does, most originals with one or none), each record with the original it comes from.
 */
export function febrlRecords(options: {
  originals: number;
  duplicates: number;
  maxPerOriginal?: number;
  seed?: number;
}): { records: FebrlRecord[]; entity: Map<string, string> } {
  const max = options.maxPerOriginal ?? 5;
  if (options.duplicates > options.originals * max)
    throw new RangeError(
      `${options.duplicates} duplicates of ${options.originals} originals, at most ${max} each`,
    );
  const faker = new Faker({ locale: [en_AU, en, base] });
  faker.seed(options.seed ?? 1);
  const int = (low: number, high: number) => faker.number.int({ min: low, max: high });
  const chance = (p: number) => faker.number.float() < p;
  const records: FebrlRecord[] = [];
  const entity = new Map<string, string>();
  const originals: FebrlRecord[] = [];
  for (let i = 0; i < options.originals; i++) {
    const sex = chance(0.5) ? 'female' : 'male';
    const record: FebrlRecord = {
      rec_id: `rec-${i}-org`,
      given_name: faker.person.firstName(sex).toLowerCase(),
      surname: faker.person.lastName().toLowerCase(),
      street_number: String(int(1, 400)),
      address_1: faker.location.street().toLowerCase(),
      suburb: faker.location.city().toLowerCase(),
      postcode: faker.location.zipCode('####'),
      state: faker.location.state({ abbreviated: true }).toLowerCase(),
      date_of_birth: `${int(1930, 2015)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}`,
      soc_sec_id: String(int(1_000_000, 9_999_999)),
    };
    // Originals also miss values now and then, as real ones do.
    for (const column of ['street_number', 'address_1', 'date_of_birth', 'soc_sec_id'] as const)
      if (chance(0.03)) record[column] = '';
    originals.push(record);
    records.push(record);
    entity.set(record.rec_id, String(i));
  }
  // Which originals get copies, and how many: a Zipf-like share, one copy most often.
  const counts = new Map<number, number>();
  let made = 0;
  while (made < options.duplicates) {
    const i = int(0, options.originals - 1);
    const held = counts.get(i) ?? 0;
    if (held >= max || (held > 0 && !chance(1 / (held + 1)))) continue;
    counts.set(i, held + 1);
    const copy: FebrlRecord = { ...originals[i]!, rec_id: `rec-${i}-dup-${held}` };
    const errors = int(1, 5); // FEBRL's default: at most five a record
    for (let e = 0; e < errors; e++) corrupt(copy, faker, int, chance);
    records.push(copy);
    entity.set(copy.rec_id, String(i));
    made++;
  }
  return { records: faker.helpers.shuffle(records), entity };
}

/** The fields an error falls on, names and birth date twice as often as the rest. */
const ERROR_FIELDS = FEBRL_COLUMNS.slice(1).flatMap((column) =>
  column === 'given_name' || column === 'surname' || column === 'date_of_birth' ? [column, column] : [column],
);

/** One error in one field, chosen as FEBRL weighs them: mostly typing errors, then missing values and swaps. */
function corrupt(
  record: FebrlRecord,
  faker: Faker,
  int: (min: number, max: number) => number,
  chance: (p: number) => boolean,
): void {
  const column = faker.helpers.arrayElement(ERROR_FIELDS);
  const value = record[column];
  if (value === '' || chance(0.1)) {
    record[column] = '';
    return;
  }
  if (column === 'given_name' && chance(0.1)) {
    [record.given_name, record.surname] = [record.surname, record.given_name];
    return;
  }
  if (column === 'date_of_birth' && chance(0.3)) {
    // Day and month swapped (where the day can be a month).
    const [year, month, day] = [value.slice(0, 4), value.slice(4, 6), value.slice(6, 8)];
    if (Number(day) <= 12) {
      record.date_of_birth = `${year}${day}${month}`;
      return;
    }
  }
  if (
    (column === 'given_name' || column === 'surname' || column === 'address_1' || column === 'suburb') &&
    chance(0.2)
  ) {
    const variants = PHONETIC.filter(([pattern]) => pattern.test(value));
    if (variants.length > 0) {
      const [pattern, replacement] = faker.helpers.arrayElement(variants);
      record[column] = value.replace(pattern, replacement);
      return;
    }
  }
  record[column] = typo(value, faker, int);
}

/** A typing error: a character inserted, deleted, replaced by a keyboard neighbour, or two transposed. */
function typo(value: string, faker: Faker, int: (min: number, max: number) => number): string {
  const at = int(0, value.length - 1);
  const neighbour = (c: string) => {
    const keys = NEIGHBOURS[c];
    return keys ? faker.helpers.arrayElement([...keys]) : c;
  };
  switch (faker.helpers.arrayElement(['insert', 'delete', 'substitute', 'transpose'] as const)) {
    case 'insert':
      return value.slice(0, at) + neighbour(value[at]!) + value.slice(at);
    case 'delete':
      return value.length > 1 ? value.slice(0, at) + value.slice(at + 1) : value;
    case 'substitute':
      return value.slice(0, at) + neighbour(value[at]!) + value.slice(at + 1);
    case 'transpose':
      return at + 1 < value.length
        ? value.slice(0, at) + value[at + 1] + value[at] + value.slice(at + 2)
        : value;
  }
}
