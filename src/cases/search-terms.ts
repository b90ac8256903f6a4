/**
 * One normalization of names and addresses for search, written once and used both in SQL (to build the index
 * in the projection) and in TypeScript (to read a query): accents folded by a fixed table, ASCII lower-cased,
 * split on spaces and punctuation. Doing it the same way on both sides is what makes "LOPEZ" find "López".
 */
const FOLD_FROM = 'ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕØóòôöõøÚÙÛÜúùûüÑñÇçÝýÿ';
const FOLD_TO = 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOOooooooUUUUuuuuNnCcYyy';
const SEPARATORS = `[\\s,.;:/#'"()&_-]+`;

/** SQL: the distinct normalized terms of a text expression, each with a prefix ('n:' for name …). */
export function termsSql(textExpression: string, prefix: string): string {
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const folded = `lower(translate(coalesce(${textExpression}, ''), ${literal(FOLD_FROM)}, ${literal(FOLD_TO)}))`;
  return `array(select distinct ${literal(prefix)} || t from regexp_split_to_table(${folded}, ${literal(SEPARATORS)}) t where t <> '')`;
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
