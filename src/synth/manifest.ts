import { REFERRALS_BY_FISCAL_YEAR } from './calibration';
import { fiscalYear } from './days';
import { Weighted } from './rng';

/** What the generator reports about its output: files, calibration achieved, noise applied. */
export interface Manifest {
  generator: string;
  version: string;
  seed: number | string;
  children: number;
  start: string;
  end: string;
  asOf: string;
  files: Record<string, number>;
  calibration: { id: string; description: string; target: number; achieved: number; source: string }[];
  noise: Record<string, string>;
  attribution: string[];
}

export const TRUTH_CHILD_COLUMNS = [
  'child_id',
  'a_number',
  'orr_id',
  'given_names',
  'surnames',
  'dob',
  'sex',
  'country',
  'transferred_at',
  'released_at',
  'sponsor_id',
  'state',
  'field_office',
  'address_defect',
  'nta_issued_at',
  'nta_filed_at',
  'hearings',
  'failed_to_appear',
  'case_outcome',
  'runaway_at',
  'runaway_reported_by',
  'aged_out_at',
  'whereabouts',
  'protected_1367',
  'attorney',
] as const;

/** The mess between agencies, as applied (documented in docs/feeds.md). */

/** The mess between agencies, as applied (documented in docs/feeds.md). */
export const NOISE_RATES: Record<string, string> = {
  ice_names:
    'upper case; accents kept on 5 %; second surname dropped 10 %; one typo per name 3 %; given names shortened or joined 10 %',
  orr_names: 'accents kept on 70 % (dropped or mangled otherwise); second surname dropped 3 %; typo 2 %',
  eoir_names: 'upper case; accents kept on 50 %; one surname only 40 %; surnames swapped 3 %; typo 3 %',
  dob: 'day and month swapped 2 % (ICE), 1 % (ORR, NTA); year off by one 1 % (ICE), 0.5 % (ORR, NTA)',
  a_number:
    'missing on 10 % of ORR releases; one digit wrong or transposed on 1 % (ORR), 0.5 % (NTA, EOIR); written A123456789 or 123-456-789 by ICE',
  resent:
    'ORR releases: 1 % re-sent unchanged (duplicates), 0.3 % corrected later (a new version), 2 % delivered late in orr_releases_v1_late.csv',
  sponsor_names: 'a sponsor named on another child’s release form is spelled differently 40 % of the time',
  siblings: '8 % of children share the previous child’s sponsor and surnames',
  trafficking_pattern:
    '0.3 % of released children go to a few hub sponsors (one address, many unrelated children)',
};

export class Counter {
  private readonly values = new Map<string, number>();

  add(id: string, when = true): void {
    if (when) this.values.set(id, (this.values.get(id) ?? 0) + 1);
  }

  private get(id: string): number {
    return this.values.get(id) ?? 0;
  }

  /** The achieved rate for a calibration target, over the population the target is defined on. */
  rate(id: string): number {
    const ofReleased =
      /^(sponsor_category_|sponsor_state_)/.test(id) || id === 'address_defect' || id === 'runaway';
    const denominator = this.get(ofReleased ? 'released' : 'children');
    return denominator === 0 ? 0 : Number((this.get(id) / denominator).toFixed(4));
  }
}

/** Transfer days spread by ORR's referrals per fiscal year, within [start, end]. */

export function transferDayDistribution(start: number, end: number): Weighted<number> {
  const entries: [number, number][] = [];
  for (let day = start; day <= end; day++) {
    const year = fiscalYear(day);
    entries.push([day, (REFERRALS_BY_FISCAL_YEAR[year] ?? 100_000) / 365]);
  }
  return new Weighted(entries);
}
