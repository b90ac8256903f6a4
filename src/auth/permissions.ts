/**
 * What each role may do, as `resource.action` strings in one place. Each route declares the one it needs
 * (`config: { permission: 'case.search' }`); src/auth/abilities.ts turns a person's roles and field office into a
 * CASL ability from this table, which the guard checks on every route and queries use to bound their rows.
 * The web app mirrors the list to show only what a person may use.
 */
export const PERMISSIONS = [
  'case.read',
  'case.search',
  'case.record_outcome',
  'task.read',
  'task.assign',
  'task.work',
  'alert.read',
  'tip.record',
  'linkage.decide',
  'report.read',
  'report.list_children',
  'audit.read',
  'user.manage',
  'token.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Permissions that reach individual children: for an office-scoped role they cover only the children of the
 * person's own field office (the ability carries the condition; queries turn it into SQL). The others are not
 * about one child (aggregate figures, the audit log, accounts) and are granted or not.
 */
export const CHILD_SCOPED: ReadonlySet<Permission> = new Set([
  'case.read',
  'case.search',
  'case.record_outcome',
  'task.read',
  'task.assign',
  'task.work',
  'alert.read',
  'linkage.decide',
  'report.list_children',
]);

export const ROLES = [
  'orr_case_manager',
  'ice_juvenile_coordinator',
  'field_office_supervisor',
  'hq_analyst',
  'oversight_auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** How far a role's case access reaches: nationwide, or the children of the person's own field office. */
export type Scope = 'national' | 'own_office' | 'none';

export const ROLE_GRANTS: Record<
  Role,
  { permissions: readonly Permission[]; scope: Scope; description: string }
> = {
  orr_case_manager: {
    permissions: [
      'case.read',
      'case.search',
      'case.record_outcome',
      'task.read',
      'task.work',
      'alert.read',
      'tip.record',
      'linkage.decide',
      'report.read',
    ],
    scope: 'national',
    description: 'ORR side of the records, nationwide',
  },
  ice_juvenile_coordinator: {
    permissions: [
      'case.read',
      'case.search',
      'case.record_outcome',
      'task.read',
      'task.work',
      'alert.read',
      'tip.record',
      'report.read',
    ],
    scope: 'own_office',
    description: 'records of children in the person’s own field office',
  },
  field_office_supervisor: {
    permissions: [
      'case.read',
      'case.search',
      'case.record_outcome',
      'task.read',
      'task.work',
      'task.assign',
      'alert.read',
      'tip.record',
      'linkage.decide',
      'report.read',
      'report.list_children',
    ],
    scope: 'own_office',
    description: 'own field office; assigns tasks',
  },
  hq_analyst: {
    permissions: ['report.read'],
    scope: 'none',
    description: 'aggregate figures only: no names, A-numbers or addresses',
  },
  oversight_auditor: {
    permissions: ['report.read', 'audit.read'],
    scope: 'none',
    description: 'aggregates and the audit log',
  },
  admin: {
    permissions: ['user.manage', 'token.manage'],
    scope: 'none',
    description: 'users and tokens; no case data unless also given a case role',
  },
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_GRANTS[role].permissions));
}
