import type { AddressComponents } from './parse';
import { correctedSuffix } from './parse';
import { DIRECTIONALS, ORDINAL_WORDS, PRE_TYPES, STATES, UNIT_DESIGNATORS } from './pub28';

export interface StandardAddress {
  /** USPS Publication 28 delivery address line: "123 N MAIN ST APT 4B". */
  delivery_line: string;
  /** "SPRINGFIELD IL 62701-1234". */
  last_line: string;
}

const PRE_TYPE_STANDARD = new Map(PRE_TYPES);

/** Letters, digits, '/', '#', '-' and single spaces: nothing to strip or fold but the case. */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const plain =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 47 && c <= 57) ||
      c === 35 ||
      c === 45 ||
      c === 32;
    if (!plain) return false;
  }
  return true;
}

function upper(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (isPlain(text)) return text.toUpperCase();
  return text
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[.,]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function lookup(table: Map<string, string>, text: string | undefined): string | undefined {
  const key = upper(text);
  return key === undefined ? undefined : (table.get(key) ?? key);
}

/** The USPS Publication 28 form of parsed components: upper case, standard abbreviations, no punctuation. */
export function standardize(c: AddressComponents): StandardAddress {
  const parts: (string | undefined)[] = [];
  if (c.USPSGeneralDeliveryPoint) parts.push('GENERAL DELIVERY');
  if (c.USPSBoxGroupType) {
    const group = upper(c.USPSBoxGroupType)!;
    parts.push(group.startsWith('H') ? 'HC' : 'RR', upper(c.USPSBoxGroupID));
  }
  if (c.AddressNumber !== undefined) {
    const suffix = upper(c.AddressNumberSuffix);
    const number = `${upper(c.AddressNumberPrefix) ?? ''}${upper(c.AddressNumber)}`;
    parts.push(
      suffix === undefined ? number : suffix.includes('/') ? `${number} ${suffix}` : `${number}${suffix}`,
    );
  }
  parts.push(
    upper(c.StreetNamePreModifier),
    lookup(DIRECTIONALS.standard, c.StreetNamePreDirectional),
    lookup(PRE_TYPE_STANDARD, c.StreetNamePreType),
    streetName(c.StreetName),
    c.StreetNamePostType === undefined
      ? undefined
      : (correctedSuffix(upper(c.StreetNamePostType)!) ?? upper(c.StreetNamePostType)),
    lookup(DIRECTIONALS.standard, c.StreetNamePostDirectional),
  );
  if (c.SubaddressType !== undefined || c.SubaddressIdentifier !== undefined) {
    // Pub. 28: "#" stands in when the designator is unknown, separated from the number by a space.
    parts.push(lookup(UNIT_DESIGNATORS.standard, c.SubaddressType) ?? '#', upper(c.SubaddressIdentifier));
  }
  if (c.USPSBoxID !== undefined) parts.push(c.USPSBoxGroupType ? 'BOX' : 'PO BOX', upper(c.USPSBoxID));

  const zip = c.ZipCode ? (c.ZipPlus4 ? `${zip5(c.ZipCode)}-${c.ZipPlus4}` : zip5(c.ZipCode)) : undefined;
  const last = [upper(c.PlaceName), lookup(STATES.standard, c.StateName), zip];
  return { delivery_line: joinParts(parts), last_line: joinParts(last) };
}

/** Five digits: a ZIP that lost its leading zero in a spreadsheet ("7501") gets it back. */
export const zip5 = (zip: string) => zip.padStart(5, '0');

function streetName(name: string | undefined): string | undefined {
  const key = upper(name);
  if (key === undefined) return undefined;
  if (!/[A-Z]TH\b|FIRST|SECOND|THIRD/.test(key)) return key;
  return key
    .split(' ')
    .map((word) => ORDINAL_WORDS.get(word) ?? word)
    .join(' ');
}

function joinParts(parts: (string | undefined)[]): string {
  let line = '';
  for (const part of parts) if (part) line = line ? `${line} ${part}` : part;
  return line;
}
