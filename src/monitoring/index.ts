// Monitoring: the written policy applied to every child — rules, alerts, and tasks in field-office queues.
export { fieldOfficeFor, loadFieldOffices } from './field-offices.repository';
export { handOverMergedChildren } from './merged-children';
export { recordOutcome } from './outcomes.service';
export { DEFAULT_POLICY_PATH, loadPolicy, parsePolicy } from './policy';
export { type Policy, RULE_IDS, type RuleId } from './policy.schema';
export { type RuleCounts, runSweep, type SweepOptions, type SweepResult, sweepIn } from './sweep.service';
export { officeScopeOf } from './tasks.service';
export { type TipCandidate, tipCandidates } from './tip-candidates.repository';
