import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_PATH, loadPolicy, parsePolicy } from './policy';
import { RULE_IDS } from './policy.schema';

const defaultText = fs.readFileSync(DEFAULT_POLICY_PATH, 'utf8');

function problemsOf(text: string): string[] {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (error) {
    return (error as { details: string[] }).details;
  }
  throw new Error('expected the policy to be refused');
}

describe('the monitoring policy file', () => {
  it('ships a default that configures every rule, enabled', () => {
    const policy = loadPolicy();
    expect(Object.keys(policy.rules).sort()).toEqual([...RULE_IDS].sort());
    expect(Object.values(policy.rules).every((rule) => rule.enabled)).toBe(true);
  });

  it('gives the failed-to-appear protocol its six tasks, each with its own due date', () => {
    const tasks = loadPolicy().rules.failed_to_appear.tasks;
    expect(tasks.map((task) => task.kind)).toEqual([
      'verify_address',
      'contact_sponsor',
      'request_orr_safety_check',
      'refer_legal_services',
      'locate_attempt',
      'missing_child_report',
    ]);
    expect(tasks.find((task) => task.kind === 'refer_legal_services')?.when).toBe('no_attorney');
  });

  it('names the line, column and field of every problem, not only the first', () => {
    const text = defaultText
      .replace('after_days: 60', 'after_days: sixty')
      .replace('min_children: 4', 'min_children: 1')
      .replace(
        '{ kind: triage_tip, office: ice, due_days: 2 }',
        '{ kind: triage_tip, office: dhs, due_days: 2 }',
      );
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^policy\.yaml:\d+:\d+ rules\.no_nta\.after_days: expected after_days as a whole number of days$/,
      ),
      expect.stringMatching(
        /^policy\.yaml:\d+:\d+ rules\.shared_sponsor_or_address\.min_children: expected at least 2 children$/,
      ),
      expect.stringMatching(/^policy\.yaml:\d+:\d+ rules\.tip_triage\.tasks\.0\.office: expected ice or orr/),
    ]);
    const line = Number(problemsOf(text)[0]!.split(':')[1]);
    expect(text.split('\n')[line - 1]).toContain('after_days: sixty');
  });

  it('refuses a rule it does not know, so a misspelt rule is not silently ignored', () => {
    const text = defaultText.replace('  age_out:', '  age_0ut:');
    expect(problemsOf(text).join('\n')).toMatch(/rules: Unrecognized key: "age_0ut"/);
  });

  it('refuses a whereabouts window where unknown comes before unverified', () => {
    const text = defaultText.replace('unknown_after_days: 180', 'unknown_after_days: 30');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^policy\.yaml:\d+:\d+ whereabouts\.unknown_after_days: unknown_after_days must be at least verified_within_days$/,
      ),
    ]);
  });

  it('reports broken YAML with its place instead of throwing a parser stack', () => {
    expect(() => parsePolicy('rules: [\n  no_nta', 'policy.yaml')).toThrow(
      /^The policy file is not valid YAML:\npolicy\.yaml:\d+:\d+ /,
    );
  });
});
