/**
 * With WHEREABOUTS_INGEST_PROFILE=1, one line of named steps and their seconds on stderr, as the bulk work's profile
 * prints it: `[ingest] orr_releases 20000+0: read 1.20, store 0.81` (ingest, settle), `[link] …` (whole-store link).
 */
export function printProfile(tag: string, what: string, seconds: Iterable<[string, number]>): void {
  if (!process.env.WHEREABOUTS_INGEST_PROFILE) return;
  const shown = [...seconds].map(([step, value]) => `${step} ${value.toFixed(2)}`);
  process.stderr.write(`[${tag}] ${what}: ${shown.join(', ')}\n`);
}
