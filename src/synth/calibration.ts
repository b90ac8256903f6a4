import { fiscalYear } from './days';
import { SPONSOR_STATE_WEIGHTS } from './places';

/**
 * The public figures the caseload is calibrated to (../shared/data/calibration.md), each with the rule that
 * turns it into a rate. The manifest reports target and achieved value for each.
 */
export interface CalibrationTarget {
  id: string;
  description: string;
  target: number;
  source: string;
}

export const REFERRALS_BY_FISCAL_YEAR: Record<number, number> = {
  2019: 69_488,
  2020: 15_381,
  2021: 122_731,
  2022: 128_904,
  2023: 118_938,
  2024: 100_000, // beyond the published table: an estimate, used only when --end goes past FY2023
};

export const AGE_BANDS: readonly { band: string; min: number; max: number; share: number }[] = [
  { band: '0-5', min: 1, max: 5, share: 0.02 },
  { band: '6-12', min: 6, max: 12, share: 0.14 },
  { band: '13-14', min: 13, max: 14, share: 0.135 },
  { band: '15-16', min: 15, max: 16, share: 0.37 },
  { band: '17', min: 17, max: 17, share: 0.335 },
];

export const SPONSOR_CATEGORIES: readonly (readonly [category: 1 | 2 | 3, share: number])[] = [
  [1, 0.4],
  [2, 0.47],
  [3, 0.13],
];

export const RATES = {
  male: 0.66,
  noNta: 0.65,
  ntaServedGivenIssued: 0.96,
  ntaFiledGivenServed: 0.88,
  failedToAppear: 0.07,
  addressDefect: { missing: 0.014, missing_unit: 0.029, undeliverable: 0.015, zip_mismatch: 0.012 },
  runaway: 0.015,
  protected1367: 0.01,
  attorneyGivenFiled: 0.5,
  sibling: 0.08,
  traffickingHub: 0.003,
  releasedGivenTransferred: 0.97,
} as const;

export const TARGETS: readonly CalibrationTarget[] = [
  {
    id: 'male',
    description: 'share of children who are male',
    target: RATES.male,
    source: 'ORR Facts and Data FY2021–23: about two thirds',
  },
  {
    id: 'country_guatemala',
    description: 'share from Guatemala',
    target: 0.47,
    source: 'ORR Facts and Data: 45–50 %',
  },
  {
    id: 'country_honduras',
    description: 'share from Honduras',
    target: 0.27,
    source: 'ORR Facts and Data: 25–30 %',
  },
  {
    id: 'country_el_salvador',
    description: 'share from El Salvador',
    target: 0.1,
    source: 'ORR Facts and Data: 8–13 %',
  },
  ...AGE_BANDS.map((band) => ({
    id: `age_${band.band}`,
    description: `share aged ${band.band} at referral`,
    target: band.share,
    source: 'ORR, FY2022 October–November referrals',
  })),
  {
    id: 'sponsor_category_1',
    description: 'share of released children with a category 1 sponsor',
    target: 0.4,
    source: 'ORR: 35–45 %',
  },
  {
    id: 'sponsor_category_2',
    description: 'share with a category 2 sponsor',
    target: 0.47,
    source: 'ORR: 40–50 %',
  },
  {
    id: 'sponsor_category_3',
    description: 'share with a category 3 sponsor',
    target: 0.13,
    source: 'ORR: 10–15 %',
  },
  {
    id: 'no_nta',
    description: 'share of transferred children never issued an NTA',
    target: RATES.noNta,
    source: 'OIG-24-46: ≈ 291,000 of 448,000',
  },
  {
    id: 'failed_to_appear',
    description: 'share of transferred children who failed to appear at least once',
    target: RATES.failedToAppear,
    source: 'OIG-24-46: 32,000+ (≈ 7 %)',
  },
  {
    id: 'address_defect',
    description: 'share of release forms with a defective sponsor address',
    target: 0.07,
    source: 'OIG-25-21: 31,000+ (≈ 7 %)',
  },
  {
    id: 'runaway',
    description: 'share of released children reported as runaways',
    target: RATES.runaway,
    source: 'assumption: no public rate; runaways known only through tips (OIG)',
  },
  {
    id: 'protected_1367',
    description: 'share of children with a T/U visa or VAWA application (§ 1367)',
    target: RATES.protected1367,
    source: 'assumption: no public rate',
  },
];

/**
 * Targets that depend on the options: the share of releases to the five largest sponsor states (ORR releases by
 * state), and the share of transfers in each fiscal year of the range (ORR referrals by fiscal year).
 */
export function placeAndTimeTargets(start: number, end: number): CalibrationTarget[] {
  const stateTotal = Object.values(SPONSOR_STATE_WEIGHTS).reduce((sum, n) => sum + n, 0);
  const states = ['TX', 'CA', 'FL', 'NY', 'NJ'].map((state) => ({
    id: `sponsor_state_${state}`,
    description: `share of released children whose sponsor lives in ${state}`,
    target: Number((SPONSOR_STATE_WEIGHTS[state]! / stateTotal).toFixed(4)),
    source: 'DHS OIG from ORR data: children released to sponsors by state, FY2019–FY2023',
  }));
  const weightByYear = new Map<number, number>();
  for (let day = start; day <= end; day++) {
    const year = fiscalYear(day);
    weightByYear.set(year, (weightByYear.get(year) ?? 0) + (REFERRALS_BY_FISCAL_YEAR[year] ?? 100_000) / 365);
  }
  const yearTotal = [...weightByYear.values()].reduce((sum, n) => sum + n, 0);
  const years = [...weightByYear].map(([year, weight]) => ({
    id: `fiscal_year_${year}`,
    description: `share of transfers in fiscal year ${year} (within the generated range)`,
    target: Number((weight / yearTotal).toFixed(4)),
    source: 'ORR referrals by fiscal year',
  }));
  return [...states, ...years];
}
