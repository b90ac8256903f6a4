import {
  DIRECTIONALS,
  PRE_TYPES,
  STATES,
  SUFFIX_FULL_NAMES,
  SUFFIXES,
  UNIT_DESIGNATORS,
  UNIT_WITHOUT_ID,
} from './pub28';
import { join, keyOf, keys, type Token, tokenize } from './tokens';
import { cityWordsEndingWith, isKnownCity, zipPlace } from './zip-reference';

/**
 * Address elements named as in the FGDC United States Thoroughfare, Landmark, and Postal Address Data Standard
 * (FGDC-STD-016-2011). Each holds the text as written, with surrounding punctuation trimmed.
 */
export const ADDRESS_ELEMENTS = [
  'LandmarkName',
  'AddressNumberPrefix',
  'AddressNumber',
  'AddressNumberSuffix',
  'StreetNamePreModifier',
  'StreetNamePreDirectional',
  'StreetNamePreType',
  'StreetName',
  'StreetNamePostType',
  'StreetNamePostDirectional',
  'SubaddressType',
  'SubaddressIdentifier',
  'USPSBoxGroupType',
  'USPSBoxGroupID',
  'USPSBoxType',
  'USPSBoxID',
  'USPSGeneralDeliveryPoint',
  'PlaceName',
  'StateName',
  'ZipCode',
  'ZipPlus4',
] as const;
export type AddressElement = (typeof ADDRESS_ELEMENTS)[number];
export type AddressComponents = Partial<Record<AddressElement, string>>;

/**
 * Every element is present from the start, in FGDC order, so all results share one object shape (V8 keeps
 * property access fast); an element the text does not hold is undefined, and JSON leaves it out.
 */
/** The elements a parse found, in FGDC order, without the undefined ones. */
export function presentElements(c: AddressComponents): [AddressElement, string][] {
  return ADDRESS_ELEMENTS.flatMap((element) => (c[element] === undefined ? [] : [[element, c[element]!]]));
}

function newParts(): AddressComponents {
  return {
    LandmarkName: undefined,
    AddressNumberPrefix: undefined,
    AddressNumber: undefined,
    AddressNumberSuffix: undefined,
    StreetNamePreModifier: undefined,
    StreetNamePreDirectional: undefined,
    StreetNamePreType: undefined,
    StreetName: undefined,
    StreetNamePostType: undefined,
    StreetNamePostDirectional: undefined,
    SubaddressType: undefined,
    SubaddressIdentifier: undefined,
    USPSBoxGroupType: undefined,
    USPSBoxGroupID: undefined,
    USPSBoxType: undefined,
    USPSBoxID: undefined,
    USPSGeneralDeliveryPoint: undefined,
    PlaceName: undefined,
    StateName: undefined,
    ZipCode: undefined,
    ZipPlus4: undefined,
  };
}

const ZIP = /^(\d{5})(?:-?(\d{4}))?$/;
const COUNTRY = new Set([
  'USA',
  'US',
  'UNITED STATES',
  'UNITED STATES OF AMERICA',
  'EEUU',
  'EE UU',
  'ESTADOS UNIDOS',
]);
const COUNTRY_LAST_WORDS = new Set([...COUNTRY].map((name) => name.slice(name.lastIndexOf(' ') + 1)));

/**
 * Parses a free-text U.S. address into its elements. Never throws: what it cannot place, it leaves out
 * (undefined). Use `presentElements` for just the elements found.
 */
export function parseAddress(input: string): AddressComponents {
  const tokens = tokenize(input);
  const out = newParts();
  let end = tokens.length;

  if (COUNTRY_LAST_WORDS.has(tokens[end - 1]?.key ?? '')) {
    for (let k = Math.min(4, end); k >= 1; k--) {
      if (COUNTRY.has(keys(tokens, end - k, end))) {
        end -= k;
        break;
      }
    }
  }
  end = takeZip(tokens, end, out);
  end = takeState(tokens, end, out);
  // Place names are looked up in the state named, else in the ZIP's state; with neither, by position only.
  const state = out.StateName
    ? STATES.standard.get(keyOf(out.StateName))
    : out.ZipCode
      ? zipPlace(out.ZipCode.padStart(5, '0'))?.state
      : undefined;
  const cityStart = findCityStart(tokens, end, state);
  if (cityStart < end) out.PlaceName = join(tokens, cityStart, end);
  parseDeliveryLine(tokens, landmarkEnd(tokens, cityStart, out), cityStart, out);
  return out;
}

/** A name before the street ("Casa Esperanza, 400 Oak St"): a landmark, kept apart from the delivery line. */
function landmarkEnd(tokens: Token[], to: number, out: AddressComponents): number {
  if (to === 0 || startsLikeStreet(tokens, 0, to)) return 0;
  for (let i = 0; i < to - 1; i++) {
    if (!tokens[i]!.comma) continue;
    if (!startsLikeStreet(tokens, i + 1, to)) return 0;
    out.LandmarkName = join(tokens, 0, i + 1);
    return i + 1;
  }
  return 0;
}

function takeZip(tokens: Token[], end: number, out: AddressComponents): number {
  const last = tokens[end - 1];
  if (!last) return end;
  const zip = ZIP.exec(last.key);
  const previous = tokens[end - 2];
  // "12345 6789": a ZIP+4 written with a space.
  if (!zip && /^\d{4}$/.test(last.key) && previous && /^\d{5}$/.test(previous.key) && end >= 3) {
    out.ZipCode = previous.text;
    out.ZipPlus4 = last.text;
    return end - 2;
  }
  // A ZIP that lost its leading zero in a spreadsheet ("NJ 7501") follows a state.
  const shortened = !zip && /^\d{4}$/.test(last.key) && previous && STATES.standard.has(previous.key);
  if (shortened) {
    out.ZipCode = last.text;
    return end - 1;
  }
  if (!zip || (end < 2 && zip[1]!.length + (zip[2]?.length ?? 0) !== last.key.replace('-', '').length))
    return end;
  out.ZipCode = zip[1]!;
  if (zip[2]) out.ZipPlus4 = zip[2];
  return end - 1;
}

/** Two-letter codes that are also street suffixes or unit designators: "123 Oak Ct" has no state in it. */
const AMBIGUOUS_STATE_CODES = new Set(['CT', 'FL', 'MT', 'PR', 'IN', 'ME', 'OR', 'DE']);

/** For the last word of every state's name or code, the most words such a name has ("CAROLINA" → 2). */
const STATE_LAST_WORDS = new Map<string, number>();
for (const name of STATES.standard.keys()) {
  const words = name.split(' ');
  const last = words[words.length - 1]!;
  STATE_LAST_WORDS.set(last, Math.max(STATE_LAST_WORDS.get(last) ?? 0, words.length));
}

function takeState(tokens: Token[], end: number, out: AddressComponents): number {
  const longest = STATE_LAST_WORDS.get(tokens[end - 1]?.key ?? '') ?? 0;
  for (let k = Math.min(longest, end - 1); k >= 1; k--) {
    const key = keys(tokens, end - k, end);
    if (!STATES.standard.has(key)) continue;
    if (k === 1 && AMBIGUOUS_STATE_CODES.has(key) && !out.ZipCode) {
      // Accept only when the street has visibly ended before it: a comma, suffix or unit earlier in the line.
      const streetEnded = tokens
        .slice(0, end - 1)
        .some((t, i) => t.comma || (i > 0 && (SUFFIXES.standard.has(t.key) || isUnitDesignator(t.key))));
      if (!streetEnded) continue;
    }
    out.StateName = join(tokens, end - k, end);
    return end - k;
  }
  return end;
}

const isUnitDesignator = (key: string) => key === '#' || UNIT_DESIGNATORS.standard.has(key);
const looksLikeUnitId = (key: string) => (/\d/.test(key) && key.length <= 8) || /^[A-Z]$/.test(key);

/** Does the segment tokens[at, end) begin a delivery line (number, unit, box) rather than a place name? */
function startsLikeStreet(tokens: Token[], at: number, end: number): boolean {
  const key = tokens[at]!.key;
  if (/^\d/.test(key) || key === '#') return true;
  const next = tokens[at + 1]?.key;
  if (isUnitDesignator(key))
    return at + 1 === end || (next !== undefined && (next === '#' || looksLikeUnitId(next)));
  if (isGeneralDelivery(tokens, at)) return true;
  const phrase = matchPhrase(tokens, at, end, PO_BOX_FORMS) || matchPhrase(tokens, at, end, ROUTE_FORMS);
  return phrase > 0 && /\d/.test(tokens[at + phrase]?.key ?? '');
}
const BOX_WORDS = new Set([
  'PO',
  'POB',
  'POBOX',
  'P',
  'BOX',
  'POST',
  'RR',
  'HC',
  'HCR',
  'GENERAL',
  'GEN',
  'APARTADO',
  'RURAL',
]);
const isGeneralDelivery = (tokens: Token[], at: number) =>
  (tokens[at]?.key === 'GENERAL' || tokens[at]?.key === 'GEN') && tokens[at + 1]?.key === 'DELIVERY';

/** Where the place name begins: after the last comma if what follows it is a place, else by known city names. */
function findCityStart(tokens: Token[], end: number, state: string | undefined): number {
  if (end === 0) return 0;
  let segmentStart = 0;
  for (let i = end - 2; i >= 0; i--) {
    if (tokens[i]!.comma) {
      segmentStart = i + 1;
      break;
    }
  }
  if (tokens[end - 1]!.comma && segmentStart === end) segmentStart = end; // "..., City," handled above
  const street = startsLikeStreet(tokens, segmentStart, end);
  if (segmentStart > 0 && !street) return segmentStart;
  // The place shares a segment with the street (or stands alone): the longest run of trailing words that
  // names a known city.
  const longest = state ? cityWordsEndingWith(tokens[end - 1]!.key) : 0;
  if (longest > 0) {
    for (let k = Math.min(longest, end - segmentStart - (street ? 1 : 0)); k >= 1; k--) {
      if (isKnownCity(keys(tokens, end - k, end), state)) return end - k;
    }
  }
  // Otherwise the street ends at its suffix, directional or unit; what follows is the place.
  const streetEnd = deliveryLineEnd(tokens, segmentStart, end);
  return segmentStart > 0 && streetEnd === segmentStart ? end : streetEnd;
}

/**
 * The index just past the street part of tokens[from, to): after a pre-type and its name ("Highway 50"), or
 * at the last suffix, and what may follow either (a directional, a unit). A place name is never all digits.
 */
function deliveryLineEnd(tokens: Token[], from: number, to: number): number {
  const end = streetPartEnd(tokens, from, to);
  for (let i = end; i < to; i++) if (!/^\d+$/.test(tokens[i]!.key)) return end;
  return to;
}

function streetPartEnd(tokens: Token[], from: number, to: number): number {
  let at = from;
  if (/^\d/.test(tokens[at]?.key ?? '')) at++;
  at = nameStart(tokens, at, to);
  const preType = preTypeAt(tokens, at, to);
  if (preType > 0) return afterStreetName(tokens, at + preType + 1, to);
  let i = to - 1;
  for (; i > from + 1; i--)
    if (SUFFIXES.standard.has(tokens[i]!.key) || isUnitDesignator(tokens[i]!.key)) break;
  if (i <= from + 1) return to; // no suffix found: all of it is street
  let next = i + 1;
  if (isUnitDesignator(tokens[i]!.key)) {
    if (tokens[next] && tokens[next]!.key === '#') next++;
    if (tokens[next] && looksLikeUnitId(tokens[next]!.key)) next++;
    return next;
  }
  return afterStreetName(tokens, next, to);
}

/** Past an optional post-directional and unit ("NW Apt 4", "4B") that follow a street name ending at `next`. */
function afterStreetName(tokens: Token[], next: number, to: number): number {
  if (tokens[next] && DIRECTIONALS.standard.has(tokens[next]!.key) && next < to - 1) next++;
  if (tokens[next] && isUnitDesignator(tokens[next]!.key)) {
    next++;
    if (tokens[next] && tokens[next]!.key === '#') next++;
    if (tokens[next] && looksLikeUnitId(tokens[next]!.key)) next++;
  } else if (tokens[next] && /\d/.test(tokens[next]!.key) && next < to - 1) next++; // "Main St 4B Springfield"
  return Math.min(next, to);
}

/** Skips a pre-modifier ("Old Highway 50") and a pre-directional: where the street's type or name begins. */
function nameStart(tokens: Token[], at: number, to: number): number {
  if (tokens[at]?.key === 'OLD' && preTypeAt(tokens, at + 1, to) > 0) at++;
  if (DIRECTIONALS.standard.has(tokens[at]?.key ?? '') && at + 1 < to) at++;
  return at;
}

const PO_BOX_FORMS = [
  ['POST', 'OFFICE', 'BOX'],
  ['P', 'O', 'BOX'],
  ['PO', 'BOX'],
  ['POB'],
  ['POBOX'],
  ['APARTADO', 'POSTAL'],
  ['APARTADO'],
  ['BOX'],
  ['PO'],
];
const ROUTE_FORMS = [
  ['RURAL', 'ROUTE'],
  ['RURAL', 'RTE'],
  ['RR'],
  ['HC'],
  ['HCR'],
  ['HIGHWAY', 'CONTRACT'],
  ['STAR', 'ROUTE'],
];

const PHRASE_FIRST_WORDS = new Set([...PO_BOX_FORMS, ...ROUTE_FORMS].map((form) => form[0]!));

function matchPhrase(tokens: Token[], at: number, to: number, forms: readonly (readonly string[])[]): number {
  if (!PHRASE_FIRST_WORDS.has(tokens[at]?.key ?? '')) return 0;
  for (const form of forms) {
    if (at + form.length > to) continue;
    if (form.every((word, j) => tokens[at + j]!.key === word)) return form.length;
  }
  return 0;
}

function parseDeliveryLine(tokens: Token[], from: number, to: number, out: AddressComponents): void {
  if (from >= to) return;
  if (isGeneralDelivery(tokens, from)) {
    out.USPSGeneralDeliveryPoint = join(tokens, from, from + 2);
    return;
  }
  // Rural route and highway contract boxes: "RR 2 Box 152".
  const route = matchPhrase(tokens, from, to, ROUTE_FORMS);
  if (route > 0 && from + route < to && /\d/.test(tokens[from + route]!.key)) {
    out.USPSBoxGroupType = join(tokens, from, from + route);
    out.USPSBoxGroupID = tokens[from + route]!.text;
    takeBox(tokens, from + route + 1, to, out);
    return;
  }
  // PO boxes, wherever they sit in the line.
  for (let i = from; i < to; i++) {
    if (!BOX_WORDS.has(tokens[i]!.key) && tokens[i]!.key !== 'APARTADO') continue;
    const box = matchPhrase(tokens, i, to, PO_BOX_FORMS);
    if (box > 0 && i + box < to && /\d/.test(tokens[i + box]!.key)) {
      takeBox(tokens, i, to, out);
      to = i;
      break;
    }
  }
  if (from >= to) return;

  let at = from;
  if (isUnitDesignator(tokens[at]!.key) && unitAt(tokens, at, to, newParts()) === to) {
    unitAt(tokens, at, to, out); // a unit and nothing else: "Apt 3, Manassas, VA"
    return;
  }
  // A unit written first: "Apt 4B 123 Main St".
  if (isUnitDesignator(tokens[at]!.key) && at + 2 < to) {
    const after = unitAt(tokens, at, to, out);
    if (after > at && /^\d/.test(tokens[after]?.key ?? '')) at = after;
    else {
      out.SubaddressType = undefined;
      out.SubaddressIdentifier = undefined;
    }
  }
  at = takeAddressNumber(tokens, at, to, out);

  // The unit: the first designator after the street name has begun, or a bare "4B" after the suffix.
  let streetEnd = to;
  for (let i = at + 1; i < to; i++) {
    if (!isUnitDesignator(tokens[i]!.key)) continue;
    const designator = UNIT_DESIGNATORS.standard.get(tokens[i]!.key);
    if (designator === 'FL' && ORDINAL.test(tokens[i - 1]!.key) && i - 1 > at) {
      // "3rd Floor": the identifier comes first.
      out.SubaddressIdentifier = tokens[i - 1]!.text;
      out.SubaddressType = tokens[i]!.text;
      streetEnd = i - 1;
      break;
    }
    const next = tokens[i + 1]?.key;
    const hasId = next !== undefined && (next === '#' || looksLikeUnitId(next));
    // "Rear", "Front", "Upper" without a number count only at the end: "W Front St" is a street.
    if (!hasId && (!UNIT_WITHOUT_ID.has(designator ?? '') || i + 1 < to)) continue;
    unitAt(tokens, i, to, out);
    streetEnd = i;
    break;
  }
  if (streetEnd === to && to - at >= 3 && preTypeAt(tokens, nameStart(tokens, at, to), to) === 0) {
    const last = tokens[to - 1]!;
    const before = tokens[to - 2]!.key;
    const bareUnit = looksLikeUnitId(last.key) && !DIRECTIONALS.standard.has(last.key);
    if (bareUnit && (SUFFIXES.standard.has(before) || DIRECTIONALS.standard.has(before))) {
      out.SubaddressIdentifier = last.text;
      streetEnd = to - 1;
    }
  }
  // Spanish-style lines put the number last: "Calle Ocho 1234".
  if (!out.AddressNumber && streetEnd - at >= 3 && /^\d+$/.test(tokens[streetEnd - 1]!.key)) {
    out.AddressNumber = tokens[streetEnd - 1]!.text;
    streetEnd--;
  }
  parseStreetName(tokens, at, streetEnd, out);
}

function takeBox(tokens: Token[], at: number, to: number, out: AddressComponents): void {
  const box = matchPhrase(tokens, at, to, PO_BOX_FORMS);
  if (box === 0 || at + box >= to) return;
  out.USPSBoxType = join(tokens, at, at + box);
  out.USPSBoxID = tokens[at + box]!.text;
}

/** Reads "Apt 4B", "Apt # 4B", "#4B", "Bsmt" at tokens[at]; returns the index after it. */
function unitAt(tokens: Token[], at: number, to: number, out: AddressComponents): number {
  out.SubaddressType = tokens[at]!.text;
  let next = at + 1;
  if (tokens[at]!.key !== '#' && tokens[next]?.key === '#') next++;
  if (next < to && looksLikeUnitId(tokens[next]!.key)) {
    out.SubaddressIdentifier = tokens[next]!.text;
    next++;
  }
  return next;
}

function takeAddressNumber(tokens: Token[], at: number, to: number, out: AddressComponents): number {
  const token = tokens[at];
  if (!token || at + 1 >= to) return at;
  const key = token.key;
  const lettered = /^(\d+)-?([A-Z])$/.exec(key);
  const grid = /^([NSEW]\d+[NSEW])(\d+)$/.exec(key);
  if (/^\d+(-\d+)?$/.test(key)) out.AddressNumber = token.text;
  else if (lettered) {
    out.AddressNumber = token.text.slice(0, lettered[1]!.length);
    out.AddressNumberSuffix = token.text.slice(token.text.length - 1);
  } else if (grid) {
    // Grid addresses (Wisconsin, Utah): "N6W23001" has the prefix "N6W".
    out.AddressNumberPrefix = token.text.slice(0, grid[1]!.length);
    out.AddressNumber = token.text.slice(grid[1]!.length);
  } else return at;
  at++;
  if (/^\d\/\d+$/.test(tokens[at]?.key ?? '') && at + 1 < to) {
    out.AddressNumberSuffix = tokens[at]!.text;
    at++;
  }
  return at;
}

const ORDINAL = /^\d+(ST|ND|RD|TH)$/;
/** Spanish particles: "Calle del Norte" ends in a name, not a directional. */
const PARTICLES = new Set(['DE', 'DEL', 'LA', 'EL', 'LOS', 'LAS']);
const HIGHWAY_LIKE = new Set(['AVENUE', 'AVENIDA', 'CALLE', 'CAMINO', 'PASEO', 'CARRETERA']);

function parseStreetName(tokens: Token[], from: number, to: number, out: AddressComponents): void {
  if (from >= to) return;
  let start = from;
  let end = to;
  if (tokens[start]!.key === 'OLD' && preTypeAt(tokens, start + 1, end) > 0) {
    out.StreetNamePreModifier = tokens[start]!.text;
    start++;
  }
  if (
    end - start >= 2 &&
    DIRECTIONALS.standard.has(tokens[start]!.key) &&
    hasNameAfter(tokens, start + 1, end)
  ) {
    out.StreetNamePreDirectional = tokens[start]!.text;
    start++;
  }
  const preType = preTypeAt(tokens, start, end);
  if (preType > 0) {
    out.StreetNamePreType = join(tokens, start, start + preType);
    start += preType;
  }
  if (
    end - start >= 2 &&
    DIRECTIONALS.standard.has(tokens[end - 1]!.key) &&
    !PARTICLES.has(tokens[end - 2]!.key)
  ) {
    const withoutType = preType > 0 ? end - 1 : suffixAt(tokens, end - 2, start) ? end - 2 : end - 1;
    if (withoutType > start) {
      out.StreetNamePostDirectional = tokens[end - 1]!.text;
      end--;
    }
  }
  if (preType === 0 && end - start >= 2 && suffixAt(tokens, end - 1, start)) {
    out.StreetNamePostType = tokens[end - 1]!.text;
    end--;
  }
  if (end > start) out.StreetName = join(tokens, start, end);
}

/** True when tokens[from, to) hold a street name besides an optional suffix and directional. */
function hasNameAfter(tokens: Token[], from: number, to: number): boolean {
  let end = to;
  if (end - from >= 2 && DIRECTIONALS.standard.has(tokens[end - 1]!.key)) end--;
  if (end - from >= 2 && suffixAt(tokens, end - 1, from)) end--;
  if (preTypeAt(tokens, from, to) > 0) return true;
  return end > from && !(end - from === 1 && SUFFIXES.standard.has(tokens[from]!.key) && end === to);
}

/** Pre-types by their first word, longest first, so a lookup costs one map probe for most words. */
const PRE_TYPES_BY_FIRST_WORD = new Map<string, string[][]>();
for (const [written] of PRE_TYPES) {
  const words = written.split(' ');
  const list = PRE_TYPES_BY_FIRST_WORD.get(words[0]!) ?? [];
  if (list.length === 0) PRE_TYPES_BY_FIRST_WORD.set(words[0]!, list);
  list.push(words);
}

function preTypeAt(tokens: Token[], at: number, to: number): number {
  const candidates = at < to ? PRE_TYPES_BY_FIRST_WORD.get(tokens[at]!.key) : undefined;
  if (!candidates) return 0;
  for (const words of candidates) {
    if (at + words.length >= to) continue;
    if (!words.every((word, j) => tokens[at + j]!.key === word)) continue;
    const next = tokens[at + words.length]!.key;
    if (words[0] === 'AVENUE' || words[0] === 'AVE') {
      // "Avenue C", "Ave Ponce de Leon", "Avenue of the Americas" — not "Avenue Rd" or "Ave Maria Blvd".
      if (next === 'OF' || !SUFFIXES.standard.has(tokens[to - 1]!.key)) return words.length;
      continue;
    }
    if (HIGHWAY_LIKE.has(words[0]!)) return words.length;
    if (/\d/.test(next) || /^[A-Z]$/.test(next)) return words.length; // "Highway 50", "County Road A"
  }
  return 0;
}

/** Is tokens[at] a street suffix (exactly, or misspelt by one edit), with a name before it? */
function suffixAt(tokens: Token[], at: number, nameStart: number): boolean {
  if (at <= nameStart) return false;
  const key = tokens[at]!.key;
  return SUFFIXES.standard.has(key) || correctedSuffix(key) !== undefined;
}

/** The suffix a misspelt word was meant to be ("STRET" → "ST"), if it is one edit from a full suffix name. */
export function correctedSuffix(key: string): string | undefined {
  const exact = SUFFIXES.standard.get(key);
  if (exact) return exact;
  if (key.length < 4 || !/^[A-Z]+$/.test(key)) return undefined;
  for (const name of SUFFIX_FULL_NAMES) {
    if (Math.abs(name.length - key.length) > 1 || !withinOneEdit(key, name)) continue;
    // Four-letter names ("ROAD") are too close to ordinary words; only a swap of neighbours counts there.
    if (name.length >= 5 || (key.length === 4 && isTransposition(key, name)))
      return SUFFIXES.standard.get(name);
  }
  return undefined;
}

function isTransposition(a: string, b: string): boolean {
  const i = [...a].findIndex((ch, j) => ch !== b[j]);
  return i >= 0 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** One insertion, deletion, substitution or transposition of neighbours apart (Damerau). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
