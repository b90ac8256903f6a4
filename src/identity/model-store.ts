import fs from 'node:fs';
import type { Sql } from '../db';
import type { PersonModel } from './identities';

const DEFAULT_MODEL_FILE = new URL('./reference/default-model.json', import.meta.url);
let defaultModel: PersonModel | undefined;

/**
 * The model the last full run estimated from this store's own records (`whereabouts link`), or — before the
 * first one — the default, estimated the same way from a generated caseload (src/identity/reference/README.md).
 */
export async function currentModel(sql: Sql): Promise<PersonModel> {
  const [row] = await sql.query<{ model: PersonModel }>(
    'select model from linkage_models order by id desc limit 1',
  );
  if (row) return row.model;
  defaultModel ??= JSON.parse(fs.readFileSync(DEFAULT_MODEL_FILE, 'utf8')) as PersonModel;
  return defaultModel;
}

export async function saveModel(sql: Sql, model: PersonModel, identities: number): Promise<void> {
  await sql.query('insert into linkage_models (identities, model) values ($1, $2)', [
    identities,
    JSON.stringify(model),
  ]);
}
