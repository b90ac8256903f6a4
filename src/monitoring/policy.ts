import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { AppError } from '../shared/errors';
import { Policy } from './policy.schema';

export const DEFAULT_POLICY_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../policy/default.yaml',
);

/** Reads and validates a policy file; every problem is reported with its file:line:column, not just the first. */
export function loadPolicy(file = DEFAULT_POLICY_PATH): Policy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('input_invalid', `Cannot read the policy file ${file}: ${(error as Error).message}`);
  }
  return parsePolicy(text, file);
}

export function parsePolicy(text: string, file = 'policy'): Policy {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const place = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => `${place(error.pos[0])} ${error.message.split('\n')[0]}`);
    throw new AppError(
      'input_invalid',
      `The policy file is not valid YAML:\n${problems.join('\n')}`,
      problems,
    );
  }
  const parsed = Policy.safeParse(document.toJS());
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const node = nodeAt(document.contents, issue.path);
    const where = node?.range ? place(node.range[0]) : file;
    const field = issue.path.join('.') || '(top level)';
    return `${where} ${field}: ${issue.message}`;
  });
  throw new AppError(
    'input_invalid',
    `The policy file has ${problems.length} problem(s):\n${problems.join('\n')}`,
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
