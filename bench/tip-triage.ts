// What the tip-triage rule costs a sweep on a store where tips have accumulated: a generated caseload is
// ingested, `--tips` more tips (about known children, half of them naming another child's town) are ingested as
// one tips delivery, a full sweep opens everything, and then — timed, statement by statement — incremental sweeps
// of `--batch` children (the nightly increment), a sweep after one new tip (a hotline call), and a full sweep.
// The tip-triage part is the sweep's statements that read or write tips.
// Usage: npm run bench:tip-triage -- --caseload DIR [--tips 20000] [--batch 100] [--runs 5]
//        [--engine pglite|postgres] [--profile: print the tip statements over 1 ms, EXPLAIN ANALYZE of the matching]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap';
import { type Database, openDatabase, type Sql } from '../src/db';
import { ingestFile, listFeedFiles, recognizeFiles, settleIngest } from '../src/ingest';
import { loadPolicy, sweepIn } from '../src/monitoring';
import { machine, median, onEngines, printTable, timed } from './lib';

const { values } = parseArgs({
  options: {
    caseload: { type: 'string' },
    tips: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
    engine: { type: 'string', default: 'pglite' },
    label: { type: 'string', default: '' },
    profile: { type: 'boolean', default: false },
  },
});
if (!values.caseload) throw new Error('--caseload DIR: a caseload from `whereabouts generate`');
const TIPS = Number(values.tips);
const BATCH = Number(values.batch);
const RUNS = Number(values.runs);
const policy = loadPolicy();
const AS_OF = new Date('2026-06-01T12:00:00Z');

/** The sweep's statements, timed: all of them, and those that read or write tips. */
function timing(sql: Sql, spent: { all: number; tips: number }): Sql {
  const time = async <T>(text: string, work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    spent.all += ms;
    if (/tip/i.test(text)) {
      spent.tips += ms;
      if (values.profile && ms >= 1)
        console.log(`${ms.toFixed(1)} ms  ${text.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
    return result;
  };
  const explained = async (text: string, params?: unknown[]) => {
    if (!values.profile || !/^\s*insert into tip_found/.test(text)) return sql.query(text, params);
    const plan = await sql.query<Record<string, string>>(`explain (analyze, costs off) ${text}`, params);
    console.log(plan.map((row) => Object.values(row)[0]).join('\n'));
    return [];
  };
  return {
    query: (text, params) => time(text, () => explained(text, params)),
    exec: (script) =>
      time(script, () =>
        /^\s*insert into tip_found/.test(script) ? explained(script).then(() => {}) : sql.exec(script),
      ),
  } as Sql;
}

async function sweep(db: Database, asOf: Date, childIds?: number[]) {
  const spent = { all: 0, tips: 0 };
  const { seconds } = await timed(() =>
    db.transaction((sql) => sweepIn(timing(sql, spent), policy, { asOf, ...(childIds ? { childIds } : {}) })),
  );
  return { ms: seconds * 1000, tipsMs: spent.tips };
}

/** Tips about known children (first name, age, town, sometimes part of the sponsor's phone), as a tips file. */
async function writeTips(db: Database, file: string, count: number, prefix: string) {
  const rows = await db.query<{
    name: string;
    age: number;
    town: string;
    other_town: string;
    phone: string | null;
  }>(
    `with c as (
       select ch.id, split_part(btrim(ch.given_names), ' ', 1) as name,
              coalesce(extract(year from age(date '2026-05-01', ch.dob))::int, 12) as age,
              regexp_replace(a.last_line, ' [A-Z]{2} [0-9-]+$', '') as town,
              (select e.data->>'phone' from events e where e.child_id = ch.id and e.type = 'released_to_sponsor'
               order by e.occurred_at limit 1) as phone
       from children ch join child_state cs on cs.child_id = ch.id join addresses a on a.id = cs.address_id
       where ch.given_names is not null)
     select c.name, c.age, c.town, o.town as other_town, c.phone
     from (select *, row_number() over (order by md5(id::text)) as k from c) c
       join (select town, row_number() over (order by md5(id::text || 'x')) as k from c) o on o.k = c.k
     order by c.k limit $1`,
    [count],
  );
  const lines = Array.from({ length: count }, (_, i) => {
    const row = rows[i % rows.length]!;
    const elsewhere = i % 2 === 1;
    return JSON.stringify({
      tip_id: `${prefix}${String(i).padStart(7, '0')}`,
      received_date: '2026-05-01',
      channel: 'hotline',
      text: `Caller reports ${row.name}, about ${row.age}, seen in ${elsewhere ? row.other_town : row.town}.`,
      name_mentioned: row.name,
      approximate_age: Math.min(25, Math.max(0, row.age)),
      street_or_town: elsewhere ? row.other_town : row.town,
      ...(i % 3 === 0 && row.phone ? { phone: row.phone.slice(0, 9) } : {}),
    });
  });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

async function ingestFiles(db: Database, files: string[]) {
  for (const { file, format } of await recognizeFiles(files))
    await ingestFile(db, file, format, { settle: false });
  await settleIngest(db);
}

async function measure(engine: 'pglite' | 'postgres', url?: string) {
  const db = await openDatabase(engine === 'pglite' ? { engine } : { engine, url: url!, maxConnections: 2 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bench-tips-'));
  try {
    await prepareDatabase(db);
    const load = await timed(async () => {
      await ingestFiles(db, listFeedFiles([path.join(values.caseload!, 'feeds')]));
      const extra = path.join(dir, 'tips_v1_extra.jsonl');
      await writeTips(db, extra, TIPS, 'XTIP');
      await ingestFiles(db, [extra]);
      await db.exec('analyze');
    });
    const first = await sweep(db, AS_OF);
    const children = (
      await db.query<{ id: number }>('select child_id as id from child_state order by md5(child_id::text)')
    ).map((row) => Number(row.id));
    const incremental: { ms: number; tipsMs: number }[] = [];
    const oneTip: { ms: number; tipsMs: number }[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const asOf = new Date(AS_OF.getTime() + (run + 1) * 60_000);
      const result = await sweep(db, asOf, children.slice(run * BATCH, (run + 1) * BATCH));
      const tip = path.join(dir, `tips_v1_call${run}.jsonl`);
      await writeTips(db, tip, 1, `CALL${run}-`);
      await ingestFiles(db, [tip]);
      const afterTip = await sweep(db, asOf, []);
      if (run === 0) continue; // warm-up
      incremental.push(result);
      oneTip.push(afterTip);
    }
    const full = await sweep(db, new Date(AS_OF.getTime() + 3_600_000));
    const [counts] = await db.query<{ tips: number; alerts: number }>(
      `select (select count(distinct source_key)::int from source_records where source = 'tips') as tips,
              (select count(*)::int from alerts where rule = 'tip_triage' and closed_at is null) as alerts`,
    );
    const med = (runs: { ms: number; tipsMs: number }[], key: 'ms' | 'tipsMs') =>
      median(runs.map((r) => r[key]));
    return {
      engine: db.engine === 'pglite' ? 'PGlite' : 'PostgreSQL',
      load: load.seconds,
      first,
      full,
      incremental: { ms: med(incremental, 'ms'), tipsMs: med(incremental, 'tipsMs') },
      oneTip: { ms: med(oneTip, 'ms'), tipsMs: med(oneTip, 'tipsMs') },
      ...counts!,
    };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = await onEngines(values.engine, measure);
printTable(
  `Tip triage in the sweep${values.label ? ` (${values.label})` : ''}: caseload ${values.caseload} + ${TIPS.toLocaleString('en-US')} tips, median of ${RUNS} runs (${machine()}; load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
  results.map((r) => ({
    engine: r.engine,
    tips: r.tips,
    'open tip alerts': r.alerts,
    'first full sweep ms (tips)': `${r.first.ms.toFixed(0)} (${r.first.tipsMs.toFixed(0)})`,
    [`incremental ${BATCH} children ms (tips)`]: `${r.incremental.ms.toFixed(1)} (${r.incremental.tipsMs.toFixed(1)})`,
    'one new tip, sweep [] ms (tips)': `${r.oneTip.ms.toFixed(1)} (${r.oneTip.tipsMs.toFixed(1)})`,
    'steady full sweep ms (tips)': `${r.full.ms.toFixed(0)} (${r.full.tipsMs.toFixed(0)})`,
  })),
);
