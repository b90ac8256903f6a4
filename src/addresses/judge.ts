import { type AddressComponents, parseAddress } from './parse';
import { STATES } from './pub28';
import reference from './reference/non-residential.json' with { type: 'json' };
import { type StandardAddress, standardize, zip5 } from './standardize';
import { cityZipPrefixes, zipPlace } from './zip-reference';

/** Verdicts from the most serious to the least: an address gets the first that any of its reasons calls for. */
export const VERDICTS = [
  'missing',
  'incomplete',
  'zip_mismatch',
  'po_box',
  'general_delivery',
  'non_residential',
  'returned_mail',
  'missing_unit',
  'shared_by_many',
  'deliverable_likely',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Verdicts that mean a notice or a visit will probably not reach the child (the Inspector General's figure). */
export const DEFECTIVE_VERDICTS: readonly Verdict[] = VERDICTS.filter(
  (verdict) => verdict !== 'shared_by_many' && verdict !== 'deliverable_likely',
);

/** The defective verdicts as an SQL list, for conditions on stored verdicts: `verdict in ${...}`. */
export const DEFECTIVE_VERDICTS_SQL = `(${DEFECTIVE_VERDICTS.map((verdict) => `'${verdict}'`).join(', ')})`;

/** Each reason, machine-readable, and the verdict it calls for (docs/addresses.md explains each). */
export const REASONS = {
  blank: 'missing',
  placeholder: 'missing',
  no_address_number: 'incomplete',
  no_street_name: 'incomplete',
  no_city: 'incomplete',
  no_state: 'incomplete',
  no_zip: 'incomplete',
  zip_unknown: 'zip_mismatch',
  zip_in_other_state: 'zip_mismatch',
  zip_far_from_city: 'zip_mismatch',
  po_box: 'po_box',
  general_delivery: 'general_delivery',
  non_residential: 'non_residential',
  mail_returned: 'returned_mail',
  apartment_complex_without_unit: 'missing_unit',
  units_at_same_address: 'missing_unit',
  shared_by_many: 'shared_by_many',
} as const satisfies Record<string, Verdict>;
export type ReasonCode = keyof typeof REASONS;

export interface Reason {
  code: ReasonCode;
  detail?: string;
}

export interface AddressJudgement {
  components: AddressComponents;
  standardized: StandardAddress;
  verdict: Verdict;
  reasons: Reason[];
}

const PLACEHOLDERS = new Set([
  'UNKNOWN',
  'UNK',
  'NA',
  'N A',
  'NONE',
  'NULL',
  'NIL',
  'TBD',
  'PENDING',
  'SAME',
  'SAME AS CHILD',
  'SAME AS MINOR',
  'SAME AS ABOVE',
  'SAME AS SPONSOR',
  'NO ADDRESS',
  'NO FIXED ADDRESS',
  'HOMELESS',
  'DESCONOCIDO',
  'DESCONOCIDA',
  'NO TIENE',
  'NINGUNA',
  'SIN DIRECCION',
  'LA MISMA',
  'X',
  'XX',
  'XXX',
  '0',
]);

const COMPLEX_WORDS =
  /\b(APARTMENTS|APTS|APARTAMENTOS|CONDOMINIUMS|CONDOS|TOWERS|MOBILE HOME PARK|MHP|TRAILER PARK|RV PARK|COMPLEX)\b/;
const NON_RESIDENTIAL_WORDS = reference.keywords.map(({ pattern, kind }) => ({
  pattern: new RegExp(pattern),
  kind,
}));
// One pass over the line decides whether any of the words is there; only then which.
const ANY_NON_RESIDENTIAL_WORD = new RegExp(
  reference.keywords.map(({ pattern }) => `(?:${pattern})`).join('|'),
);
const NON_RESIDENTIAL_PLACES = new Map(
  reference.places.map((place) => [`${place.delivery_line}|${place.zip}`, `${place.kind}: ${place.name}`]),
);

const placeholderKey = (text: string) =>
  (/[^\x20-\x7e]/.test(text) ? text.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : text)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();

/** Placeholders are short; a longer text is only checked for having any letter or digit at all. */
const PLACEHOLDER_MAX_LENGTH = 40;

/**
 * Parses, standardizes and judges one address on its own evidence. Evidence from other records (units at the
 * same building, returned mail, many children at one address) is added by `withRecordEvidence`.
 */
export function judgeAddress(text: string): AddressJudgement {
  const key =
    text.length <= PLACEHOLDER_MAX_LENGTH ? placeholderKey(text) : /[\p{L}\p{N}]/u.test(text) ? text : '';
  if (key === '' || PLACEHOLDERS.has(key)) {
    return {
      components: {},
      standardized: { delivery_line: '', last_line: '' },
      verdict: 'missing',
      reasons: [
        { code: key === '' ? 'blank' : 'placeholder', ...(key === '' ? {} : { detail: text.trim() }) },
      ],
    };
  }
  const components = parseAddress(text);
  const standardized = standardize(components);
  const reasons: Reason[] = [];
  const c = components;
  const state = stateCode(c);

  if (c.USPSGeneralDeliveryPoint) reasons.push({ code: 'general_delivery' });
  else if (c.USPSBoxID && !c.USPSBoxGroupType && !c.AddressNumber) reasons.push({ code: 'po_box' });
  else if (!c.USPSBoxGroupType) {
    if (!c.AddressNumber) reasons.push({ code: 'no_address_number' });
    if (!c.StreetName) reasons.push({ code: 'no_street_name' });
  }
  if (!c.PlaceName) reasons.push({ code: 'no_city' });
  if (!state) reasons.push({ code: 'no_state' });
  if (!c.ZipCode) reasons.push({ code: 'no_zip' });
  else {
    const zip = zip5(c.ZipCode);
    const place = zipPlace(zip);
    if (!place) reasons.push({ code: 'zip_unknown', detail: `${c.ZipCode} is not in the ZIP reference` });
    else if (state && place.state !== state) {
      reasons.push({
        code: 'zip_in_other_state',
        detail: `${c.ZipCode} is in ${place.city}, ${place.state}`,
      });
    } else if (state && c.PlaceName) {
      // USPS accepts several city names for a ZIP, so only a ZIP far from every ZIP of the city counts.
      const prefixes = cityZipPrefixes(c.PlaceName, state);
      if (prefixes && !prefixes.has(zip.slice(0, 3))) {
        reasons.push({
          code: 'zip_far_from_city',
          detail: `${c.ZipCode} is in ${place.city}, ${place.state}`,
        });
      }
    }
  }
  // Only the delivery line speaks: "Shelter Island" is a town.
  const line = c.LandmarkName
    ? `${placeholderKey(c.LandmarkName)} ${standardized.delivery_line}`
    : standardized.delivery_line;
  const named = ANY_NON_RESIDENTIAL_WORD.test(line)
    ? NON_RESIDENTIAL_WORDS.find(({ pattern }) => pattern.test(line))
    : undefined;
  const listed = NON_RESIDENTIAL_PLACES.get(`${primaryLine(c)}|${c.ZipCode ? zip5(c.ZipCode) : ''}`);
  if (listed || named) reasons.push({ code: 'non_residential', detail: listed ?? named!.kind });
  if (!c.SubaddressIdentifier && !c.SubaddressType && COMPLEX_WORDS.test(line)) {
    reasons.push({ code: 'apartment_complex_without_unit' });
  }
  return { components, standardized, verdict: verdictOf(reasons), reasons };
}

/** The two-letter USPS code of the state the address names, if it names one. */
export function stateCode(c: AddressComponents): string | undefined {
  return c.StateName ? STATES.standard.get(placeholderKey(c.StateName)) : undefined;
}

export function verdictOf(reasons: readonly Reason[]): Verdict {
  let worst = VERDICTS.length - 1;
  for (const reason of reasons) worst = Math.min(worst, VERDICTS.indexOf(REASONS[reason.code]));
  return VERDICTS[worst]!;
}

/** The delivery line without its unit: what identifies a building. */
export function primaryLine(c: AddressComponents): string {
  return standardize({ ...c, SubaddressType: undefined, SubaddressIdentifier: undefined }).delivery_line;
}

/** Keys for comparing records: the building (primary address) and the delivery point (with its unit). */
export function addressKeys(
  judgement: AddressJudgement,
): { building: string; deliveryPoint: string } | undefined {
  const c = judgement.components;
  if (!c.AddressNumber || !c.StreetName || !c.ZipCode) return undefined;
  const primary = primaryLine(c);
  const zip = zip5(c.ZipCode);
  // The door: its number, whatever designator was written ("Apt 12", "#12" and "Unit 12" are one door).
  const door = c.SubaddressIdentifier?.toUpperCase() ?? c.SubaddressType?.toUpperCase() ?? '';
  return { building: `${primary}|${zip}`, deliveryPoint: `${primary}|${door}|${zip}` };
}

/**
 * The evidence only a set of records holds: buildings where some record carries a unit number, and how many
 * records name each door. Used by the batch CLI; in the system the same rules run in SQL over every stored
 * address (addresses.repository.ts).
 */
export interface RecordEvidence {
  buildingsWithUnits: Set<string>;
  recordsPerDoor: Map<string, number>;
}

export const newRecordEvidence = (): RecordEvidence => ({
  buildingsWithUnits: new Set(),
  recordsPerDoor: new Map(),
});

export function noteRecord(evidence: RecordEvidence, judgement: AddressJudgement): void {
  const key = addressKeys(judgement);
  if (!key) return;
  if (judgement.components.SubaddressIdentifier) evidence.buildingsWithUnits.add(key.building);
  evidence.recordsPerDoor.set(key.deliveryPoint, (evidence.recordsPerDoor.get(key.deliveryPoint) ?? 0) + 1);
}

/** A judgement with the reasons the other records give: a missing unit, a door shared by many. */
export function withEvidence(
  judgement: AddressJudgement,
  evidence: RecordEvidence,
  sharedThreshold: number,
): AddressJudgement {
  const key = addressKeys(judgement);
  if (!key) return judgement;
  const reasons = [...judgement.reasons];
  if (!judgement.components.SubaddressIdentifier && evidence.buildingsWithUnits.has(key.building)) {
    reasons.push({ code: 'units_at_same_address' });
  }
  const count = evidence.recordsPerDoor.get(key.deliveryPoint) ?? 0;
  if (count >= sharedThreshold)
    reasons.push({ code: 'shared_by_many', detail: `${count} records at this address` });
  return reasons.length === judgement.reasons.length
    ? judgement
    : { ...judgement, reasons, verdict: verdictOf(reasons) };
}

export function withRecordEvidence(
  judgements: AddressJudgement[],
  sharedThreshold: number,
): AddressJudgement[] {
  const evidence = newRecordEvidence();
  for (const judgement of judgements) noteRecord(evidence, judgement);
  return judgements.map((judgement) => withEvidence(judgement, evidence, sharedThreshold));
}
