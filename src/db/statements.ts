/** A statement with its parameters ($1, $2, … in the text). */
export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * Data-modifying statements as one (each a `WITH` clause, its parameters renumbered after the ones before): sent
 * at once, the database runs them all while the app goes on, where separate statements would each wait for the
 * app to send the next. They run on one snapshot, so none may read what another writes.
 */
export function statementOf(parts: readonly Statement[]): Statement {
  const params: unknown[] = [];
  const clauses = parts.map((part, i) => {
    const offset = params.length;
    params.push(...part.params);
    return `w${i} as (${part.text.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + offset}`)})`;
  });
  return { text: `with ${clauses.join(',\n')}\nselect 1`, params };
}

/**
 * A PostgreSQL array literal of these values (`{1,NULL}`, `{"GARCIA","O\"NEIL"}`) for a `$n::type[]` parameter.
 * node-postgres makes the same text from an array one concatenation per element, which was a tenth of the garbage
 * a linked batch made; this makes it with one join.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) elements[i] = 'NULL';
    else if (typeof value === 'number') elements[i] = String(value);
    else
      elements[i] =
        value.indexOf('"') < 0 && value.indexOf('\\') < 0
          ? `"${value}"`
          : `"${value.replace(/["\\]/g, '\\$&')}"`;
  }
  return `{${elements.join(',')}}`;
}
