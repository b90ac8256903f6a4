/**
 * Words of a free-text address, each as written and as a lookup key (upper case, no accents or periods),
 * with where the commas, semicolons and line breaks fell. The parser works on these.
 */
export interface Token {
  /** As written, surrounding punctuation trimmed. */
  text: string;
  /** As written, untrimmed: inside a multi-word element ("P.O. Box") its periods stay. */
  raw: string;
  /** Upper case, accents and periods removed: what lookups compare. */
  key: string;
  /** A comma (or line break, or semicolon) follows the token. */
  comma: boolean;
}

const GLUED_UNIT = /^(apt|apto|ste|unit|rm|bldg|spc|trlr|lot)(\d[0-9a-z-]*)$/i;
const isDigit = (code: number) => code >= 48 && code <= 57;
const PUNCTUATION = /[.:"'()[\]{}*]/;
const PUNCTUATION_AROUND = /^[.:"'()[\]{}*]+|[.:"'()[\]{}*]+$/g;
const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

export function keyOf(text: string): string {
  const upper = text.includes('.') ? text.toUpperCase().replaceAll('.', '') : text.toUpperCase();
  return NON_ASCII.test(upper) ? upper.normalize('NFD').replace(COMBINING_MARKS, '') : upper;
}

// Closures are avoided on this path: it runs for every address a feed names.
function endToken(tokens: Token[]): void {
  if (tokens.length > 0) tokens[tokens.length - 1]!.comma = true;
}

function pushWord(tokens: Token[], word: string): void {
  if (word === '-' || word === '–') {
    endToken(tokens); // "123 Main St - Houston"
    return;
  }
  const text = PUNCTUATION.test(word) ? word.replace(PUNCTUATION_AROUND, '') : word;
  if (text === '') return;
  const glued = gluedUnit(text);
  if (glued) {
    tokens.push({ text: glued[1]!, raw: glued[1]!, key: keyOf(glued[1]!), comma: false });
    tokens.push({ text: glued[2]!, raw: glued[2]!, key: keyOf(glued[2]!), comma: false });
    return;
  }
  tokens.push({ text, raw: word, key: keyOf(text), comma: false });
}

/** "Apt4B": a designator (two to four letters) glued to its number. */
function gluedUnit(text: string): RegExpExecArray | null {
  const digitAfterLetters =
    isDigit(text.charCodeAt(2)) || isDigit(text.charCodeAt(3)) || isDigit(text.charCodeAt(4));
  return digitAfterLetters && !isDigit(text.charCodeAt(0)) ? GLUED_UNIT.exec(text) : null;
}

/** Plain text (ASCII letters, digits, spaces, commas, '#', '-', '/') is the common case and the fast path. */
const PLAIN_TEXT = /^[A-Za-z0-9 ,#/-]*$/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  // For plain text, a word's key is its slice of the upper-cased input: no per-word folding needed.
  const upper = PLAIN_TEXT.test(input) ? input.toUpperCase() : undefined;
  let start = -1;
  for (let i = 0; i <= input.length; i++) {
    const ch = i < input.length ? input.charCodeAt(i) : 32;
    // space, tab, CR, LF, comma, semicolon and '#' end a word; '#' is a word of its own ("#4B", "Apt#4").
    const ends = ch === 32 || ch === 44 || ch === 59 || ch === 35 || ch === 10 || ch === 13 || ch === 9;
    if (!ends) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const word = input.slice(start, i);
      if (upper === undefined || word === '-' || gluedUnit(word)) pushWord(tokens, word);
      else tokens.push({ text: word, raw: word, key: upper.slice(start, i), comma: false });
    }
    start = -1;
    if (ch === 44 || ch === 59 || ch === 10) endToken(tokens);
    else if (ch === 35) tokens.push({ text: '#', raw: '#', key: '#', comma: false });
  }
  return tokens;
}

/** The text of tokens[from, to) as written; punctuation is trimmed around the whole, not inside it. */
export function join(tokens: Token[], from: number, to: number): string {
  if (to - from === 1) return tokens[from]!.text;
  let out = tokens[from]?.raw ?? '';
  for (let i = from + 1; i < to; i++) out += ` ${tokens[i]!.raw}`;
  return out.replace(PUNCTUATION_AROUND, '');
}

export function keys(tokens: Token[], from: number, to: number): string {
  let out = tokens[from]?.key ?? '';
  for (let i = from + 1; i < to; i++) out += ` ${tokens[i]!.key}`;
  return out;
}
