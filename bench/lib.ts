// Shared pieces of the benchmarks: timing, medians, a throwaway PostgreSQL, and the printed table.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

/** Starts a throwaway PostgreSQL (scripts/postgres-throwaway.sh) unless DATABASE_URL is set. */
export function startPostgres(): { url: string; stop(): void } {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop() {} };
  const dir = `/tmp/whereabouts-bench-pg-${process.pid}`;
  const started = spawnSync('bash', ['scripts/postgres-throwaway.sh', 'start', dir], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`cannot start PostgreSQL: ${started.stderr}`);
  return {
    url: started.stdout.trim(),
    stop: () => spawnSync('bash', ['scripts/postgres-throwaway.sh', 'stop', dir]),
  };
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: string | number) =>
    typeof value === 'number' ? value.toLocaleString('en-US') : value;
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(cell(row[column]!)).length)),
  );
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => String(cell(row[column]!)))));
  console.log('');
}

export function machine(): string {
  return `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The value below which p % of the values lie (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Each piece of work's median time in milliseconds over `runs` runs, after one warm-up run. */
export async function medianMilliseconds(
  work: Record<string, () => Promise<unknown>>,
  runs: number,
): Promise<Record<string, string>> {
  const row: Record<string, string> = {};
  for (const [name, run] of Object.entries(work)) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await timed(run)).seconds);
    row[`${name} ms`] = (median(times) * 1000).toFixed(0);
  }
  return row;
}

/** `measure` on PGlite and on a throwaway PostgreSQL, as `--engine both|pglite|postgres` asks. */
export async function onEngines<T>(
  engine: string | undefined,
  measure: (engine: 'pglite' | 'postgres', url?: string) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  if (engine !== 'postgres') results.push(await measure('pglite'));
  if (engine !== 'pglite') {
    const postgres = startPostgres();
    try {
      results.push(await measure('postgres', postgres.url));
    } finally {
      postgres.stop();
    }
  }
  return results;
}
