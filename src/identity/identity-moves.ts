import type { Database } from '../db';

/**
 * The moves' log (identity_moves), written by a statement-level trigger so that every writer of a child_id logs
 * its moves; installed at every start by `prepareDatabase` (idempotent).
 */
const MOVES_LOG = `
create or replace function identities_moved() returns trigger language plpgsql as $fn$
begin
  insert into identity_moves (identity_id, child_id)
  select n.id, n.child_id from moved_to n join moved_from o on o.id = n.id where n.child_id <> o.child_id
  order by n.id;
  return null;
end $fn$;
do $do$ begin
  if not exists (select 1 from pg_trigger where tgname = 'identities_moved' and tgrelid = 'person_identities'::regclass) then
    create trigger identities_moved after update on person_identities
      referencing old table as moved_from new table as moved_to for each statement execute function identities_moved();
  end if;
end $do$;`;

export async function installIdentityMoves(db: Database): Promise<void> {
  await db.exec(MOVES_LOG);
}
