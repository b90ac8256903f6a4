import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAddresses, type LabelledAddress } from './evaluate';
import { ADDRESS_ELEMENTS, type AddressComponents, parseAddress, presentElements } from './parse';
import { standardize } from './standardize';

/** Every form the address issue lists, with the elements a person would label. */
const CASES: [text: string, expected: AddressComponents, standard?: [string, string]][] = [
  [
    '123 N Main St Apt 4B, Springfield, IL 62701-1234',
    {
      AddressNumber: '123',
      StreetNamePreDirectional: 'N',
      StreetName: 'Main',
      StreetNamePostType: 'St',
      SubaddressType: 'Apt',
      SubaddressIdentifier: '4B',
      PlaceName: 'Springfield',
      StateName: 'IL',
      ZipCode: '62701',
      ZipPlus4: '1234',
    },
    ['123 N MAIN ST APT 4B', 'SPRINGFIELD IL 62701-1234'],
  ],
  [
    '4500 Westheimer Rd #12 Houston TX 77027',
    {
      AddressNumber: '4500',
      StreetName: 'Westheimer',
      StreetNamePostType: 'Rd',
      SubaddressType: '#',
      SubaddressIdentifier: '12',
      PlaceName: 'Houston',
      StateName: 'TX',
      ZipCode: '77027',
    },
    ['4500 WESTHEIMER RD # 12', 'HOUSTON TX 77027'],
  ],
  [
    '88 W 5th St 4B, Los Angeles, CA 90013',
    {
      AddressNumber: '88',
      StreetNamePreDirectional: 'W',
      StreetName: '5th',
      StreetNamePostType: 'St',
      SubaddressIdentifier: '4B',
      PlaceName: 'Los Angeles',
      StateName: 'CA',
      ZipCode: '90013',
    },
    ['88 W 5TH ST # 4B', 'LOS ANGELES CA 90013'],
  ],
  [
    '77 Pine Ln Unit 3, Katy, TX 77449',
    {
      AddressNumber: '77',
      StreetName: 'Pine',
      StreetNamePostType: 'Ln',
      SubaddressType: 'Unit',
      SubaddressIdentifier: '3',
      PlaceName: 'Katy',
      StateName: 'TX',
      ZipCode: '77449',
    },
  ],
  [
    '1200 Highway 50 Trlr 7, Delta, CO 81416',
    {
      AddressNumber: '1200',
      StreetNamePreType: 'Highway',
      StreetName: '50',
      SubaddressType: 'Trlr',
      SubaddressIdentifier: '7',
      PlaceName: 'Delta',
      StateName: 'CO',
      ZipCode: '81416',
    },
    ['1200 HIGHWAY 50 TRLR 7', 'DELTA CO 81416'],
  ],
  [
    '55 County Road 12 Lot 4 Marble Falls TX 78654',
    {
      AddressNumber: '55',
      StreetNamePreType: 'County Road',
      StreetName: '12',
      SubaddressType: 'Lot',
      SubaddressIdentifier: '4',
      PlaceName: 'Marble Falls',
      StateName: 'TX',
      ZipCode: '78654',
    },
  ],
  [
    '3300 Avenue C Bsmt, Brooklyn NY 11203',
    {
      AddressNumber: '3300',
      StreetNamePreType: 'Avenue',
      StreetName: 'C',
      SubaddressType: 'Bsmt',
      PlaceName: 'Brooklyn',
      StateName: 'NY',
      ZipCode: '11203',
    },
    ['3300 AVENUE C BSMT', 'BROOKLYN NY 11203'],
  ],
  [
    '19 Elm St Fl 2, Chelsea, MA 02150',
    {
      AddressNumber: '19',
      StreetName: 'Elm',
      StreetNamePostType: 'St',
      SubaddressType: 'Fl',
      SubaddressIdentifier: '2',
      PlaceName: 'Chelsea',
      StateName: 'MA',
      ZipCode: '02150',
    },
  ],
  [
    'Apt 4B 123 Main St, Dallas TX 75201',
    {
      SubaddressType: 'Apt',
      SubaddressIdentifier: '4B',
      AddressNumber: '123',
      StreetName: 'Main',
      StreetNamePostType: 'St',
      PlaceName: 'Dallas',
      StateName: 'TX',
      ZipCode: '75201',
    },
    ['123 MAIN ST APT 4B', 'DALLAS TX 75201'],
  ],
  [
    'P.O. Box 123, Laredo, TX 78040',
    { USPSBoxType: 'P.O. Box', USPSBoxID: '123', PlaceName: 'Laredo', StateName: 'TX', ZipCode: '78040' },
    ['PO BOX 123', 'LAREDO TX 78040'],
  ],
  [
    'RR 2 Box 152, Hazard KY 41701',
    {
      USPSBoxGroupType: 'RR',
      USPSBoxGroupID: '2',
      USPSBoxType: 'Box',
      USPSBoxID: '152',
      PlaceName: 'Hazard',
      StateName: 'KY',
      ZipCode: '41701',
    },
    ['RR 2 BOX 152', 'HAZARD KY 41701'],
  ],
  [
    'General Delivery, Houston TX 77052',
    { USPSGeneralDeliveryPoint: 'General Delivery', PlaceName: 'Houston', StateName: 'TX', ZipCode: '77052' },
  ],
  [
    '123 Fifth Avenue New York NY 10001',
    {
      AddressNumber: '123',
      StreetName: 'Fifth',
      StreetNamePostType: 'Avenue',
      PlaceName: 'New York',
      StateName: 'NY',
      ZipCode: '10001',
    },
    ['123 5TH AVE', 'NEW YORK NY 10001'],
  ],
  [
    '500 12th St SW, Washington, DC 20024',
    {
      AddressNumber: '500',
      StreetName: '12th',
      StreetNamePostType: 'St',
      StreetNamePostDirectional: 'SW',
      PlaceName: 'Washington',
      StateName: 'DC',
      ZipCode: '20024',
    },
  ],
  [
    '12 North St, Plainfield NJ 07060',
    {
      AddressNumber: '12',
      StreetName: 'North',
      StreetNamePostType: 'St',
      PlaceName: 'Plainfield',
      StateName: 'NJ',
      ZipCode: '07060',
    },
  ],
  [
    'Calle Ocho 1234, Miami FL 33135',
    {
      StreetNamePreType: 'Calle',
      StreetName: 'Ocho',
      AddressNumber: '1234',
      PlaceName: 'Miami',
      StateName: 'FL',
      ZipCode: '33135',
    },
  ],
  [
    '1234 Avenida Juárez Apto 3, El Paso, Texas 79901',
    {
      AddressNumber: '1234',
      StreetNamePreType: 'Avenida',
      StreetName: 'Juárez',
      SubaddressType: 'Apto',
      SubaddressIdentifier: '3',
      PlaceName: 'El Paso',
      StateName: 'Texas',
      ZipCode: '79901',
    },
    ['1234 AVENIDA JUAREZ APT 3', 'EL PASO TX 79901'],
  ],
  [
    '45 Calle del Sol Depto 2 Edinburg TX 78539',
    {
      AddressNumber: '45',
      StreetNamePreType: 'Calle',
      StreetName: 'del Sol',
      SubaddressType: 'Depto',
      SubaddressIdentifier: '2',
      PlaceName: 'Edinburg',
      StateName: 'TX',
      ZipCode: '78539',
    },
  ],
  [
    '123 MAIN ST SPRINGFIELD IL 62701',
    {
      AddressNumber: '123',
      StreetName: 'MAIN',
      StreetNamePostType: 'ST',
      PlaceName: 'SPRINGFIELD',
      StateName: 'IL',
      ZipCode: '62701',
    },
  ],
  [
    '9 oak stret apt 2 houston tx 77002',
    {
      AddressNumber: '9',
      StreetName: 'oak',
      StreetNamePostType: 'stret',
      SubaddressType: 'apt',
      SubaddressIdentifier: '2',
      PlaceName: 'houston',
      StateName: 'tx',
      ZipCode: '77002',
    },
    ['9 OAK ST APT 2', 'HOUSTON TX 77002'],
  ],
  [
    '31 Maple Avenu, Paterson, New Jersey 07501',
    {
      AddressNumber: '31',
      StreetName: 'Maple',
      StreetNamePostType: 'Avenu',
      PlaceName: 'Paterson',
      StateName: 'New Jersey',
      ZipCode: '07501',
    },
    ['31 MAPLE AVE', 'PATERSON NJ 07501'],
  ],
  [
    '12 Park Ave West New York NJ 07093',
    {
      AddressNumber: '12',
      StreetName: 'Park',
      StreetNamePostType: 'Ave',
      PlaceName: 'West New York',
      StateName: 'NJ',
      ZipCode: '07093',
    },
  ],
  [
    '123 1/2 Elm St, Saint Louis, MO 63105',
    {
      AddressNumber: '123',
      AddressNumberSuffix: '1/2',
      StreetName: 'Elm',
      StreetNamePostType: 'St',
      PlaceName: 'Saint Louis',
      StateName: 'MO',
      ZipCode: '63105',
    },
    ['123 1/2 ELM ST', 'SAINT LOUIS MO 63105'],
  ],
  ['123 Oak Ct', { AddressNumber: '123', StreetName: 'Oak', StreetNamePostType: 'Ct' }],
  [
    'Main St, Houston, TX 77002',
    { StreetName: 'Main', StreetNamePostType: 'St', PlaceName: 'Houston', StateName: 'TX', ZipCode: '77002' },
  ],
];

describe('parseAddress', () => {
  it.each(CASES)('parses %j', (text, expected, standard) => {
    const parsed = parseAddress(text);
    expect(parsed).toEqual(expected);
    if (standard) expect(standardize(parsed)).toEqual({ delivery_line: standard[0], last_line: standard[1] });
  });

  it('lists elements in the FGDC order', () => {
    const order = presentElements(parseAddress('Apt 4B 123 Main St, Dallas TX 75201-1234')).map(
      ([element]) => element,
    );
    expect(order).toEqual(ADDRESS_ELEMENTS.filter((element) => order.includes(element)));
  });

  it('gets at least 95% of the hand-labelled set fully right (test/fixtures)', () => {
    for (const file of ['addresses-labelled.json', 'addresses-heldout.json']) {
      const path = `test/fixtures/${file}`;
      if (!fs.existsSync(path)) throw new Error(`${path} is missing`);
      const labelled = JSON.parse(fs.readFileSync(path, 'utf8')).addresses as LabelledAddress[];
      expect(labelled.length).toBeGreaterThanOrEqual(200);
      const result = evaluateAddresses(labelled);
      expect(
        result.componentAccuracy,
        `${file}: ${JSON.stringify(result.wrong.slice(0, 5))}`,
      ).toBeGreaterThanOrEqual(0.95);
    }
  });
});

const word = fc.stringMatching(/^[A-Za-z][a-z]{1,9}$/);
const addressShaped = fc
  .record({
    number: fc.option(fc.integer({ min: 1, max: 99999 }).map(String)),
    pre: fc.option(fc.constantFrom('N', 'South', 'NE', 'W')),
    name: fc.array(word, { minLength: 1, maxLength: 3 }),
    type: fc.option(fc.constantFrom('St', 'Avenue', 'Rd', 'Blvd', 'Ln', 'Stret', 'Ct', 'Way', 'Hwy')),
    unit: fc.option(
      fc.tuple(
        fc.constantFrom('Apt', '#', 'Unit', 'Ste', 'Lot', 'Apto', 'Fl'),
        fc.stringMatching(/^[1-9][0-9]{0,2}[A-H]?$/),
      ),
    ),
    city: fc.constantFrom(
      'Houston',
      'Silver Spring',
      'Los Angeles',
      'Miami',
      'Charlotte',
      'Kansas City',
      'Springfield',
    ),
    state: fc.constantFrom('TX', 'MD', 'California', 'FL', 'nc', 'Missouri', 'IL'),
    zip: fc.option(fc.stringMatching(/^[0-9]{5}$/)),
    commas: fc.boolean(),
  })
  .map((a) => {
    const unit = a.unit ? (a.unit[0] === '#' ? `#${a.unit[1]}` : `${a.unit[0]} ${a.unit[1]}`) : '';
    const street = [a.number, a.pre, ...a.name, a.type, unit].filter(Boolean).join(' ');
    const sep = a.commas ? ', ' : ' ';
    return `${street}${sep}${a.city}${sep}${a.state}${a.zip ? ` ${a.zip}` : ''}`;
  });

describe('parseAddress properties', () => {
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (text) => {
        parseAddress(text);
        standardize(parseAddress(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps every element it returns within the text it was given', () => {
    fc.assert(
      fc.property(fc.oneof(addressShaped, fc.string({ maxLength: 80 })), (text) => {
        // Separators and punctuation-only words are not part of an element: compare without them.
        const fold = (s: string) =>
          s
            .replace(/[\s,;.:"'()[\]{}*]+/g, ' ')
            .replace(/ ?# ?/g, '#')
            .trim();
        for (const [, value] of presentElements(parseAddress(text)))
          expect(fold(text)).toContain(fold(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a standardized address back as itself', () => {
    fc.assert(
      fc.property(addressShaped, (text) => {
        const once = standardize(parseAddress(text));
        const again = standardize(parseAddress(`${once.delivery_line}, ${once.last_line}`));
        expect(again).toEqual(once);
      }),
      { numRuns: 2000 },
    );
  });
});
