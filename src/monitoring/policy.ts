import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../shared/errors';
import { parseYamlFile } from '../shared/yaml-file';
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
  return parseYamlFile(text, file, Policy, 'policy file');
}
