/** Calendar days as integers (days since 1970-01-01, UTC): cheap arithmetic, one string conversion per output. */
const MS_PER_DAY = 86_400_000;
const isoCache = new Map<number, string>();

export function dayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

export function isoOf(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

/** The day a person born on `dob` turns `years` old (29 February birthdays turn on 1 March). */
export function birthdayAt(dob: number, years: number): number {
  const date = new Date(dob * MS_PER_DAY);
  return Math.floor(
    Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate()) / MS_PER_DAY,
  );
}

/** The federal fiscal year a day falls in (FY2020 = 2019-10-01 to 2020-09-30). */
export function fiscalYear(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return date.getUTCFullYear() + (date.getUTCMonth() >= 9 ? 1 : 0);
}
