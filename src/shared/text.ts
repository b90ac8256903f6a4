/**
 * Control characters (NUL above all: PostgreSQL refuses it in text) have no place in a name, a search or a
 * filter typed by a person; parameters that reach the database refuse them.
 */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
