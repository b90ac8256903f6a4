/**
 * Control characters (NUL above all: PostgreSQL refuses it in text) have no place in a name, a search or a
 * filter typed by a person; parameters that reach the database refuse them.
 */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** SQL: `expression` in upper case without accents, for comparing a name as a caller said it with the name on record. */
export function foldSql(expression: string): string {
  return `upper(translate(${expression}, 'áéíóúüñàèìòùçâêîôûãõÁÉÍÓÚÜÑÀÈÌÒÙÇÂÊÎÔÛÃÕ', 'aeiouunaeioucaeiouaoAEIOUUNAEIOUCAEIOUAO'))`;
}

/** SQL: the first word of the name in `expression`, folded (`foldSql`): how a tip's name meets a child's. */
export function firstNameSql(expression: string): string {
  return foldSql(`split_part(btrim(${expression}), ' ', 1)`);
}
