// A phonetic key for Spanish names: spellings that sound alike in (Latin American) Spanish share a key.
import { foldName } from './names';

// Character codes, named so the rules below read like the rules they are.
const A = 65;
const B = 66;
const C = 67;
const D = 68;
const E = 69;
const F = 70;
const G = 71;
const H = 72;
const I = 73;
const J = 74;
const K = 75;
const L = 76;
const M = 77;
const N = 78;
const O = 79;
const P = 80;
const Q = 81;
const R = 82;
const S = 83;
const T = 84;
const U = 85;
const V = 86;
const W = 87;
const X = 88;
const Y = 89;
const Z = 90;
const SPACE = 32;

function isVowel(c: number): boolean {
  return c === A || c === E || c === I || c === O || c === U;
}

function isFrontVowel(c: number): boolean {
  return c === E || c === I;
}

// Single-character strings by code: appending one to a short key copies a few bytes, no temporaries.
const LETTER: string[] = Array.from({ length: 91 }, (_, c) => String.fromCharCode(c));

// State of the key being built (module-level rather than closures, which would allocate per call).
let key = '';
let last = 0; // last consonant emitted in the current token, 0 after a vowel sound
let tokenStart = true; // no sound yet in the current token
let spacePending = false; // a token has ended; write the space only if another one sounds

function append(code: number): void {
  if (spacePending) {
    key += ' ';
    spacePending = false;
  }
  key += LETTER[code]!;
}

function emit(code: number): void {
  if (code !== last) append(code);
  last = code;
  tokenStart = false;
}

function vowel(c: number): void {
  if (tokenStart) append(c); // only a token's first sound keeps its vowel
  last = 0;
  tokenStart = false;
}

/**
 * The key of an already folded name (upper-case A-Z tokens separated by single spaces; see foldName).
 *
 * Each token keeps its first sound if that is a vowel, then its consonant sounds; other vowels are dropped.
 * Sounds that Spanish spelling writes several ways get one symbol:
 *   B, V, W -> B            Z, S, C before E/I -> S        C hard, K, Q(U) -> K
 *   G before E/I, J -> J    X at the start -> J (XIMENA)   X elsewhere -> KS
 *   LL, Y before a vowel -> Y (Y otherwise is the vowel I)  CH -> C (its own sound)
 *   PH -> F                 GU before E/I -> G             N before B/V/P -> M
 *   H is silent; repeated sounds with no vowel between (RR, NN, SS, SC before E/I) count once.
 */
export function phoneticCode(folded: string): string {
  const n = folded.length;
  key = '';
  last = 0;
  tokenStart = true;
  spacePending = false;
  for (let i = 0; i < n; i++) {
    const c = folded.charCodeAt(i);
    const next = i + 1 < n ? folded.charCodeAt(i + 1) : 0;
    switch (c) {
      case SPACE:
        if (!tokenStart) spacePending = true;
        last = 0;
        tokenStart = true;
        break;
      case A:
      case E:
      case I:
      case O:
      case U:
        vowel(c);
        break;
      case B:
      case V:
      case W:
        emit(B);
        break;
      case C:
        if (next === H) {
          emit(C);
          i++;
        } else emit(isFrontVowel(next) ? S : K);
        break;
      case G:
        if (isFrontVowel(next)) emit(J);
        else {
          emit(G);
          if (next === U && i + 2 < n && isFrontVowel(folded.charCodeAt(i + 2))) i++; // GUE, GUI: U silent
        }
        break;
      case H:
        break;
      case K:
        emit(K);
        break;
      case L:
        if (next === L) {
          emit(Y);
          i++;
        } else emit(L);
        break;
      case N:
        emit(next === B || next === V || next === P ? M : N);
        break;
      case P:
        if (next === H) {
          emit(F);
          i++;
        } else emit(P);
        break;
      case Q:
        emit(K);
        if (next === U) i++;
        break;
      case X:
        if (tokenStart) emit(J);
        else {
          emit(K);
          emit(S);
        }
        break;
      case Y:
        if (isVowel(next)) emit(Y);
        else vowel(I);
        break;
      case Z:
        emit(S);
        break;
      case D:
      case F:
      case J:
      case M:
      case R:
      case S:
      case T:
        emit(c);
        break;
      default:
        break; // digits and letters outside A-Z carry no sound here
    }
  }
  return key;
}

/** Spanish phonetic key of a name in any spelling: folds it (foldName), then keys each token. */
export function spanishPhonetic(s: string): string {
  return phoneticCode(foldName(s));
}
