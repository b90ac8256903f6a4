import fs from 'node:fs';
import path from 'node:path';
import { ZIP_DATA_ATTRIBUTION } from '../addresses/zip-reference';
import {
  eoirCaseEventsV1,
  iceApprehensionsV1,
  iceNoticesToAppearV1,
  mailReturnsV1,
  orrReleasesV1,
} from '../feeds';
import fieldOfficeReference from '../monitoring/reference/field-offices.json' with { type: 'json' };
import {
  ADDRESS_COMPONENTS,
  type AddressDefect,
  type RenderedAddress,
  renderAddress,
  unitFor,
} from './address-render';
import { AGE_BANDS, placeAndTimeTargets, RATES, SPONSOR_CATEGORIES, TARGETS } from './calibration';
import { birthdayAt, dayOf, fiscalYear, isoOf } from './days';
import {
  Counter,
  type Manifest,
  NOISE_RATES,
  TRUTH_CHILD_COLUMNS,
  transferDayDistribution,
} from './manifest';
import { COUNTRIES, GIVEN_NAMES, INDIA_GIVEN_NAMES, SECOND_GIVEN_NAMES } from './names';
import { garbleANumber, usDate } from './noise';
import {
  agencyName,
  newSponsor,
  noisyDob,
  phone,
  pickSurnames,
  respell,
  type Sponsor,
  writeTip,
} from './people';
import { AddressBook } from './places';
import { Random, Weighted } from './rng';
import { CsvWriter, JsonLinesWriter } from './writers';

export const GENERATOR_VERSION = '1';

export interface GenerateOptions {
  children: number;
  seed: number | string;
  out: string;
  /** First and last transfer dates (YYYY-MM-DD); the caseload is observed as of `end`. */
  start?: string;
  end?: string;
  onProgress?: (childrenDone: number) => void;
}

const SECTORS = new Weighted<string>([
  ['Rio Grande Valley', 40],
  ['El Paso', 14],
  ['Del Rio', 10],
  ['Tucson', 10],
  ['Laredo', 8],
  ['San Diego', 7],
  ['Yuma', 5],
  ['El Centro', 3],
  ['Big Bend', 2],
  ['Swanton', 1],
]);
const FACILITY_CITIES = [
  'Harlingen, TX',
  'Brownsville, TX',
  'San Antonio, TX',
  'El Paso, TX',
  'Phoenix, AZ',
  'Houston, TX',
  'Miami, FL',
  'Chicago, IL',
  'New York, NY',
  'Los Angeles, CA',
];
const EOIR_COURTS = [
  'HOU',
  'HLG',
  'SNA',
  'DAL',
  'ELP',
  'LOS',
  'SFR',
  'SND',
  'MIA',
  'ORL',
  'ATL',
  'CHL',
  'NYC',
  'NEW',
  'BAL',
  'ARL',
  'BOS',
  'CHI',
  'MEM',
  'NOL',
  'PHO',
  'SEA',
  'DEN',
  'DET',
  'PHI',
];

/** Field office for a state and ZIP, from the same reference data the system loads. */

const officeLookup = (() => {
  const byState = new Map<string, string>();
  const byZip3 = new Map<string, string>();
  for (const office of fieldOfficeReference.offices) {
    for (const area of office.areas) {
      if (area.zip3 === '*') byState.set(area.state, office.code);
      else for (const zip3 of area.zip3) byZip3.set(`${area.state}:${zip3}`, office.code);
    }
  }
  return (state: string, zip: string) =>
    byZip3.get(`${state}:${zip.slice(0, 3)}`) ?? byState.get(state) ?? '';
})();

/**
 * Writes a synthetic national caseload: every agency's feed files under `out/feeds/<source>/`, the ground
 * truth under `out/truth/`, and `out/manifest.json`. Same options → byte-identical files.
 */

export function generateCaseload(options: GenerateOptions): Manifest {
  const start = dayOf(options.start ?? '2019-01-01');
  const end = dayOf(options.end ?? '2023-12-31');
  const random = new Random(options.seed);
  const book = new AddressBook(random.fork('places'));
  const feeds = path.join(options.out, 'feeds');
  const truthDir = path.join(options.out, 'truth');
  for (const source of ['ice', 'orr', 'eoir', 'mail', 'tips'])
    fs.mkdirSync(path.join(feeds, source), { recursive: true });
  fs.mkdirSync(truthDir, { recursive: true });

  const out = {
    apprehensions: new CsvWriter(
      path.join(feeds, 'ice', 'ice_apprehensions_v1.csv'),
      iceApprehensionsV1.columns,
    ),
    ntas: new CsvWriter(path.join(feeds, 'ice', 'ice_ntas_v1.csv'), iceNoticesToAppearV1.columns),
    releases: new CsvWriter(path.join(feeds, 'orr', 'orr_releases_v1.csv'), orrReleasesV1.columns),
    releasesLate: new CsvWriter(path.join(feeds, 'orr', 'orr_releases_v1_late.csv'), orrReleasesV1.columns),
    postRelease: new JsonLinesWriter(path.join(feeds, 'orr', 'orr_post_release_v1.jsonl')),
    court: new CsvWriter(path.join(feeds, 'eoir', 'eoir_case_events_v1.csv'), eoirCaseEventsV1.columns),
    mail: new CsvWriter(path.join(feeds, 'mail', 'mail_returns_v1.csv'), mailReturnsV1.columns),
    tips: new JsonLinesWriter(path.join(feeds, 'tips', 'tips_v1.jsonl')),
    children: new CsvWriter(path.join(truthDir, 'children.csv'), TRUTH_CHILD_COLUMNS),
    records: new CsvWriter(path.join(truthDir, 'records.csv'), ['source', 'source_key', 'child_id']),
    addresses: new CsvWriter(path.join(truthDir, 'addresses.csv'), [
      'source_key',
      'raw_text',
      ...ADDRESS_COMPONENTS,
      'defect',
    ]),
  };

  const transferDays = transferDayDistribution(start, end);
  const ages = new Weighted(AGE_BANDS.map((band) => [band, band.share] as const));
  const countries = new Weighted(COUNTRIES.map((country) => [country, country.share] as const));
  const categories = new Weighted(SPONSOR_CATEGORIES);
  const defects = new Weighted<AddressDefect>([
    ['none', 1 - Object.values(RATES.addressDefect).reduce((a, b) => a + b, 0)],
    ...(Object.entries(RATES.addressDefect) as [AddressDefect, number][]),
  ]);
  const counts = new Counter();
  const hubs: Sponsor[] = [];
  let previous: { sponsor: Sponsor; country: string; surnames: string[] } | undefined;
  let sponsorSeq = 0;
  let recordSeq = 0;
  const key = (prefix: string) => `${prefix}${String(++recordSeq).padStart(9, '0')}`;
  const record = (source: string, sourceKey: string, childId: string) =>
    out.records.row({ source, source_key: sourceKey, child_id: childId });

  for (let index = 1; index <= options.children; index++) {
    const childId = `C${String(index).padStart(7, '0')}`;
    const transferred = transferDays.draw(random);
    const band = ages.draw(random);
    const age = random.int(band.min, band.max);
    const dob = transferred - Math.floor(age * 365.25) - random.int(0, 364);
    const male = random.chance(RATES.male);
    const sex = male ? 'male' : 'female';
    const country = countries.draw(random);
    const highlands = country.highlandsShare !== undefined && random.chance(country.highlandsShare);
    const names = country.name === 'India' ? INDIA_GIVEN_NAMES[sex] : GIVEN_NAMES[sex];
    const given =
      random.chance(0.35) && country.name !== 'India'
        ? `${random.pick(names)} ${random.pick(SECOND_GIVEN_NAMES[sex])}`
        : random.pick(names);
    const sibling =
      previous && previous.country === country.name && random.chance(RATES.sibling) ? previous : undefined;
    const surnames = sibling ? sibling.surnames : pickSurnames(country.pools, highlands, random);
    const aNumber = String(200_000_000 + index * 131 + random.int(0, 130));
    const orrId = `UC${String(index * 7 + random.int(0, 6)).padStart(8, '0')}`;
    counts.add('children');
    counts.add(`fiscal_year_${fiscalYear(transferred)}`);
    counts.add('male', male);
    counts.add(`country_${country.name.toLowerCase().replace(/ /g, '_')}`);
    counts.add(`age_${band.band}`);
    const dobIso = isoOf(dob);
    const eighteenth = birthdayAt(dob, 18);

    // ICE: apprehension at the border and transfer to ORR.
    const apprehended = transferred - random.int(0, 3);
    const apprehensionKey = key('EV');
    const iceName = agencyName(given, surnames, random, {
      upper: true,
      accents: 0.05,
      secondSurname: 0.9,
      typo: 0.03,
    });
    out.apprehensions.row({
      EVENT_ID: apprehensionKey,
      A_NUMBER: random.chance(0.5) ? `A${aNumber}` : aNumber.replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3'),
      LAST_NAME: iceName.last,
      FIRST_NAME: iceName.first,
      DOB: usDate(noisyDob(dobIso, random, 0.02, 0.01)),
      SEX: male ? 'M' : 'F',
      COUNTRY_OF_CITIZENSHIP: country.name.toUpperCase(),
      APPREHENSION_DATE: usDate(isoOf(apprehended)),
      BORDER_SECTOR: SECTORS.draw(random),
      TRANSFER_TO_ORR_DATE: usDate(isoOf(transferred)),
    });
    record('ice', apprehensionKey, childId);

    // ORR: care, then release to a sponsor (unless the child turns 18 in care or is still there).
    const lengthOfStay = 12 + Math.floor(-Math.log(1 - random.next()) * 25);
    const releaseDay = transferred + lengthOfStay;
    const released =
      releaseDay <= end && releaseDay < eighteenth && random.chance(RATES.releasedGivenTransferred);
    let sponsor: Sponsor | undefined;
    let address: RenderedAddress | undefined;
    let defect: AddressDefect | undefined;
    let currentPlace: { state: string; zip: string } | undefined;
    if (released) {
      counts.add('released');
      if (sibling) sponsor = sibling.sponsor;
      else if (random.chance(RATES.traffickingHub) && options.children >= 1000) {
        if (
          hubs.length < Math.max(3, options.children / 3000) &&
          (hubs.length === 0 || random.chance(0.15))
        ) {
          hubs.push(newSponsor(++sponsorSeq, 3, surnames, book, random, true));
        }
        sponsor = random.pick(hubs);
      } else sponsor = newSponsor(++sponsorSeq, categories.draw(random), surnames, book, random, false);
      counts.add(`sponsor_category_${sponsor.category}`);
      defect = defects.draw(random);
      if (defect === 'missing_unit' && sponsor.building.units === 0) {
        // Only a multi-unit building can lack its unit: this sponsor lives in one.
        sponsor.building = book.building(sponsor.building.place.state, 'apartment');
        sponsor.unit = unitFor(sponsor.building, random);
      }
      address = renderAddress(sponsor.building, sponsor.unit, defect, book, random);
      counts.add('address_defect', defect !== 'none');
      currentPlace = { state: address.place.state, zip: address.place.zip };
      counts.add(`sponsor_state_${sponsor.building.place.state}`);
      const releaseKey = orrId;
      const orrName = agencyName(given, surnames, random, {
        upper: false,
        accents: 0.7,
        secondSurname: 0.97,
        typo: 0.02,
      });
      const row = {
        orr_case_id: releaseKey,
        a_number: random.chance(0.1)
          ? undefined
          : random.chance(0.01)
            ? garbleANumber(aNumber, random)
            : aNumber,
        child_first_name: orrName.first,
        child_last_name: orrName.last,
        child_dob: noisyDob(dobIso, random, 0.01, 0.005),
        child_gender: male ? 'Male' : 'Female',
        country_of_origin: country.name,
        facility_name: `ORR care provider ${random.int(1, 200)} (${random.pick(FACILITY_CITIES)})`,
        admission_date: isoOf(transferred),
        release_date: isoOf(releaseDay),
        // A sponsor seen again (a sibling, a hub) is often written differently on the next form.
        sponsor_name: sponsor.forms > 0 && random.chance(0.4) ? respell(sponsor.name, random) : sponsor.name,
        sponsor_relationship: sponsor.relationship,
        sponsor_category: sponsor.category,
        sponsor_phone: sponsor.phone,
        sponsor_address: address.raw,
        sponsor_street: address.split.street,
        sponsor_apt: address.split.apt,
        sponsor_city: address.split.city,
        sponsor_state: address.split.state,
        sponsor_zip: address.split.zip,
      };
      (random.chance(0.02) ? out.releasesLate : out.releases).row(row);
      if (random.chance(0.01)) out.releases.row(row); // re-sent unchanged
      if (random.chance(0.003)) out.releasesLate.row({ ...row, sponsor_phone: phone(random) }); // corrected later
      sponsor.forms++;
      record('orr', releaseKey, childId);
      out.addresses.row({ source_key: releaseKey, raw_text: address.raw, ...address.components, defect });
    }

    // ICE: Notice to Appear — issued for about a third, then served, then filed with the court.
    const ntaIssued = random.chance(1 - RATES.noNta)
      ? transferred + random.int(0, Math.min(400, end - transferred))
      : undefined;
    counts.add('no_nta', ntaIssued === undefined);
    const ntaServed =
      ntaIssued !== undefined && random.chance(RATES.ntaServedGivenIssued)
        ? Math.min(end, ntaIssued + random.int(0, 20))
        : undefined;
    const ntaFiledCandidate =
      ntaServed !== undefined && random.chance(RATES.ntaFiledGivenServed)
        ? ntaServed + random.int(10, 120)
        : undefined;
    const ntaFiled =
      ntaFiledCandidate !== undefined && ntaFiledCandidate <= end ? ntaFiledCandidate : undefined;
    if (ntaIssued !== undefined) {
      const ntaKey = key('NTA');
      const ntaName = agencyName(given, surnames, random, {
        upper: true,
        accents: 0.05,
        secondSurname: 0.85,
        typo: 0.03,
      });
      out.ntas.row({
        NTA_ID: ntaKey,
        A_NUMBER: random.chance(0.005) ? garbleANumber(aNumber, random) : aNumber,
        LAST_NAME: ntaName.last,
        FIRST_NAME: ntaName.first,
        DOB: usDate(noisyDob(dobIso, random, 0.01, 0.005)),
        ISSUED_DATE: usDate(isoOf(ntaIssued)),
        SERVED_DATE: ntaServed !== undefined ? usDate(isoOf(ntaServed)) : undefined,
        FILED_DATE: ntaFiled !== undefined ? usDate(isoOf(ntaFiled)) : undefined,
        ISSUING_OFFICE: officeLookup(currentPlace?.state ?? 'TX', currentPlace?.zip ?? '78550') || undefined,
      });
      record('ice', ntaKey, childId);
    }

    // EOIR: hearings once the NTA is filed. Children with a lawyer nearly always attend.
    const attorney = ntaFiled !== undefined && random.chance(RATES.attorneyGivenFiled);
    let hearingsHeld = 0;
    let failedToAppear = 0;
    let lastContact = -Infinity;
    let caseEnded = false;
    let caseOutcome: string | undefined;
    let courtEvent:
      | ((code: string, day: number, extra?: Record<string, string | undefined>) => void)
      | undefined;
    if (ntaFiled !== undefined) {
      const court = random.pick(EOIR_COURTS);
      const courtName = agencyName(given, surnames, random, {
        upper: true,
        accents: 0.5,
        secondSurname: 0.6,
        typo: 0.03,
      });
      courtEvent = (code, day, extra = {}) => {
        const eventKey = key('EOIR');
        out.court.row({
          event_id: eventKey,
          alien_number: random.chance(0.005) ? garbleANumber(aNumber, random) : aNumber,
          respondent_last_name: courtName.last,
          respondent_first_name: courtName.first,
          base_city_code: court,
          event_code: code,
          event_date: isoOf(Math.min(day, end)),
          ...extra,
        });
        record('eoir', eventKey, childId);
      };
      if (attorney) courtEvent('ATTORNEY_OF_RECORD', ntaFiled + random.int(5, 60));
      let hearing = ntaFiled + random.int(30, 240);
      let scheduledOn = ntaFiled;
      for (let n = 0; n < 4 && !caseEnded; n++) {
        courtEvent('HEARING_SCHEDULED', scheduledOn, { hearing_date: isoOf(hearing) });
        if (hearing > end) break;
        if (address && defect !== 'none' && random.chance(0.3))
          courtEvent('NOTICE_RETURNED', scheduledOn + random.int(10, 30));
        const attends = random.chance(attorney ? 0.97 : 0.7);
        hearingsHeld++;
        if (attends) {
          lastContact = Math.max(lastContact, hearing);
          courtEvent('HEARING_ATTENDED', hearing, {
            hearing_date: isoOf(hearing),
            attorney_present: attorney ? 'Y' : 'N',
          });
          const outcome = random.next();
          const ruling =
            outcome < 0.08
              ? 'RELIEF_GRANTED'
              : outcome < 0.15
                ? 'CASE_CLOSED'
                : outcome < 0.2
                  ? 'CONTINUED'
                  : undefined;
          if (ruling) courtEvent(ruling, hearing);
          caseEnded = ruling === 'RELIEF_GRANTED' || ruling === 'CASE_CLOSED';
          if (caseEnded) caseOutcome = ruling?.toLowerCase();
        } else {
          failedToAppear++;
          courtEvent('FAILED_TO_APPEAR', hearing, { hearing_date: isoOf(hearing) });
          if (random.chance(0.5)) {
            courtEvent('IN_ABSENTIA_ORDER', hearing);
            caseEnded = true;
            caseOutcome = 'in_absentia_order';
          }
        }
        if (random.chance(0.03))
          courtEvent('VENUE_CHANGED', hearing + 1, { new_base_city_code: random.pick(EOIR_COURTS) });
        scheduledOn = hearing;
        hearing += random.int(60, 240);
      }
    }
    counts.add('failed_to_appear', failedToAppear > 0);

    // ORR post-release services: the safety and well-being call, runaways, incidents, moves, legal reports.
    let runawayDay: number | undefined;
    let runawayReportedBy: 'orr' | 'tip' | undefined;
    let protectedType: string | undefined;
    if (released && sponsor && address) {
      const post = (event: Record<string, unknown>, day: number) => {
        const recordKey = key('PR');
        out.postRelease.row({ record_id: recordKey, orr_case_id: orrId, event_date: isoOf(day), ...event });
        record('orr', recordKey, childId);
      };
      // A tip about the child: what a neighbour or teacher knows (a first name, an age, a town, part of a phone).
      const tip = (day: number) => {
        const tipKey = key('TIP');
        const ageThen = age + Math.round((day - transferred) / 365);
        writeTip(out.tips, tipKey, day, given, ageThen, address.place.city, sponsor.phone, random);
        record('tips', tipKey, childId);
      };
      const callDay = releaseDay + random.int(25, 35);
      if (callDay <= end && random.chance(0.9)) {
        const roll = random.next();
        const outcome = roll < 0.72 ? 'reached' : roll < 0.92 ? 'not_reached' : 'concerns';
        if (outcome !== 'not_reached') lastContact = Math.max(lastContact, callDay);
        post(
          {
            event_type: 'safety_call',
            call_outcome: outcome,
            ...(outcome === 'not_reached'
              ? {}
              : {
                  lives_with_sponsor: outcome === 'reached',
                  enrolled_in_school: random.chance(0.7),
                  knows_court_date: random.chance(0.5),
                }),
            ...(outcome === 'concerns'
              ? { summary: 'Sponsor reports the child works long hours and is not enrolled in school.' }
              : {}),
          },
          callDay,
        );
      }
      if (random.chance(RATES.runaway / RATES.releasedGivenTransferred)) {
        runawayDay = Math.min(end, releaseDay + random.int(30, 500));
        counts.add('runaway');
        runawayReportedBy = random.chance(0.7) ? 'orr' : 'tip';
        if (runawayReportedBy === 'orr')
          post(
            {
              event_type: 'runaway',
              summary: 'Sponsor reports the child left the home and has not returned.',
              reported_by: 'sponsor',
            },
            runawayDay,
          );
        else tip(runawayDay);
      } else if (random.chance(0.003)) tip(Math.min(end, releaseDay + random.int(30, 700)));
      if (random.chance(0.03))
        post(
          {
            event_type: 'significant_incident',
            summary: 'Care provider reports a significant incident involving the child.',
          },
          Math.min(end, releaseDay + random.int(5, 300)),
        );
      if (random.chance(0.08)) {
        const moved = book.building(random.chance(0.8) ? address.place.state : book.states.draw(random));
        const unit = unitFor(moved, random);
        const newAddress = renderAddress(moved, unit, 'none', book, random);
        currentPlace = { state: newAddress.place.state, zip: newAddress.place.zip };
        const movedOn = Math.min(end, releaseDay + random.int(60, 700));
        post({ event_type: 'address_change', new_address: newAddress.raw }, movedOn);
        if (courtEvent && random.chance(0.5))
          courtEvent('ADDRESS_CHANGED', movedOn + random.int(5, 60), { address_of_record: newAddress.raw });
      }
      if (random.chance(RATES.protected1367 / RATES.releasedGivenTransferred)) {
        protectedType = random.pick(['t_visa', 'u_visa', 'vawa']);
        post(
          {
            event_type: 'legal_service_report',
            protection_type: protectedType,
            reported_by: 'legal service provider',
          },
          Math.min(end, releaseDay + random.int(60, 600)),
        );
      }
      // Mail: the release card comes back from an address that cannot receive it.
      const returnChance =
        defect === 'undeliverable'
          ? 0.8
          : defect === 'zip_mismatch'
            ? 0.5
            : defect === 'missing_unit'
              ? 0.4
              : 0.002;
      if (defect !== 'missing' && random.chance(returnChance)) {
        const mailKey = key('MR');
        const sent = releaseDay + random.int(3, 10);
        out.mail.row({
          return_id: mailKey,
          mail_type: 'release_card',
          sent_date: isoOf(sent),
          returned_date: isoOf(sent + random.int(7, 30)),
          return_reason:
            defect === 'missing_unit'
              ? 'insufficient_address'
              : random.pick(['no_such_number', 'attempted_not_known', 'insufficient_address', 'vacant']),
          addressee: `${given} ${surnames[0]}`,
          address_line: address.line1,
          city: address.split.city,
          state: address.split.state,
          zip: address.split.zip,
          orr_case_id: orrId,
        });
        record('mail', mailKey, childId);
      }
    }
    if (protectedType) counts.add('protected_1367');

    // Whereabouts as of the end date, under the default policy windows (verified ≤ 90 days, unknown > 180).
    const sinceContact = end - lastContact;
    const whereabouts =
      runawayDay !== undefined && runawayDay >= lastContact
        ? 'unknown'
        : sinceContact <= 90
          ? 'verified'
          : sinceContact <= 180
            ? 'unverified'
            : 'unknown';
    out.children.row({
      child_id: childId,
      a_number: aNumber,
      orr_id: orrId,
      given_names: given,
      surnames: surnames.join(' '),
      dob: dobIso,
      sex,
      country: country.name,
      transferred_at: isoOf(transferred),
      released_at: released ? isoOf(releaseDay) : undefined,
      sponsor_id: sponsor?.id,
      state: currentPlace?.state,
      field_office: currentPlace ? officeLookup(currentPlace.state, currentPlace.zip) : undefined,
      address_defect: defect,
      nta_issued_at: ntaIssued !== undefined ? isoOf(ntaIssued) : undefined,
      nta_filed_at: ntaFiled !== undefined ? isoOf(ntaFiled) : undefined,
      hearings: hearingsHeld,
      failed_to_appear: failedToAppear,
      case_outcome: caseOutcome,
      runaway_at: runawayDay !== undefined ? isoOf(runawayDay) : undefined,
      runaway_reported_by: runawayReportedBy,
      aged_out_at: eighteenth <= end ? isoOf(eighteenth) : undefined,
      whereabouts,
      protected_1367: protectedType ? 'true' : 'false',
      attorney: attorney ? 'true' : 'false',
    });
    if (!sibling && sponsor) previous = { sponsor, country: country.name, surnames };
    if (index % 1000 === 0) options.onProgress?.(index);
  }
  options.onProgress?.(options.children);

  const files: Record<string, number> = {};
  for (const writer of Object.values(out)) writer.close();
  for (const [name, writer] of Object.entries(out)) files[name] = writer.rows;
  const manifest: Manifest = {
    generator: 'whereabouts synthetic caseload',
    version: GENERATOR_VERSION,
    seed: options.seed,
    children: options.children,
    start: isoOf(start),
    end: isoOf(end),
    asOf: isoOf(end),
    files,
    calibration: [...TARGETS, ...placeAndTimeTargets(start, end)].map((target) => ({
      ...target,
      achieved: counts.rate(target.id),
    })),
    noise: NOISE_RATES,
    attribution: [
      ZIP_DATA_ATTRIBUTION,
      'Calibration figures: ../shared/data/calibration.md (DHS OIG-24-46, OIG-25-21; ORR Facts and Data).',
    ],
  };
  fs.writeFileSync(path.join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
