import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { parseYamlFile } from '../shared/yaml-file';
import { ROLE_GRANTS, ROLES, type Role } from './permissions';

/**
 * Sharing rules as versioned data (policy/sharing-rules.yaml): which role sees which parts of a child's record,
 * on which legal basis, from which date. The version in force shapes every case view (through the ability's
 * field rules) and is recorded with each audited read.
 */
export const FIELD_GROUPS = [
  'identity',
  'identifiers',
  'status',
  'case_state',
  'addresses',
  'sponsor',
  'timeline',
  'records',
] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

const Groups = z
  .array(z.enum(FIELD_GROUPS, { error: `expected one of ${FIELD_GROUPS.join(', ')}` }))
  .refine((groups) => new Set(groups).size === groups.length, 'a field group is listed twice');

const RoleRule = z
  .object({
    basis: z.string().min(3, 'name the legal basis'),
    groups: Groups,
    protected_1367: Groups,
  })
  .strict()
  .refine((rule) => rule.protected_1367.every((group) => rule.groups.includes(group)), {
    message: 'protected_1367 may only list groups that are also in groups',
    path: ['protected_1367'],
  });

const isoDate = z.iso.date('expected a date such as 2024-07-01');

const Version = z
  .object({
    id: z.string().regex(/^[\w.-]{1,40}$/, 'expected a short id such as 2024-07'),
    effective: z.union([z.date().transform((date) => date.toISOString().slice(0, 10)), isoDate]),
    title: z.string().min(3),
    roles: z.partialRecord(z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` }), RoleRule),
  })
  .strict();

/** Roles that open children's records must be covered by every version: a gap would be a silent denial. */
const CASE_READERS = ROLES.filter((role) => ROLE_GRANTS[role].permissions.includes('case.read'));

export const SharingRules = z
  .object({ versions: z.array(Version).min(1, 'expected at least one version') })
  .strict()
  .superRefine((rules, context) => {
    rules.versions.forEach((version, index) => {
      const previous = rules.versions[index - 1];
      if (previous && previous.effective >= version.effective) {
        context.addIssue({
          code: 'custom',
          message: `must be later than the previous version's (${previous.effective})`,
          path: ['versions', index, 'effective'],
        });
      }
      if (rules.versions.findIndex((other) => other.id === version.id) !== index) {
        context.addIssue({ code: 'custom', message: 'duplicate id', path: ['versions', index, 'id'] });
      }
      for (const role of CASE_READERS) {
        if (!version.roles[role]) {
          context.addIssue({
            code: 'custom',
            message: `the role ${role} reads cases and needs a rule in every version`,
            path: ['versions', index, 'roles'],
          });
        }
      }
    });
  });
export type SharingRules = z.infer<typeof SharingRules>;
export type SharingVersion = SharingRules['versions'][number];

export const DEFAULT_SHARING_RULES_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../policy/sharing-rules.yaml',
);

export function parseSharingRules(text: string, file = 'sharing-rules'): SharingRules {
  return parseYamlFile(text, file, SharingRules, 'sharing rules file');
}

export function loadSharingRules(file = DEFAULT_SHARING_RULES_PATH): SharingRules {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('input_invalid', `Cannot read the sharing rules ${file}: ${(error as Error).message}`);
  }
  return parseSharingRules(text, file);
}

/** The version in force on a date: the latest one effective on or before it (the first one before any). */
export function versionInForce(rules: SharingRules, at: Date): SharingVersion {
  const day = at.toISOString().slice(0, 10);
  let inForce = rules.versions[0]!;
  for (const version of rules.versions) if (version.effective <= day) inForce = version;
  return inForce;
}

export function ruleFor(version: SharingVersion, role: Role) {
  return version.roles[role];
}
