import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Comparator,
  type ComparatorType,
  comparatorFor,
  compareSurnames,
  dateComparator,
  exactComparator,
  identifierComparator,
  nameComparator,
  numberComparator,
  postcodeComparator,
  surnameComparator,
  textComparator,
} from './comparators';
import {
  damerauLevenshtein,
  damerauLevenshteinSimilarity,
  jaroWinkler,
  jaroWinklerReaches,
} from './similarity';

// Short strings over few letters, so matches, transpositions and repeats actually happen.
const word = fc.string({ unit: fc.constantFrom('A', 'B', 'C', 'D', 'E'), maxLength: 12 });

describe('jaroWinkler', () => {
  // The "Winkler" column of the Census comparison table (Winkler 1990; Porter and Winkler 1997), which is
  // plain Jaro–Winkler: strcmp95 without similar-character credit or the long-string adjustment.
  it.each([
    ['SHACKLEFORD', 'SHACKELFORD', 0.982],
    ['DUNNINGHAM', 'CUNNIGHAM', 0.896],
    ['NICHLESON', 'NICHULSON', 0.956],
    ['JONES', 'JOHNSON', 0.832],
    ['MASSEY', 'MASSIE', 0.933],
    ['ABROMS', 'ABRAMS', 0.922],
    ['JERALDINE', 'GERALDINE', 0.926],
    ['MARHTA', 'MARTHA', 0.961],
    ['MICHELLE', 'MICHAEL', 0.921],
    ['JULIES', 'JULIUS', 0.933],
    ['TANYA', 'TONYA', 0.88],
    ['DWAYNE', 'DUANE', 0.84],
    ['SEAN', 'SUSAN', 0.805],
    ['JON', 'JOHN', 0.933],
    ['DIXON', 'DICKSONX', 0.813],
  ])('%s / %s = %f', (a, b, expected) => {
    expect(jaroWinkler(a, b).toFixed(3)).toBe(expected.toFixed(3));
    expect(jaroWinkler(b, a).toFixed(3)).toBe(expected.toFixed(3));
  });

  // The table prints 0.000 for these three; the formula it documents gives these values (HARDIN and
  // MARTINEZ share A, R, I, N in place), so the table's zeros are not reproduced.
  it.each([
    ['HARDIN', 'MARTINEZ', 0.722],
    ['ITMAN', 'SMITH', 0.467],
    ['JON', 'JAN', 0.8],
  ])('%s / %s = %f, where the table prints 0.000', (a, b, expected) => {
    expect(jaroWinkler(a, b).toFixed(3)).toBe(expected.toFixed(3));
  });

  it('follows strcmp95 on edges: boost only above 0.7, no boost for leading digits, empty strings', () => {
    expect(jaroWinkler('ABCDXXXX', 'ABCDYYYY')).toBeCloseTo(2 / 3, 10); // Jaro 0.667: no prefix boost
    expect(jaroWinkler('1234A', '1234B')).toBeCloseTo((0.8 + 0.8 + 1) / 3, 10); // digits: no boost
    expect(jaroWinkler('ABCDA', 'ABCDB')).toBeCloseTo(0.8667 + 0.4 * (1 - 0.8667), 3);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('', 'A')).toBe(0);
    expect(jaroWinkler('A', 'B')).toBe(0);
    expect(jaroWinkler('A', 'A')).toBe(1);
    // Long strings grow the scratch buffers.
    expect(jaroWinkler('A'.repeat(500), `${'A'.repeat(499)}B`)).toBeGreaterThan(0.99);
  });

  it('is symmetric, within [0, 1], and 1 exactly for equal strings', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        const s = jaroWinkler(a, b);
        expect(jaroWinkler(b, a)).toBe(s);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(jaroWinkler(a, a)).toBe(1);
        if (a !== b) expect(s).toBeLessThan(1);
      }),
      { numRuns: 500 },
    );
  });

  it('reaches a threshold exactly when the similarity does: its bound only spares comparing', () => {
    // More letters than `word`, and a digit (no prefix boost); half the time the second string is the first one
    // edited once, so similarities near every threshold occur.
    const text = fc.string({ unit: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', '1'), maxLength: 14 });
    const threshold = fc.oneof(
      fc.constantFrom(0, 0.7, 0.88, 0.92, 0.94, 1),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    fc.assert(
      fc.property(text, text, fc.nat(), fc.boolean(), threshold, (a, other, at, edited, t) => {
        const cut = at % (a.length + 1);
        const b = edited ? a.slice(0, cut) + other.slice(0, 1) + a.slice(cut + (at % 2)) : other;
        expect(jaroWinklerReaches(a, b, t)).toBe(jaroWinkler(a, b) >= t);
        expect(jaroWinklerReaches(b, a, t)).toBe(jaroWinkler(a, b) >= t);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Textbook optimal string alignment on a full matrix, to check the rolling-row version against. */
function referenceOsa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

describe('damerauLevenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'ABC', 3],
    ['KITTEN', 'SITTING', 3],
    ['MARTHA', 'MARHTA', 1],
    ['GARCIA', 'GRACIA', 1],
    ['CA', 'ABC', 3], // optimal string alignment, not unrestricted Damerau–Levenshtein (2)
    ['123456789', '123456798', 1],
    ['JONES', 'JOHNSON', 4],
  ])('%s / %s = %i', (a, b, distance) => {
    expect(damerauLevenshtein(a, b)).toBe(distance);
    expect(damerauLevenshtein(b, a)).toBe(distance);
  });

  it('similarity is 1 - distance / longer length', () => {
    expect(damerauLevenshteinSimilarity('', '')).toBe(1);
    expect(damerauLevenshteinSimilarity('MARTHA', 'MARHTA')).toBeCloseTo(5 / 6, 10);
    expect(damerauLevenshteinSimilarity('ABC', 'XYZ')).toBe(0);
  });

  it('matches the full-matrix algorithm, is symmetric, 0 only for equal strings, at most the longer length', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = damerauLevenshtein(a, b);
        expect(d).toBe(referenceOsa(a, b));
        expect(damerauLevenshtein(b, a)).toBe(d);
        expect(damerauLevenshtein(a, a)).toBe(0);
        expect(d === 0).toBe(a === b);
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        const s = damerauLevenshteinSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('compareSurnames', () => {
  it.each([
    ['GARCIA LOPEZ', 'GARCIA LOPEZ', 'exact'],
    ['García-López', 'GARCIA LOPEZ', 'exact'],
    ['GARCIA Y LOPEZ', 'GARCIA LOPEZ', 'exact'],
    ['DE LA CRUZ', 'CRUZ', 'exact'],
    ['DELACRUZ', 'DELA CRUZ', 'exact'], // spacing only
    ['GARCIA LOPEZ', 'LOPEZ GARCIA', 'swapped'],
    ['GARCIA LOPEZ', 'GARCIA', 'subset'],
    ['LOPEZ', 'GARCIA LOPEZ', 'subset'],
    ['GARCIA LOPEZ', 'GARCIA PEREZ', 'fuzzy'], // one surname shared, the other conflicting
    ['GARCIA', 'GARSIA', 'fuzzy'],
    ['GARCIA LOPEZ', 'LOPES', 'fuzzy'],
    ['VASQUEZ', 'BASQUES', 'phonetic'],
    ['HERNANDEZ ROJAS', 'ERNANDES', 'phonetic'],
    ['GUTIERREZ', 'GONZALEZ', 'different'],
    ['GARCIA LOPEZ', 'MARTINEZ RUIZ', 'different'],
    ['', 'GARCIA', 'different'],
  ])('%s / %s: %s', (a, b, level) => {
    expect(compareSurnames(a, b)).toBe(level);
    expect(compareSurnames(b, a)).toBe(level);
  });
});

describe('level comparators', () => {
  const cases: [Comparator, string | null, string | null, string][] = [
    [nameComparator(), 'María', 'MARIA', 'exact'],
    [nameComparator(), 'MARTHA', 'MARHTA', 'jw_0.94'],
    [nameComparator(), 'MARIA JOSE', 'JOSE MARIA', 'jw_0.94'],
    [nameComparator(), 'MARIA', 'MARIA GUADALUPE', 'jw_0.94'],
    [nameComparator(), 'MASSEY', 'MASSIE', 'jw_0.88'],
    [nameComparator(), 'XIMENA', 'JIMENA', 'jw_0.88'],
    [nameComparator(), 'GIMENEZ', 'XIMENES', 'phonetic'],
    [nameComparator(), 'H', 'HH', 'different'], // no sounds, so no phonetic agreement
    [nameComparator(), 'YOLANDA ISABEL', 'LLOLANDA YSABEL', 'phonetic'],
    [nameComparator(), 'JUAN', 'PEDRO', 'different'],
    [nameComparator(), 'JUAN CARLOS', 'PEDRO PABLO', 'different'],
    [surnameComparator(), 'GARCIA LOPEZ', 'LOPEZ GARCIA', 'swapped'],
    [surnameComparator(), 'GARCIA LOPEZ', 'GARCIA', 'subset'],
    [surnameComparator(), 'GUTIERREZ', 'GONZALEZ', 'different'],
    [textComparator(), 'Calle de la Paz', 'CALLE DE LA PAZ', 'exact'],
    [textComparator(), 'CALLE DE LA PAZ', 'CALLE DE LA PAS', 'jw_0.94'],
    [textComparator(), 'HOUSTON', 'DALLAS', 'different'],
    [dateComparator(), '2010-03-04', '2010-03-04', 'exact'],
    [dateComparator(), '2010-03-04', '2010-04-03', 'day_month_swapped'],
    [dateComparator(), '2010-03-04', '2011-03-04', 'one_field_differs'],
    [dateComparator(), '2010-03-04', '2010-03-14', 'one_field_differs'], // a single digit typo
    [dateComparator(), '2010-03-04', '2001-03-04', 'one_field_differs'],
    [dateComparator(), '2010-03-04', '2010-07-19', 'year_only'],
    [dateComparator(), '2010-03-04', '2011-04-03', 'different'],
    [dateComparator(), '2010-03-04', '2012-05-06', 'different'],
    [identifierComparator(), 'A012345678', '12345678', 'exact'],
    [identifierComparator(), 'A-012-345-678', '012345678', 'exact'],
    [identifierComparator(), '012345678', '012345679', 'one_edit'],
    [identifierComparator(), '012345678', '012345687', 'one_edit'],
    [identifierComparator(), '12345678', '102345678', 'one_edit'], // padded: 012... vs 102...
    [identifierComparator(), '012345678', '012345699', 'different'],
    [identifierComparator(), '012345678', '021345687', 'different'],
    [identifierComparator(), '012345678', '013345678', 'one_edit'],
    [postcodeComparator(), '77002', '77002-1234', 'exact'],
    [postcodeComparator(), '2134', '02134', 'exact'],
    [postcodeComparator(), '77002', '77099', 'first3'],
    [postcodeComparator(), '77002', '78002', 'different'],
    [numberComparator(), '15', '15.0', 'exact'],
    [numberComparator(), '15', '16', 'within_1'],
    [numberComparator(), '15', '17', 'different'],
    [exactComparator(), 'M', 'M', 'exact'],
    [exactComparator(), 'M', 'F', 'different'],
  ];
  it.each(cases)('%# %s: %j / %j is %s', (comparator, a, b, level) => {
    expect(comparator.levels[comparator.compare(a, b)]).toBe(level);
    expect(comparator.levels[comparator.compare(b, a)]).toBe(level);
  });

  it.each([
    [dateComparator(), '2010-3-4', '2010-03-04'],
    [dateComparator(), '2010-13-04', '2010-03-04'],
    [identifierComparator(), 'A-', '012345678'],
    [postcodeComparator(), '7', '77002'],
    [numberComparator(), 'fifteen', '15'],
    [numberComparator(), ' ', '15'],
    [nameComparator(), ' - ', 'MARIA'],
    [surnameComparator(), '', 'GARCIA'],
    [textComparator(), '', 'X'],
    [exactComparator(), '  ', 'X'],
  ])('%# unusable values count as missing: %j / %j', (comparator, a, b) => {
    expect(comparator.compare(a, b)).toBe(-1);
    expect(comparator.compare(b, a)).toBe(-1);
  });

  it('orders levels from "different" up to "exact"', () => {
    const types: ComparatorType[] = [
      'name',
      'surname',
      'text',
      'date',
      'identifier',
      'postcode',
      'exact',
      'number',
    ];
    for (const type of types) {
      const comparator = comparatorFor(type);
      expect(comparator.name).toBe(type);
      expect(comparator.levels[0]).toBe('different');
      expect(comparator.levels.at(-1)).toBe('exact');
    }
    expect(comparatorFor('surname').levels).toEqual([
      'different',
      'phonetic',
      'fuzzy',
      'subset',
      'swapped',
      'exact',
    ]);
    expect(comparatorFor('date', 'birth_date').name).toBe('birth_date');
  });

  const nameText = fc.string({
    unit: fc.constantFrom(
      'A',
      'E',
      'I',
      'O',
      'B',
      'V',
      'C',
      'S',
      'Z',
      'L',
      'Y',
      'H',
      'Ñ',
      'É',
      ' ',
      '-',
      "'",
    ),
    maxLength: 16,
  });
  const isoDate = fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom('0', '1', '2', '9'), minLength: min, maxLength: max });
  const values: Record<ComparatorType, fc.Arbitrary<string>> = {
    name: nameText,
    surname: nameText,
    text: nameText,
    date: fc.oneof(isoDate, fc.string({ maxLength: 10 })),
    identifier: fc.oneof(
      digits(1, 10),
      digits(1, 9).map((s) => `A${s}`),
      fc.string({ maxLength: 4 }),
    ),
    postcode: fc.oneof(digits(5, 5), digits(3, 9), fc.string({ maxLength: 4 })),
    exact: fc.string({ maxLength: 3 }),
    number: fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.string({ maxLength: 3 })),
  };

  it.each(Object.keys(values) as ComparatorType[])(
    '%s: -1 for null, a valid level otherwise, symmetric, top level for a usable value against itself',
    (type) => {
      const comparator = comparatorFor(type);
      const top = comparator.levels.length - 1;
      const value = fc.option(values[type], { nil: null, freq: 5 });
      fc.assert(
        fc.property(value, value, (a, b) => {
          const level = comparator.compare(a, b);
          if (a === null || b === null) expect(level).toBe(-1);
          else {
            expect(Number.isInteger(level) && level >= -1 && level <= top).toBe(true);
            const selfA = comparator.compare(a, a);
            if (level !== -1) expect(selfA).toBe(top);
            if (selfA !== -1 && comparator.compare(b, b) !== -1) expect(level).not.toBe(-1);
          }
          expect(comparator.compare(b, a)).toBe(level);
        }),
        { numRuns: 300 },
      );
    },
  );
});
