/**
 * How names and addresses are cut into search terms, written once and used both to build the index (the
 * projection) and to read a query: accents and other marks removed, lower case, split on anything that is
 * not a letter or a digit. Doing it the same way on both sides is what makes "LOPEZ" find "López".
 */
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/u;

export function searchTerms(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(folded.split(NOT_LETTER_OR_DIGIT).filter((term) => term !== ''))];
}

/** The index's terms of one child: each kind with its prefix (`n:` name, `s:` sponsor, `a:` address). */
export function childTerms(texts: { names: string; sponsor: string; addresses: string }): string[] {
  return [
    ...searchTerms(texts.names).map((term) => `n:${term}`),
    ...searchTerms(texts.sponsor).map((term) => `s:${term}`),
    ...searchTerms(texts.addresses).map((term) => `a:${term}`),
  ];
}
