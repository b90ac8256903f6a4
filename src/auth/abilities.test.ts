import { subject } from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abilityFor,
  allows,
  allowsChild,
  defineAbilityFor,
  officesOf,
  permissionsOf,
  scopeCondition,
  visibleGroups,
} from './abilities';
import { ROLES } from './permissions';
import { FIELD_GROUPS, loadSharingRules, parseSharingRules, versionInForce } from './sharing-rules';

const rules = loadSharingRules();
const now = versionInForce(rules, new Date('2026-01-01'));
const columns = { fieldOfficeCode: 'cs.field_office_code', protected1367: 'cs.protected_1367' };

describe('abilities', () => {
  it('bounds an office-scoped role to its own office, in memory and in SQL', () => {
    const ability = defineAbilityFor({ roles: ['ice_juvenile_coordinator'], fieldOfficeCode: 'HOU' }, now);
    expect(allows(ability, 'case.search')).toBe(true);
    expect(allowsChild(ability, 'case.search', { fieldOfficeCode: 'HOU', protected1367: false })).toBe(true);
    expect(allowsChild(ability, 'case.search', { fieldOfficeCode: 'ATL', protected1367: false })).toBe(false);
    const params: unknown[] = [];
    expect(scopeCondition(ability, 'case.search', columns, params)).toBe('cs.field_office_code = $1');
    expect(params).toEqual(['HOU']);
  });

  it('gives a nationwide role no condition, and a role without the permission a false one', () => {
    const orr = defineAbilityFor({ roles: ['orr_case_manager'], fieldOfficeCode: null }, now);
    expect(scopeCondition(orr, 'case.search', columns, [])).toBe('true');
    const analyst = defineAbilityFor({ roles: ['hq_analyst'], fieldOfficeCode: null }, now);
    expect(scopeCondition(analyst, 'case.search', columns, [])).toBe('false');
    expect(permissionsOf(analyst)).toEqual(['report.read']);
  });

  it('limits a nationwide role given a region to that region’s field offices, everywhere scope is read', () => {
    const regional = defineAbilityFor(
      { roles: ['orr_case_manager'], fieldOfficeCode: null, regionOffices: ['HOU', 'SNA'] },
      now,
    );
    expect(allowsChild(regional, 'case.read', { fieldOfficeCode: 'SNA', protected1367: false })).toBe(true);
    expect(allowsChild(regional, 'case.read', { fieldOfficeCode: 'ATL', protected1367: false })).toBe(false);
    const params: unknown[] = [];
    expect(scopeCondition(regional, 'case.search', columns, params)).toBe('cs.field_office_code = any($1)');
    expect(params).toEqual([['HOU', 'SNA']]);
    expect(officesOf(regional, 'task.read')).toEqual(['HOU', 'SNA']);
    expect(
      officesOf(defineAbilityFor({ roles: ['orr_case_manager'], fieldOfficeCode: null }, now), 'task.read'),
    ).toBe('all');
    const coordinator = defineAbilityFor(
      { roles: ['ice_juvenile_coordinator'], fieldOfficeCode: 'HOU' },
      now,
    );
    expect(officesOf(coordinator, 'alert.read')).toEqual(['HOU']);
    expect(officesOf(coordinator, 'task.assign')).toEqual([]);
  });

  it('reaches no child for an office-scoped person without an office', () => {
    const ability = defineAbilityFor({ roles: ['field_office_supervisor'], fieldOfficeCode: null }, now);
    expect(allows(ability, 'case.read')).toBe(false);
    expect(allows(ability, 'report.read')).toBe(true);
  });

  it('lets a person find a § 1367 child by address only where the address could be read', () => {
    const ability = defineAbilityFor({ roles: ['ice_juvenile_coordinator'], fieldOfficeCode: 'HOU' }, now);
    const params: unknown[] = [];
    const sql = scopeCondition(ability, 'case.read', columns, params, 'addresses');
    expect(sql).toBe('(cs.field_office_code = $1 and cs.protected_1367 = $2)');
    expect(params).toEqual(['HOU', false]);
  });

  it('shows the field groups of the sharing rules in force, fewer for a protected child', () => {
    const ice = { roles: ['ice_juvenile_coordinator'] as const, fieldOfficeCode: 'HOU' };
    const in2024 = defineAbilityFor(
      { ...ice, roles: [...ice.roles] },
      versionInForce(rules, new Date('2024-08-01')),
    );
    const in2025 = defineAbilityFor({ ...ice, roles: [...ice.roles] }, now);
    const child = { fieldOfficeCode: 'HOU', protected1367: false };
    expect(visibleGroups(in2024, child).has('sponsor')).toBe(false);
    expect(visibleGroups(in2025, child).has('sponsor')).toBe(true);
    expect([...visibleGroups(in2025, { ...child, protected1367: true })]).toEqual([
      'identity',
      'identifiers',
      'status',
    ]);
    const both = defineAbilityFor(
      { roles: ['ice_juvenile_coordinator', 'orr_case_manager'], fieldOfficeCode: 'HOU' },
      now,
    );
    expect(visibleGroups(both, { fieldOfficeCode: 'ATL', protected1367: true }).size).toBe(8);
  });
});

describe('sharing rules', () => {
  it('puts the version in force by date: 2018, 2021, 2024 and 2025', () => {
    const on = (day: string) => versionInForce(rules, new Date(`${day}T12:00:00Z`)).id;
    expect([
      on('2019-01-01'),
      on('2021-03-11'),
      on('2024-06-30'),
      on('2024-07-01'),
      on('2026-01-01'),
    ]).toEqual(['2018-04', '2021-03', '2021-03', '2024-07', '2025-03']);
  });

  it('names the line of every problem in a sharing rules file', () => {
    const text = `versions:
  - id: '2024-07'
    effective: 2024-07-01
    title: Foundational Rule
    roles:
      orr_case_manager:
        basis: 45 CFR part 410
        groups: [identity, addresses]
        protected_1367: [identity, timeline]
      ice_juvenile_coordinator:
        basis: x
        groups: [identity, hair_colour]
        protected_1367: []
`;
    let message = '';
    try {
      parseSharingRules(text, 'rules.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'rules.yaml:9:25 versions.0.roles.orr_case_manager.protected_1367: protected_1367 may only list groups',
    );
    expect(message).toMatch(/rules\.yaml:11:16 .*basis: name the legal basis/);
    expect(message).toMatch(/rules\.yaml:12:28 .*groups\.1: expected one of identity/);
  });

  it('refuses versions out of date order and a version that forgets a role that reads cases', () => {
    const role = (name: string) =>
      `      ${name}: { basis: a basis, groups: [identity], protected_1367: [identity] }\n`;
    const version = (id: string, effective: string, roles: string[]) =>
      `  - id: '${id}'\n    effective: ${effective}\n    title: Version ${id}\n    roles:\n${roles.map(role).join('')}`;
    const all = ['orr_case_manager', 'ice_juvenile_coordinator', 'field_office_supervisor'];
    const text = `versions:\n${version('2024-07', '2024-07-01', all)}${version('2021-03', '2021-03-11', all.slice(0, 2))}`;
    expect(() => parseSharingRules(text, 'rules.yaml')).toThrow(
      /rules\.yaml:10:16 versions\.1\.effective: must be later than the previous version's \(2024-07-01\)[\s\S]*versions\.1\.roles: the role field_office_supervisor reads cases/,
    );
    expect(parseSharingRules(`versions:\n${version('2021-03', '2021-03-11', all)}`).versions).toHaveLength(1);
  });

  it('reuses built abilities and field groups only where building them afresh gives the same answer', () => {
    const offices = fc.constantFrom(null, 'HOU', 'NYC', 'SFR');
    const holder = fc.record({
      roles: fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: 3 }),
      fieldOfficeCode: offices,
      regionOffices: fc.option(fc.uniqueArray(fc.constantFrom('HOU', 'NYC', 'SFR'), { maxLength: 2 })),
    });
    const child = fc.record({ fieldOfficeCode: offices, protected1367: fc.boolean() });
    const version = fc.constantFrom(...rules.versions);
    // Several holders in a row through the same caches: a role, office or version change must never be answered
    // from another's entry.
    fc.assert(
      fc.property(fc.array(fc.tuple(holder, version, child), { minLength: 1, maxLength: 8 }), (steps) => {
        for (const [who, sharing, target] of steps) {
          const cached = abilityFor(who, sharing);
          const fresh = defineAbilityFor(who, sharing);
          expect(cached.rules).toEqual(fresh.rules);
          expect(permissionsOf(cached)).toEqual(permissionsOf(fresh));
          const expected = permittedFieldsOf(fresh, 'read', subject('case', { ...target }), {
            fieldsFrom: (rule) => rule.fields ?? [...FIELD_GROUPS],
          });
          expect([...visibleGroups(cached, target)].sort()).toEqual([...expected].sort());
          expect([...visibleGroups(cached, target)].sort()).toEqual([...expected].sort());
        }
      }),
      { numRuns: 300 },
    );
    const orr = { roles: ['orr_case_manager' as const], fieldOfficeCode: null };
    expect(abilityFor(orr, now)).toBe(abilityFor({ ...orr }, now));
    expect(abilityFor(orr, now)).not.toBe(abilityFor(orr, rules.versions[0]!));
  });
});
