import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { AppError } from './errors';

/**
 * Parses a YAML file an agency edits (monitoring policy, sharing rules) and validates it with a zod schema;
 * every problem is reported with its file:line:column, not just the first.
 */
export function parseYamlFile<Schema extends z.ZodType>(
  text: string,
  file: string,
  schema: Schema,
  what: string,
): z.infer<Schema> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const place = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => `${place(error.pos[0])} ${error.message.split('\n')[0]}`);
    throw new AppError('input_invalid', `The ${what} is not valid YAML:\n${problems.join('\n')}`, problems);
  }
  const parsed = schema.safeParse(document.toJS());
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const node = nodeAt(document.contents, issue.path);
    const where = node?.range ? place(node.range[0]) : file;
    const field = issue.path.join('.') || '(top level)';
    return `${where} ${field}: ${issue.message}`;
  });
  throw new AppError(
    'input_invalid',
    `The ${what} has ${problems.length} problem(s):\n${problems.join('\n')}`,
    problems,
  );
}

/** The deepest YAML node along a validation path, so an error can name the line it is about. */
function nodeAt(root: unknown, pathKeys: PropertyKey[]): Node | undefined {
  let node = root as Node | undefined;
  for (const key of pathKeys) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) return node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof key === 'number') {
      node = (node.items[key] as Node | undefined) ?? node;
    } else break;
  }
  return node;
}
