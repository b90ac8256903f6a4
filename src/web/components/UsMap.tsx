import { geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import states from 'us-atlas/states-albers-10m.json';
import { number } from '../words';

// The U.S. Census Bureau's state outlines, already projected (Albers USA, 975 × 610), shipped in the us-atlas
// package: nothing is fetched at run time.
const topology = states as unknown as Topology<{ states: GeometryCollection<{ name: string }> }>;
const shapes = feature(topology, topology.objects.states).features;
const path = geoPath();

const USPS_BY_FIPS: Record<string, string> = {
  '01': 'AL',
  '02': 'AK',
  '04': 'AZ',
  '05': 'AR',
  '06': 'CA',
  '08': 'CO',
  '09': 'CT',
  '10': 'DE',
  '11': 'DC',
  '12': 'FL',
  '13': 'GA',
  '15': 'HI',
  '16': 'ID',
  '17': 'IL',
  '18': 'IN',
  '19': 'IA',
  '20': 'KS',
  '21': 'KY',
  '22': 'LA',
  '23': 'ME',
  '24': 'MD',
  '25': 'MA',
  '26': 'MI',
  '27': 'MN',
  '28': 'MS',
  '29': 'MO',
  '30': 'MT',
  '31': 'NE',
  '32': 'NV',
  '33': 'NH',
  '34': 'NJ',
  '35': 'NM',
  '36': 'NY',
  '37': 'NC',
  '38': 'ND',
  '39': 'OH',
  '40': 'OK',
  '41': 'OR',
  '42': 'PA',
  '44': 'RI',
  '45': 'SC',
  '46': 'SD',
  '47': 'TN',
  '48': 'TX',
  '49': 'UT',
  '50': 'VT',
  '51': 'VA',
  '53': 'WA',
  '54': 'WV',
  '55': 'WI',
  '56': 'WY',
};

/** USWDS blue ramp, lightest to darkest; each step is also named in the legend and table, never colour alone. */
const RAMP = ['#e7f2f5', '#99deea', '#00bde3', '#0081a1', '#07648d', '#0c4a6e'];

export interface StateCount {
  code: string;
  name: string;
  count: number;
}

/** Every state with its count (zero when none), largest first. */
export function stateCounts(counts: Record<string, number>): StateCount[] {
  return shapes
    .map((shape) => {
      const code = USPS_BY_FIPS[String(shape.id)] ?? String(shape.id);
      return { code, name: shape.properties.name, count: counts[code] ?? 0 };
    })
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Breaks between shades: quantiles of the states that have any, so a few large states do not wash out the rest. */
function breaks(values: number[]): number[] {
  const positive = values.filter((value) => value > 0).sort((a, b) => a - b);
  if (positive.length === 0) return [];
  const steps = RAMP.length - 1;
  const cuts = Array.from(
    { length: steps - 1 },
    (_, i) => positive[Math.floor(((i + 1) * positive.length) / steps)]!,
  );
  return [...new Set([1, ...cuts])].sort((a, b) => a - b);
}

const shadeIndex = (value: number, cuts: number[]) => {
  if (value <= 0) return 0;
  let index = 0;
  for (const cut of cuts) if (value >= cut) index++;
  return Math.min(index, RAMP.length - 1);
};

/** A map of the United States shaded by a count per state, with a legend that names each shade's range. */
export function UsMap({
  counts,
  title,
  description,
  stateTitle,
}: {
  counts: Record<string, number>;
  title: string;
  description: string;
  /** What hovering a state says (default: its name and count). */
  stateTitle?: (state: StateCount) => string;
}) {
  const rows = stateCounts(counts);
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const cuts = breaks(rows.map((row) => row.count));
  const legend = [
    { label: 'None', index: 0 },
    ...cuts.map((cut, i) => {
      const next = cuts[i + 1];
      return {
        label: next ? `${number(cut)}–${number(next - 1)}` : `${number(cut)} or more`,
        index: shadeIndex(cut, cuts),
      };
    }),
  ];
  return (
    <figure className="margin-x-0">
      <svg
        viewBox="0 0 975 610"
        role="img"
        aria-labelledby="us-map-title us-map-desc"
        className="width-full height-auto"
      >
        <title id="us-map-title">{title}</title>
        <desc id="us-map-desc">{description}</desc>
        {shapes.map((shape) => {
          const code = USPS_BY_FIPS[String(shape.id)] ?? String(shape.id);
          const row = byCode.get(code)!;
          return (
            <path
              key={code}
              d={path(shape) ?? undefined}
              fill={RAMP[shadeIndex(row.count, cuts)]}
              stroke="#1b1b1b"
              strokeWidth={0.6}
            >
              <title>{stateTitle ? stateTitle(row) : `${row.name}: ${number(row.count)}`}</title>
            </path>
          );
        })}
      </svg>
      <figcaption>
        <ul className="usa-list usa-list--unstyled display-flex flex-wrap" aria-label="Legend">
          {legend.map((item) => (
            <li key={item.label} className="display-flex flex-align-center margin-right-3 margin-bottom-1">
              <span
                aria-hidden="true"
                className="display-inline-block margin-right-1 border-1px border-base-darkest"
                style={{ width: '1.5rem', height: '1rem', background: RAMP[item.index] }}
              />
              {item.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
