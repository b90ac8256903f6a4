import {
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type MongoQuery,
  type RawRuleOf,
  subject,
} from '@casl/ability';
import { permittedFieldsOf, rulesToCondition } from '@casl/ability/extra';
import { CHILD_SCOPED, PERMISSIONS, type Permission, ROLE_GRANTS, type Role } from './permissions';
import { FIELD_GROUPS, type FieldGroup, type SharingVersion } from './sharing-rules';

/**
 * The one place where a person's roles, field office and the sharing rules in force become what the person may
 * do: a CASL ability. The guard asks it whether a route's permission is granted at all; handlers ask it about one
 * child (scope) and which field groups of that child's record to show; queries turn it into SQL so a list or a
 * search never returns a row the person could not open.
 *
 * A permission `resource.action` is the CASL action `action` on the subject type `resource`. For permissions in
 * CHILD_SCOPED, an office-scoped role's rule carries the condition `{ fieldOfficeCode: <own office> }`.
 */
type ActionOf<P> = P extends `${string}.${infer A}` ? A : never;
type ResourceOf<P> = P extends `${infer R}.${string}` ? R : never;
export type Action = ActionOf<Permission>;
export type Resource = ResourceOf<Permission>;

/** What scope and sharing conditions look at on a child (or on a task or alert, through its child). */
export interface ChildAttributes {
  fieldOfficeCode: string | null;
  protected1367: boolean;
}
type ChildSubject = ForcedSubject<Resource> & ChildAttributes;
export type AppAbility = MongoAbility<[Action, Resource | ChildSubject], MongoQuery<ChildAttributes>>;

export interface AbilityHolder {
  roles: readonly Role[];
  fieldOfficeCode: string | null;
  /** A nationwide role limited to these field offices (an ORR region); null or absent: the whole country. */
  regionOffices?: readonly string[] | null;
}

const split = (permission: Permission) => {
  const [resource, action] = permission.split('.') as [Resource, Action];
  return { resource, action };
};

export function defineAbilityFor(holder: AbilityHolder, sharing: SharingVersion): AppAbility {
  const rules: RawRuleOf<AppAbility>[] = [];
  for (const role of holder.roles) {
    const grant = ROLE_GRANTS[role];
    // An office-scoped person without an office reaches no child at all (never "children without an office").
    const region = holder.regionOffices?.length
      ? { fieldOfficeCode: { $in: [...holder.regionOffices] } }
      : {};
    const scope =
      grant.scope === 'national'
        ? region
        : grant.scope === 'own_office' && holder.fieldOfficeCode
          ? { fieldOfficeCode: holder.fieldOfficeCode }
          : undefined;
    for (const permission of grant.permissions) {
      const { resource, action } = split(permission);
      if (!CHILD_SCOPED.has(permission)) {
        rules.push({ action, subject: resource });
        continue;
      }
      if (!scope) continue;
      if (permission !== 'case.read') {
        rules.push({ action, subject: resource, conditions: scope });
        continue;
      }
      // Reading a record: the sharing rules in force say which field groups, for protected children and others.
      const rule = sharing.roles[role];
      if (!rule) continue;
      const shared = [
        { fields: rule.groups, conditions: { ...scope, protected1367: false } },
        { fields: rule.protected_1367, conditions: { ...scope, protected1367: true } },
      ];
      for (const { fields, conditions } of shared) {
        if (fields.length > 0) rules.push({ action, subject: resource, fields, conditions });
      }
    }
  }
  return createMongoAbility<AppAbility>(rules);
}

/** Abilities already built, by sharing version and by everything else an ability is made of (see abilityFor). */
const built = new WeakMap<SharingVersion, Map<string, AppAbility>>();
/** Distinct role sets, offices and regions are few; a bound keeps a pathological mix from growing the map. */
const MOST_BUILT = 1000;

/**
 * defineAbilityFor, built once and reused: the guard needs an ability on every request, and building one
 * (CASL compiling the rules) cost a few percent of a case read. The key is everything defineAbilityFor reads
 * (roles, office, region, sharing version), so a changed role or office, or another version coming into force,
 * finds another entry: nothing to invalidate. Abilities are never updated in place (no `ability.update`).
 */
export function abilityFor(holder: AbilityHolder, sharing: SharingVersion): AppAbility {
  let byHolder = built.get(sharing);
  if (!byHolder) {
    byHolder = new Map();
    built.set(sharing, byHolder);
  }
  const key = JSON.stringify([holder.roles, holder.fieldOfficeCode, holder.regionOffices ?? null]);
  let ability = byHolder.get(key);
  if (!ability) {
    if (byHolder.size >= MOST_BUILT) byHolder.clear();
    ability = defineAbilityFor(holder, sharing);
    byHolder.set(key, ability);
  }
  return ability;
}

/** Route level: does the person hold this permission for anything at all (some child, for scoped ones)? */
export function allows(ability: AppAbility, permission: Permission): boolean {
  const { resource, action } = split(permission);
  return ability.can(action, resource);
}

/** The permissions a person holds, for the web app to mirror. */
export function permissionsOf(ability: AppAbility): Permission[] {
  return PERMISSIONS.filter((permission) => allows(ability, permission));
}

/**
 * The field offices whose children a person may act on with a permission: all of them, or a list (empty:
 * none) — for queries that filter by office rather than by a condition (task queues, figure lists).
 */
export function officesOf(ability: AppAbility, permission: Permission): 'all' | string[] {
  const { resource, action } = split(permission);
  const offices = new Set<string>();
  for (const rule of ability.rulesFor(action, resource)) {
    if (rule.inverted) continue;
    const office = (rule.conditions as { fieldOfficeCode?: string | { $in: string[] } } | undefined)
      ?.fieldOfficeCode;
    if (office === undefined) return 'all';
    for (const code of typeof office === 'string' ? [office] : office.$in) offices.add(code);
  }
  return [...offices];
}

/** Object level: may the person do this to this child (scope and § 1367 conditions)? */
export function allowsChild(ability: AppAbility, permission: Permission, child: ChildAttributes): boolean {
  const { resource, action } = split(permission);
  return ability.can(action, subject(resource, { ...child }));
}

/** Field groups already worked out, per ability and per the two attributes the rules look at. */
const groupsSeen = new WeakMap<AppAbility, Map<string, ReadonlySet<FieldGroup>>>();

/**
 * Which field groups of this child's record the person may see under the sharing rules in force. The answer
 * depends only on the child's office and § 1367 flag (the only attributes the rules' conditions name), so it is
 * remembered per ability for each pair.
 */
export function visibleGroups(ability: AppAbility, child: ChildAttributes): ReadonlySet<FieldGroup> {
  let seen = groupsSeen.get(ability);
  if (!seen) {
    seen = new Map();
    groupsSeen.set(ability, seen);
  }
  const { fieldOfficeCode, protected1367 } = child;
  // null and undefined meet the conditions (an office, true or false) alike.
  const key = JSON.stringify([protected1367 ?? null, fieldOfficeCode ?? null]);
  let groups = seen.get(key);
  if (!groups) {
    const fields = permittedFieldsOf(ability, 'read', subject('case', { fieldOfficeCode, protected1367 }), {
      fieldsFrom: (rule) => rule.fields ?? [...FIELD_GROUPS],
    });
    if (seen.size >= MOST_BUILT) seen.clear();
    groups = new Set(fields as FieldGroup[]);
    seen.set(key, groups);
  }
  return groups;
}

/** Columns of a query's child-level conditions, e.g. `{ fieldOfficeCode: 'cs.field_office_code', … }`. */
export type ChildColumns = Record<keyof ChildAttributes, string>;

/**
 * The ability as a SQL condition on a query's rows: `true` for nationwide access, `false` for none, otherwise
 * the office (and § 1367) conditions of the rules, with values appended to `params` as placeholders. With a
 * field group, only the rows whose that group the person may see (e.g. find by address only where the address
 * could be read).
 */
export function scopeCondition(
  ability: AppAbility,
  permission: Permission,
  columns: ChildColumns,
  params: unknown[],
  fieldGroup?: FieldGroup,
): string {
  const { resource, action } = split(permission);
  const condition = rulesToCondition(
    ability.rulesFor(action, resource, fieldGroup),
    (rule): AstNode => {
      const ast = rule.ast as unknown as AstNode;
      return rule.inverted ? { operator: 'not', value: [ast] } : ast;
    },
    {
      and: (value): AstNode => ({ operator: 'and', value }),
      or: (value): AstNode => ({ operator: 'or', value }),
      empty: (): AstNode => ({ operator: 'and', value: [] }),
    },
  );
  return condition ? toSql(condition, columns, params) : 'false';
}

interface AstNode {
  operator: string;
  field?: string;
  value: unknown;
}

function toSql(node: AstNode, columns: ChildColumns, params: unknown[]): string {
  switch (node.operator) {
    case 'and':
    case 'or': {
      const parts = (node.value as AstNode[]).map((part) => toSql(part, columns, params));
      if (parts.length === 0) return node.operator === 'and' ? 'true' : 'false';
      return parts.length === 1 ? parts[0]! : `(${parts.join(` ${node.operator} `)})`;
    }
    case 'not':
      return `not ${toSql((node.value as AstNode[])[0]!, columns, params)}`;
    case 'eq': {
      const column = columns[node.field as keyof ChildAttributes];
      if (!column) throw new Error(`No column for the ability condition on ${node.field}`);
      params.push(node.value);
      return `${column} = $${params.length}`;
    }
    case 'in': {
      const column = columns[node.field as keyof ChildAttributes];
      if (!column) throw new Error(`No column for the ability condition on ${node.field}`);
      params.push(node.value);
      return `${column} = any($${params.length})`;
    }
    default:
      throw new Error(`Ability condition ${node.operator} has no SQL form (src/auth/abilities.ts)`);
  }
}
