import type { ZipPlace } from '../addresses/zip-reference';
import type { AddressBook, Building } from './places';
import type { Random } from './rng';

export const ADDRESS_DEFECTS = ['none', 'missing', 'missing_unit', 'undeliverable', 'zip_mismatch'] as const;
export type AddressDefect = (typeof ADDRESS_DEFECTS)[number];

/** FGDC United States Thoroughfare, Landmark, and Postal Address Data Standard element names, as written. */
export const ADDRESS_COMPONENTS = [
  'AddressNumber',
  'StreetNamePreDirectional',
  'StreetName',
  'StreetNamePostType',
  'StreetNamePostDirectional',
  'SubaddressType',
  'SubaddressIdentifier',
  'USPSBoxType',
  'USPSBoxID',
  'PlaceName',
  'StateName',
  'ZipCode',
  'ZipPlus4',
] as const;
export type AddressComponents = Partial<Record<(typeof ADDRESS_COMPONENTS)[number], string>>;

export interface RenderedAddress {
  raw: string;
  /** The street line as written, unit included: what a mail-return feed carries as its address line. */
  line1: string;
  components: AddressComponents;
  split: { street?: string; apt?: string; city?: string; state?: string; zip?: string };
  place: ZipPlace;
  unit?: string;
}

const PLACEHOLDERS = ['', '', 'UNKNOWN', 'N/A', 'same as child', 'Desconocido', 'no address', 'pending'];

/**
 * Writes a sponsor address the way it was typed on a release form: free text in one of several styles, and
 * split fields that usually, not always, agree. `components` records each element exactly as written.
 */
export function renderAddress(
  building: Building,
  unitId: string | undefined,
  defect: AddressDefect,
  book: AddressBook,
  random: Random,
): RenderedAddress {
  const place = building.place;
  if (defect === 'missing') {
    const raw = random.pick(PLACEHOLDERS);
    return {
      raw,
      line1: raw,
      components: {},
      split: random.chance(0.3) ? { city: place.city, state: place.state } : {},
      place,
    };
  }
  const zipPlace = defect === 'zip_mismatch' ? book.placeElsewhere(place.state) : place;
  const c: AddressComponents = {};
  const dropNumber = defect === 'undeliverable' && random.chance(0.6);
  const dropZip = defect === 'undeliverable' && !dropNumber;
  if (!dropNumber) c.AddressNumber = building.number;
  if (building.preDirectional) c.StreetNamePreDirectional = building.preDirectional;
  c.StreetName = building.streetName;
  c.StreetNamePostType = building.streetType;
  const unit = defect === 'missing_unit' ? undefined : unitId;
  const unitType = unit ? book.unitForms.draw(random) : undefined;
  if (unit && unitType) {
    c.SubaddressType = unitType;
    c.SubaddressIdentifier = unit;
  }
  c.PlaceName = place.city;
  const fullState = random.chance(0.1);
  c.StateName = fullState ? place.stateName : place.state;
  if (!dropZip) {
    c.ZipCode = zipPlace.zip;
    if (random.chance(0.08)) c.ZipPlus4 = String(random.int(1000, 9999));
  }

  const style = random.next();
  const casing = style < 0.1 ? 'upper' : style < 0.15 ? 'lower' : 'as_is';
  if (casing !== 'as_is') {
    for (const key of Object.keys(c) as (keyof AddressComponents)[]) {
      c[key] = casing === 'upper' ? c[key]!.toUpperCase() : c[key]!.toLowerCase();
    }
  }
  const commas = random.chance(0.8);
  const street = [c.AddressNumber, c.StreetNamePreDirectional, c.StreetName, c.StreetNamePostType]
    .filter(Boolean)
    .join(' ');
  const unitText = c.SubaddressType
    ? c.SubaddressType === '#'
      ? `#${c.SubaddressIdentifier}`
      : `${c.SubaddressType} ${c.SubaddressIdentifier}`
    : '';
  const zipText = c.ZipCode ? (c.ZipPlus4 ? `${c.ZipCode}-${c.ZipPlus4}` : c.ZipCode) : '';
  const line1 = unitText ? `${street} ${unitText}` : street;
  const lastLine = [c.PlaceName, [c.StateName, zipText].filter(Boolean).join(' ')].join(commas ? ', ' : ' ');
  const raw = `${line1}${commas ? ', ' : ' '}${lastLine}`.trim();

  const split: RenderedAddress['split'] = {
    street: [building.number, building.preDirectional, building.streetName, building.streetType]
      .filter(Boolean)
      .join(' '),
    ...(unitId && random.chance(0.95) ? { apt: unitId } : {}),
    city: place.city,
    state: place.state,
    zip: zipPlace.zip,
  };
  if (defect === 'undeliverable' && dropNumber) split.street = split.street!.replace(/^\d+\s/, '');
  if (random.chance(0.03)) split.zip = place.zip.slice(0, 4) + String((Number(place.zip[4]) + 1) % 10); // the fields disagree
  return { raw, line1, components: c, split, place, ...(unit ? { unit } : {}) };
}

export function unitFor(building: Building, random: Random): string | undefined {
  if (building.units === 0) return undefined;
  const floor = random.int(1, Math.max(1, Math.ceil(building.units / 12)));
  return random.chance(0.5)
    ? `${floor}${String.fromCharCode(65 + random.int(0, 7))}`
    : String(floor * 100 + random.int(1, 12));
}
