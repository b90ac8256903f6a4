// Writes default-model.json: the model incremental linking uses before a store's first full run
// (`whereabouts link`), estimated without labels from a generated caseload — synthetic people only.
// Run: node --import tsx src/identity/reference/estimate-default-model.ts [children]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataset } from '../../linkage/dataset';
import { runLinkage } from '../../linkage/engine';
import { generateCaseload } from '../../synth';
import { writePersonRecords } from '../../synth/person-records';
import { type PersonModel, sharesOf } from '../identities';
import { PERSON_LINK_CONFIG, PERSON_PRIOR_BLOCKING } from '../person-config';

const children = Number(process.argv[2] ?? 20_000);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-model-'));
try {
  generateCaseload({ children, seed: 2026, out: work });
  writePersonRecords(work, path.join(work, 'people'));
  const data = await loadDataset(PERSON_LINK_CONFIG, [path.join(work, 'people', 'records.csv')]);
  const run = runLinkage(PERSON_LINK_CONFIG, data, { crossOnly: false, priorRules: PERSON_PRIOR_BLOCKING });
  const model: PersonModel = { params: run.params, shares: sharesOf(data) };
  const round = (x: number) => Number(x.toPrecision(6));
  for (const field of model.params.fields) {
    field.m = field.m.map(round);
    field.u = field.u.map(round);
  }
  for (const shares of Object.values(model.shares)) {
    for (const value of Object.keys(shares.values)) shares.values[value] = round(shares.values[value]!);
    shares.other = round(shares.other);
  }
  const out = new URL('./default-model.json', import.meta.url);
  fs.writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`${data.ids.length} records from ${children} generated children → ${out.pathname}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
