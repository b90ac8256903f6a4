import type { Random } from './rng';

/**
 * The ways one child's identity is written differently by different agencies (docs/feeds.md lists the rates
 * each feed applies). Each function returns the altered value; none throws on any input.
 */
const ACCENTS: Record<string, string> = {
  á: 'a',
  é: 'e',
  í: 'i',
  ó: 'o',
  ú: 'u',
  ü: 'u',
  ñ: 'n',
  Á: 'A',
  É: 'E',
  Í: 'I',
  Ó: 'O',
  Ú: 'U',
  Ñ: 'N',
};

export function dropAccents(text: string): string {
  return text.replace(/[áéíóúüñÁÉÍÓÚÑ]/g, (c) => ACCENTS[c] ?? c);
}

/** Accents mangled by a system that read UTF-8 as Latin-1 ("Ã±"), or replaced by "?". */
export function mangleAccents(text: string, random: Random): string {
  return random.chance(0.5)
    ? text.replace(/[áéíóúñ]/g, (c) => Buffer.from(c, 'utf8').toString('latin1'))
    : text.replace(/[áéíóúüñÁÉÍÓÚÑ]/g, '?');
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One keyboard slip: a letter substituted, dropped, doubled, or two neighbours transposed. */
export function typo(text: string, random: Random): string {
  if (text.length < 3) return text;
  const i = random.int(1, text.length - 2);
  switch (random.int(0, 3)) {
    case 0:
      return text.slice(0, i) + random.pick(LETTERS.split('')) + text.slice(i + 1);
    case 1:
      return text.slice(0, i) + text.slice(i + 1);
    case 2:
      return text.slice(0, i) + text[i] + text.slice(i);
    default:
      return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
  }
}

/** DOB with day and month swapped (only when the swap is still a date), or the year off by one. */
export function swapDayMonth(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return Number(day) <= 12 && day !== month ? `${year}-${day}-${month}` : isoDate;
}

export function shiftYear(isoDate: string, random: Random): string {
  const year = Number(isoDate.slice(0, 4)) + (random.chance(0.5) ? 1 : -1);
  return `${year}${isoDate.slice(4)}`;
}

/** An A-number with one digit wrong or two neighbouring digits transposed. */
export function garbleANumber(aNumber: string, random: Random): string {
  const digits = aNumber.split('');
  const i = random.int(0, digits.length - 2);
  if (random.chance(0.5) && digits[i] !== digits[i + 1])
    [digits[i], digits[i + 1]] = [digits[i + 1]!, digits[i]!];
  else digits[i] = String((Number(digits[i]) + random.int(1, 9)) % 10);
  return digits.join('');
}

/** "José Luis" → "Jose", "JoseLuis" or "J. Luis": given names shortened or joined. */
export function reshapeGivenNames(given: string, random: Random): string {
  const parts = given.split(' ');
  if (parts.length < 2) return given;
  const choice = random.int(0, 2);
  if (choice === 0) return parts[0]!;
  if (choice === 1) return parts.join('');
  return `${parts[0]![0]}. ${parts.slice(1).join(' ')}`;
}

export function usDate(isoDate: string): string {
  return `${isoDate.slice(5, 7)}/${isoDate.slice(8, 10)}/${isoDate.slice(0, 4)}`;
}
