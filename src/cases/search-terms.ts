/**
 * One normalization of names and addresses for search, written once and used both in SQL (to build the index
 * in the projection) and in TypeScript (to read a query): accents folded by a fixed table, ASCII lower-cased,
 * split on spaces and punctuation. Doing it the same way on both sides is what makes "LOPEZ" find "López".
 */
const FOLD_FROM = 'ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕØóòôöõøÚÙÛÜúùûüÑñÇçÝýÿ';
const FOLD_TO = 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOOooooooUUUUuuuuNnCcYyy';
const SEPARATORS = `[\\s,.;:/#'"()&_-]+`;

/**
 * SQL: the normalized terms of a text expression, each with a prefix ('n:' for name …). Separators become
 * ' n:' and the text is cut at the spaces: one regular-expression pass, no per-term subquery (duplicates are
 * harmless: the GIN index keeps each key once per row).
 */
export function termsSql(textExpression: string, prefix: string): string {
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const folded = `lower(translate(coalesce(${textExpression}, ''), ${literal(FOLD_FROM)}, ${literal(FOLD_TO)}))`;
  const prefixed = `${literal(prefix)} || regexp_replace(${folded}, ${literal(SEPARATORS)}, ${literal(` ${prefix}`)}, 'g')`;
  return `array_remove(string_to_array(${prefixed}, ' '), ${literal(prefix)})`;
}

const fold = new Map([...FOLD_FROM].map((from, index) => [from, FOLD_TO[index]!]));
const separators = new RegExp(SEPARATORS, 'u');

/** TypeScript: the same terms of a query text, without prefixes. */
export function searchTerms(text: string): string[] {
  const folded = [...text]
    .map((char) => fold.get(char) ?? char)
    .join('')
    .replace(/[A-Z]/g, (char) => char.toLowerCase());
  return [...new Set(folded.split(separators).filter((term) => term !== ''))];
}
