import { loadZipPlaces, type ZipPlace } from '../addresses/zip-reference';
import { type Random, Weighted } from './rng';

/** US places for sponsor addresses: real ZIP codes (src/addresses/zip-reference.ts) and invented street addresses in them. */

/**
 * Children released to sponsors by state (calibration.md: DHS OIG from ORR data, FY2019–FY2023, for the top ten;
 * the next five from ORR's FY2015–FY2023 cumulative figures scaled to five years; the rest estimated so that
 * every state and DC receives some and the smallest receive under 100).
 */
export const SPONSOR_STATE_WEIGHTS: Record<string, number> = {
  TX: 63039,
  CA: 46293,
  FL: 43811,
  NY: 33582,
  NJ: 23075,
  MD: 21976,
  VA: 21431,
  GA: 17769,
  NC: 17032,
  TN: 16355,
  LA: 8000,
  MA: 8000,
  AL: 7000,
  IL: 7000,
  PA: 6500,
  SC: 4500,
  OH: 4500,
  IN: 3500,
  MO: 3000,
  KY: 3500,
  CT: 3500,
  WA: 3000,
  CO: 3500,
  MN: 2500,
  AR: 2500,
  OK: 3000,
  AZ: 2500,
  NV: 2500,
  UT: 2000,
  OR: 2000,
  DC: 2000,
  DE: 1500,
  KS: 1500,
  IA: 1500,
  NE: 1500,
  NM: 1000,
  WI: 1500,
  MI: 1500,
  RI: 1200,
  MS: 1500,
  WV: 200,
  ID: 300,
  NH: 300,
  ME: 200,
  VT: 40,
  AK: 40,
  ND: 60,
  WY: 50,
  HI: 60,
  MT: 50,
  SD: 150,
};

/** Within a state, releases concentrate in a few metro counties (calibration.md). */
const METRO_COUNTIES = new Set([
  'CA:Los Angeles',
  'CA:Orange',
  'CA:San Bernardino',
  'CA:Riverside',
  'CA:Alameda',
  'CA:San Francisco',
  'CA:San Mateo',
  'TX:Harris',
  'TX:Dallas',
  'TX:Travis',
  'TX:Bexar',
  'TX:Tarrant',
  'FL:Miami-Dade',
  'FL:Palm Beach',
  'FL:Broward',
  'FL:Hillsborough',
  'FL:Orange',
  'NY:Nassau',
  'NY:Suffolk',
  'NY:Queens',
  'NY:Kings',
  'NY:Bronx',
  'NY:Westchester',
  "MD:Prince George's",
  'MD:Montgomery',
  'VA:Fairfax',
  'VA:Prince William',
  'VA:Arlington',
  'NJ:Union',
  'NJ:Hudson',
  'NJ:Middlesex',
  'NJ:Passaic',
  'GA:Gwinnett',
  'GA:Fulton',
  'GA:Cobb',
  'GA:DeKalb',
  'NC:Mecklenburg',
  'NC:Wake',
  'TN:Davidson',
  'TN:Shelby',
  'LA:Jefferson',
  'LA:Orleans',
  'MA:Suffolk',
  'MA:Middlesex',
  'IL:Cook',
  'PA:Philadelphia',
]);

export const STREET_NAMES = [
  'Main',
  'Oak',
  'Maple',
  'Cedar',
  'Pine',
  'Elm',
  'Washington',
  'Lincoln',
  'Jefferson',
  'Park',
  'Lake',
  'Hill',
  'Church',
  'Mill',
  'Spring',
  'Ridge',
  'Sunset',
  'Highland',
  'Jackson',
  'Franklin',
  'Madison',
  'Willow',
  'Walnut',
  'Chestnut',
  'Magnolia',
  'Dogwood',
  'Holly',
  'Meadow',
  'Forest',
  'River',
  'Valley',
  'Broad',
  'Market',
  'Center',
  'Union',
  'Liberty',
  'Prospect',
  'Fairview',
  'Greenwood',
  'Woodland',
  'Riverside',
  'Lakeview',
  'Hillcrest',
  'Bellaire',
  'Gessner',
  'Westheimer',
  'Bissonnet',
  'Veterans Memorial',
  'Martin Luther King',
  'Cesar Chavez',
  'Las Palmas',
  'San Jacinto',
  'Buena Vista',
  'El Camino',
  'Alameda',
  'Kennedy',
  'Roosevelt',
  'Wilson',
  'Grant',
  'Adams',
  'Monroe',
  'Harrison',
  'Cleveland',
  'Piedmont',
  'Peachtree',
  'Buford',
  'University',
  'College',
  'Colonial',
  'Georgia',
  'Virginia',
  'Florida',
  'Carolina',
  'Jersey',
  'Atlantic',
  'Pacific',
  'Central',
  'Industrial',
  'Airport',
];

/** USPS street suffixes as people write them: the standard abbreviation, the full word, and the odd typo. */
export const STREET_TYPES: readonly (readonly [written: string, weight: number])[] = [
  ['St', 22],
  ['Street', 8],
  ['Ave', 16],
  ['Avenue', 6],
  ['Rd', 10],
  ['Road', 4],
  ['Dr', 10],
  ['Drive', 4],
  ['Blvd', 5],
  ['Boulevard', 1],
  ['Ln', 5],
  ['Lane', 2],
  ['Ct', 4],
  ['Court', 1],
  ['Way', 3],
  ['Pl', 2],
  ['Pkwy', 2],
  ['Cir', 2],
  ['Ter', 1],
  ['Trl', 1],
  ['Hwy', 1],
  ['Stret', 0.3],
  ['Avenu', 0.3],
  ['Av', 0.5],
];

export const DIRECTIONALS = ['N', 'S', 'E', 'W', 'NE', 'NW', 'SE', 'SW'];

export const UNIT_FORMS: readonly (readonly [type: string, weight: number])[] = [
  ['Apt', 50],
  ['Apt.', 8],
  ['#', 15],
  ['Unit', 10],
  ['Apto', 4],
  ['Ste', 1],
  ['Trlr', 3],
  ['Lot', 3],
  ['Fl', 1],
  ['Bsmt', 1],
  ['Rm', 2],
  ['APT', 2],
];

/** A primary address (a building) that several sponsors may share: apartment complexes hold many units. */
export interface Building {
  number: string;
  preDirectional?: string;
  streetName: string;
  streetType: string;
  place: ZipPlace;
  units: number; // 0 = single-family house
}

export class AddressBook {
  private readonly byState = new Map<string, Weighted<ZipPlace>>();
  private readonly buildings = new Map<string, Building[]>();
  readonly states: Weighted<string>;
  private readonly streetTypes = new Weighted(STREET_TYPES);
  readonly unitForms = new Weighted(UNIT_FORMS);

  constructor(private readonly random: Random) {
    const places = loadZipPlaces();
    const grouped = new Map<string, [ZipPlace, number][]>();
    for (const place of places) {
      if (!(place.state in SPONSOR_STATE_WEIGHTS)) continue;
      const weight = METRO_COUNTIES.has(`${place.state}:${place.county}`) ? 12 : 1;
      const list = grouped.get(place.state) ?? [];
      if (list.length === 0) grouped.set(place.state, list);
      list.push([place, weight]);
    }
    for (const [state, list] of grouped) this.byState.set(state, new Weighted(list));
    this.states = new Weighted(Object.entries(SPONSOR_STATE_WEIGHTS).filter(([state]) => grouped.has(state)));
  }

  /** A place in another state than the one given: the source of a ZIP that does not match its city. */
  placeElsewhere(state: string): ZipPlace {
    for (;;) {
      const other = this.states.draw(this.random);
      if (other !== state) return this.byState.get(other)!.draw(this.random);
    }
  }

  /** A building in the state: an existing apartment complex (so units repeat) or a new house or complex. */
  building(state: string, kind: 'any' | 'apartment' = 'any'): Building {
    const pool = this.buildings.get(state) ?? [];
    if (pool.length === 0) this.buildings.set(state, pool);
    if (pool.length > 20 && (kind === 'apartment' || this.random.chance(0.3))) return this.random.pick(pool);
    const random = this.random;
    const apartment = kind === 'apartment' || random.chance(0.4);
    const building: Building = {
      number: String(apartment ? random.int(100, 9999) : random.int(1, 19999)),
      ...(random.chance(0.12) ? { preDirectional: random.pick(DIRECTIONALS) } : {}),
      streetName: random.chance(0.06) ? numberedStreet(random.int(1, 120)) : random.pick(STREET_NAMES),
      streetType: this.streetTypes.draw(random),
      place: this.byState.get(state)!.draw(random),
      units: apartment ? random.int(8, 240) : 0,
    };
    if (apartment) pool.push(building);
    return building;
  }
}

function numberedStreet(n: number): string {
  const lastTwo = n % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
