// Name folding for record linkage: one spelling per name, whatever the keyboard, the form or the clerk did.

// Letters NFD does not decompose into a base letter plus a mark.
const LIGATURES: Record<string, string> = { Ø: 'O', Æ: 'AE', Œ: 'OE', Ł: 'L', Đ: 'D', Þ: 'TH' };
const LIGATURE = /[ØÆŒŁĐÞ]/g;
const MARKS = /\p{M}+/gu;
// Apostrophes join (O'BRIEN, D'ANGELO); every other non-letter, non-digit separates (GARCIA-LOPEZ, J.R.).
const APOSTROPHES = /['’‘`´]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

// Spanish and Portuguese particles: DE LA CRUZ and CRUZ are the same surname in practice.
const PARTICLES = new Set(['DE', 'DEL', 'LA', 'LAS', 'LOS', 'Y', 'DA', 'DAS', 'DO', 'DOS']);

/** True when s is already upper-case ASCII letters and digits in single-space-separated tokens. */
function isFolded(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  let previousSpace = true; // no leading space
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) {
      previousSpace = false;
    } else {
      return false;
    }
  }
  return !previousSpace; // no trailing space
}

/** Upper case, no accents, no punctuation, single spaces. Keeps every token (no particle dropping). */
export function foldText(s: string): string {
  if (isFolded(s)) return s;
  return oneByte(
    s
      .toUpperCase()
      .replace(LIGATURE, (c) => LIGATURES[c] ?? c)
      .normalize('NFD')
      .replace(MARKS, '')
      .replace(APOSTROPHES, '')
      .replace(SEPARATORS, ' ')
      .trim(),
  );
}

/**
 * The same text held one byte a character where every character fits: V8 keeps the two-byte form NFD gave a name
 * after its accents are gone, and the comparators, meeting both forms, read either several times slower.
 */
function oneByte(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return s;
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** Whether folded.slice(start, end) is a particle, by char codes (no substring). */
function isParticle(folded: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 3) return false;
  const c0 = folded.charCodeAt(start);
  if (length === 1) return c0 === 89; // Y
  const c1 = folded.charCodeAt(start + 1);
  if (length === 2) return c0 === 68 ? c1 === 69 || c1 === 65 || c1 === 79 : c0 === 76 && c1 === 65; // DE DA DO LA
  const c2 = folded.charCodeAt(start + 2);
  if (c0 === 68) return (c1 === 69 && c2 === 76) || ((c1 === 65 || c1 === 79) && c2 === 83); // DEL DAS DOS
  return c0 === 76 && (c1 === 65 || c1 === 79) && c2 === 83; // LAS LOS
}

/** Drops particles that precede a surname token: DE LA CRUZ -> CRUZ, GARCIA Y LOPEZ -> GARCIA LOPEZ. */
function dropParticles(folded: string): string {
  // Scan tokens in place: most names have no particle before a real token, and cost no allocation.
  let particleSeen = false;
  let droppable = false;
  for (let start = 0; start < folded.length; ) {
    let end = folded.indexOf(' ', start);
    if (end < 0) end = folded.length;
    if (isParticle(folded, start, end)) particleSeen = true;
    else if (particleSeen) {
      droppable = true;
      break;
    }
    start = end + 1;
  }
  if (!droppable) return folded;
  const tokens = folded.split(' ');
  let last = tokens.length - 1;
  while (last >= 0 && PARTICLES.has(tokens[last]!)) last--;
  // Trailing particles (MARIA DE, a truncated field) precede nothing and stay.
  return tokens.filter((token, i) => i >= last || !PARTICLES.has(token)).join(' ');
}

/**
 * Folds a personal name for comparison: upper case, accents stripped (NFD, marks removed, Ñ -> N),
 * punctuation dropped (apostrophes join, hyphens and the rest separate), spaces collapsed, and Spanish and
 * Portuguese particles (DE, DEL, DE LA, DE LOS, DE LAS, LA, LOS, LAS, Y, DA, DO, DOS, DAS) dropped where
 * they precede a surname token.
 */
export function foldName(s: string): string {
  return dropParticles(foldText(s));
}

/** Tokens of an already folded string. */
export function tokensOf(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}
