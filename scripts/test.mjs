#!/usr/bin/env node
// The whole suite: typecheck, web build, every test on the embedded database (PGlite), then the
// database-facing tests (*.db.test.ts, *.pg.test.ts) again on a real PostgreSQL: DATABASE_URL when set,
// otherwise a throwaway cluster started here. Ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const reports = path.resolve('.vitest-reports');
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });
// Optional file filters while working on one module (`npm test -- addresses`).
const filters = process.argv.slice(2);
const extra = filters.length > 0 ? ['--passWithNoTests', ...filters] : [];
// The PostgreSQL pass: every database-facing test file that also matches the filters.
const databaseFacing = fs
  .readdirSync('src', { recursive: true })
  .map((file) => path.join('src', String(file)))
  .filter((file) => /\.(db|pg)\.test\.tsx?$/.test(file))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

function vitest(name, args, env) {
  const output = path.join(reports, `${name}.json`);
  const status = run(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${output}`, ...args],
    env,
  );
  const report = fs.existsSync(output) ? JSON.parse(fs.readFileSync(output, 'utf8')) : undefined;
  return {
    status,
    passed: report?.numPassedTests ?? 0,
    // A file that fails before any test runs (an import error) counts as one failure.
    failed: report
      ? report.numFailedTests +
        report.testResults.filter(
          (file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'),
        ).length
      : 1,
    skipped: (report?.numPendingTests ?? 0) + (report?.numTodoTests ?? 0),
  };
}

if (run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) {
  console.log('typecheck: 0 passed, 1 failed');
  process.exit(1);
}
if (run('npm', ['run', '--silent', 'build:web']) !== 0) {
  console.log('web build: 0 passed, 1 failed');
  process.exit(1);
}

const { DATABASE_URL, ...withoutDatabase } = process.env;
const results = [vitest('pglite', ['--exclude', '**/*.pg.test.ts', ...extra], withoutDatabase)];

let databaseUrl = DATABASE_URL;
let cluster;
if (!databaseUrl && databaseFacing.length > 0) {
  cluster = `/tmp/whereabouts-test-pg-${process.pid}`;
  const started = spawnSync('bash', ['scripts/postgres-throwaway.sh', 'start', cluster], {
    encoding: 'utf8',
  });
  if (started.status === 0) databaseUrl = started.stdout.trim();
  else {
    console.error(
      `\nPostgreSQL suite NOT RUN: ${started.stderr.trim()}\nInstall PostgreSQL or set DATABASE_URL.\n`,
    );
    if (process.env.CI) results.push({ status: 1, passed: 0, failed: 1, skipped: 0 });
    cluster = undefined;
  }
}
try {
  if (databaseUrl && databaseFacing.length > 0) {
    console.log(`\nDatabase-facing tests on PostgreSQL (${databaseUrl.replace(/:[^:@/]*@/, ':***@')})`);
    results.push(vitest('postgres', databaseFacing, { ...process.env, DATABASE_URL: databaseUrl }));
  }
} finally {
  if (cluster) spawnSync('bash', ['scripts/postgres-throwaway.sh', 'stop', cluster]);
}

const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
const skipped = total('skipped');
console.log(`\n${total('passed')} passed, ${total('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(results.some((result) => result.status !== 0) || total('failed') > 0 ? 1 : 0);
