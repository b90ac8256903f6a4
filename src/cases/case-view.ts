import type { FieldGroup } from '../auth/sharing-rules';
import { FIELD_GROUPS } from '../auth/sharing-rules';
import type { CaseFile, CaseFileText } from './case-file.repository';

/**
 * A child's case file cut down to the field groups the sharing rules in force let the person see
 * (policy/sharing-rules.yaml). Whatever is not in a visible group is left out here, and the response schema
 * would drop an undeclared field anyway.
 */
const STATUS_FIELDS = new Set(['status', 'nextHearingAt', 'fieldOfficeCode']);
const SPONSOR_FIELDS = ['sponsor_name', 'relationship', 'category', 'phone'];

export type CaseViewKind = 'full' | 'minimum_1367' | 'limited';

/** full: every group; minimum_1367: a protected child cut down; limited: cut down by the sharing rules. */
export function viewKind(groups: ReadonlySet<FieldGroup>, protected1367: boolean): CaseViewKind {
  if (FIELD_GROUPS.every((group) => groups.has(group))) return 'full';
  return protected1367 ? 'minimum_1367' : 'limited';
}

export function shapeCaseFile(file: CaseFile, groups: ReadonlySet<FieldGroup>) {
  const has = (group: FieldGroup) => groups.has(group);
  const { child } = file;
  const state = file.state
    ? Object.fromEntries(
        Object.entries(file.state).filter(([key]) =>
          STATUS_FIELDS.has(key) ? has('status') : has('case_state'),
        ),
      )
    : null;
  const withheld = FIELD_GROUPS.filter((group) => !has(group));
  const kind: CaseViewKind = withheld.length === 0 ? 'full' : file.protected1367 ? 'minimum_1367' : 'limited';
  return {
    view: kind,
    fieldGroups: FIELD_GROUPS.filter(has),
    child: {
      id: child.id,
      ...(has('identity')
        ? {
            givenNames: child.givenNames,
            surnames: child.surnames,
            dob: child.dob,
            sex: child.sex,
            country: child.country,
          }
        : {}),
      ...(has('identifiers') ? { aNumber: child.aNumber, orrId: child.orrId } : {}),
    },
    state,
    ...(has('addresses') ? { addresses: file.addresses } : {}),
    ...(has('sponsor') ? { sponsor: file.sponsor } : {}),
    // Open alerts and tasks say what the policy found about the child: shown with the case state.
    ...(has('case_state') ? { alerts: file.alerts, tasks: file.tasks } : {}),
    ...(has('records') ? { records: file.records } : {}),
    ...(has('timeline')
      ? {
          timeline: has('sponsor')
            ? file.timeline
            : file.timeline.map((event) => ({ ...event, data: withoutSponsor(event.data) })),
        }
      : {}),
    withheld: withheld.map((group) =>
      file.protected1367 && kind === 'minimum_1367'
        ? `${group}: protected under 8 U.S.C. § 1367; ORR may share it on a documented legal basis`
        : `${group}: not shared with your role under the sharing rules in force`,
    ),
  };
}

function withoutSponsor(data: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...data };
  for (const field of SPONSOR_FIELDS) delete copy[field];
  return copy;
}

const FULL_VIEW_HEAD = `{"view":"full","fieldGroups":${JSON.stringify(FIELD_GROUPS)},"withheld":[]`;

/**
 * The full view, written from the database's text: with every group shown nothing is cut, so the file is not
 * parsed, copied and written again — on the busiest route that was most of the app's work per read. The same
 * document as `shapeCaseFile` gives for every group plus the sharing rules (tested field for field).
 */
export function fullCaseViewJson(
  file: CaseFileText,
  sharingRules: { version: string; basis: string[] },
): string {
  // The file is a JSON object; its members follow the view's own.
  return `${FULL_VIEW_HEAD},"sharingRules":${JSON.stringify(sharingRules)},${file.json.slice(1)}`;
}
