// How many field comparisons per second the linkage comparators sustain, on random name pairs.
// Usage: npm run bench:comparators [-- --pairs 1000000 --runs 3]
import { parseArgs } from 'node:util';
import { nameComparator, type PreparedName, surnameComparator } from '../src/linkage/comparators';
import { spanishPhonetic } from '../src/linkage/phonetic';
import { damerauLevenshtein, jaroWinkler } from '../src/linkage/similarity';
import { machine, median, printTable } from './lib';

const { values } = parseArgs({
  options: { pairs: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } },
});
const PAIRS = Number(values.pairs);
const RUNS = Number(values.runs);

// Seeded, so every run compares the same pairs.
let seed = 20_240_601;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const GIVEN = [
  'MARIA',
  'JOSE',
  'JUAN',
  'LUIS',
  'CARLOS',
  'ANA',
  'JIMENA',
  'XIMENA',
  'YOLANDA',
  'GUILLERMO',
  'ESTEFANIA',
  'KEVIN',
  'BRAYAN',
  'DAYANA',
  'WILMER',
  'OSWALDO',
  'FERNANDA',
  'ALEJANDRO',
  'GUADALUPE',
  'JESUS',
];
const SURNAMES = [
  'GARCIA',
  'HERNANDEZ',
  'LOPEZ',
  'MARTINEZ',
  'GONZALEZ',
  'RODRIGUEZ',
  'PEREZ',
  'SANCHEZ',
  'RAMIREZ',
  'VASQUEZ',
  'GUTIERREZ',
  'JIMENEZ',
  'CHAVEZ',
  'MUNOZ',
  'CRUZ',
  'REYES',
  'MORALES',
  'ORTIZ',
  'CASTILLO',
  'ROMERO',
];
const LETTERS = 'ABCDEFGHIJLMNOPRSTUVYZ';

/** A keying error, some of the time: a substituted, dropped or transposed letter. */
function typo(s: string): string {
  const roll = random();
  const at = Math.floor(random() * (s.length - 1));
  if (roll < 0.5) return s;
  if (roll < 0.7) return s.slice(0, at) + pick([...LETTERS]) + s.slice(at + 1);
  if (roll < 0.85) return s.slice(0, at) + s.slice(at + 1);
  return s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2);
}

function name(): string {
  return random() < 0.3 ? `${pick(GIVEN)} ${pick(GIVEN)}` : pick(GIVEN);
}

// Half the pairs are the same name (maybe mistyped), half are two random names.
const left: string[] = [];
const right: string[] = [];
for (let i = 0; i < PAIRS; i++) {
  const words = random() < 0.5 ? pick(SURNAMES) : name();
  left.push(words);
  right.push(random() < 0.5 ? typo(words) : random() < 0.5 ? pick(SURNAMES) : name());
}

// Surname fields as a batch's comparer meets them: prepared once each (a pair comparer keeps them), two surnames
// each, a third of them written with accents, compared pair by pair.
const surnames = surnameComparator();
const accented = (s: string) => (random() < 0.3 ? s.replace('A', 'Á').replace('E', 'É') : s);
const fields = Array.from({ length: 2_000 }, () =>
  surnames.prepare(`${accented(pick(SURNAMES))} ${accented(pick(SURNAMES))}`),
) as PreparedName[];
const fieldPairs = Int32Array.from({ length: 2 * PAIRS }, () => Math.floor(random() * fields.length));

const comparator = nameComparator();
const cases: [string, (i: number) => number][] = [
  ['jaroWinkler', (i) => jaroWinkler(left[i]!, right[i]!)],
  ['damerauLevenshtein', (i) => damerauLevenshtein(left[i]!, right[i]!)],
  ['spanishPhonetic (one name)', (i) => spanishPhonetic(left[i]!).length],
  ['nameComparator', (i) => comparator.compare(left[i]!, right[i]!)],
  [
    'surnameComparator (prepared fields)',
    (i) => surnames.comparePrepared(fields[fieldPairs[2 * i]!]!, fields[fieldPairs[2 * i + 1]!]!),
  ],
];

let sink = 0; // keeps the results observable, so nothing is optimized away
const rows = cases.map(([label, compare]) => {
  for (let i = 0; i < Math.min(PAIRS, 100_000); i++) sink += compare(i); // warm up
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < PAIRS; i++) sink += compare(i);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const took = median(seconds);
  return {
    comparator: label,
    pairs: PAIRS,
    seconds: took.toFixed(3),
    'per second': Math.round(PAIRS / took),
    'ns each': Math.round((took / PAIRS) * 1e9),
  };
});

printTable(
  `Linkage comparators, random name pairs (surname fields: 2,000 drawn), median of ${RUNS} runs (${machine()})`,
  rows,
);
if (Number.isNaN(sink)) console.log(sink);
