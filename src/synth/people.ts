import { unitFor } from './address-render';
import { isoOf } from './days';
import { GIVEN_NAMES, SURNAMES, type SurnamePool } from './names';
import { dropAccents, mangleAccents, reshapeGivenNames, shiftYear, swapDayMonth, typo } from './noise';
import type { AddressBook, Building } from './places';
import type { Random } from './rng';
import type { JsonLinesWriter } from './writers';

/** The people in a child's case, and how each agency writes the child's identity. */
export interface Sponsor {
  /** How many release forms have named this sponsor so far. */
  forms: number;
  id: string;
  name: string;
  relationship: string;
  category: 1 | 2 | 3;
  phone: string;
  building: Building;
  unit?: string;
  surname: string;
}

const RELATIONSHIPS: Record<1 | 2 | 3, readonly string[]> = {
  1: ['Mother', 'Father', 'Mother', 'Father', 'Legal guardian'],
  2: ['Sibling', 'Aunt', 'Uncle', 'Grandmother', 'Grandfather', 'Sibling'],
  3: ['Cousin', 'Family friend', 'Unrelated adult', 'Distant relative'],
};

export function pickSurnames(pools: readonly SurnamePool[], highlands: boolean, random: Random): string[] {
  if (pools[0] === 'india') return [random.pick(SURNAMES.india)];
  const pool = (name: SurnamePool) => SURNAMES[name];
  const first =
    highlands && random.chance(0.7)
      ? random.pick(SURNAMES.guatemala_highlands)
      : random.pick(pool(random.pick(pools)));
  const second =
    highlands && random.chance(0.6)
      ? random.pick(SURNAMES.guatemala_highlands)
      : random.pick(pool(random.pick(pools)));
  return first === second ? [first, random.pick(SURNAMES.common)] : [first, second];
}

interface NameNoise {
  upper: boolean;
  /** Chance that accents survive. */
  accents: number;
  /** Chance that the second surname is written. */
  secondSurname: number;
  typo: number;
}

/** The child's name as one agency wrote it. */
export function agencyName(given: string, surnames: string[], random: Random, noise: NameNoise) {
  let first = random.chance(0.1) ? reshapeGivenNames(given, random) : given;
  let last = surnames.length > 1 && !random.chance(noise.secondSurname) ? surnames[0]! : surnames.join(' ');
  if (surnames.length > 1 && random.chance(0.03)) last = [...surnames].reverse().join(' ');
  if (random.chance(noise.typo)) first = typo(first, random);
  if (random.chance(noise.typo)) last = typo(last, random);
  if (!random.chance(noise.accents)) {
    const mangle = random.chance(0.1);
    first = mangle ? mangleAccents(first, random) : dropAccents(first);
    last = mangle ? mangleAccents(last, random) : dropAccents(last);
  }
  return noise.upper ? { first: first.toUpperCase(), last: last.toUpperCase() } : { first, last };
}

export function noisyDob(dob: string, random: Random, swap: number, year: number): string {
  if (random.chance(swap)) return swapDayMonth(dob);
  if (random.chance(year)) return shiftYear(dob, random);
  return dob;
}

export function phone(random: Random): string {
  return `(${random.int(201, 989)}) ${random.int(200, 999)}-${String(random.int(0, 9999)).padStart(4, '0')}`;
}

export function newSponsor(
  seq: number,
  category: 1 | 2 | 3,
  childSurnames: string[],
  book: AddressBook,
  random: Random,
  hub: boolean,
): Sponsor {
  const surname =
    category === 3
      ? random.pick(SURNAMES.common)
      : childSurnames[random.chance(0.7) ? 0 : childSurnames.length - 1]!;
  const givenPool = random.chance(0.5) ? GIVEN_NAMES.male : GIVEN_NAMES.female;
  const building = hub ? book.building(book.states.draw(random)) : book.building(book.states.draw(random));
  return {
    id: `S${String(seq).padStart(7, '0')}`,
    forms: 0,
    name: `${random.pick(givenPool)} ${surname}`,
    relationship: random.pick(RELATIONSHIPS[category]),
    category,
    phone: phone(random),
    building,
    ...(building.units > 0 ? { unit: unitFor(building, random) } : {}),
    surname,
  };
}

const TIP_TEMPLATES = [
  (name: string, age: number, town: string) =>
    `Caller says a boy or girl named ${name}, about ${age}, is working at a construction site near ${town} instead of going to school.`,
  (name: string, age: number, town: string) =>
    `Neighbor reports ${name} (approx. ${age} years old) left the sponsor's house in ${town} weeks ago.`,
  (name: string, age: number, town: string) =>
    `Teacher in ${town} worried about student ${name}, ${age}, who stopped attending and may be living elsewhere.`,
];

export function writeTip(
  out: JsonLinesWriter,
  tipId: string,
  day: number,
  given: string,
  age: number,
  town: string,
  sponsorPhone: string,
  random: Random,
) {
  const name = dropAccents(given.split(' ')[0]!);
  const approximateAge = Math.max(1, age + random.int(-1, 1));
  out.row({
    tip_id: tipId,
    received_date: isoOf(day),
    channel: random.pick(['hotline', 'email', 'web_form', 'partner_referral']),
    text: random.pick(TIP_TEMPLATES)(name, approximateAge, town),
    name_mentioned: name,
    approximate_age: approximateAge,
    street_or_town: town,
    ...(random.chance(0.4) ? { phone: sponsorPhone.slice(0, 9) } : {}),
  });
}

/** The same person's name as another caseworker typed it: accents lost, a typo, or upper case. */
export function respell(name: string, random: Random): string {
  const choice = random.int(0, 2);
  if (choice === 0 && dropAccents(name) !== name) return dropAccents(name);
  if (choice === 1) return name.toUpperCase();
  return typo(name, random);
}
